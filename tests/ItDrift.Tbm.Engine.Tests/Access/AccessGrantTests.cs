using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Tests.Access;

/// <summary>Which role is bound to what, and how the engine says it when it is not.</summary>
public sealed class AccessGrantTests
{
    [Theory]
    [InlineData(Role.Tenant, null, null, GrantProblem.TenantUnbound)]
    [InlineData(Role.Tenant, "T-A", null, GrantProblem.TenantUnbound)]
    [InlineData(Role.Tenant, null, "FK", GrantProblem.TenantUnbound)]
    [InlineData(Role.Tenant, "../x", "FK", GrantProblem.NotATenantId)]
    [InlineData(Role.Supplier, null, null, GrantProblem.SupplierUnbound)]
    [InlineData(Role.Supplier, "T-A", "FK", GrantProblem.SupplierUnbound)]
    [InlineData(Role.Supplier, null, "..", GrantProblem.NotASupplierId)]
    [InlineData(Role.Supplier, " ", ".work", GrantProblem.NotASupplierId)]
    [InlineData(Role.Coordinator, "T-A", null, GrantProblem.EverythingBound)]
    [InlineData(Role.Esv, null, "FK", GrantProblem.EverythingBound)]
    public void Grant_BoundWrongly_IsRefused_InTheDomainsWords(Role role, string? tenant, string? supplier, GrantProblem expected)
    {
        Assert.False(AccessGrant.TryCreate(role, tenant, supplier, out var grant, out var problem));
        Assert.Null(grant);
        Assert.Equal(expected, problem);

        var e = Assert.Throws<TbmException>(() => AccessGrant.Create(role, tenant, supplier));
        Assert.Equal(AccessGrant.Describe(problem, role, tenant, supplier), e.Message);
        // No host's syntax: the message reaches command lines, token failures and logs alike.
        Assert.DoesNotContain("--", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_SaysWhatEachRoleNeeds()
    {
        Assert.Equal("a tenant grant needs a tenant id and a supplier id (a tenant id names an agency only within one supplier's packages)",
            AccessGrant.Describe(GrantProblem.TenantUnbound, Role.Tenant, "T-A", null));
        Assert.Equal("a supplier grant needs a supplier id and no tenant id", AccessGrant.Describe(GrantProblem.SupplierUnbound, Role.Supplier, null, null));
        Assert.Equal("the esv role sees everything; its grant is bound to neither a tenant nor a supplier", AccessGrant.Describe(GrantProblem.EverythingBound, Role.Esv, null, "FK"));
        Assert.Equal("'T A' is not a tenant id (letters, digits, _ - .)", AccessGrant.Describe(GrantProblem.NotATenantId, Role.Tenant, " T A ", "FK"));
    }

    [Theory]
    [InlineData(Role.Tenant, " T-A ", "FK", "T-A", "FK")]
    [InlineData(Role.Supplier, "", "FK", null, "FK")]
    [InlineData(Role.Coordinator, " ", null, null, null)]
    public void Grant_BoundRightly_IsMade_WithBlankIdsAsNone(Role role, string? tenant, string? supplier, string? expectedTenant, string? expectedSupplier)
    {
        Assert.True(AccessGrant.TryCreate(role, tenant, supplier, out var grant, out var problem));
        Assert.Equal(GrantProblem.None, problem);
        Assert.Equal(new AccessGrant(role, expectedTenant, expectedSupplier), grant);
    }
}
