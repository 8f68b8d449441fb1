using System.Security.Claims;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;

namespace ItDrift.Tbm.Tests;

/// <summary>A grant as claims, as both hosts write and read it.</summary>
public sealed class GrantClaimsTests
{
    public static TheoryData<AccessGrant> Grants => new()
    {
        new AccessGrant(Role.Tenant, "T-A", "FK"),
        new AccessGrant(Role.Supplier, null, "FK"),
        new AccessGrant(Role.Coordinator),
        new AccessGrant(Role.Esv),
    };

    [Theory]
    [MemberData(nameof(Grants))]
    public void Principal_ReadsBackAsTheSameGrant(AccessGrant grant)
    {
        var user = GrantClaims.Principal(grant, "token alice", "Bearer");

        Assert.Equal(grant, user.Grant());
        Assert.Equal($"token alice ({grant})", user.Caller());
        Assert.Null(user.KeyId());
    }

    [Fact]
    public void Principal_OfAKey_NamesTheKey_NeverItsSecret()
    {
        const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        var entry = new ApiKeyEntry("0123456789ab", "supplier", null, "FK", "Ekonomi", Sha256, DateTimeOffset.UnixEpoch);
        var user = GrantClaims.Principal(entry, entry.Grant(), "ApiKey");

        Assert.Equal("0123456789ab", user.KeyId());
        Assert.Equal("key 0123456789ab (supplier FK)", user.Caller());
        Assert.Equal("key 0123456789ab", user.Identity?.Name);
        Assert.DoesNotContain(user.Claims, c => c.Value.Contains(Sha256, StringComparison.Ordinal));
    }

    [Fact]
    public void Grant_OfAnUnauthenticatedOrUnboundPrincipal_IsNone()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim(GrantClaims.RoleClaim, "esv")]));
        Assert.Null(anonymous.Grant());
        Assert.Equal("anonymous", anonymous.Caller());

        var unbound = new ClaimsPrincipal(new ClaimsIdentity([new Claim(GrantClaims.RoleClaim, "tenant"), new Claim(GrantClaims.TenantClaim, "T-A")], "ApiKey"));
        Assert.Null(unbound.Grant());
    }

    [Fact]
    public void TryRead_UnderATokensClaimNames_SaysWhatIsWrongInTheDomainsWords()
    {
        var token = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tbm_role", "tenant"), new Claim("tbm_tenant", "T-A")], "Bearer"));

        Assert.False(GrantClaims.TryRead(token, "tbm_role", "tbm_tenant", "tbm_supplier", out _, out var problem));
        Assert.Equal("a tenant grant needs a tenant id and a supplier id (a tenant id names an agency only within one supplier's packages)", problem);

        Assert.False(GrantClaims.TryRead(token, "role", "tbm_tenant", "tbm_supplier", out _, out problem));
        Assert.Equal("the claims name no role (tenant, supplier, coordinator, esv) in role", problem);

        var bound = new ClaimsPrincipal(new ClaimsIdentity([.. token.Claims, new Claim("tbm_supplier", "FK")], "Bearer"));
        Assert.True(GrantClaims.TryRead(bound, "tbm_role", "tbm_tenant", "tbm_supplier", out var grant, out _));
        Assert.Equal(new AccessGrant(Role.Tenant, "T-A", "FK"), grant);
    }
}
