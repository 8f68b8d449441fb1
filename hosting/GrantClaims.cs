using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Hosting;

/// <summary>
/// How an <see cref="AccessGrant"/> travels in a <see cref="ClaimsPrincipal"/>, in both hosts (the read API and
/// the jobs host's dashboard) and whichever scheme authenticated the caller — an API key, a sign-in cookie or
/// a bearer token: one set of claims, written and read here only.
/// </summary>
/// <remarks>
/// The claim names are part of the dashboard's sign-in cookie, so a change to them signs everyone out. A bearer
/// token names its role, tenant and supplier in claims its identity provider chooses; <see cref="TryRead"/>
/// reads those under the names it is given, with the same rules.
/// </remarks>
public static class GrantClaims
{
    /// <summary>The role's name (<see cref="AccessGrant.RoleNames"/>).</summary>
    public const string RoleClaim = "tbm:role";

    /// <summary>The tenant id a tenant grant is bound to.</summary>
    public const string TenantClaim = "tbm:tenant";

    /// <summary>The supplier id a tenant or supplier grant is bound to.</summary>
    public const string SupplierClaim = "tbm:supplier";

    /// <summary>Who the caller is, for logs: <c>key ID</c> or <c>token SUBJECT</c>, never a secret.</summary>
    public const string CallerClaim = "tbm:caller";

    /// <summary>The id of the API key that authenticated the caller, when one did (so a revoked key can be refused later).</summary>
    public const string KeyClaim = "tbm:key";

    /// <summary>A principal holding <paramref name="grant"/>, authenticated by <paramref name="scheme"/>.</summary>
    /// <param name="grant">What the caller may see.</param>
    /// <param name="caller">Who the caller is, for logs (<see cref="CallerClaim"/>).</param>
    /// <param name="scheme">The authentication scheme (the identity's authentication type).</param>
    /// <param name="keyId">The API key's id, when a key authenticated the caller.</param>
    public static ClaimsPrincipal Principal(AccessGrant grant, string caller, string scheme, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var claims = new List<Claim> { new(ClaimTypes.Name, caller), new(RoleClaim, grant.RoleName), new(CallerClaim, caller) };
        if (grant.Tenant is { } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant));
        }

        if (grant.Supplier is { } supplier)
        {
            claims.Add(new Claim(SupplierClaim, supplier));
        }

        if (keyId is not null)
        {
            claims.Add(new Claim(KeyClaim, keyId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>A principal for an API key and what it grants.</summary>
    public static ClaimsPrincipal Principal(ApiKeyEntry key, AccessGrant grant, string scheme)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Principal(grant, "key " + key.Id, scheme, key.Id);
    }

    /// <summary>The caller's grant, or <see langword="null"/> when not authenticated or the claims do not make a valid grant.</summary>
    public static AccessGrant? Grant(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && TryRead(user, RoleClaim, TenantClaim, SupplierClaim, out var grant, out _) ? grant : null;
    }

    /// <summary>The id of the API key that authenticated the caller, if a key did.</summary>
    public static string? KeyId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(KeyClaim)?.Value;
    }

    /// <summary>The caller as logs name it: <c>key ID (tenant T-A of FK)</c>, or <c>anonymous</c>.</summary>
    public static string Caller(this ClaimsPrincipal user) =>
        user.Grant() is { } grant ? $"{user.FindFirst(CallerClaim)?.Value} ({grant})" : "anonymous";

    /// <summary>
    /// Reads a grant from claims under the given names — this host's own (<see cref="RoleClaim"/> …) or those a
    /// bearer token's identity provider uses.
    /// </summary>
    /// <returns>Whether the claims make a grant; otherwise <paramref name="problem"/> says why, in the domain's words.</returns>
    public static bool TryRead(ClaimsPrincipal claims, string roleClaim, string tenantClaim, string supplierClaim,
        [NotNullWhen(true)] out AccessGrant? grant, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(claims);
        grant = null;
        if (!AccessGrant.TryParseRole(claims.FindFirst(roleClaim)?.Value, out var role))
        {
            problem = $"the claims name no role ({string.Join(", ", AccessGrant.RoleNames)}) in {roleClaim}";
            return false;
        }

        var tenant = claims.FindFirst(tenantClaim)?.Value;
        var supplier = claims.FindFirst(supplierClaim)?.Value;
        if (!AccessGrant.TryCreate(role, tenant, supplier, out grant, out var why))
        {
            problem = AccessGrant.Describe(why, role, tenant, supplier);
            return false;
        }

        problem = null;
        return true;
    }
}
