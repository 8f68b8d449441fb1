using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Changes;
using Microsoft.AspNetCore.Mvc;

namespace ItDrift.Tbm.Api.Simulations;

/// <summary>A simulation as the caller may see it. Money in kronor with two decimals, as everywhere in this API.</summary>
/// <param name="Run">The run simulated from, and the year and scenario simulated.</param>
/// <param name="Changes">Each change with the cost it moved.</param>
/// <param name="Lines">The bridge from the run to the simulation per tenant and service: every tenant's for the supplier's side, the caller's own for a tenant (a unit price only where the disclosure policy shows the service).</param>
/// <param name="Totals">The sums of <paramref name="Lines"/>.</param>
/// <param name="Others">For a tenant: the other tenants, as an aggregate; <see langword="null"/> for the supplier's side (it sees every line).</param>
/// <param name="Unallocated">The money left unallocated in the run and in the simulation: the supplier's side only.</param>
internal sealed record SimulationResponse(
    BridgeEnd Run, IReadOnlyList<SimulatedChangeItem> Changes, IReadOnlyList<BridgeLine> Lines, SimulationTotals Totals, SimulationOthers? Others, SimulationUnallocated? Unallocated);

/// <summary>A change of the simulation and the cost it added (negative: removed).</summary>
internal sealed record SimulatedChangeItem(string Path, string Type, decimal CostChange);

/// <summary>Fees before and after, their change, and its volume and price effects.</summary>
internal sealed record SimulationTotals(decimal FeeFrom, decimal FeeTo, decimal Change, decimal VolumeEffect, decimal PriceEffect);

/// <summary>The other tenants with a fee on either side: how many, and the sum of their changes (<see langword="null"/> when fewer than three).</summary>
internal sealed record SimulationOthers(int Tenants, decimal? Change);

/// <summary>Unallocated money in the run's period and in the simulation.</summary>
internal sealed record SimulationUnallocated(decimal From, decimal To);

/// <summary>
/// <c>POST /v1/runs/{runId}/simulations</c>: every tenant's fees after changes to cost, driver volumes, rule keys and
/// tenants, and the fee bridge against the run (<see cref="Simulation"/>; the same as <c>tbm simulate</c>), shaped by who asks.
/// </summary>
/// <remarks>
/// The supplier's staff, the coordinator and ESV simulate any change and see every tenant's line. A tenant key may
/// simulate only volume changes of its own quantities and sees its own lines and, of the others, only how many they
/// are and the sum of their changes when they are at least three (docs/disclosure.md). As for a quote, a tenant may
/// not change its volume of a key whose services the policy hides from it while another tenant uses them: its own
/// fee before and after would tell it their units and cost.
/// </remarks>
internal static class SimulationEndpoints
{
    public static RouteGroupBuilder MapSimulationEndpoints(this RouteGroupBuilder run)
    {
        run.MapPost("/simulations", Simulate)
            .WithName("Simulate").WithSummary("Every tenant's fees after changes to cost, driver volumes, rule keys or tenants, and the fee bridge against the run")
            .WithDescription("""
                The body is the changes document of tbm simulate (docs/changes.md): {"year": 2026, "changes": [{"type": "cost", "costPool": "Software", "percent": 8}, …]}.
                Only the simulated year's best-known scenario is allocated again, by the engine's own allocation. The supplier's staff, the coordinator and ESV
                see every tenant's line; a tenant key may simulate only volume changes of its own quantities ({"type": "volume", "driver": …, "target": its tenant id})
                and sees its own lines and, of the others, only their number and the sum of their changes. Simulations share the quotes' slots: when all are busy the
                answer is 429 with Retry-After.
                """)
            .WithMetadata(new RequestSizeLimitAttribute(QuoteEndpoints.MaxBodyBytes))
            .Accepts<object>("application/json")
            .Produces<SimulationResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return run;
    }

    private static async Task<IResult> Simulate(HttpContext http, QuoteGate gate, QuoteSettings settings)
    {
        var (body, refused) = await QuoteEndpoints.ReadJsonBodyAsync(http, "changes");
        if (body is null)
        {
            return refused!;
        }

        SimulationChanges changes;
        try
        {
            changes = SimulationJson.Read(body, "the body");
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad Request", e.Message);
        }

        var scope = RunAccessFilter.Scope(http);
        var run = scope.Run;
        var folder = run.Folder;
        var grant = scope.Grant;
        if (!grant.SeesAllTenants && !changes.OnlyVolumesOf(grant.Tenant!))
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden",
                $"A tenant key may simulate only volume changes of its own quantities (\"type\": \"volume\", \"target\": \"{grant.Tenant}\"); ask the supplier for other simulations.");
        }

        if (!File.Exists(Path.Combine(folder.Directory, "model", "model.json")) || !folder.Has("trail/object_balances"))
        {
            return Problem(StatusCodes.Status404NotFound, "Not Found", $"Run {run.RunId} cannot be simulated from: it has no model snapshot (published by an engine before 0.1).");
        }

        using var slot = await gate.EnterAsync(http.RequestAborted);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "1";
            return Problem(StatusCodes.Status429TooManyRequests, "Too Many Requests", "Every simulation slot and the queue are busy; try again in a moment.");
        }

        SimulationResult result;
        IReadOnlyList<BridgeLine> lines;
        try
        {
            (result, lines) = Simulation.Lines(folder, changes, tenant: null, settings.Engine, http.RequestAborted);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad Request", e.Message.Replace(folder.Directory, "run " + run.RunId, StringComparison.Ordinal));
        }

        if (grant.SeesAllTenants)
        {
            return TypedResults.Ok(new SimulationResponse(result.Run, Changed(result), lines, Totals(lines), null,
                new SimulationUnallocated(Kronor(result.UnallocatedFrom), Kronor(result.UnallocatedTo))));
        }

        var tenant = grant.Tenant!;
        if (Undisclosable(folder, result.Run, changes, lines, tenant) is { Count: > 0 } shared)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad Request", string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", shared.Select(s => $"'{s}'"))} {(shared.Count == 1 ? "is" : "are")} shared by too few tenants for its cost to be shown (fewer than {Disclosure.MinimumTenants}, or the rest of a figure that is shown), so a simulation of your volume would disclose what the others pay; ask the supplier for this simulation"));
        }

        // A unit price is a figure of the whole service: shown to a tenant only where the policy shows the service
        // (both sides are the run's period: a tenant simulates its own volumes only).
        var own = FeeBridge.ForTenantReader([.. lines.Where(l => l.Tenant == tenant)], folder, result.Run, folder, result.Run);
        var others = lines.Where(l => l.Tenant != tenant).GroupBy(l => l.Tenant).ToList();
        var othersChange = others.Sum(g => g.Sum(l => l.Change));
        return TypedResults.Ok(new SimulationResponse(result.Run, Changed(result), own, Totals(own),
            new SimulationOthers(others.Count, Disclosure.MayShowAggregate(others.Count) ? othersChange : null), null));
    }

    /// <summary>
    /// The services of the keys a tenant changed whose units and cost the policy hides from tenants in the period while
    /// another tenant uses them: the tenant's fee before and after would tell it what the others pay.
    /// </summary>
    private static List<string> Undisclosable(ItDrift.Tbm.Runs.RunFolder folder, BridgeEnd period, SimulationChanges changes, IReadOnlyList<BridgeLine> lines, string tenant)
    {
        var keys = changes.Changes.OfType<VolumeChange>().Select(v => v.Driver).ToHashSet(StringComparer.Ordinal);
        var services = folder.Rules.Values.Where(r => r.Driver is not null && keys.Contains(r.Driver)).Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        return [.. services
            .Where(s => lines.Any(l => l.Service == s && l.Tenant != tenant) && !folder.Disclosure.IsVisible(period.FiscalYear, period.Scenario, s))
            .Order(StringComparer.Ordinal)];
    }

    private static List<SimulatedChangeItem> Changed(SimulationResult result) =>
        [.. result.Changes.Select(c => new SimulatedChangeItem(c.Path, c.Type, Kronor(c.CostChange)))];

    private static SimulationTotals Totals(IReadOnlyCollection<BridgeLine> lines) =>
        new(lines.Sum(l => l.FeeFrom), lines.Sum(l => l.FeeTo), lines.Sum(l => l.Change), lines.Sum(l => l.VolumeEffect), lines.Sum(l => l.PriceEffect));

    private static decimal Kronor(long ore) => Tables.RunTables.Money(ore / 100m);

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
