using System.Globalization;
using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Exports;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Explain;
using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Workbooks;
using Microsoft.AspNetCore.Http.HttpResults;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>One service's fee in a period, with the price list's unit price and volume where the tenant may see them.</summary>
internal sealed record FeeLine(int FiscalYear, string Scenario, string Service, string ServiceName, decimal Fee, decimal? UnitPrice, decimal? Units, bool Priced);

/// <summary>
/// A tenant's pages (also open to the supplier's staff, the coordinator and ESV, as the API's tenant routes are):
/// its fees per service and year, a fee's explanation, the quote form and the fee-specification workbook.
/// </summary>
internal static class TenantPages
{
    public static void MapTenantPages(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}", Fees);
        run.MapGet("/tenants/{tenantId}/fees/{serviceId}/explain", Explain);
        run.MapPost("/tenants/{tenantId}/quote", Quote);
        run.MapGet("/tenants/{tenantId}/fees/export.xlsx", (Func<HttpContext, Task<IResult>>)(http =>
            ExportEndpoints.Workbook(http, new WorkbookRequest(WorkbookKind.FeeSpecification, RunAccessFilter.Scope(http).Tenant, null, RunAccessFilter.Scope(http).TenantReader))));
    }

    /// <summary>
    /// The tenant's fees per period and service, from the API's fee table as this caller may read it, with the
    /// price list's unit price and volume (the volume withheld from a tenant where the disclosure policy hides it).
    /// </summary>
    internal static List<FeeLine> Lines(RunScope scope, RunTables tables)
    {
        var folder = scope.Run.Folder;
        var all = new TableFilter(null, null, null, null, null);
        var fees = tables.Page(scope, TableSpec.Fees, all, 1, RunTables.MaxPageSize,
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(3), Amount: RunTables.Money(r.GetDecimal(5))));
        var prices = tables.Page(scope, TableSpec.Prices, all, 1, RunTables.MaxPageSize,
                r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(2), Units: r.IsDBNull(3) ? (decimal?)null : RunTables.Quantity(r.GetDecimal(3)), UnitPrice: RunTables.Money(r.GetDecimal(5))))
            .ToDictionary(p => (p.Year, p.Scenario, p.Service));
        return [.. fees.GroupBy(f => (f.Year, f.Scenario, f.Service))
            .Select(g =>
            {
                var priced = prices.TryGetValue(g.Key, out var price);
                return new FeeLine(g.Key.Year, g.Key.Scenario, g.Key.Service, folder.Object(g.Key.Service).Name, g.Sum(f => f.Amount),
                    priced ? price.UnitPrice : null, priced ? price.Units : null, priced);
            })
            .OrderByDescending(l => l.FiscalYear).ThenBy(l => ScenarioOrder(l.Scenario)).ThenBy(l => l.ServiceName, StringComparer.Ordinal)];
    }

    /// <summary>Actual before forecast before budget: the best-known figure first (as the explainer's default).</summary>
    private static int ScenarioOrder(string scenario) => scenario switch { "actual" => 0, "forecast" => 1, "budget" => 2, _ => 3 };

    private static IResult Fees(HttpContext http, RunTables tables, PortalCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        var tenant = scope.Run.Folder.Tenant(scope.Tenant!);
        var baseUrl = $"/portal/runs/{U(scope.Run.RunId)}/tenants/{U(tenant.Id)}";

        // The figures are the run's (immutable) for this tenant and this kind of reader: rendered once; the quote form holds this request's token.
        var figures = cache.Utf8("tenant-fees", scope.Run, $"{tenant.Id}\n{scope.TenantReader}", () => FeesBody(scope, tables, baseUrl));
        return Page(http, $"Avgifter för {tenant.Name}", "", figures, QuoteForm(http, scope, tables, cache, baseUrl, input: null));
    }

    /// <summary>The tenant page's figures: fees per service and year with their charts and the fee over years, and the true-up.</summary>
    private static string FeesBody(RunScope scope, RunTables tables, string baseUrl)
    {
        var folder = scope.Run.Folder;
        var tenant = folder.Tenant(scope.Tenant!);
        var lines = Lines(scope, tables);
        var body = new StringBuilder();
        body.Append("<p>Leverantör: ").Append(E(folder.SupplierName)).Append(" · körning ").Append(E(scope.Run.RunId))
            .Append(", publicerad ").Append(Time(scope.Run.Published.PublishedAt)).Append(tenant.OrgNr is { } org ? " · organisationsnummer " + E(org) : "").Append("</p>\n")
            .Append("<p><a href=\"").Append(baseUrl).Append("/fees/export.xlsx\" download>Ladda ner avgiftsspecifikationen (Excel)</a> · <a href=\"").Append(baseUrl).Append("/avgiftsforandring\">Avgiftsförändring: varför avgiften ändrats mot förra året</a> · <a href=\"").Append(baseUrl).Append("/fakturaunderlag\">Fakturaunderlag: vad som faktureras när</a></p>\n");

        if (lines.Count == 0)
        {
            body.Append("<p>Körningen har inga avgifter för er.</p>\n");
        }
        else
        {
            var first = lines[0];
            var chart = lines.Where(l => l.FiscalYear == first.FiscalYear && l.Scenario == first.Scenario).ToList();
            body.Append("<h2>Avgift per tjänst ").Append(Int(first.FiscalYear)).Append(" (").Append(E(Scenario(first.Scenario).ToLowerInvariant())).Append(")</h2>\n")
                .Append(Chart.Bars("chart-services", chart.Select(l => (l.ServiceName, l.Fee)).ToList(), $"Avgift per tjänst {Int(first.FiscalYear)}, {Scenario(first.Scenario).ToLowerInvariant()}"));
            foreach (var period in lines.GroupBy(l => (l.FiscalYear, l.Scenario)))
            {
                var (year, scenario) = period.Key;
                var caption = $"Avgifter {Int(year)}, {Scenario(scenario).ToLowerInvariant()}";
                body.Append("<table class=\"fees\" data-year=\"").Append(Int(year)).Append("\" data-scenario=\"").Append(E(scenario)).Append("\">\n<caption>").Append(E(caption)).Append("</caption>\n")
                    .Append("<thead><tr><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Avgift</th><th scope=\"col\" class=\"n\">Styckpris</th><th scope=\"col\" class=\"n\">Tjänstens volym (alla kunder)</th><th scope=\"col\">Förklaring</th></tr></thead>\n<tbody>\n");
                foreach (var line in period)
                {
                    body.Append("<tr data-service=\"").Append(E(line.Service)).Append("\"><th scope=\"row\">").Append(E(line.ServiceName)).Append("</th><td class=\"n fee\">").Append(Kr(line.Fee))
                        .Append("</td><td class=\"n\">").Append(line.UnitPrice is { } p ? Kr(p) : "–")
                        .Append("</td><td class=\"n\">").Append(!line.Priced ? "–" : line.Units is { } u ? Num(u) : Withheld)
                        .Append("</td><td><a href=\"").Append(baseUrl).Append("/fees/").Append(U(line.Service)).Append("/explain?fiscalYear=").Append(Int(year)).Append("&amp;scenario=").Append(U(scenario))
                        .Append("\">Hur avgiften för ").Append(E(line.ServiceName)).Append(" uppstod<span class=\"sr\"> ").Append(Int(year)).Append("</span></a></td></tr>\n");
                }

                body.Append("</tbody>\n<tfoot><tr><th scope=\"row\">Summa</th><td class=\"n total\">").Append(Kr(period.Sum(l => l.Fee))).Append("</td><td colspan=\"3\"></td></tr></tfoot>\n</table>\n");
            }

            body.Append(FeeOverYears(lines));
        }

        return body.Append(TrueUp(scope, tables)).Append(ExpectedTrueUp(scope, tables)).ToString();
    }

    /// <summary>
    /// The true-up to expect for a year not yet settled (the API's <c>trueup_expected</c>): the fee its forecast (else its
    /// budget) gives against what was invoiced, per service, with the year's sum.
    /// </summary>
    private static string ExpectedTrueUp(RunScope scope, RunTables tables)
    {
        if (!scope.Run.Folder.Has(TableSpec.TrueUpExpected.Name))
        {
            return "";
        }

        var rows = tables.Page(scope, TableSpec.TrueUpExpected, new TableFilter(null, null, null, null, null), 1, RunTables.MaxPageSize,
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(3), Expected: RunTables.Money(r.GetDecimal(4)), Invoiced: RunTables.Money(r.GetDecimal(5)), TrueUp: RunTables.Money(r.GetDecimal(6))));
        if (rows.Count == 0)
        {
            return "";
        }

        var body = new StringBuilder();
        body.Append("<h2>Väntad avräkning för år som inte är avslutade</h2>\n<p>Avgiften enligt prognosen (budgeten när prognos saknas) mot det som fakturerats hittills. Ett positivt belopp väntas faktureras i efterhand, ett negativt betalas tillbaka. Den slutliga avräkningen görs på utfallet.</p>\n")
            .Append("<table id=\"trueup-expected\">\n<caption>Väntad avräkning per tjänst och år</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Väntad avgift</th><th scope=\"col\" class=\"n\">Fakturerat</th><th scope=\"col\" class=\"n\">Väntad avräkning</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            body.Append("<tr><td>").Append(Int(row.Year)).Append(" (").Append(E(Scenario(row.Scenario).ToLowerInvariant())).Append(")</td><th scope=\"row\">").Append(E(scope.Run.Folder.Object(row.Service).Name))
                .Append("</th><td class=\"n\">").Append(Kr(row.Expected)).Append("</td><td class=\"n\">").Append(Kr(row.Invoiced)).Append("</td><td class=\"n trueup\">").Append(Kr(row.TrueUp)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"4\">Summa</th><td class=\"n total\">").Append(Kr(rows.Sum(r => r.TrueUp))).Append("</td></tr></tfoot>\n</table>\n");
        return body.ToString();
    }

    /// <summary>
    /// The tenant's whole fee per year, each year in its best-known scenario (actual, else forecast, else
    /// budget): a column chart and the same figures as a table.
    /// </summary>
    internal static List<(int Year, string Scenario, decimal Fee)> Years(IEnumerable<FeeLine> lines) =>
        [.. lines.GroupBy(l => l.FiscalYear).OrderBy(g => g.Key).Select(g =>
        {
            var best = g.MinBy(l => ScenarioOrder(l.Scenario))!.Scenario;
            return (g.Key, best, g.Where(l => l.Scenario == best).Sum(l => l.Fee));
        })];

    private static string FeeOverYears(IEnumerable<FeeLine> lines)
    {
        var years = Years(lines);
        var body = new StringBuilder();
        body.Append("<h2 id=\"over-years\">Avgift över år</h2>\n<p>Hela avgiften per år, varje år med det bäst kända värdet: utfall, annars prognos, annars budget.</p>\n")
            .Append(Chart.Columns("chart-years", [.. years.Select(y => ($"{Int(y.Year)}", y.Fee))], "Avgift per år",
                string.Join("; ", years.Select(y => $"{Int(y.Year)} ({Scenario(y.Scenario).ToLowerInvariant()}): {Kr(y.Fee)}"))))
            .Append("<table id=\"fee-years\">\n<caption>Avgift per år</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Avser</th><th scope=\"col\" class=\"n\">Avgift</th></tr></thead>\n<tbody>\n");
        foreach (var (year, scenario, fee) in years)
        {
            body.Append("<tr data-year=\"").Append(Int(year)).Append("\" data-scenario=\"").Append(E(scenario)).Append("\"><th scope=\"row\">").Append(Int(year)).Append("</th><td>")
                .Append(E(Scenario(scenario))).Append("</td><td class=\"n fee\">").Append(Kr(fee)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        return body.ToString();
    }

    /// <summary>The final fee against what was invoiced, per service, from the API's true-up table (when the model had invoiced fees).</summary>
    private static string TrueUp(RunScope scope, RunTables tables)
    {
        if (!scope.Run.Folder.Has(TableSpec.TrueUp.Name))
        {
            return "";
        }

        var rows = tables.Page(scope, TableSpec.TrueUp, new TableFilter(null, null, null, null, null), 1, RunTables.MaxPageSize,
            r => (Year: r.GetInt32(0), Service: r.GetString(2), Final: RunTables.Money(r.GetDecimal(3)), Invoiced: RunTables.Money(r.GetDecimal(4)), TrueUp: RunTables.Money(r.GetDecimal(5))));
        if (rows.Count == 0)
        {
            return "";
        }

        var body = new StringBuilder();
        body.Append("<h2>Avräkning: slutlig avgift mot fakturerat</h2>\n<p>Ett positivt belopp faktureras i efterhand, ett negativt betalas tillbaka.</p>\n<table id=\"trueup\">\n<caption>Avräkning per tjänst och år</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Slutlig avgift</th><th scope=\"col\" class=\"n\">Fakturerat</th><th scope=\"col\" class=\"n\">Avräkning</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            body.Append("<tr><td>").Append(Int(row.Year)).Append("</td><th scope=\"row\">").Append(E(scope.Run.Folder.Object(row.Service).Name)).Append("</th><td class=\"n\">").Append(Kr(row.Final))
                .Append("</td><td class=\"n\">").Append(Kr(row.Invoiced)).Append("</td><td class=\"n trueup\">").Append(Kr(row.TrueUp)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        return body.ToString();
    }

    /// <summary>The services a quote may name: those of the run's price list.</summary>
    private static List<(string Service, string Name, string? Unit)> QuotableServices(RunScope scope, RunTables tables, PortalCache cache) => QuoteView.Services(scope, tables, cache);

    private static string QuoteForm(HttpContext http, RunScope scope, RunTables tables, PortalCache cache, string baseUrl, QuoteInput? input) =>
        "<h2 id=\"offert\">Offert: vad skulle en ändrad beställning kosta?</h2>\n<p>Ange antal per tjänst (i tjänstens enhet). Ett tomt fält lämnar tjänsten som den är, 0 avbeställer den.</p>\n"
        + QuoteView.Form(http, baseUrl + "/quote", QuotableServices(scope, tables, cache), input, askName: false);

    private static async Task<IResult> Quote(HttpContext http, RunTables tables, QuoteGate gate, QuoteSettings settings, PortalCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var tenant = folder.Tenant(scope.Tenant!);
        var baseUrl = $"/portal/runs/{U(scope.Run.RunId)}/tenants/{U(tenant.Id)}";
        if (!await PortalEndpoints.ValidAsync(http))
        {
            return Page(http, "Offert", "<p class=\"error\" role=\"alert\">Formuläret hade gått ut. <a href=\"" + baseUrl + "#offert\">Försök igen</a>.</p>", StatusCodes.Status400BadRequest);
        }

        var input = await QuoteView.ReadAsync(http, QuotableServices(scope, tables, cache), askName: false);
        var body = new StringBuilder();
        var status = StatusCodes.Status400BadRequest;
        if (input.Errors.Count == 0)
        {
            // The API's quote, under the same access scope: a tenant quotes for itself and sees only its own lines and aggregates of the others.
            var answer = await QuoteEndpoints.DecideAsync(http, new QuoteOrder(tenant.Id, tenant.Name, input.EmployeeCount, tenant.OrgNr, input.Quantities), gate, settings, tables);
            if (answer.Quote is { } quote)
            {
                body.Append(QuoteView.Result(quote));
                status = StatusCodes.Status200OK;
            }
            else
            {
                input.Errors.Add(QuoteView.Swedish(answer.Refusal!, folder));
                status = answer.Refusal!.Status;
            }
        }

        if (input.Errors.Count > 0)
        {
            body.Insert(0, QuoteView.Errors(input.Errors));
        }

        body.Append(QuoteForm(http, scope, tables, cache, baseUrl, input))
            .Append("<p><a href=\"").Append(baseUrl).Append("\">Tillbaka till avgifterna</a></p>\n");
        return Page(http, $"Offert för {tenant.Name}", body.ToString(), status);
    }

    private static IResult Explain(HttpContext http, string serviceId, RunTables tables, int? fiscalYear, string? scenario)
    {
        var scope = RunAccessFilter.Scope(http);
        var explanation = Ids.IsId(serviceId)
            ? FeeExplainer.Explain(scope.Run.Folder, tables.Of(scope.Run), scope.Tenant!, serviceId, fiscalYear, scenario, scope.TenantReader)
            : null;
        if (explanation is null)
        {
            return Html.NotFound(http);
        }

        var x = explanation;
        var baseUrl = $"/portal/runs/{U(scope.Run.RunId)}/tenants/{U(scope.Tenant!)}";
        var body = new StringBuilder();
        body.Append("<p>Avgift ").Append(Int(x.FiscalYear)).Append(" (").Append(E(Scenario(x.Scenario).ToLowerInvariant())).Append("): <strong>").Append(Kr(x.Amount))
            .Append("</strong>. Tjänsten debiterades ").Append(Int(x.TenantsOfService)).Append(x.TenantsOfService == 1 ? " kund" : " kunder").Append(" under perioden.</p>\n")
            .Append("<table id=\"pools\">\n<caption>Avgiften per kostnadspool</caption>\n<thead><tr><th scope=\"col\">Kostnadspool</th><th scope=\"col\" class=\"n\">Belopp</th></tr></thead>\n<tbody>\n");
        foreach (var pool in x.ByCostPool)
        {
            body.Append("<tr><th scope=\"row\">").Append(E(pool.CostPool)).Append("</th><td class=\"n\">").Append(Kr(pool.Amount)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n<table>\n<caption>Fördelningssteg som förde pengar till avgiften</caption>\n<thead><tr><th scope=\"col\">Steg</th><th scope=\"col\">Från</th><th scope=\"col\">Till</th><th scope=\"col\">Metod</th><th scope=\"col\">Kostnadspool</th><th scope=\"col\" class=\"n\">Fördelat</th><th scope=\"col\" class=\"n\">Andel</th><th scope=\"col\" class=\"n\">Del av avgiften</th></tr></thead>\n<tbody>\n");
        foreach (var step in x.Steps)
        {
            body.Append("<tr><td>").Append(step.Step is { } s ? Int(s) : "–").Append("</td><td>").Append(E(step.SourceName)).Append("</td><td>").Append(E(step.TargetName)).Append("</td><td>")
                .Append(E(Method(step.Method, step.Driver))).Append("</td><td>").Append(E(step.CostPool)).Append("</td><td class=\"n\">").Append(step.Delivered is { } d ? Kr(d) : Withheld)
                .Append("</td><td class=\"n\">").Append(step.Share is { } sh ? Percent(sh) : Withheld).Append("</td><td class=\"n\">").Append(Kr(step.AmountInFee)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n<table>\n<caption>Varifrån pengarna kom: konton och kostnadsställen</caption>\n<thead><tr><th scope=\"col\">Objekt</th><th scope=\"col\">Kostnadspool</th><th scope=\"col\">Konto</th><th scope=\"col\">Kostnadsställe</th><th scope=\"col\" class=\"n\">Bokfört belopp</th><th scope=\"col\" class=\"n\">Del av avgiften</th></tr></thead>\n<tbody>\n");
        foreach (var origin in x.Origins)
        {
            body.Append("<tr><td>").Append(E(origin.ObjectName)).Append("</td><td>").Append(E(origin.CostPool)).Append("</td><td>").Append(Int(origin.Account)).Append("</td><td>").Append(E(origin.CostCenter))
                .Append("</td><td class=\"n\">").Append(origin.LedgerAmount is { } l ? Kr(l) : Withheld).Append("</td><td class=\"n\">").Append(Kr(origin.Amount)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n<p>Belopp som visas ej gäller objekt som för få kunder delar: de skulle avslöja vad andra myndigheter betalar.</p>\n")
            .Append("<p><a href=\"").Append(baseUrl).Append("\">Tillbaka till avgifterna</a></p>\n");
        return Page(http, $"Så uppstod avgiften för {x.ServiceName}", body.ToString());
    }

    private static string Method(string? method, string? driver) => method switch
    {
        "driver" => driver is null ? "fördelningsnyckel" : $"fördelningsnyckel {driver}",
        "even" => "lika delar",
        "fixed" => "fasta andelar",
        "direct" => "direkt",
        null => "–",
        _ => method,
    };
}

/// <summary>Charts as inline SVG, drawn on the server: no script, no library, readable without colour; each with a title, a description of its figures, and a table of the same figures beside it.</summary>
internal static class Chart
{
    /// <summary>Horizontal bars, one per label (fees by service).</summary>
    public static string Bars(string id, IReadOnlyList<(string Label, decimal Value)> bars, string title)
    {
        const int Row = 28, Label = 220, Width = 720, Value = 150;
        var max = bars.Count == 0 ? 0m : bars.Max(b => Math.Abs(b.Value));
        var height = Math.Max(1, bars.Count) * Row + 10;
        var svg = new StringBuilder();
        Open(svg, id, Width, height, title, string.Join("; ", bars.Select(b => b.Label + " " + Html.Kr(b.Value))));
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var length = max == 0 ? 0 : (int)Math.Round(Math.Abs(value) / max * (Width - Label - Value - 10), MidpointRounding.AwayFromZero);
            var y = i * Row + 5;
            svg.Append("<text x=\"0\" y=\"").Append(Html.Int(y + 18)).Append("\">").Append(Html.E(label.Length > 30 ? label[..29] + "…" : label)).Append("</text>")
                .Append("<rect x=\"").Append(Html.Int(Label)).Append("\" y=\"").Append(Html.Int(y + 4)).Append("\" width=\"").Append(Html.Int(Math.Max(length, 1))).Append("\" height=\"18\"></rect>")
                .Append("<text x=\"").Append(Html.Int(Label + length + 6)).Append("\" y=\"").Append(Html.Int(y + 18)).Append("\">").Append(Html.E(Html.Kr(value))).Append("</text>\n");
        }

        return Close(svg, title, "samma belopp finns i tabellen nedan");
    }

    /// <summary>Vertical columns, one per year (the fee over years); a negative value is drawn by its size, and its label says the sign.</summary>
    public static string Columns(string id, IReadOnlyList<(string Label, decimal Value)> columns, string title, string description)
    {
        const int Column = 90, Top = 24, Plot = 200, Bottom = 28;
        var width = Math.Max(1, columns.Count) * Column + 20;
        var height = Top + Plot + Bottom;
        var max = columns.Count == 0 ? 0m : columns.Max(c => Math.Abs(c.Value));
        var svg = new StringBuilder();
        Open(svg, id, width, height, title, description);
        svg.Append("<line x1=\"0\" y1=\"").Append(Html.Int(Top + Plot)).Append("\" x2=\"").Append(Html.Int(width)).Append("\" y2=\"").Append(Html.Int(Top + Plot)).Append("\" stroke=\"#1a1a1a\"></line>\n");
        for (var i = 0; i < columns.Count; i++)
        {
            var (label, value) = columns[i];
            var size = max == 0 ? 0 : (int)Math.Round(Math.Abs(value) / max * Plot, MidpointRounding.AwayFromZero);
            var x = 10 + i * Column;
            var centre = x + (Column - 10) / 2;
            svg.Append("<rect x=\"").Append(Html.Int(x + 10)).Append("\" y=\"").Append(Html.Int(Top + Plot - Math.Max(size, 1))).Append("\" width=\"").Append(Html.Int(Column - 30))
                .Append("\" height=\"").Append(Html.Int(Math.Max(size, 1))).Append("\"></rect>")
                .Append("<text text-anchor=\"middle\" x=\"").Append(Html.Int(centre)).Append("\" y=\"").Append(Html.Int(Top + Plot - Math.Max(size, 1) - 6)).Append("\">").Append(Html.E(Thousands(value))).Append("</text>")
                .Append("<text text-anchor=\"middle\" x=\"").Append(Html.Int(centre)).Append("\" y=\"").Append(Html.Int(Top + Plot + 20)).Append("\">").Append(Html.E(label)).Append("</text>\n");
        }

        return Close(svg, title, "samma belopp finns i tabellen nedan");
    }

    /// <summary>A column's label: whole kronor, or thousands (<c>1 234 tkr</c>) when it would not fit.</summary>
    private static string Thousands(decimal value) =>
        Math.Abs(value) >= 100_000m ? Math.Round(value / 1000m, MidpointRounding.AwayFromZero).ToString("#,##0", Html.Swedish) + "\u00a0tkr" : Math.Round(value, MidpointRounding.AwayFromZero).ToString("#,##0", Html.Swedish) + "\u00a0kr";

    private static void Open(StringBuilder svg, string id, int width, int height, string title, string description) =>
        svg.Append("<figure>\n<svg class=\"chart\" id=\"").Append(Html.E(id)).Append("\" role=\"img\" aria-labelledby=\"").Append(Html.E(id)).Append("-title\" aria-describedby=\"").Append(Html.E(id)).Append("-desc\" width=\"")
            .Append(Html.Int(width)).Append("\" height=\"").Append(Html.Int(height)).Append("\" viewBox=\"0 0 ").Append(Html.Int(width)).Append(' ').Append(Html.Int(height))
            .Append("\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"").Append(Html.E(id)).Append("-title\">").Append(Html.E(title)).Append("</title>\n<desc id=\"").Append(Html.E(id)).Append("-desc\">")
            .Append(Html.E(description)).Append("</desc>\n");

    private static string Close(StringBuilder svg, string title, string note) =>
        svg.Append("</svg>\n<figcaption>").Append(Html.E(title)).Append(" (").Append(Html.E(note)).Append(")</figcaption>\n</figure>\n").ToString();
}
