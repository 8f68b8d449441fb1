using System.Text.Json;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ItDrift.Tbm.Api.Runs;

/// <summary>A published run as a listing shows it.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Supplier">The supplier's id.</param>
/// <param name="SupplierName">The supplier's name.</param>
/// <param name="PublishedAt">When it was published (UTC).</param>
/// <param name="FiscalYears">The fiscal years it has results for.</param>
internal sealed record RunSummary(string RunId, string Supplier, string SupplierName, DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears);

/// <summary>A published run in full: its identity, inputs and row counts (for a tenant: identity only).</summary>
internal sealed record RunDetail(
    string RunId, string Supplier, string SupplierName, string? SupplierOrgNr, string ModelName, string EngineVersion,
    DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears, IReadOnlyList<string> Tenants, Tbm.Runs.RunManifest? Manifest);

/// <summary>A supplier's latest run overall and per fiscal year.</summary>
internal sealed record LatestRuns(string Supplier, RunSummary? Latest, IReadOnlyDictionary<string, RunSummary> ByFiscalYear);

/// <summary>
/// The runs a caller may read: the coordinator and ESV every supplier's, a supplier its own, a tenant
/// those it is a tenant of. A run the caller may not read is absent from listings and 404 by id.
/// </summary>
internal static class RunsEndpoints
{
    public static RouteGroupBuilder MapRunsEndpoints(this RouteGroupBuilder runs)
    {
        runs.MapGet("/", List)
            .WithName("ListRuns").WithSummary("The published runs the caller may read, newest first")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        runs.MapGet("/latest", Latest)
            .WithName("LatestRuns").WithSummary("Each supplier's latest run, overall and per fiscal year")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return runs;
    }

    public static RouteGroupBuilder MapRunEndpoint(this RouteGroupBuilder run)
    {
        run.MapGet("/", Detail)
            .WithName("GetRun").WithSummary("A published run: identity, model, inputs and row counts")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return run;
    }

    private static Ok<RunSummary[]> List(HttpContext http, RunCatalog catalog, string? supplier)
    {
        var grant = http.User.Grant()!;
        var runs = catalog.List().Where(r => RunAccessFilter.Visible(r, grant) && (supplier is null || r.Supplier == supplier));
        return TypedResults.Ok(runs.Select(Summary).ToArray());
    }

    private static Ok<LatestRuns[]> Latest(HttpContext http, RunCatalog catalog)
    {
        var grant = http.User.Grant()!;
        var result = new List<LatestRuns>();
        foreach (var supplier in catalog.Suppliers().Where(grant.MaySeeSupplier))
        {
            var latest = Visible(catalog, grant, supplier, catalog.Store.Latest(supplier));
            var years = new SortedDictionary<string, RunSummary>(StringComparer.Ordinal);
            foreach (var year in catalog.List().Where(r => r.Supplier == supplier).SelectMany(r => r.Published.FiscalYears).Distinct())
            {
                if (Visible(catalog, grant, supplier, catalog.Store.Latest(supplier, year)) is { } run)
                {
                    years[year.ToString(System.Globalization.CultureInfo.InvariantCulture)] = run;
                }
            }

            if (latest is not null || years.Count > 0)
            {
                result.Add(new LatestRuns(supplier, latest, years));
            }
        }

        return TypedResults.Ok(result.ToArray());
    }

    private static Ok<RunDetail> Detail(HttpContext http)
    {
        var scope = RunAccessFilter.Scope(http);
        var run = scope.Run;
        var folder = run.Folder;

        // A tenant sees the run's identity and itself; the inputs, row counts, warnings and the other
        // tenants are the supplier's business (warnings can name other tenants).
        var manifest = scope.Grant.SeesAllTenants ? folder.Manifest : null;

        IReadOnlyList<string> tenants = scope.Grant.SeesAllTenants ? [.. folder.Tenants.Keys.Order(StringComparer.Ordinal)] : [scope.Grant.Tenant!];
        return TypedResults.Ok(new RunDetail(run.RunId, run.Supplier, folder.SupplierName, folder.SupplierOrgNr, folder.ModelName, folder.EngineVersion,
            run.Published.PublishedAt, run.Published.FiscalYears, tenants, manifest));
    }

    private static RunSummary? Visible(RunCatalog catalog, AccessGrant grant, string supplier, Tbm.Runs.PublishedRun? published) =>
        published is not null && catalog.Open(supplier, published.RunId) is { } run && RunAccessFilter.Visible(run, grant) ? Summary(run) : null;

    private static RunSummary Summary(CatalogRun run) =>
        new(run.RunId, run.Supplier, run.Folder.SupplierName, run.Published.PublishedAt, run.Published.FiscalYears);
}
