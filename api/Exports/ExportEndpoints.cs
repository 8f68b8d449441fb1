using System.ComponentModel;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Exports;

/// <summary>
/// The workbooks, under the resource they show: a tenant's fee specification and true-up, the price
/// list, and (for the supplier's staff, the coordinator and ESV) the fee-area balance and the full fee
/// table. One implementation with <c>tbm export</c>: <see cref="WorkbookExport"/> in the engine.
/// </summary>
internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/fees/export.xlsx", (HttpContext http, [Description("The fee year; default the run's latest.")] int? fiscalYear) =>
                Workbook(http, new WorkbookRequest(WorkbookKind.FeeSpecification, RunAccessFilter.Scope(http).Tenant, fiscalYear)))
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
        run.MapGet("/balance/export.xlsx", (HttpContext http) => Workbook(http, new WorkbookRequest(WorkbookKind.Balance)))
            .WithName("ExportBalance").WithSummary("Fee-area result and balance as an Excel workbook (supplier, coordinator and ESV only)")
            .AllTenants().Xlsx();
        run.MapGet("/fees/export.xlsx", (HttpContext http) => Workbook(http, new WorkbookRequest(WorkbookKind.FeeTable)))
            .WithName("ExportFeeTable").WithSummary("Every tenant × service × cost pool as an Excel workbook, streamed (supplier, coordinator and ESV only)")
            .AllTenants().Xlsx();
        return run;
    }

    private static RouteHandlerBuilder Xlsx(this RouteHandlerBuilder builder) => builder
        .Produces(StatusCodes.Status200OK, contentType: WorkbookExport.ContentType)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static IResult Workbook(HttpContext http, WorkbookRequest request)
    {
        var folder = RunAccessFilter.Scope(http).Run.Folder;
        try
        {
            // Refused before the first byte: once the workbook streams, an error can no longer be a problem response.
            WorkbookExport.Check(folder, request);
        }
        catch (WorkbookException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: e.Message);
        }

        return TypedResults.Stream(
            body => WorkbookExport.WriteAsync(folder, request, body, http.RequestAborted),
            WorkbookExport.ContentType,
            WorkbookExport.FileName(folder, request));
    }
}
