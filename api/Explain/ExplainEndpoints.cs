using System.ComponentModel;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Explain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ItDrift.Tbm.Api.Explain;

/// <summary>
/// How a fee came about: <c>/v1/runs/{runId}/tenants/{tenantId}/fees/{serviceId}/explain</c>, by the engine's
/// <see cref="FeeExplainer"/> (the same as <c>tbm explain</c>) over the API's in-memory copies of the run's tables.
/// </summary>
internal static class ExplainEndpoints
{
    public static RouteGroupBuilder MapExplainEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/fees/{serviceId}/explain", Explain)
            .WithName("ExplainFee").WithSummary("How a tenant's fee for a service came about")
            .WithDescription("The chain of allocation rules and shares from the fee back to cost pools, objects, ledger accounts and cost centres; the origins' amounts sum exactly to the fee. Default period: the latest fiscal year with this fee, actual before forecast before budget.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return run;
    }

    private static Results<Ok<FeeExplanation>, ProblemHttpResult> Explain(
        HttpContext http, string serviceId, RunTables tables,
        [Description("The fiscal year; default the latest with this fee.")] int? fiscalYear,
        [Description("actual, budget or forecast; default the best-known.")] string? scenario)
    {
        var scope = RunAccessFilter.Scope(http);
        var explanation = Ids.IsId(serviceId)
            ? FeeExplainer.Explain(scope.Run.Folder, tables.Of(scope.Run), scope.Tenant!, serviceId, fiscalYear, scenario, scope.TenantReader)
            : null;
        return explanation is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"Tenant {scope.Tenant} has no fee for {serviceId} in run {scope.Run.RunId} for that period.")
            : TypedResults.Ok(explanation);
    }
}
