using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;

namespace ItDrift.Tbm.Tests;

/// <summary>The keys file: hashes at rest, verification, revocation.</summary>
public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tbm-keys-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void Add_StoresOnlyTheHash_AndVerifiesTheKey()
    {
        var store = new ApiKeyStore(Path.Combine(_folder, "keys.json"));
        var (entry, key) = store.Add(AccessGrant.Create(Role.Tenant, "T-A", "FK"), "Myndighet A:s ekonomistab");

        Assert.Matches("^tbm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        var file = File.ReadAllText(store.Path);
        Assert.DoesNotContain(key, file, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^43..], file, StringComparison.Ordinal);
        Assert.Contains(ApiKeyStore.Hash(key), file, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        }

        var found = new ApiKeyStore(store.Path).Verify(key);
        Assert.Equal(entry.Id, found?.Id);
        Assert.Equal(new AccessGrant(Role.Tenant, "T-A", "FK"), found!.Grant());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tbm_")]
    [InlineData("tbm_abc")]
    [InlineData("not-a-key")]
    public void Verify_RefusesMalformedKeys(string? presented) =>
        Assert.Null(new ApiKeyStore(Path.Combine(_folder, "keys.json")).Verify(presented));

    [Fact]
    public void Verify_RefusesAWrongSecret_AndARevokedKey()
    {
        var store = new ApiKeyStore(Path.Combine(_folder, "keys.json"));
        var (entry, key) = store.Add(AccessGrant.Create(Role.Esv, null, null));
        Assert.Null(store.Verify(key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
        Assert.NotNull(store.Verify(key));

        Assert.True(store.Revoke(entry.Id));
        Assert.False(store.Revoke(entry.Id));
        Assert.Null(store.Verify(key));
        Assert.NotNull(store.List().Single().Revoked);
    }

    [Fact]
    public void Grant_OfAKeyTheFileBindsWrongly_IsRefusedAsABadFile()
    {
        var entry = new ApiKeyEntry("0123456789ab", "supplier", Tenant: "T-A", Supplier: "FK", Name: null, Sha256: "00", Created: DateTimeOffset.UnixEpoch);

        Assert.False(entry.TryGrant(out _));
        var e = Assert.Throws<InvalidDataException>(() => entry.Grant());
        Assert.Equal("key 0123456789ab: a supplier grant needs a supplier id and no tenant id", e.Message);
        Assert.False((entry with { Role = "admin" }).TryGrant(out _));
        Assert.True((entry with { Tenant = null }).TryGrant(out var grant));
        Assert.Equal(new AccessGrant(Role.Supplier, null, "FK"), grant);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
