using System.Globalization;
using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Api.Reports;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Runs;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// The pages of the supplier's finance staff, the coordinator and ESV: a run with its price list, fee-area
/// balance, unallocated money and tenants; the indicators and their distributions; the status report. Like the
/// API's tables of all tenants these are marked <see cref="AllTenantsMetadata"/>: for a tenant they do not exist.
/// </summary>
internal static class StaffPages
{
    public static void MapStaffPages(this RouteGroupBuilder run)
    {
        run.MapGet("/leverantor", Supplier).AllTenants();
        run.MapGet("/nyckeltal", Indicators).AllTenants();
    }

    private static readonly TableFilter All = new(null, null, null, null, null);

    private static IResult Supplier(HttpContext http, RunTables tables, RunCatalog catalog, PortalCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var body = new StringBuilder();
        body.Append("<p>Körning ").Append(E(scope.Run.RunId)).Append(", publicerad ").Append(Time(scope.Run.Published.PublishedAt)).Append(", modell ").Append(E(folder.ModelName))
            .Append(", motor ").Append(E(folder.EngineVersion)).Append(".</p>\n");

        body.Append("<p><a href=\"").Append(LargestChanges.Path(scope.Run.RunId)).Append("\">Största avgiftsförändringar mot föregående år</a></p>\n");
        body.Append("<h2>Körningar</h2>\n<table>\n<caption>Leverantörens publicerade körningar</caption>\n<thead><tr><th scope=\"col\">Körning</th><th scope=\"col\">Publicerad</th><th scope=\"col\">År</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
        var latest = catalog.Store.Latest(scope.Run.Supplier)?.RunId;
        foreach (var run in catalog.List().Where(r => r.Supplier == scope.Run.Supplier && RunAccessFilter.Visible(r, scope.Grant)).OrderByDescending(r => r.Published.PublishedAt))
        {
            body.Append("<tr><th scope=\"row\"><a href=\"/portal/runs/").Append(U(run.RunId)).Append("/leverantor\">").Append(E(run.RunId)).Append("</a></th><td>").Append(Time(run.Published.PublishedAt))
                .Append("</td><td>").Append(string.Join(", ", run.Published.FiscalYears.Select(y => Int(y)))).Append("</td><td>")
                .Append(run.RunId == latest ? "publicerad, gällande" : "publicerad, ersatt av en senare").Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");

        // The rest is the run's own (immutable) and shown in full to every reader of this page: rendered once.
        var figures = cache.Utf8("supplier", scope.Run, "", () => SupplierFigures(scope, tables));
        return Page(http, $"{folder.SupplierName}: körning, prislista och balans", body.ToString(), figures, "");
    }

    /// <summary>The supplier page's figures: the price list, the fee-area balance, unallocated money and the tenants.</summary>
    private static string SupplierFigures(RunScope scope, RunTables tables)
    {
        var folder = scope.Run.Folder;
        var body = new StringBuilder();
        body.Append("<h2>Prislista</h2>\n<table>\n<caption>Styckpris, volym och kostnad per tjänst</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Scenario</th><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Volym</th><th scope=\"col\" class=\"n\">Kostnad</th><th scope=\"col\" class=\"n\">Styckpris</th></tr></thead>\n<tbody>\n");
        foreach (var p in tables.Page(scope, TableSpec.Prices, All, 1, RunTables.MaxPageSize, r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(2),
                     Units: r.IsDBNull(3) ? (decimal?)null : RunTables.Quantity(r.GetDecimal(3)), Cost: r.IsDBNull(4) ? (decimal?)null : RunTables.Money(r.GetDecimal(4)), UnitPrice: RunTables.Money(r.GetDecimal(5)))))
        {
            body.Append("<tr><td>").Append(Int(p.Year)).Append("</td><td>").Append(E(Scenario(p.Scenario))).Append("</td><th scope=\"row\">").Append(E(folder.Object(p.Service).Name))
                .Append("</th><td class=\"n\">").Append(p.Units is { } u ? Num(u) : Withheld).Append("</td><td class=\"n\">").Append(p.Cost is { } c ? Kr(c) : Withheld)
                .Append("</td><td class=\"n\">").Append(Kr(p.UnitPrice)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");

        if (folder.Has(TableSpec.Balance.Name))
        {
            body.Append("<h2>Avgiftsområdets balans</h2>\n<p>Ett ackumulerat över- eller underskott större än 10 % av årets kostnad flaggas (avgiftsförordningen).</p>\n<table id=\"balance\">\n<caption>Resultat och balans per avgiftsområde och år</caption>\n<thead><tr><th scope=\"col\">Avgiftsområde</th><th scope=\"col\">År</th><th scope=\"col\" class=\"n\">Ingående</th><th scope=\"col\" class=\"n\">Intäkter</th><th scope=\"col\" class=\"n\">Kostnader</th><th scope=\"col\" class=\"n\">Resultat</th><th scope=\"col\" class=\"n\">Utgående</th><th scope=\"col\">Över 10 %</th></tr></thead>\n<tbody>\n");
            foreach (var b in tables.Page(scope, TableSpec.Balance, All, 1, RunTables.MaxPageSize, r => (Area: r.GetString(0), Year: r.GetInt32(1), Opening: M(r, 2), Revenue: M(r, 3), Cost: M(r, 4), Result: M(r, 5), Closing: M(r, 6), Flag: r.GetBoolean(7))))
            {
                body.Append("<tr><th scope=\"row\">").Append(E(b.Area)).Append("</th><td>").Append(Int(b.Year)).Append("</td><td class=\"n\">").Append(Kr(b.Opening)).Append("</td><td class=\"n\">").Append(Kr(b.Revenue))
                    .Append("</td><td class=\"n\">").Append(Kr(b.Cost)).Append("</td><td class=\"n\">").Append(Kr(b.Result)).Append("</td><td class=\"n\">").Append(Kr(b.Closing)).Append("</td><td>")
                    .Append(b.Flag ? "<span class=\"flag\">Ja, över 10 %</span>" : "Nej").Append("</td></tr>\n");
            }

            body.Append("</tbody>\n</table>\n");
        }

        body.Append("<h2>Ofördelade medel</h2>\n");
        var unallocated = tables.Page(scope, TableSpec.Unallocated, All, 1, RunTables.MaxPageSize, r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Object: r.GetString(2), Pool: r.GetString(3), Reason: r.GetString(4), Amount: M(r, 5)));
        if (unallocated.Count == 0)
        {
            body.Append("<p>Allt fördelades: inga ofördelade medel.</p>\n");
        }
        else
        {
            body.Append("<table>\n<caption>Pengar som blev kvar på ett objekt, och varför</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Scenario</th><th scope=\"col\">Objekt</th><th scope=\"col\">Kostnadspool</th><th scope=\"col\">Orsak</th><th scope=\"col\" class=\"n\">Belopp</th></tr></thead>\n<tbody>\n");
            foreach (var u in unallocated)
            {
                body.Append("<tr><td>").Append(Int(u.Year)).Append("</td><td>").Append(E(Scenario(u.Scenario))).Append("</td><th scope=\"row\">").Append(E(folder.Object(u.Object).Name)).Append("</th><td>")
                    .Append(E(u.Pool)).Append("</td><td>").Append(E(u.Reason)).Append("</td><td class=\"n\">").Append(Kr(u.Amount)).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n</table>\n");
        }

        body.Append("<h2>Kundernas avgiftsspecifikationer</h2>\n<ul>\n");
        foreach (var tenant in folder.Tenants.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            body.Append("<li><a href=\"/portal/runs/").Append(U(scope.Run.RunId)).Append("/tenants/").Append(U(tenant.Id)).Append("\">").Append(E(tenant.Name)).Append("</a></li>\n");
        }

        return body.Append("</ul>\n").ToString();
    }

    private static IResult Indicators(HttpContext http, RunTables tables)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var body = new StringBuilder();
        body.Append("<p>Körning ").Append(E(scope.Run.RunId)).Append(" av ").Append(E(folder.SupplierName)).Append(". Fördelningar över färre än tre kunder visas inte: varje kvartil vore en enskild myndighets värde.</p>\n");
        if (!folder.Has(TableSpec.KpiDistributions.Name))
        {
            body.Append("<p>Körningen har inga nyckeltal.</p>\n");
            return Page(http, "Nyckeltal", body.ToString());
        }

        body.Append("<table id=\"distributions\">\n<caption>Nyckeltalens fördelning över kunder</caption>\n<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Scenario</th><th scope=\"col\">Population</th><th scope=\"col\">Nyckeltal</th><th scope=\"col\">Avser</th><th scope=\"col\" class=\"n\">Antal</th><th scope=\"col\" class=\"n\">Min</th><th scope=\"col\" class=\"n\">Kvartil 1</th><th scope=\"col\" class=\"n\">Median</th><th scope=\"col\" class=\"n\">Kvartil 3</th><th scope=\"col\" class=\"n\">Max</th><th scope=\"col\">Enhet</th></tr></thead>\n<tbody>\n");
        foreach (var d in tables.Page(scope, TableSpec.KpiDistributions, All, 1, RunTables.MaxPageSize, r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Population: r.GetString(2), Indicator: r.GetString(3),
                     Subject: r.IsDBNull(4) ? "" : r.GetString(4), Members: Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture), Stats: new[] { Q(r, 6), Q(r, 7), Q(r, 8), Q(r, 9), Q(r, 10) },
                     Suppressed: r.GetBoolean(11), Unit: r.GetString(12))))
        {
            body.Append("<tr><td>").Append(Int(d.Year)).Append("</td><td>").Append(E(Scenario(d.Scenario))).Append("</td><td>").Append(E(d.Population)).Append("</td><th scope=\"row\">").Append(E(d.Indicator))
                .Append("</th><td>").Append(E(d.Subject.Length == 0 ? "hela gruppen" : d.Subject)).Append("</td><td class=\"n\">").Append(Int(d.Members)).Append("</td>");
            foreach (var value in d.Stats)
            {
                body.Append("<td class=\"n\">").Append(d.Suppressed || value is null ? "<span class=\"withheld\">undertryckt</span>" : Num(value.Value)).Append("</td>");
            }

            body.Append("<td>").Append(E(d.Unit)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        return Page(http, $"Nyckeltal: {folder.SupplierName}", body.ToString());
    }

    /// <summary>The status report of a year, by the API's own report endpoint (coordinator and ESV; 404 for everyone else).</summary>
    internal static async Task<IResult> StatusReport(HttpContext http, RunStore store, int? fiscalYear)
    {
        if (http.User.Grant() is not { Role: Role.Coordinator or Role.Esv })
        {
            return Html.NotFound(http);
        }

        if (fiscalYear is null)
        {
            return Page(http, "Statusrapport", "<p class=\"error\" role=\"alert\">Ange vilket år rapporten ska följa upp. <a href=\"/\">Till startsidan</a></p>", StatusCodes.Status400BadRequest);
        }

        try
        {
            return await ReportEndpoints.Status(http, store, fiscalYear, null);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.NotFound)
        {
            return Page(http, "Statusrapport", "<p class=\"error\" role=\"alert\">" + E($"Det finns ingen publicerad körning för {Int(fiscalYear.Value)}.") + " <a href=\"/\">Till startsidan</a></p>", StatusCodes.Status404NotFound);
        }
    }

    private static decimal M(DuckDB.NET.Data.DuckDBDataReader r, int ordinal) => RunTables.Money(r.GetDecimal(ordinal));

    private static decimal? Q(DuckDB.NET.Data.DuckDBDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : RunTables.Quantity(r.GetDecimal(ordinal));
}
