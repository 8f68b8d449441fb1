using System.ComponentModel;
using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Reports;

/// <summary>
/// <c>/v1/reports/status.xlsx</c>: the yearly status report over every supplier's latest published runs
/// (<see cref="StatusReport"/>, as <c>tbm report status</c> writes it), for the coordinator and ESV. It
/// names every tenant of every supplier, so for anyone else it does not exist (404).
/// </summary>
internal static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder reports)
    {
        reports.MapGet("/status.xlsx", Status)
            .WithName("ExportStatusReport").WithSummary("The yearly status report over every supplier, as an Excel workbook (coordinator and ESV only)")
            .Produces(StatusCodes.Status200OK, contentType: WorkbookExport.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return reports;
    }

    internal static async Task<IResult> Status(
        HttpContext http, RunStore store,
        [Description("The fiscal year followed up.")] int? fiscalYear,
        [Description("actual (default), budget or forecast.")] string? scenario)
    {
        var grant = http.User.Grant()!;
        if (grant.Role is not (Role.Coordinator or Role.Esv))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No such report.");
        }

        if (fiscalYear is not { } year || scenario is not (null or "actual" or "budget" or "forecast"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: "Give fiscalYear (the year followed up) and, if not actual, scenario=budget or forecast.");
        }

        var path = Path.Combine(Path.GetTempPath(), "tbm-status-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            // No published run of the year, or no such tenant: the engine's TbmException (404, by the one handler).
            StatusReport.Write(new StatusReportOptions(year, store.Root, path) { Scenario = scenario ?? "actual" });

            var bytes = await File.ReadAllBytesAsync(path, http.RequestAborted);
            return TypedResults.File(bytes, WorkbookExport.ContentType, string.Create(CultureInfo.InvariantCulture, $"statusrapport-{year}.xlsx"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
