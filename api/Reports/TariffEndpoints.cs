using System.ComponentModel;
using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Catalogue;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Reports;

/// <summary>
/// <c>/v1/tariffs</c>: unit prices per catalogue service and supplier, and the register of services
/// (<see cref="TariffComparison"/>, as <c>tbm report tariffs</c> writes them), for the coordinator and ESV
/// as the status report is; for anyone else it does not exist (404).
/// </summary>
internal static class TariffEndpoints
{
    public static RouteGroupBuilder MapTariffEndpoints(this RouteGroupBuilder tariffs)
    {
        tariffs.MapGet("", Tariffs)
            .WithName("GetTariffs").WithSummary("Unit prices per catalogue service and supplier, and the register of services (coordinator and ESV only)")
            .Produces<TariffView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        tariffs.MapGet("/export.xlsx", Workbook)
            .WithName("ExportTariffs").WithSummary("The tariff comparison as an Excel workbook (coordinator and ESV only)")
            .Produces(StatusCodes.Status200OK, contentType: WorkbookExport.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return tariffs;
    }

    internal static IResult Tariffs(
        HttpContext http, RunStore store,
        [Description("The fiscal year compared.")] int? year,
        [Description("actual (default), budget or forecast.")] string? scenario)
    {
        if (Refuse(http, year, scenario) is { } refusal)
        {
            return refusal;
        }

        return TypedResults.Ok(TariffComparison.Compute(store.Root, year!.Value, scenario ?? "actual"));
    }

    internal static async Task<IResult> Workbook(
        HttpContext http, RunStore store,
        [Description("The fiscal year compared.")] int? year,
        [Description("actual (default), budget or forecast.")] string? scenario)
    {
        if (Refuse(http, year, scenario) is { } refusal)
        {
            return refusal;
        }

        var path = Path.Combine(Path.GetTempPath(), "tbm-tariffs-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            TariffReport.Write(new TariffReportOptions(year!.Value, store.Root, path) { Scenario = scenario ?? "actual" });
            var bytes = await File.ReadAllBytesAsync(path, http.RequestAborted);
            return TypedResults.File(bytes, WorkbookExport.ContentType, string.Create(CultureInfo.InvariantCulture, $"tariffer-{year}.xlsx"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IResult? Refuse(HttpContext http, int? year, string? scenario)
    {
        if (http.User.Grant() is not { Role: Role.Coordinator or Role.Esv })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No such resource.");
        }

        if (year is null || scenario is not (null or "actual" or "budget" or "forecast"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: "Give year (the fiscal year compared) and, if not actual, scenario=budget or forecast.");
        }

        return null;
    }
}
