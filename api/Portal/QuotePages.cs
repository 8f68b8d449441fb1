using System.Globalization;
using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Runs;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// The quote on every page that has one (a tenant's changed order, a prospect's joining): the form, its
/// reading, the answer with the connection cost and the instalment plan, and the API's refusals said in Swedish.
/// </summary>
internal static class QuoteView
{
    /// <summary>The fee models of instalment lines in a quote (docs/fees.md, "Instalments"): not allocated cost but a plan.</summary>
    private static bool IsInstalment(string feeModel) => feeModel is "connection" or "asset";

    /// <summary>The services a quote may name: those of the run's price list (ids, names and units only).</summary>
    public static List<(string Service, string Name, string? Unit)> Services(RunScope scope, RunTables tables, PortalCache cache) =>
        cache.Get("quote-services", scope.Run, scope.TenantReader ? "tenant" : "all", () => ServicesOf(scope, tables), l => 64L * (l.Count + 1));

    private static List<(string Service, string Name, string? Unit)> ServicesOf(RunScope scope, RunTables tables) =>
        [.. tables.Page(scope, TableSpec.Prices, new TableFilter(null, null, null, null, null), 1, RunTables.MaxPageSize, r => r.GetString(2))
            .Distinct(StringComparer.Ordinal).Select(s => scope.Run.Folder.Object(s)).Select(o => (o.Id, o.Name, o.Unit)).OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>The quote form: a quantity per service, the number of employees, and for a prospect its name.</summary>
    public static string Form(HttpContext http, string action, IReadOnlyList<(string Service, string Name, string? Unit)> services, QuoteInput? input, bool askName)
    {
        var body = new StringBuilder();
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">").Append(Antiforgery(http)).Append('\n');
        if (askName)
        {
            body.Append("<p><label for=\"name\">Myndighetens namn</label> <input id=\"name\" name=\"name\" type=\"text\" autocomplete=\"organization\" required maxlength=\"200\" value=\"")
                .Append(E(input?.Name)).Append("\"></p>\n");
        }

        body.Append("<fieldset>\n<legend>Tjänster och antal</legend>\n");
        foreach (var (service, name, unit) in services)
        {
            var id = "q-" + service;
            body.Append("<p><label for=\"").Append(E(id)).Append("\">").Append(E(name)).Append(unit is { Length: > 0 } ? " (antal " + E(unit) + ")" : "").Append("</label> <input id=\"").Append(E(id)).Append("\" name=\"").Append(E(id))
                .Append("\" type=\"text\" inputmode=\"decimal\" size=\"10\" value=\"").Append(E(input?.Given.GetValueOrDefault(service))).Append("\"></p>\n");
        }

        body.Append("</fieldset>\n<p><label for=\"employees\">Antal anställda hos er</label> <input id=\"employees\" name=\"employees\" type=\"number\" min=\"0\" required value=\"")
            .Append(E(input?.Employees)).Append("\"></p>\n<p><button type=\"submit\">Räkna fram offert</button></p>\n</form>\n");
        return body.ToString();
    }

    /// <summary>The form as it was filled in, and what is wrong with it (in Swedish), before anything is quoted.</summary>
    public static async Task<QuoteInput> ReadAsync(HttpContext http, IReadOnlyList<(string Service, string Name, string? Unit)> services, bool askName)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var input = new QuoteInput(form["name"].ToString().Trim(), form["employees"].ToString().Trim());
        foreach (var (service, name, _) in services)
        {
            var text = form["q-" + service].ToString().Trim();
            if (text.Length == 0)
            {
                continue;
            }

            input.Given[service] = text;
            if (decimal.TryParse(text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace(',', '.'),
                    NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quantity))
            {
                input.Quantities[service] = quantity;
            }
            else
            {
                input.Errors.Add($"Antalet för {name} är inte ett tal ≥ 0: ”{text}”.");
            }
        }

        if (askName && input.Name.Length == 0)
        {
            input.Errors.Add("Ange myndighetens namn.");
        }

        if (!int.TryParse(input.Employees, NumberStyles.None, CultureInfo.InvariantCulture, out var employees) || employees > QuoteOrderJson.MaxEmployees)
        {
            input.Errors.Add("Antal anställda måste vara ett heltal från 0.");
        }
        else
        {
            input.EmployeeCount = employees;
        }

        if (input.Quantities.Count == 0 && input.Errors.Count == 0)
        {
            input.Errors.Add("Ange antal för minst en tjänst.");
        }

        return input;
    }

    /// <summary>Errors as the portal shows them: announced, in a list.</summary>
    public static string Errors(IEnumerable<string> errors) =>
        "<div class=\"error\" role=\"alert\" id=\"quote-error\"><ul>" + string.Concat(errors.Select(e => "<li>" + E(e) + "</li>")) + "</ul></div>\n";

    /// <summary>
    /// A refusal of the API's quote in Swedish, from the refusal's reason and services and the engine's reason
    /// (never from the English text): what the API would answer, said for the portal's reader.
    /// </summary>
    public static string Swedish(QuoteRefusal refusal, RunFolder folder)
    {
        string Names(IEnumerable<string> services) => Join([.. services.Select(s => folder.Object(s).Name)]);
        var service = refusal.Engine?.Service is { } s ? folder.Object(s).Name : null;
        return refusal.Reason switch
        {
            QuoteRefusalKind.Undisclosable => $"{Names(refusal.Services)} {(refusal.Services.Count == 1 ? "delas" : "delas var och en")} av för få kunder för att kostnaden ska få visas (färre än {Int(Disclosure.MinimumTenants)}), så en offert skulle avslöja vad andra myndigheter betalar. Be leverantören om den här offerten.",
            QuoteRefusalKind.Busy => "Alla offertplatser är upptagna just nu. Försök igen om en stund.",
            QuoteRefusalKind.NoSnapshot => "Den här körningen kan inte ge offerter: den publicerades av en äldre version av motorn, utan kopia av modellen.",
            QuoteRefusalKind.NotOwnTenant => "En kundmyndighet kan bara begära offert för sig själv.",
            _ => refusal.Engine?.Reason switch
            {
                QuoteRefusalReason.UnknownService => $"{service} har ingen fördelningsregel i körningen och kan inte beställas.",
                QuoteRefusalReason.NotKeyed => $"{service} fördelas inte efter en nyckel ({Method(refusal.Engine.Method)}), så den kan inte beställas i antal.",
                QuoteRefusalReason.ChargesObjects => $"{service} fördelas på andra objekt, inte på kunder, så den kan inte beställas: beställ de tjänster den går vidare till.",
                QuoteRefusalReason.Quantity => $"Antalet för {service} måste vara mellan 0 och {Num(1_000_000_000_000m)} med högst sex decimaler.",
                QuoteRefusalReason.TenantIdIsObject => "Er kund-id är samma som ett objekt i leverantörens modell. Be leverantören om en annan nyckel.",
                QuoteRefusalReason.FromYear => "Offertens första år är inte ett avgiftsår i körningen.",
                QuoteRefusalReason.NoCostLines => "Körningen har inga kostnader att räkna en offert på.",
                QuoteRefusalReason.Order => "Beställningen kunde inte tas emot: kontrollera namn, antal anställda och antalen.",
                _ => "Offerten kunde inte räknas fram.",
            },
        };
    }

    private static string Method(string? method) => method switch
    {
        "even" => "lika delar",
        "fixed" => "fasta andelar",
        "direct" => "direkt",
        _ => method ?? "ingen nyckel",
    };

    /// <summary><c>A</c>, <c>A och B</c>, <c>A, B och C</c>.</summary>
    private static string Join(IReadOnlyList<string> names) => names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " och " + names[^1];

    /// <summary>
    /// The quote as the API answered it for this caller: the fee per year, the connection cost, the instalment
    /// plan, the fee per service and year, and the other tenants as the caller may see them.
    /// </summary>
    public static string Result(QuoteResponse quote)
    {
        var body = new StringBuilder();
        var existing = quote.ExistingTenant;
        body.Append("<h2 id=\"quote-result\">Avgift per år</h2>\n<table id=\"quote-totals\">\n<caption>").Append(existing ? "Er avgift per år efter beställningen" : "Er avgift per år om ni ansluter")
            .Append("</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\" class=\"n\">").Append(existing ? "Avgift efter" : "Avgift").Append("</th>");
        if (existing)
        {
            body.Append("<th scope=\"col\" class=\"n\">Avgift före</th>");
        }

        body.Append("</tr></thead>\n<tbody>\n");
        foreach (var total in quote.Totals)
        {
            body.Append("<tr><th scope=\"row\">").Append(Int(total.FiscalYear)).Append("</th><td class=\"n\">").Append(Kr(total.Fee)).Append("</td>");
            if (existing)
            {
                body.Append("<td class=\"n\">").Append(total.Previous is { } previous ? Kr(previous) : "–").Append("</td>");
            }

            body.Append("</tr>\n");
        }

        body.Append("</tbody>\n</table>\n<h2>Anslutningskostnad och avbetalningar</h2>\n<p id=\"connection\">Anslutningskostnad (engångs, för beställda tjänster som ni inte använder i dag): <strong>")
            .Append(Kr(quote.ConnectionCost)).Append("</strong></p>\n");

        var instalments = quote.Lines.Where(l => IsInstalment(l.FeeModel)).ToList();
        if (instalments.Count == 0)
        {
            body.Append("<p id=\"instalments\">Avbetalningsplan: inga avbetalningar (anslutningar eller tillgångar) ingår i offertens år.</p>\n");
        }
        else
        {
            body.Append("<table id=\"instalments\">\n<caption>Avbetalningsplan: belopp som betalas per år (jämnt fördelat per månad)</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Post</th><th scope=\"col\">Slag</th><th scope=\"col\" class=\"n\">Belopp</th></tr></thead>\n<tbody>\n");
            foreach (var line in instalments)
            {
                body.Append("<tr><td>").Append(Int(line.FiscalYear)).Append("</td><th scope=\"row\">").Append(E(line.ServiceName)).Append("</th><td>")
                    .Append(line.FeeModel == "connection" ? "anslutning" : "tillgång").Append("</td><td class=\"n\">").Append(Kr(line.Fee)).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">Summa avbetalningar</th><td class=\"n\">").Append(Kr(instalments.Sum(l => l.Fee))).Append("</td></tr></tfoot>\n</table>\n");
        }

        body.Append("<table id=\"quote-lines\">\n<caption>Avgift per tjänst och år</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Antal</th><th scope=\"col\" class=\"n\">Styckpris</th><th scope=\"col\" class=\"n\">Avgift</th></tr></thead>\n<tbody>\n");
        foreach (var line in quote.Lines.Where(l => !IsInstalment(l.FeeModel)))
        {
            body.Append("<tr><td>").Append(Int(line.FiscalYear)).Append("</td><th scope=\"row\">").Append(E(line.ServiceName)).Append("</th><td class=\"n\">").Append(Num(line.Quantity))
                .Append("</td><td class=\"n\">").Append(line.UnitPrice is { } p ? Kr(p) : "–").Append("</td><td class=\"n\">").Append(Kr(line.Fee)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n<table id=\"quote-others\">\n<caption>Övriga kunder</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\" class=\"n\">Antal kunder</th><th scope=\"col\" class=\"n\">Sammanlagd förändring av deras avgifter</th></tr></thead>\n<tbody>\n");
        foreach (var others in quote.Others)
        {
            body.Append("<tr><th scope=\"row\">").Append(Int(others.FiscalYear)).Append("</th><td class=\"n\">").Append(Int(others.Tenants)).Append("</td><td class=\"n\">")
                .Append(others.Change is { } c ? Kr(c) : Withheld).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        if (quote.Effects is { Count: > 0 } effects)
        {
            body.Append("<table>\n<caption>Påverkan per kund</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Kund</th><th scope=\"col\" class=\"n\">Före</th><th scope=\"col\" class=\"n\">Efter</th><th scope=\"col\" class=\"n\">Förändring</th></tr></thead>\n<tbody>\n");
            foreach (var effect in effects)
            {
                body.Append("<tr><td>").Append(Int(effect.FiscalYear)).Append("</td><th scope=\"row\">").Append(E(effect.TenantName)).Append("</th><td class=\"n\">").Append(Kr(effect.Before))
                    .Append("</td><td class=\"n\">").Append(Kr(effect.After)).Append("</td><td class=\"n\">").Append(Kr(effect.Change)).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n</table>\n");
        }

        return body.ToString();
    }
}

/// <summary>The quote form as filled in: the text of each field, the quantities that parsed, and what is wrong (Swedish).</summary>
internal sealed class QuoteInput(string name, string employees)
{
    public string Name { get; } = name;

    public string Employees { get; } = employees;

    public int EmployeeCount { get; set; }

    public Dictionary<string, string> Given { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, decimal> Quantities { get; } = new(StringComparer.Ordinal);

    public List<string> Errors { get; } = [];
}

/// <summary>
/// The page of a prospective tenant — an agency with a tenant key bound to the supplier, not yet a tenant of its
/// runs (<see cref="RunAccessFilter.Prospect"/>): what joining would cost. The API gives a prospect nothing but
/// its own quote, so neither does this page: the service catalogue to order from (names and units, no figure),
/// and the quote.
/// </summary>
internal static class ProspectPages
{
    public static void MapProspectPages(this RouteGroupBuilder run)
    {
        run.MapGet("/anslutning", Show).WithMetadata(new ProspectsMetadata());
        run.MapPost("/anslutning", Quote).WithMetadata(new ProspectsMetadata());
    }

    /// <summary>The path of a run's prospect page.</summary>
    public static string Path(string runId) => $"/portal/runs/{U(runId)}/anslutning";

    /// <summary>Only a prospect of the run has this page: a tenant of the run quotes on its own page, the staff on a tenant's.</summary>
    private static bool IsProspect(RunScope scope) => RunAccessFilter.Prospect(scope.Run, scope.Grant);

    /// <summary>The services one may order: those of the run's price list, by name and unit — what the order form needs, and no figure of anyone.</summary>
    private static List<(string Service, string Name, string? Unit)> Services(RunScope scope, RunTables tables, PortalCache cache) => QuoteView.Services(scope, tables, cache);

    private static IResult Show(HttpContext http, RunTables tables, PortalCache cache) => Render(http, tables, cache, input: null, result: null, StatusCodes.Status200OK);

    private static IResult Render(HttpContext http, RunTables tables, PortalCache cache, QuoteInput? input, string? result, int status)
    {
        var scope = RunAccessFilter.Scope(http);
        if (!IsProspect(scope))
        {
            return Html.NotFound(http);
        }

        var folder = scope.Run.Folder;
        var body = new StringBuilder();
        body.Append("<p>Leverantör: ").Append(E(folder.SupplierName)).Append(" · prislista från körning ").Append(E(scope.Run.RunId)).Append(", publicerad ").Append(Time(scope.Run.Published.PublishedAt)).Append(".</p>\n")
            .Append("<p>Ange hur mycket ni skulle använda av varje tjänst (i tjänstens enhet) och hur många anställda ni har. Offerten visar er avgift per år, anslutningskostnaden och avbetalningarna, räknat med leverantörens modell som om ni vore kund. Andra myndigheters avgifter visas inte, bara hur många de är och, när de är minst tre, hur mycket deras avgifter sammanlagt skulle ändras.</p>\n");
        if (input is { Errors.Count: > 0 })
        {
            body.Append(QuoteView.Errors(input.Errors));
        }

        body.Append(result)
            .Append("<h2 id=\"offert\">").Append(result is null ? "Begär en offert" : "Ändra offerten").Append("</h2>\n")
            .Append(QuoteView.Form(http, Path(scope.Run.RunId), Services(scope, tables, cache), input, askName: true));
        return Page(http, $"Vad skulle en anslutning till {folder.SupplierName} kosta?", body.ToString(), status);
    }

    private static async Task<IResult> Quote(HttpContext http, QuoteGate gate, QuoteSettings settings, RunTables tables, PortalCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        if (!IsProspect(scope))
        {
            return Html.NotFound(http);
        }

        if (!await PortalEndpoints.ValidAsync(http))
        {
            return Page(http, "Offert", "<p class=\"error\" role=\"alert\">Formuläret hade gått ut. <a href=\"" + Path(scope.Run.RunId) + "\">Försök igen</a>.</p>", StatusCodes.Status400BadRequest);
        }

        var input = await QuoteView.ReadAsync(http, Services(scope, tables, cache), askName: true);
        if (input.Errors.Count > 0)
        {
            return Render(http, tables, cache, input, result: null, StatusCodes.Status400BadRequest);
        }

        // The API's quote, under the same scope: a prospect quotes its own tenant id and sees its own lines and aggregates of the others.
        var answer = await QuoteEndpoints.DecideAsync(http, new QuoteOrder(scope.Grant.Tenant!, input.Name, input.EmployeeCount, null, input.Quantities), gate, settings, tables);
        if (answer.Refusal is { } refusal)
        {
            input.Errors.Add(QuoteView.Swedish(refusal, scope.Run.Folder));
            return Render(http, tables, cache, input, result: null, refusal.Status);
        }

        return Render(http, tables, cache, input, QuoteView.Result(answer.Quote!), StatusCodes.Status200OK);
    }
}
