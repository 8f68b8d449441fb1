using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Changes;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Workbooks;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// Avgiftsförändring: why a tenant's fee changed against last year (or another year, scenario or run of the same
/// supplier) — the volume and price effect per service, a waterfall drawn on the server as accessible SVG with its
/// figures also in a table, and the workbook to download. The engine's <see cref="FeeBridge"/> under the API's
/// scope and disclosure, as <c>GET /v1/runs/{runId}/tenants/{tenantId}/changes</c>.
/// </summary>
internal static class ChangePages
{
    public static void MapChangePages(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/avgiftsforandring", Changes);
        run.MapGet("/tenants/{tenantId}/avgiftsforandring.xlsx", ChangesWorkbookEndpoint.Workbook);
    }

    /// <summary>The page: by default this run's latest year (best-known scenario) against the year before in the same run.</summary>
    private static IResult Changes(HttpContext http, RunCatalog catalog, string? from, int? fromYear, string? fromScenario, int? fiscalYear, string? scenario)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var tenant = folder.Tenant(scope.Tenant!);
        var title = $"Avgiftsförändring för {tenant.Name}";
        if (ChangesEndpoints.Source(scope, catalog, from) is not { } source)
        {
            return Html.NotFound(http);
        }

        // Last year by default: the year before this run's latest, where the source run has it.
        var years = folder.FiscalYears;
        var toYear = fiscalYear ?? (years.Count > 0 ? years[^1] : 0);
        if (fromYear is null && from is null && fromScenario is null && source.Folder.FiscalYears.Contains(toYear - 1))
        {
            fromYear = toYear - 1;
        }

        var body = new StringBuilder();
        if (fromYear is null && from is null && fromScenario is null && fiscalYear is null && scenario is null && !source.Folder.FiscalYears.Contains(toYear - 1))
        {
            body.Append("<p id=\"compared\">Körningen har inget år före ").Append(Int(toYear)).Append(". Välj ett annat år, ett annat scenario eller en annan körning att jämföra med.</p>\n")
                .Append(Selectors(scope, catalog, source, toYear, null, toYear, null));
            return Page(http, title, body.ToString());
        }

        BridgeEnd fromEnd, toEnd;
        IReadOnlyList<BridgeLine> lines;
        try
        {
            (fromEnd, toEnd, lines) = FeeBridge.Lines(source.Folder, fromYear, fromScenario, folder, fiscalYear, scenario, tenant.Id);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            body.Append("<p class=\"error\" role=\"alert\">Jämförelsen går inte att göra: ").Append(E(e.Message)).Append("</p>\n")
                .Append(Selectors(scope, catalog, source, fromYear, fromScenario, fiscalYear, scenario));
            return Page(http, title, body.ToString(), StatusCodes.Status400BadRequest);
        }

        if (scope.TenantReader)
        {
            lines = FeeBridge.ForTenantReader(lines, source.Folder, fromEnd, folder, toEnd);
        }

        var (fromLabel, toLabel) = (FeeChangeWorkbook.Side(fromEnd), FeeChangeWorkbook.Side(toEnd));
        var baseUrl = $"/portal/runs/{U(scope.Run.RunId)}/tenants/{U(tenant.Id)}";
        var query = $"from={U(fromEnd.RunId)}&amp;fromYear={Int(fromEnd.FiscalYear)}&amp;fromScenario={U(fromEnd.Scenario)}&amp;fiscalYear={Int(toEnd.FiscalYear)}&amp;scenario={U(toEnd.Scenario)}";
        body.Append("<p id=\"compared\">Er avgift ").Append(E(toLabel)).Append(" jämförd med ").Append(E(fromLabel))
            .Append(fromEnd.RunId == toEnd.RunId ? "" : " i körning " + E(fromEnd.RunId)).Append(". Körning ").Append(E(scope.Run.RunId)).Append(", leverantör ").Append(E(folder.SupplierName)).Append(".</p>\n")
            .Append(Selectors(scope, catalog, source, fromEnd.FiscalYear, fromEnd.Scenario, toEnd.FiscalYear, toEnd.Scenario))
            .Append("<p><a href=\"").Append(baseUrl).Append("/avgiftsforandring.xlsx?").Append(query).Append("\" download>Ladda ner avgiftsförändringen (Excel)</a></p>\n");

        var (feeFrom, feeTo) = (lines.Sum(l => l.FeeFrom), lines.Sum(l => l.FeeTo));
        var (volume, price) = (lines.Sum(l => l.VolumeEffect), lines.Sum(l => l.PriceEffect));
        List<(string Label, decimal Amount, bool IsTotal)> steps =
        [
            ("Avgift " + fromLabel, feeFrom, true),
            ("Volymeffekt", volume, false),
            ("Priseffekt", price, false),
            ("Avgift " + toLabel, feeTo, true),
        ];
        body.Append("<h2>Från ").Append(E(fromLabel)).Append(" till ").Append(E(toLabel)).Append("</h2>\n")
            .Append(Waterfall(steps, $"Avgift {fromLabel} till {toLabel}"))
            .Append("<table id=\"waterfall\">\n<caption>Avgiftens förändring i steg (samma belopp som i diagrammet)</caption>\n<thead><tr><th scope=\"col\">Steg</th><th scope=\"col\" class=\"n\">Belopp</th></tr></thead>\n<tbody>\n");
        foreach (var (label, amount, isTotal) in steps)
        {
            body.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td class=\"n\">").Append(isTotal ? Kr(amount) : Signed(amount)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n<tfoot><tr><th scope=\"row\">Förändring</th><td class=\"n total\">").Append(Signed(feeTo - feeFrom)).Append("</td></tr></tfoot>\n</table>\n");

        if (lines.Count == 0)
        {
            body.Append("<p>Ni har inga avgifter i någon av perioderna.</p>\n");
        }
        else
        {
            body.Append("<table id=\"changes\">\n<caption>Förändring per tjänst</caption>\n<thead><tr><th scope=\"col\">Tjänst</th>")
                .Append("<th scope=\"col\" class=\"n\">Avgift ").Append(E(fromLabel)).Append("</th><th scope=\"col\" class=\"n\">Avgift ").Append(E(toLabel)).Append("</th>")
                .Append("<th scope=\"col\" class=\"n\">Förändring</th><th scope=\"col\" class=\"n\">Volymeffekt</th><th scope=\"col\" class=\"n\">Priseffekt</th>")
                .Append("<th scope=\"col\" class=\"n\">Antal ").Append(E(fromLabel)).Append("</th><th scope=\"col\" class=\"n\">Antal ").Append(E(toLabel)).Append("</th>")
                .Append("<th scope=\"col\" class=\"n\">Styckpris ").Append(E(fromLabel)).Append("</th><th scope=\"col\" class=\"n\">Styckpris ").Append(E(toLabel)).Append("</th>")
                .Append("<th scope=\"col\">Slag</th></tr></thead>\n<tbody>\n");
            foreach (var line in lines)
            {
                var name = folder.Objects.ContainsKey(line.Service) ? folder.Object(line.Service).Name : source.Folder.Object(line.Service).Name;
                body.Append("<tr data-service=\"").Append(E(line.Service)).Append("\"><th scope=\"row\">").Append(E(name)).Append("</th>")
                    .Append("<td class=\"n from\">").Append(Kr(line.FeeFrom)).Append("</td><td class=\"n to\">").Append(Kr(line.FeeTo)).Append("</td>")
                    .Append("<td class=\"n change\">").Append(Signed(line.Change)).Append("</td><td class=\"n volume\">").Append(Signed(line.VolumeEffect))
                    .Append("</td><td class=\"n price\">").Append(Signed(line.PriceEffect)).Append("</td>")
                    .Append("<td class=\"n\">").Append(line.QuantityFrom is { } q0 ? Num(q0) : "–").Append("</td><td class=\"n\">").Append(line.QuantityTo is { } q1 ? Num(q1) : "–").Append("</td>")
                    .Append("<td class=\"n\">").Append(UnitPrice(line.UnitPriceFrom, Hidden(scope, source, fromEnd, line.Service))).Append("</td>")
                    .Append("<td class=\"n\">").Append(UnitPrice(line.UnitPriceTo, Hidden(scope, scope.Run, toEnd, line.Service))).Append("</td>")
                    .Append("<td>").Append(E(FeeChangeWorkbook.Kind(line.Kind))).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n<tfoot><tr><th scope=\"row\">Summa</th><td class=\"n\">").Append(Kr(feeFrom)).Append("</td><td class=\"n\">").Append(Kr(feeTo))
                .Append("</td><td class=\"n\">").Append(Signed(feeTo - feeFrom)).Append("</td><td class=\"n\">").Append(Signed(volume)).Append("</td><td class=\"n\">").Append(Signed(price))
                .Append("</td><td colspan=\"5\"></td></tr></tfoot>\n</table>\n");
        }

        body.Append("<h2>Så läser du tabellen</h2>\n<ul>\n")
            .Append("<li><strong>Volymeffekt</strong>: vad förändringen av er volym hade kostat till det tidigare styckpriset (avgift före × (antal efter − antal före) ÷ antal före, avrundat till hela öre).</li>\n")
            .Append("<li><strong>Priseffekt</strong>: resten av förändringen – att kostnaden per enhet ändrats. Volymeffekt + priseffekt = förändringen, exakt på öret.</li>\n")
            .Append("<li><strong>Ny</strong> och <strong>Upphörd</strong>: tjänsten finns bara på ena sidan; hela avgiften är volymeffekt. <strong>Endast pris</strong>: tjänsten fördelas inte efter er volym (lika delar eller fasta andelar); hela förändringen är priseffekt.</li>\n")
            .Append("<li>Ett styckpris som <em>visas ej</em> gäller en tjänst som färre än tre kunder delar: det skulle avslöja vad andra myndigheter betalar.</li>\n</ul>\n")
            .Append("<p><a href=\"").Append(baseUrl).Append("\">Tillbaka till avgifterna</a></p>\n");
        return Page(http, title, body.ToString());
    }

    /// <summary>Whether the disclosure policy hides the service's unit price from this caller in the period.</summary>
    private static bool Hidden(RunScope scope, CatalogRun run, BridgeEnd end, string service) =>
        scope.TenantReader && !FeeBridge.ShowsUnitPrice(run.Folder, end, service);

    private static string UnitPrice(decimal? price, bool hidden) => hidden ? Withheld : price is { } p ? Kr(p) : "–";

    /// <summary>An amount with its sign written out: <c>+1 234,50 kr</c>, <c>−100,00 kr</c>, <c>0,00 kr</c>.</summary>
    internal static string Signed(decimal amount) => (amount > 0 ? "+" : "") + Kr(amount);

    /// <summary>The comparison's choices, as the API's query: the run to compare from (of this supplier, that the caller may see), the years and scenarios.</summary>
    private static string Selectors(RunScope scope, RunCatalog catalog, CatalogRun source, int? fromYear, string? fromScenario, int? toYear, string? toScenario)
    {
        var runs = catalog.List().Where(r => r.Supplier == scope.Run.Supplier && RunAccessFilter.Visible(r, scope.Grant))
            .OrderByDescending(r => r.Published.PublishedAt).ToList();
        static string Options(IEnumerable<(string Value, string Label)> options, string? selected) =>
            string.Concat(options.Select(o => "<option value=\"" + E(o.Value) + "\"" + (o.Value == selected ? " selected" : "") + ">" + E(o.Label) + "</option>"));
        static IEnumerable<(string, string)> Scenarios(CatalogRun run) =>
            run.Folder.Periods.Select(p => p.Scenario).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(s => (s, Scenario(s)));
        static IEnumerable<(string, string)> Years(CatalogRun run) => run.Folder.FiscalYears.Select(y => (Int(y), Int(y)));

        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"/portal/runs/").Append(U(scope.Run.RunId)).Append("/tenants/").Append(U(scope.Tenant!)).Append("/avgiftsforandring\">\n<fieldset>\n<legend>Jämför</legend>\n")
            .Append("<p><label for=\"from\">Från körning</label> <select id=\"from\" name=\"from\">")
            .Append(Options(runs.Select(r => (r.RunId, r.RunId + (r.Published.PublishedAt is { } at ? " (" + Time(at) + ")" : ""))), source.RunId)).Append("</select></p>\n")
            .Append("<p><label for=\"fromYear\">Från år</label> <select id=\"fromYear\" name=\"fromYear\">").Append(Options(Years(source), fromYear is { } fy ? Int(fy) : null)).Append("</select></p>\n")
            .Append("<p><label for=\"fromScenario\">Från scenario</label> <select id=\"fromScenario\" name=\"fromScenario\">").Append(Options(Scenarios(source), fromScenario)).Append("</select></p>\n")
            .Append("<p><label for=\"fiscalYear\">Till år</label> <select id=\"fiscalYear\" name=\"fiscalYear\">").Append(Options(Years(scope.Run), toYear is { } ty ? Int(ty) : null)).Append("</select></p>\n")
            .Append("<p><label for=\"scenario\">Till scenario</label> <select id=\"scenario\" name=\"scenario\">").Append(Options(Scenarios(scope.Run), toScenario)).Append("</select></p>\n")
            .Append("</fieldset>\n<p><button type=\"submit\">Visa jämförelsen</button></p>\n</form>\n");
        return body.ToString();
    }

    /// <summary>
    /// A waterfall as inline SVG drawn on the server: totals from zero, each effect from the running total, a
    /// title and a description naming every figure (the table after it has them too), and the sign written on
    /// every effect so it reads without colour.
    /// </summary>
    internal static string Waterfall(IReadOnlyList<(string Label, decimal Amount, bool IsTotal)> steps, string title)
    {
        const int Width = 720, Height = 300, Top = 30, Bottom = 250, Left = 20, Column = 170, Bar = 110;
        var spans = new List<(decimal Low, decimal High, decimal End)>();
        var running = 0m;
        foreach (var (_, amount, isTotal) in steps)
        {
            var start = isTotal ? 0m : running;
            var end = isTotal ? amount : running + amount;
            spans.Add((Math.Min(start, end), Math.Max(start, end), end));
            running = end;
        }

        var min = Math.Min(0m, spans.Min(s => s.Low));
        var max = Math.Max(0m, spans.Max(s => s.High));
        var range = max - min == 0 ? 1m : max - min;
        int Y(decimal value) => Top + (int)Math.Round((max - value) / range * (Bottom - Top), MidpointRounding.AwayFromZero);

        var description = string.Join("; ", steps.Select(s => s.Label + " " + (s.IsTotal ? Kr(s.Amount) : Signed(s.Amount))));
        var svg = new StringBuilder();
        svg.Append("<figure>\n<svg class=\"waterfall\" role=\"img\" aria-labelledby=\"waterfall-title waterfall-desc\" width=\"").Append(Int(Width)).Append("\" height=\"").Append(Int(Height))
            .Append("\" viewBox=\"0 0 ").Append(Int(Width)).Append(' ').Append(Int(Height)).Append("\" xmlns=\"http://www.w3.org/2000/svg\">\n")
            .Append("<title id=\"waterfall-title\">").Append(E(title)).Append("</title>\n<desc id=\"waterfall-desc\">").Append(E(description)).Append("</desc>\n")
            .Append("<line x1=\"").Append(Int(Left)).Append("\" x2=\"").Append(Int(Width - 10)).Append("\" y1=\"").Append(Int(Y(0))).Append("\" y2=\"").Append(Int(Y(0))).Append("\" stroke=\"#1a1a1a\"></line>\n");
        for (var i = 0; i < steps.Count; i++)
        {
            var (label, amount, isTotal) = steps[i];
            var (low, high, end) = spans[i];
            var x = Left + i * Column + (Column - Bar) / 2;
            var (top, bottom) = (Y(high), Y(low));
            var fill = isTotal ? "#0b4f8a" : amount >= 0 ? "#a30000" : "#2e7d32";
            svg.Append("<rect x=\"").Append(Int(x)).Append("\" y=\"").Append(Int(top)).Append("\" width=\"").Append(Int(Bar)).Append("\" height=\"").Append(Int(Math.Max(1, bottom - top)))
                .Append("\" fill=\"").Append(fill).Append("\"></rect>")
                .Append("<text x=\"").Append(Int(x + Bar / 2)).Append("\" y=\"").Append(Int(Math.Max(14, top - 6))).Append("\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-size=\"13\">")
                .Append(E(isTotal ? Kr(amount) : Signed(amount))).Append("</text>")
                .Append("<text x=\"").Append(Int(x + Bar / 2)).Append("\" y=\"").Append(Int(Bottom + 30)).Append("\" text-anchor=\"middle\" fill=\"#1a1a1a\" font-size=\"13\">")
                .Append(E(label)).Append("</text>\n");
            if (i + 1 < steps.Count)
            {
                // The running total carried to the next column.
                svg.Append("<line x1=\"").Append(Int(x + Bar)).Append("\" x2=\"").Append(Int(x + Column)).Append("\" y1=\"").Append(Int(Y(end))).Append("\" y2=\"").Append(Int(Y(end)))
                    .Append("\" stroke=\"#595959\" stroke-dasharray=\"4 3\"></line>\n");
            }
        }

        svg.Append("</svg>\n<figcaption>").Append(E(title)).Append(": ökningar röda, minskningar gröna (samma belopp finns i tabellen nedan)</figcaption>\n</figure>\n");
        return svg.ToString();
    }
}
