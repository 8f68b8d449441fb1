using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Quotes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ItDrift.Tbm.Api.Quotes;

/// <summary>A quote as the caller may see it. Money in kronor with two decimals, as everywhere in this API.</summary>
/// <param name="RunId">The run quoted from.</param>
/// <param name="Supplier">The run's supplier.</param>
/// <param name="Tenant">The ordering tenant's id.</param>
/// <param name="TenantName">Its name: the run's for an existing tenant, the order's for a new one.</param>
/// <param name="ExistingTenant">Whether the tenant is a tenant of the run already (a changed order), not a prospective one.</param>
/// <param name="Lines">The tenant's fees per year and service after the order (for an existing tenant: all its services).</param>
/// <param name="Totals">The tenant's fee per year after the order, and before it (existing tenants).</param>
/// <param name="ConnectionCost">The one-off connection cost of the ordered services the tenant does not use yet.</param>
/// <param name="Others">Per year: how many other tenants have a fee, and the sum of the changes of their fees.</param>
/// <param name="Effects">Per year and other tenant: its fee before and after. Supplier, coordinator and ESV only; <see langword="null"/> for a tenant.</param>
/// <param name="Warnings">The package's warnings that bear on the quoted years (they can name tenants: empty for a tenant).</param>
internal sealed record QuoteResponse(
    string RunId, string Supplier, string Tenant, string TenantName, bool ExistingTenant, IReadOnlyList<QuoteLineItem> Lines, IReadOnlyList<QuoteYearTotal> Totals,
    decimal ConnectionCost, IReadOnlyList<QuoteOthers> Others, IReadOnlyList<QuoteEffectItem>? Effects, IReadOnlyList<QuoteWarning> Warnings);

/// <summary>One service's quoted fee in one year: quantity × unit price under a price list or three-year model.</summary>
internal sealed record QuoteLineItem(int FiscalYear, string FeeModel, string Service, string ServiceName, decimal Quantity, decimal? UnitPrice, decimal Fee);

/// <summary>The ordering tenant's fee in a year after the order, and before it (<see langword="null"/> for a prospective tenant).</summary>
internal sealed record QuoteYearTotal(int FiscalYear, decimal Fee, decimal? Previous);

/// <summary>
/// The other tenants in a year, as an aggregate: how many have a fee, and the sum of the changes of their
/// fees. For a tenant the sum is left out (<see langword="null"/>) when it covers fewer than three tenants.
/// </summary>
internal sealed record QuoteOthers(int FiscalYear, int Tenants, decimal? Change);

/// <summary>How another tenant's fee in a year changes with the order.</summary>
internal sealed record QuoteEffectItem(int FiscalYear, string Tenant, string TenantName, decimal Before, decimal After, decimal Change);

/// <summary>A warning of the package that bears on the quote.</summary>
internal sealed record QuoteWarning(string File, string Message);

/// <summary>Who refused a quote, and why: the API's checks before the engine, or the engine.</summary>
internal enum QuoteRefusalKind
{
    /// <summary>A tenant key named another tenant id (404).</summary>
    NotOwnTenant,

    /// <summary>The run has no model snapshot to quote from (404).</summary>
    NoSnapshot,

    /// <summary>A tenant ordered services whose cost the disclosure policy hides from it (400; <see cref="QuoteRefusal.Services"/>).</summary>
    Undisclosable,

    /// <summary>Every quote slot and the queue are busy (429).</summary>
    Busy,

    /// <summary>The engine refused the order (400; <see cref="QuoteRefusal.Engine"/> says why, when it says it as data).</summary>
    Engine,
}

/// <summary>Why a quote was refused: the status, the reason as data, and the API's English detail.</summary>
/// <param name="Status">The HTTP status the API answers.</param>
/// <param name="Reason">Who refused and why.</param>
/// <param name="Detail">The API's problem detail, in English.</param>
/// <param name="Services">The services the refusal is about.</param>
/// <param name="Engine">The engine's refusal, for <see cref="QuoteRefusalKind.Engine"/> (<see langword="null"/> when the engine gave only text).</param>
internal sealed record QuoteRefusal(int Status, QuoteRefusalKind Reason, string Detail, IReadOnlyList<string> Services, QuoteRefusedException? Engine);

/// <summary>A quote as the caller may see it, or why it was refused: exactly one of the two.</summary>
internal sealed record QuoteAnswer(QuoteResponse? Quote, QuoteRefusal? Refusal);

/// <summary>
/// <c>POST /v1/runs/{runId}/quote</c>: what an order would cost, from a published run
/// (<see cref="TbmEngine.QuoteFromRun"/>), shaped by who asks (docs/disclosure.md).
/// </summary>
/// <remarks>
/// <para>The supplier's staff, the coordinator and ESV quote any tenant id and see every other tenant's
/// change. A tenant key quotes only its own id: a tenant of the run its changed order; a tenant key bound
/// to the run's supplier whose tenant is not yet a tenant of the run (a prospect) its joining. A tenant
/// sees its own lines and, of the others, only aggregates per year, never an id, a name or one tenant's change.</para>
/// <para>A quote's unit prices, compared with the price list or with a second quote, tell the units and
/// cost of each ordered service. The price list hides those from tenants for a service shared by fewer
/// than three tenants (a tenant could subtract itself and learn another's fee), so a tenant may not
/// quote such a service while anyone else uses it; the supplier can.</para>
/// </remarks>
internal static class QuoteEndpoints
{
    /// <summary>The largest order body accepted: 200 services fit several times over.</summary>
    public const int MaxBodyBytes = 64 * 1024;


    public static RouteGroupBuilder MapQuoteEndpoints(this RouteGroupBuilder run)
    {
        run.MapPost("/quote", Quote)
            .WithName("Quote").WithSummary("What an order would cost: per service and year, the connection cost, and the effect on the other tenants")
            .WithDescription("""
                Allocates the run again with the order's quantities (a prospective tenant's, or an existing tenant's changed order) under the run's
                fee models. The supplier's staff, the coordinator and ESV see every other tenant's change; a tenant key quotes only its own tenant id
                and sees, of the others, only the number of tenants and the sum of their changes per year. Quotes run a few at a time: when all slots
                and the queue are busy the answer is 429 with Retry-After.
                """)
            .WithMetadata(new ProspectsMetadata(), new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<QuoteOrderDocument>("application/json")
            .Produces<QuoteResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return run;
    }

    private static async Task<IResult> Quote(HttpContext http, QuoteGate gate, QuoteSettings settings, RunTables tables)
    {
        var (order, refused) = await ReadAsync(http);
        return order is null ? refused! : await AnswerAsync(http, order, gate, settings, tables);
    }

    /// <summary>
    /// The answer to a valid order under the run access filter's scope, as the API sends it: the quote as the
    /// caller may see it (<see cref="QuoteResponse"/>), or the refusal as problem details (404, 400, 429).
    /// </summary>
    internal static async Task<IResult> AnswerAsync(HttpContext http, QuoteOrder order, QuoteGate gate, QuoteSettings settings, RunTables tables)
    {
        var answer = await DecideAsync(http, order, gate, settings, tables);
        if (answer.Quote is { } quote)
        {
            return TypedResults.Ok(quote);
        }

        var refusal = answer.Refusal!;
        if (refusal.Reason == QuoteRefusalKind.Busy)
        {
            http.Response.Headers.RetryAfter = "1";
        }

        return TypedResults.Problem(statusCode: refusal.Status, title: ReasonPhrases.GetReasonPhrase(refusal.Status), detail: refusal.Detail);
    }

    /// <summary>
    /// The quote of a valid order under the run access filter's scope as the caller may see it, or why it is
    /// refused, as data: the API's endpoint words the refusal in English (<see cref="QuoteRefusal.Detail"/>),
    /// the portal in Swedish from <see cref="QuoteRefusal.Reason"/>, its services and the engine's reason.
    /// </summary>
    internal static async Task<QuoteAnswer> DecideAsync(HttpContext http, QuoteOrder order, QuoteGate gate, QuoteSettings settings, RunTables tables)
    {
        var scope = RunAccessFilter.Scope(http);
        var run = scope.Run;
        var folder = run.Folder;
        var grant = scope.Grant;

        // A tenant quotes for itself only; the answer is the same whether the id it named exists or not.
        if (!grant.SeesAllTenants && !string.Equals(order.TenantId, grant.Tenant, StringComparison.Ordinal))
        {
            return Refused(StatusCodes.Status404NotFound, QuoteRefusalKind.NotOwnTenant, $"A tenant key quotes only for its own tenant id ({grant.Tenant}).");
        }

        if (!File.Exists(Path.Combine(folder.Directory, "model", "model.json")) || !folder.Has("trail/object_balances") || !folder.Has("fees_by_model"))
        {
            return Refused(StatusCodes.Status404NotFound, QuoteRefusalKind.NoSnapshot, $"Run {run.RunId} cannot be quoted from: it has no model snapshot (published by an engine before 0.1).");
        }

        if (!grant.SeesAllTenants && Undisclosable(tables, scope, order.TenantId, order.Quantities.Keys) is { Count: > 0 } shared)
        {
            return Refused(StatusCodes.Status400BadRequest, QuoteRefusalKind.Undisclosable, string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", shared.Select(s => $"'{s}'"))} {(shared.Count == 1 ? "is" : "are")} shared by too few tenants for its cost to be shown (fewer than {Disclosure.MinimumTenants}, or the rest of a figure that is shown), so a quote would disclose what the others pay; ask the supplier for this quote"),
                shared);
        }

        using var slot = await gate.EnterAsync(http.RequestAborted);
        if (slot is null)
        {
            return Refused(StatusCodes.Status429TooManyRequests, QuoteRefusalKind.Busy, "Every quote slot and the queue are busy; try again in a moment.");
        }

        QuoteResult quote;
        try
        {
            quote = TbmEngine.QuoteFromRun(folder.Directory, order, settings.Engine, http.RequestAborted);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            // The engine's order errors (unknown service, bad quantity, org nr, year …) say precisely what is wrong; never show a server path.
            var refused = e as QuoteRefusedException;
            return Refused(StatusCodes.Status400BadRequest, QuoteRefusalKind.Engine, e.Message.Replace(folder.Directory, "run " + run.RunId, StringComparison.Ordinal),
                refused?.Service is { } service ? [service] : [], refused);
        }

        return new QuoteAnswer(Shape(scope, quote), null);
    }

    private static QuoteAnswer Refused(int status, QuoteRefusalKind reason, string detail, IReadOnlyList<string>? services = null, QuoteRefusedException? engine = null) =>
        new(null, new QuoteRefusal(status, reason, detail, services ?? [], engine));

    /// <summary>The quote as the caller may see it: a tenant gets no other tenant's id, name or change, and no warnings (they can name tenants).</summary>
    private static QuoteResponse Shape(RunScope scope, QuoteResult quote)
    {
        var folder = scope.Run.Folder;
        var tenantReader = !scope.Grant.SeesAllTenants;
        var order = quote.Order;
        var existing = folder.Tenants.ContainsKey(order.TenantId);

        var lines = quote.Lines
            .Select(l => new QuoteLineItem(l.FiscalYear, l.FeeModel, l.Service, folder.Object(l.Service).Name, RunTables.Quantity(l.Quantity),
                l.UnitPrice is { } price ? Kronor(price) : null, Kronor(l.Fee)))
            .ToList();

        var effects = quote.Effects; // the other tenants only (QuoteResult.Effects)
        var totalByYear = quote.TotalByYear;
        var totals = totalByYear.Keys.Concat(quote.PreviousTotalByYear.Keys).Concat(effects.Select(e => e.FiscalYear)).Distinct().Order()
            .Select(y => new QuoteYearTotal(y, Kronor(totalByYear.GetValueOrDefault(y)),
                quote.PreviousTotalByYear.TryGetValue(y, out var previous) ? Kronor(previous) : existing ? 0.00m : null))
            .ToList();
        var others = effects.GroupBy(e => e.FiscalYear).OrderBy(g => g.Key)
            .Select(g => new QuoteOthers(g.Key, g.Count(), tenantReader && !Disclosure.MayShowAggregate(g.Count()) ? null : Kronor(g.Sum(e => e.Change))))
            .ToList();

        return new QuoteResponse(
            scope.Run.RunId,
            scope.Run.Supplier,
            order.TenantId,
            existing ? folder.Tenant(order.TenantId).Name : order.Name,
            existing,
            lines,
            totals,
            Kronor(quote.ConnectionCost),
            others,
            tenantReader ? null : [.. effects.Select(e => new QuoteEffectItem(e.FiscalYear, e.Tenant, folder.Tenant(e.Tenant).Name, Kronor(e.Before), Kronor(e.After), Kronor(e.Change)))],
            tenantReader ? [] : [.. quote.Warnings.Select(w => new QuoteWarning(w.File, w.Message))]);
    }

    /// <summary>
    /// The ordered services whose units and cost the disclosure policy hides from tenants in some period
    /// while another tenant uses them: a quote's prices would tell the tenant their units and cost, and so
    /// what the others pay. Every period of the run is checked: a three-year price reaches back. A service
    /// the orderer alone uses tells it only its own fee.
    /// </summary>
    private static List<string> Undisclosable(RunTables tables, RunScope scope, string tenant, IEnumerable<string> services)
    {
        var ordered = services.ToHashSet(StringComparer.Ordinal);
        var disclosure = scope.Run.Folder.Disclosure;
        var used = tables.Query(
            $"""
            SELECT fiscal_year, scenario, service, count(DISTINCT tenant) FILTER (WHERE tenant <> ?) AS others
            FROM {tables.Table(scope.Run, "fees")} GROUP BY ALL
            """,
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(2), Others: Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)),
            tenant);
        return [.. used.Where(s => ordered.Contains(s.Service) && s.Others > 0 && !disclosure.IsVisible(s.Year, s.Scenario, s.Service))
            .Select(s => s.Service).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The body as an order, or the problem that says why it is not one (415, 413, 400).</summary>
    private static async Task<(QuoteOrder? Order, IResult? Problem)> ReadAsync(HttpContext http)
    {
        var (body, problem) = await ReadJsonBodyAsync(http, "order");
        if (body is null)
        {
            return (null, problem);
        }

        // The one schema of an order, the engine's (tbm quote reads the same).
        try
        {
            return (QuoteOrderJson.Read(body), null);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            return (null, BadRequest(e.Message));
        }
    }

    /// <summary>
    /// A JSON body of at most <see cref="MaxBodyBytes"/>, or the problem that says why there is none (415, 413, 408 …);
    /// <paramref name="what"/> names it in the problem (an order, the changes of a simulation).
    /// </summary>
    internal static async Task<(byte[]? Body, IResult? Problem)> ReadJsonBodyAsync(HttpContext http, string what)
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
                detail: $"Send the {what} as application/json."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge(what));
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    return (null, TooLarge(what));
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(what));
        }
        catch (BadHttpRequestException e)
        {
            // The body came too slowly (408) or broke off: the server's own status, not a 500.
            return (null, TypedResults.Problem(statusCode: e.StatusCode, title: ReasonPhrases.GetReasonPhrase(e.StatusCode), detail: $"The {what} could not be read: " + e.Message));
        }

        return (body.ToArray(), null);
    }

    private static decimal Kronor(long ore) => RunTables.Money(ore / 100m);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: detail);

    private static ProblemHttpResult TooLarge(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large",
            detail: string.Create(CultureInfo.InvariantCulture, $"{(what == "order" ? "An order is" : "The " + what + " may be")} at most {MaxBodyBytes / 1024} KiB."));
}
