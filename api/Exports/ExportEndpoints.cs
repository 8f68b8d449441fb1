using System.ComponentModel;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Exports;

/// <summary>
/// The workbooks, under the resource they show: a tenant's fee specification and true-up, the price
/// list, and (for the supplier's staff, the coordinator and ESV) the fee-area balance and the full fee
/// table. One implementation with <c>tbm export</c>: <see cref="WorkbookExport"/> in workbooks/.
/// </summary>
internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/fees/export.xlsx", (HttpContext http, [Description("The fee year; default the run's latest.")] int? fiscalYear) =>
                Workbook(http, new WorkbookRequest(WorkbookKind.FeeSpecification, RunAccessFilter.Scope(http).Tenant, fiscalYear, RunAccessFilter.Scope(http).TenantReader)))
            .WithName("ExportFeeSpecification").WithSummary("The tenant's fee specification (avgiftsspecifikation) as an Excel workbook")
            .Xlsx();
        run.MapGet("/tenants/{tenantId}/trueup/export.xlsx", (HttpContext http, [Description("The fee year; default the run's latest.")] int? fiscalYear) =>
                Workbook(http, new WorkbookRequest(WorkbookKind.TrueUp, RunAccessFilter.Scope(http).Tenant, fiscalYear)))
            .WithName("ExportTrueUp").WithSummary("The tenant's true-up (avräkning) as an Excel workbook")
            .Xlsx();
        run.MapGet("/prices/export.xlsx", (HttpContext http, [Description("The fee year; default the run's latest.")] int? fiscalYear) =>
                Workbook(http, new WorkbookRequest(WorkbookKind.PriceList, null, fiscalYear, RunAccessFilter.Scope(http).TenantReader)))
            .WithName("ExportPriceList").WithSummary("The price list (prislista) of a fee year as an Excel workbook")
            .Xlsx();
        run.MapGet("/balance/export.xlsx", (Func<HttpContext, Task<IResult>>)(http => Workbook(http, new WorkbookRequest(WorkbookKind.Balance))))
            .WithName("ExportBalance").WithSummary("Fee-area result and balance as an Excel workbook (supplier, coordinator and ESV only)")
            .AllTenants().Xlsx();
        run.MapGet("/fees/export.xlsx", (Func<HttpContext, Task<IResult>>)(http => Workbook(http, new WorkbookRequest(WorkbookKind.FeeTable))))
            .WithName("ExportFeeTable").WithSummary("Every tenant × service × cost pool as an Excel workbook, streamed (supplier, coordinator and ESV only)")
            .AllTenants().Xlsx();
        return run;
    }

    private static RouteHandlerBuilder Xlsx(this RouteHandlerBuilder builder) => builder
        .Produces(StatusCodes.Status200OK, contentType: WorkbookExport.ContentType)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A workbook under the run access filter's scope, or 404 when the run has none such; the API's and the portal's downloads.</summary>
    internal static async Task<IResult> Workbook(HttpContext http, WorkbookRequest request)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        try
        {
            // Refused before the first byte: once the workbook streams, an error can no longer be a problem response.
            WorkbookExport.Check(folder, request);
        }
        catch (WorkbookException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: e.Message);
        }

        // The workbook is a function of the run and the request alone (whose tenant is the scope's), so it is
        // built once and kept: the formatted reports in memory, the full fee table as a file.
        var cache = http.RequestServices.GetRequiredService<ResponseCache>();
        var key = new ResponseKey(scope.Run.Supplier, scope.Run.RunId, "workbook-" + request.Kind.ToString().ToUpperInvariant() + ".xlsx", request.Tenant,
            scope.TenantReader, ResponseVariant.Of(request.FiscalYear, request.ForTenantReader));
        var fileName = WorkbookExport.FileName(folder, request);
        if (request.Kind != WorkbookKind.FeeTable)
        {
            // ClosedXML builds these small reports in memory and synchronously: writing to a buffer completes at once.
            var bytes = cache.GetOrAdd(key, () =>
            {
                using var buffer = new MemoryStream();
                WorkbookExport.WriteAsync(folder, request, buffer).GetAwaiter().GetResult();
                return buffer.ToArray();
            });
            return TypedResults.File(bytes, WorkbookExport.ContentType, fileName);
        }

        if (await cache.FileAsync(key, ".xlsx", (file, token) => WorkbookExport.WriteAsync(folder, request, file, token)) is { } path)
        {
            try
            {
                // Opened now: the handle keeps the file readable even if the cache drops it before it is sent.
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                return TypedResults.File(file, WorkbookExport.ContentType, fileName);
            }
            catch (FileNotFoundException)
            {
                // Dropped by the cache between being found and being opened (many other runs' tables written meanwhile): stream it instead.
            }
        }

        return TypedResults.Stream(
            body => WorkbookExport.WriteAsync(folder, request, body, http.RequestAborted),
            WorkbookExport.ContentType,
            fileName);
    }
}
