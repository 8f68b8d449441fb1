using System.Security.Claims;
using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Api.Access;

/// <summary>
/// How an <see cref="AccessGrant"/> travels in a <see cref="ClaimsPrincipal"/>, whichever scheme
/// authenticated the caller (an API key or a bearer token): one set of claims, read in one place.
/// </summary>
internal static class Grants
{
    public const string RoleClaim = "tbm:role";
    public const string TenantClaim = "tbm:tenant";
    public const string SupplierClaim = "tbm:supplier";

    /// <summary>Who the caller is, for the access log: a key id or a token subject, never a secret.</summary>
    public const string CallerClaim = "tbm:caller";

    public static ClaimsPrincipal Principal(AccessGrant grant, string caller, string scheme)
    {
        var claims = new List<Claim> { new(RoleClaim, grant.RoleName), new(CallerClaim, caller) };
        if (grant.Tenant is { } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant));
        }

        if (grant.Supplier is { } supplier)
        {
            claims.Add(new Claim(SupplierClaim, supplier));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller's grant, or <see langword="null"/> when not authenticated (or the claims do not make a valid grant).</summary>
    public static AccessGrant? Grant(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || !AccessGrant.TryParseRole(user.FindFirst(RoleClaim)?.Value, out var role))
        {
            return null;
        }

        try
        {
            return AccessGrant.Create(role, user.FindFirst(TenantClaim)?.Value, user.FindFirst(SupplierClaim)?.Value);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The caller as the access log names it.</summary>
    public static string Caller(this ClaimsPrincipal user) =>
        user.Grant() is { } grant ? $"{user.FindFirst(CallerClaim)?.Value} ({grant})" : "anonymous";
}
