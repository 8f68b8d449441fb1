using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.IO;

namespace ItDrift.Tbm.Hosting;

/// <summary>One API key as the keys file keeps it: never the key itself, only its SHA-256.</summary>
/// <param name="Id">The key's public id, also the second part of the key (<c>tbm_ID_SECRET</c>); what logs name.</param>
/// <param name="Role">The role name.</param>
/// <param name="Tenant">The tenant a tenant key is bound to.</param>
/// <param name="Supplier">The supplier a supplier key (or, optionally, a tenant key) is bound to.</param>
/// <param name="Name">Free text for people (who holds it).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole key.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Revoked">When it was revoked; a revoked key is kept for the record and refused.</param>
public sealed record ApiKeyEntry(
    string Id,
    string Role,
    string? Tenant,
    string? Supplier,
    string? Name,
    string Sha256,
    DateTimeOffset Created,
    DateTimeOffset? Revoked = null)
{
    /// <summary>What the key allows.</summary>
    /// <exception cref="InvalidDataException">The keys file gives it an unknown role, or ids that do not make a grant.</exception>
    public AccessGrant Grant()
    {
        if (!AccessGrant.TryParseRole(Role, out var role))
        {
            throw new InvalidDataException($"key {Id} has the unknown role '{Role}'");
        }

        return AccessGrant.TryCreate(role, Tenant, Supplier, out var grant, out var problem)
            ? grant
            : throw new InvalidDataException($"key {Id}: {AccessGrant.Describe(problem, role, Tenant, Supplier)}");
    }

    /// <summary>What the key allows, or <see langword="false"/> when the keys file gives it an unknown role or ids that do not make a grant.</summary>
    public bool TryGrant([NotNullWhen(true)] out AccessGrant? grant)
    {
        grant = null;
        return AccessGrant.TryParseRole(Role, out var role) && AccessGrant.TryCreate(role, Tenant, Supplier, out grant, out _);
    }
}

/// <summary>
/// The keys file of the embedded API-key authentication: JSON with one entry per key, holding the
/// key's SHA-256 and what it grants. A key is <c>tbm_</c> + a 12-hex-digit id + <c>_</c> + 32 random
/// bytes in base64url; it is shown once, when it is made, and cannot be recovered from the file.
/// </summary>
/// <remarks>
/// A plain SHA-256 suffices (no slow password hash) because the secret is 256 random bits, not
/// something a person chose: there is nothing to guess. The comparison is constant-time. The file is
/// rewritten atomically (temporary file, then rename) under an exclusive lock file, and made readable by
/// its owner only. Readers re-read it when it changes, so a revoked key stops working at once, without
/// a restart.
/// </remarks>
public sealed class ApiKeyStore
{
    /// <summary>The keys file used when none is named: <c>keys.json</c> in the working folder.</summary>
    public const string DefaultFile = "keys.json";

    private const string Prefix = "tbm_";

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private (DateTime Written, long Length, IReadOnlyList<ApiKeyEntry> Keys) _snapshot = (DateTime.MinValue, -1, []);

    /// <summary>A store over <paramref name="path"/> (which need not exist yet).</summary>
    public ApiKeyStore(string path, TimeProvider? time = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The keys file.</summary>
    public string Path { get; }

    /// <summary>Makes a new key, stores its hash, and returns the key: the only time it is ever shown.</summary>
    public (ApiKeyEntry Entry, string Key) Add(AccessGrant grant, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entry = new ApiKeyEntry(id, grant.RoleName, grant.Tenant, grant.Supplier, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), Hash(key), _time.GetUtcNow());
        Update(keys => [.. keys, entry]);
        return (entry, key);
    }

    /// <summary>Marks a key revoked. Returns false when there is no such key or it was revoked already.</summary>
    public bool Revoke(string id)
    {
        var revoked = false;
        Update(keys => [.. keys.Select(k =>
        {
            if (k.Revoked is null && string.Equals(k.Id, id, StringComparison.Ordinal))
            {
                revoked = true;
                return k with { Revoked = _time.GetUtcNow() };
            }

            return k;
        })]);
        return revoked;
    }

    /// <summary>Every key in the file, revoked ones included, in the order they were made.</summary>
    public IReadOnlyList<ApiKeyEntry> List() => Snapshot();

    /// <summary>The entry of a presented key, or <see langword="null"/> when it is malformed, unknown or revoked.</summary>
    public ApiKeyEntry? Verify(string? presented)
    {
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = presented.IndexOf('_', Prefix.Length);
        if (separator < 0)
        {
            return null;
        }

        var id = presented[Prefix.Length..separator];
        var entry = Snapshot().FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));
        if (entry is null)
        {
            return null;
        }

        var expected = Convert.FromHexString(entry.Sha256);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual) && entry.Revoked is null ? entry : null;
    }

    private IReadOnlyList<ApiKeyEntry> Snapshot()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return [];
        }

        lock (_gate)
        {
            if (_snapshot.Written != info.LastWriteTimeUtc || _snapshot.Length != info.Length)
            {
                _snapshot = (info.LastWriteTimeUtc, info.Length, Read(Path));
            }

            return _snapshot.Keys;
        }
    }

    private void Update(Func<IReadOnlyList<ApiKeyEntry>, IReadOnlyList<ApiKeyEntry>> change)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        using var gate = FileLock.Acquire(Path + ".lock", TimeSpan.FromSeconds(10));
        var keys = change(File.Exists(Path) ? Read(Path) : []);
        // Hashes only, but nobody else's business: readable by its owner alone.
        AtomicFile.Write(Path, stream =>
        {
            JsonSerializer.Serialize(stream, new KeysFile(1, [.. keys]), JsonOptions);
            stream.WriteByte((byte)'\n');
        }, ownerOnly: true);
    }

    private static IReadOnlyList<ApiKeyEntry> Read(string path)
    {
        try
        {
            var file = JsonSerializer.Deserialize<KeysFile>(File.ReadAllBytes(path), JsonOptions);
            return file?.Keys ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the keys file {path} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Lower-case hex SHA-256 of a key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed record KeysFile(int Version, IReadOnlyList<ApiKeyEntry> Keys);
}
