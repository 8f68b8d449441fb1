using System.Security.Cryptography;
using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Hosting;

namespace ItDrift.Tbm.Api.Access;

/// <summary>A run resource the caller has been found allowed to read: the run, the caller's grant, and the tenant the route names (if any).</summary>
internal sealed record RunScope(CatalogRun Run, AccessGrant Grant, string? Tenant)
{
    /// <summary>Whether the caller is a tenant, whose view of aggregates is suppressed when they cover few tenants.</summary>
    public bool TenantReader => Grant.Role == Role.Tenant;
}

/// <summary>Marks an endpoint that shows every tenant's rows: supplier, coordinator and ESV only.</summary>
internal sealed class AllTenantsMetadata;

/// <summary>
/// Marks an endpoint a prospective tenant may use on a run it is not (yet) a tenant of: a tenant key bound
/// to the run's supplier. Only the quote, which is the prospect's own figures and aggregates of others.
/// </summary>
internal sealed class ProspectsMetadata;

/// <summary>
/// The authorization of every endpoint under <c>/v1/runs/{runId}</c>, in one place, before the endpoint
/// runs: the ids in the route are checked before they come near a file; the run must exist and belong
/// to a supplier the caller may read; a tenant caller must be a tenant of the run and may name only
/// itself; endpoints marked <see cref="AllTenantsMetadata"/> refuse tenants, and only those marked
/// <see cref="ProspectsMetadata"/> admit a prospect. Whatever the caller may not read answers 404, exactly
/// as if it did not exist, so nothing confirms another tenant's or supplier's data. A run removed from the
/// store answers exactly as one never published, from the first request after its removal
/// (<see cref="RunCatalog"/> checks on every lookup). Then, for reads, the
/// ETag: run resources are immutable, so a matching <c>If-None-Match</c> answers 304. A POST (a quote)
/// answers for its body, which the ETag does not cover: it is neither validated nor stored.
/// </summary>
internal sealed class RunAccessFilter(RunCatalog catalog) : IEndpointFilter
{
    private const string ScopeKey = "tbm:run-scope";

    public static RunScope Scope(HttpContext context) =>
        context.Items[ScopeKey] as RunScope ?? throw new InvalidOperationException("the endpoint is not under the run access filter");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Grant() is not { } grant)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Send an API key in X-Api-Key or a bearer token.");
        }

        var values = http.Request.RouteValues;
        var runId = values["runId"] as string;
        var tenant = values.TryGetValue("tenantId", out var t) ? t as string ?? "" : null;
        if (runId is null || !Ids.IsPathSegment(runId) || (tenant is not null && !Ids.IsId(tenant)))
        {
            return NotFound("There is no such run or tenant.");
        }

        var prospects = http.GetEndpoint()?.Metadata.GetMetadata<ProspectsMetadata>() is not null;
        var run = catalog.Find(runId).FirstOrDefault(r => Visible(r, grant) || (prospects && Prospect(r, grant)));
        if (run is null)
        {
            return NoSuchRun(runId);
        }

        var allTenants = http.GetEndpoint()?.Metadata.GetMetadata<AllTenantsMetadata>() is not null;
        if (allTenants && !grant.SeesAllTenants)
        {
            return NotFound($"Run {runId} has no such resource.");
        }

        if (tenant is not null && (!grant.MaySeeTenant(tenant) || !run.Folder.Tenants.ContainsKey(tenant)))
        {
            return NotFound($"Run {runId} has no tenant {tenant}.");
        }

        http.Items[ScopeKey] = new RunScope(run, grant, tenant);
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.Headers.CacheControl = "no-store";
            return await Answer(context, next, run);
        }

        var etag = ETag(http, run, grant);
        http.Response.Headers.CacheControl = "private, no-cache";
        http.Response.Headers.Vary = "Accept, X-Api-Key, Authorization";
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(e => e.Trim() == etag || e.Trim() == "*")))
        {
            http.Response.Headers.ETag = etag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode == StatusCodes.Status200OK)
            {
                http.Response.Headers.ETag = etag;
            }

            return Task.CompletedTask;
        });
        return await Answer(context, next, run);
    }

    /// <summary>The answer for a run that has no such run: the same for a run id never published and one removed from the store.</summary>
    public static IResult NoSuchRun(string runId) => NotFound($"There is no run {runId}.");

    /// <summary>
    /// The endpoint's answer; if it fails because the run was removed from the store while it ran (and
    /// nothing was sent yet), the answer for a run that does not exist.
    /// </summary>
    private async ValueTask<object?> Answer(EndpointFilterInvocationContext context, EndpointFilterDelegate next, CatalogRun run)
    {
        try
        {
            return await next(context);
        }
        catch (Exception) when (!context.HttpContext.Response.HasStarted && !RunCatalog.Exists(run))
        {
            catalog.Forget(run);
            return NoSuchRun(run.RunId);
        }
    }

    /// <summary>Whether a run exists for the caller at all.</summary>
    public static bool Visible(CatalogRun run, AccessGrant grant) => grant.MaySeeRun(run.Folder);

    /// <summary>
    /// A prospective tenant of the run: a tenant key bound to the run's supplier (by whoever issued it), whose
    /// tenant is not a tenant of the run. An unbound tenant key is never a prospect, so a tenant of another
    /// supplier finds nothing here.
    /// </summary>
    public static bool Prospect(CatalogRun run, AccessGrant grant) =>
        grant.Role == Role.Tenant && grant.Supplier is not null && string.Equals(grant.Supplier, run.Supplier, StringComparison.Ordinal)
            && !run.Folder.Tenants.ContainsKey(grant.Tenant!);

    private static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    /// <summary>
    /// A weak validator: the run (immutable), the API's version, the resource and representation asked
    /// for, and the caller's grant (tenants see some aggregates suppressed, so the same URL can differ by caller).
    /// </summary>
    private static string ETag(HttpContext http, CatalogRun run, AccessGrant grant)
    {
        var request = http.Request;
        var text = string.Join('\n', EngineInfo.Version, run.Supplier, run.RunId, request.Path.Value, request.QueryString.Value,
            request.Headers.Accept.ToString(), grant.ToString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        return $"W/\"{run.RunId}-{hash}\"";
    }
}
