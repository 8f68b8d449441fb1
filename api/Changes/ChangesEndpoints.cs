using System.ComponentModel;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Changes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ItDrift.Tbm.Api.Changes;

/// <summary>A tenant's fee bridge between two runs (or two years or scenarios of one) of its supplier.</summary>
/// <param name="From">The side compared from.</param>
/// <param name="To">The side compared to: the run in the path.</param>
/// <param name="Lines">Per service: fees, change, volume and price effect, volumes and unit prices (a unit price only where the disclosure policy shows the service to the caller).</param>
/// <param name="Change">The tenant's change over every line.</param>
/// <param name="VolumeEffect">Its volume effect.</param>
/// <param name="PriceEffect">Its price effect.</param>
internal sealed record TenantChanges(BridgeEnd From, BridgeEnd To, IReadOnlyList<BridgeLine> Lines, decimal Change, decimal VolumeEffect, decimal PriceEffect);

/// <summary>
/// Why a tenant's fees changed: <c>/v1/runs/{runId}/tenants/{tenantId}/changes?from=RUN</c>, by the engine's
/// <see cref="FeeBridge"/> (the same as <c>tbm changes</c>), for the tenant's own lines only.
/// </summary>
internal static class ChangesEndpoints
{
    public static RouteGroupBuilder MapChangesEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/changes", Changes)
            .WithName("TenantChanges").WithSummary("Why a tenant's fees changed: volume and price effect per service")
            .WithDescription("The fee bridge from another run of the same supplier (from; default this run) and its year and scenario (fromYear, fromScenario) to this run's (fiscalYear, scenario); default periods: the latest year and its best-known scenario. volumeEffect + priceEffect = change on every line, exactly. A tenant sees its own lines; a service's unit price only where the disclosure policy shows that service.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return run;
    }

    /// <summary>The run a bridge of this scope compares from: this run by default, else another run of its supplier the caller may see; <see langword="null"/> when there is none such.</summary>
    internal static CatalogRun? Source(RunScope scope, RunCatalog catalog, string? from) =>
        from is null || from == scope.Run.RunId
            ? scope.Run
            : catalog.Find(from).FirstOrDefault(r => string.Equals(r.Supplier, scope.Run.Supplier, StringComparison.Ordinal) && RunAccessFilter.Visible(r, scope.Grant));

    private static Results<Ok<TenantChanges>, ProblemHttpResult> Changes(
        HttpContext http, RunCatalog catalog,
        [Description("The run to compare from (same supplier); default this run.")] string? from,
        [Description("The from side's fiscal year; default its latest.")] int? fromYear,
        [Description("The from side's scenario; default its best-known.")] string? fromScenario,
        [Description("This run's fiscal year; default its latest.")] int? fiscalYear,
        [Description("This run's scenario; default its best-known.")] string? scenario)
    {
        var scope = RunAccessFilter.Scope(http);
        if (Source(scope, catalog, from) is not { } source)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"There is no run {from} of {scope.Run.Supplier} for you to compare from.");
        }

        var (fromEnd, toEnd, lines) = FeeBridge.Lines(source.Folder, fromYear, fromScenario, scope.Run.Folder, fiscalYear, scenario, scope.Tenant);
        if (scope.TenantReader)
        {
            lines = FeeBridge.ForTenantReader(lines, source.Folder, fromEnd, scope.Run.Folder, toEnd);
        }

        return TypedResults.Ok(new TenantChanges(fromEnd, toEnd, lines, lines.Sum(l => l.Change), lines.Sum(l => l.VolumeEffect), lines.Sum(l => l.PriceEffect)));
    }
}
