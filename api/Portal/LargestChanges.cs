using System.Text;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Runs;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>A run's fee bridge from the year before its latest to its latest, every tenant and service, largest change first.</summary>
/// <param name="From">The side compared from (the year before the latest).</param>
/// <param name="To">The side compared to (the latest year).</param>
/// <param name="Lines">Every line, by the size of its change (absolute), largest first; ties by tenant and service id.</param>
internal sealed record FeeChanges(BridgeEnd From, BridgeEnd To, IReadOnlyList<BridgeLine> Lines)
{
    /// <summary>No bridge: the run has one year only.</summary>
    public static readonly FeeChanges None = new(new BridgeEnd("", "", 0, ""), new BridgeEnd("", "", 0, ""), []);
}

/// <summary>
/// The supplier's "largest fee changes" (<c>/portal/runs/{run}/storsta-forandringar</c>): the tenants and services
/// whose fee changed most between the run's latest year and the year before, by the engine's <see cref="FeeBridge"/>
/// (each side its best-known scenario), with the change split into volume and price. Every tenant's rows: like the
/// API's tables of all tenants, a tenant's key finds no such page (404).
/// </summary>
internal static class LargestChanges
{
    /// <summary>How many lines the page shows.</summary>
    public const int Shown = 25;

    public static void MapLargestChanges(this RouteGroupBuilder run) => run.MapGet("/storsta-forandringar", Show).AllTenants();

    /// <summary>The path of a run's page.</summary>
    public static string Path(string runId) => $"/portal/runs/{U(runId)}/storsta-forandringar";

    /// <summary>
    /// The run's bridge from the year before its latest to its latest, largest change first (<see cref="FeeChanges.None"/>
    /// for a run of one year): computed once per run and kept (a scale-50 run has some 17 000 lines; runs do not change).
    /// </summary>
    internal static FeeChanges Of(CatalogRun run, PortalCache cache) =>
        cache.Get("largest-changes", run, "", () => Compute(run.Folder, run.Published.FiscalYears) ?? FeeChanges.None, c => 256L * (c.Lines.Count + 1));

    internal static FeeChanges? Compute(RunFolder folder, IReadOnlyList<int> fiscalYears)
    {
        if (fiscalYears.Count < 2)
        {
            return null;
        }

        var latest = fiscalYears.Max();
        var before = fiscalYears.Where(y => y < latest).Max();
        var (from, to, lines) = FeeBridge.Lines(folder, before, null, folder, latest, null, null);
        return new FeeChanges(from, to, [.. lines.OrderByDescending(l => Math.Abs(l.Change)).ThenBy(l => l.Tenant, StringComparer.Ordinal).ThenBy(l => l.Service, StringComparer.Ordinal)]);
    }

    private static IResult Show(HttpContext http, PortalCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var changes = Of(scope.Run, cache);
        var body = new StringBuilder();
        body.Append("<p>Körning ").Append(E(scope.Run.RunId)).Append(" av ").Append(E(folder.SupplierName)).Append(". <a href=\"/portal/runs/").Append(U(scope.Run.RunId)).Append("/leverantor\">Till körningen, prislistan och balansen</a></p>\n");
        if (ReferenceEquals(changes, FeeChanges.None))
        {
            body.Append("<p>Körningen har bara ett år: det finns inget föregående år att jämföra med.</p>\n");
            return Page(http, "Största avgiftsförändringar", body.ToString());
        }

        var (from, to) = (changes.From, changes.To);
        body.Append("<p>Avgiften per kund och tjänst ").Append(Int(to.FiscalYear)).Append(" (").Append(E(Scenario(to.Scenario).ToLowerInvariant())).Append(") mot ")
            .Append(Int(from.FiscalYear)).Append(" (").Append(E(Scenario(from.Scenario).ToLowerInvariant())).Append("), störst förändring först (i belopp, ökning eller minskning). ")
            .Append("Volymeffekten är den del av förändringen som kundens volym förklarar, priseffekten resten. Visar ")
            .Append(Int(Math.Min(Shown, changes.Lines.Count))).Append(" av ").Append(Int(changes.Lines.Count)).Append(" rader.</p>\n")
            .Append("<table id=\"largest-changes\">\n<caption>Största avgiftsförändringar ").Append(Int(from.FiscalYear)).Append("–").Append(Int(to.FiscalYear)).Append("</caption>\n<thead><tr>")
            .Append("<th scope=\"col\" class=\"n\">Plats</th><th scope=\"col\">Kund</th><th scope=\"col\">Tjänst</th><th scope=\"col\" class=\"n\">Avgift ").Append(Int(from.FiscalYear))
            .Append("</th><th scope=\"col\" class=\"n\">Avgift ").Append(Int(to.FiscalYear)).Append("</th><th scope=\"col\" class=\"n\">Förändring</th><th scope=\"col\" class=\"n\">Volymeffekt</th><th scope=\"col\" class=\"n\">Priseffekt</th><th scope=\"col\">Slag</th></tr></thead>\n<tbody>\n");
        var place = 0;
        foreach (var line in changes.Lines.Take(Shown))
        {
            body.Append("<tr data-tenant=\"").Append(E(line.Tenant)).Append("\" data-service=\"").Append(E(line.Service)).Append("\"><td class=\"n\">").Append(Int(++place)).Append("</td><th scope=\"row\"><a href=\"/portal/runs/")
                .Append(U(scope.Run.RunId)).Append("/tenants/").Append(U(line.Tenant)).Append("\">").Append(E(folder.Tenant(line.Tenant).Name)).Append("</a></th><td>").Append(E(folder.Object(line.Service).Name))
                .Append("</td><td class=\"n\">").Append(Kr(line.FeeFrom)).Append("</td><td class=\"n\">").Append(Kr(line.FeeTo)).Append("</td><td class=\"n change\">").Append(Kr(line.Change))
                .Append("</td><td class=\"n\">").Append(Kr(line.VolumeEffect)).Append("</td><td class=\"n\">").Append(Kr(line.PriceEffect)).Append("</td><td>").Append(Kind(line.Kind)).Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table>\n");
        return Page(http, $"Största avgiftsförändringar: {folder.SupplierName}", body.ToString());
    }

    private static string Kind(string kind) => kind switch
    {
        "split" => "volym och pris",
        "new" => "ny",
        "ended" => "upphörd",
        "unsplit" => "bara pris",
        _ => E(kind),
    };
}
