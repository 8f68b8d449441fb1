using System.ComponentModel;
using System.Globalization;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Changes;

/// <summary>
/// A tenant's fee bridge as the workbook Avgiftsförändring: <c>/v1/runs/{runId}/tenants/{tenantId}/changes.xlsx</c>,
/// with the query and the disclosure of the JSON bridge (<c>…/changes</c>): the caller's own tenant only, a unit price
/// only where the disclosure policy shows the service. One implementation with <c>tbm changes --workbooks</c>:
/// <see cref="FeeChangeWorkbook"/> in workbooks/.
/// </summary>
internal static class ChangesWorkbookEndpoint
{
    public static RouteGroupBuilder MapChangesWorkbookEndpoint(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/changes.xlsx", Workbook)
            .WithName("ExportTenantChanges").WithSummary("Why a tenant's fees changed, as the workbook Avgiftsförändring (bridge per service and cost pool, waterfall chart)")
            .WithDescription("The same bridge and the same query as GET …/changes (from, fromYear, fromScenario, fiscalYear, scenario), as an Excel workbook in Swedish. A tenant gets its own workbook; a unit price only where the disclosure policy shows the service. Byte-identical for the same runs and query.")
            .Produces(StatusCodes.Status200OK, contentType: WorkbookExport.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return run;
    }

    /// <summary>The workbook under the run access filter's scope (the API's and the portal's download).</summary>
    internal static IResult Workbook(
        HttpContext http, RunCatalog catalog, ResponseCache cache,
        [Description("The run to compare from (same supplier); default this run.")] string? from,
        [Description("The from side's fiscal year; default its latest.")] int? fromYear,
        [Description("The from side's scenario; default its best-known.")] string? fromScenario,
        [Description("This run's fiscal year; default its latest.")] int? fiscalYear,
        [Description("This run's scenario; default its best-known.")] string? scenario)
    {
        var scope = RunAccessFilter.Scope(http);
        if (ChangesEndpoints.Source(scope, catalog, from) is not { } source)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"There is no run {from} of {scope.Run.Supplier} for you to compare from.");
        }

        // A function of the two runs, the periods asked for and the tenant's view alone: built once and kept.
        var tenant = scope.Tenant!;
        var key = new ResponseKey(scope.Run.Supplier, scope.Run.RunId, "changes.xlsx", tenant, scope.TenantReader,
            ResponseVariant.Of(source.RunId, fromYear, fromScenario, fiscalYear, scenario));
        var bytes = cache.GetOrAdd(key, () =>
        {
            using var buffer = new MemoryStream();
            FeeChangeWorkbook.Write(source.Folder, fromYear, fromScenario, scope.Run.Folder, fiscalYear, scenario, tenant, scope.TenantReader, buffer);
            return buffer.ToArray();
        });
        return TypedResults.File(bytes, WorkbookExport.ContentType, FileName(scope, source, tenant, fromYear, fiscalYear));
    }

    /// <summary><c>avgiftsforandring-FK-T-A-2024-2025.xlsx</c>: the years asked for, or each run's latest.</summary>
    private static string FileName(RunScope scope, CatalogRun source, string tenant, int? fromYear, int? toYear)
    {
        static string Year(CatalogRun run, int? year) =>
            (year ?? (run.Folder.FiscalYears.Count == 0 ? 0 : run.Folder.FiscalYears[^1])).ToString(CultureInfo.InvariantCulture);
        return $"avgiftsforandring-{scope.Run.Supplier}-{tenant}-{Year(source, fromYear)}-{Year(scope.Run, toYear)}.xlsx";
    }
}
