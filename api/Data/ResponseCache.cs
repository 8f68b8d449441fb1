using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ItDrift.Tbm.IO;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Api.Data;

/// <summary>
/// Everything an answer is a function of. Runs never change once published, so an answer computed for a
/// key is the answer for that key for as long as the run exists.
/// </summary>
/// <param name="Supplier">The run's supplier.</param>
/// <param name="RunId">The run.</param>
/// <param name="Resource">The endpoint and representation (e.g. <c>tenant-fees.json</c>).</param>
/// <param name="Tenant">
/// The tenant whose data it is, taken from the access check's scope (the route's tenant, which a tenant
/// caller can only name when it is itself), never from anything else the caller sent.
/// </param>
/// <param name="TenantReader">Whether the caller is a tenant (whose view of aggregates is suppressed).</param>
/// <param name="Variant">The normalised parameters that change the answer (filters, page), from the parsed values.</param>
internal readonly record struct ResponseKey(string Supplier, string RunId, string Resource, string? Tenant, bool TenantReader, string Variant);

/// <summary>The <see cref="ResponseKey.Variant"/> of parsed parameters: each written with its length, so no two lists give the same text.</summary>
internal static class ResponseVariant
{
    public static string Of(params object?[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            var value = part is null ? null : Convert.ToString(part, CultureInfo.InvariantCulture);
            text.Append(value is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{value.Length}:{value}")).Append(';');
        }

        return text.ToString();
    }
}

/// <summary>
/// Answers of published runs kept for reuse: small ones (JSON pages, the formatted workbooks) in memory,
/// bounded by <c>ResponseCache:MaxMegabytes</c> (default 64; 0 turns every cache off), least recently
/// used first out; the full fee-table workbook, which runs to tens of megabytes, as a file in
/// <c>ResponseCache:Folder</c> (default a folder under the system's temporary directory), at most
/// <c>ResponseCache:MaxFiles</c> (default 16) of them, oldest first out.
/// </summary>
/// <remarks>
/// <para>The cache is looked up only by endpoints, after <see cref="Access.RunAccessFilter"/> has decided
/// that the caller may read the resource, with a <see cref="ResponseKey"/> whose tenant is the scope's. So
/// an entry can only ever be served to a caller who was allowed to read exactly that tenant's resource:
/// it saves the work, never the access check.</para>
/// <para>Concurrent requests for the same key compute it once; an error is not cached. Files are written
/// to a temporary name and renamed, so a file under its final name is always whole.</para>
/// <para>A run's answers, in memory and as files, are dropped as soon as the run leaves the store
/// (<see cref="Drop"/>, from <see cref="RunCatalog"/>).</para>
/// </remarks>
internal sealed partial class ResponseCache : IRunCache
{
    /// <summary>An answer larger than this share of the memory budget is not kept.</summary>
    private const int LargestShare = 16;

    private readonly ConcurrentDictionary<ResponseKey, Entry> _memory = new();
    private readonly ConcurrentDictionary<ResponseKey, Lazy<Task<string>>> _files = new();
    private readonly Lock _eviction = new();
    private readonly ILogger<ResponseCache> _logger;
    private readonly CancellationToken _stopping;
    private long _bytes;

    public ResponseCache(IConfiguration configuration, RunStore store, IHostApplicationLifetime lifetime, ILogger<ResponseCache> logger)
    {
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        var section = configuration.GetSection("ResponseCache");
        MaxBytes = (long)(double.Parse(section["MaxMegabytes"] ?? "64", CultureInfo.InvariantCulture) * 1024 * 1024);
        MaxFiles = int.Parse(section["MaxFiles"] ?? "16", CultureInfo.InvariantCulture);
        var storeHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(store.Root))))[..12];
        Folder = Path.GetFullPath(section["Folder"] is { Length: > 0 } folder ? folder : Path.Combine(Path.GetTempPath(), "tbm-api-cache", storeHash));
    }

    /// <summary>Whether answers are kept at all.</summary>
    public bool Enabled => MaxBytes > 0;

    /// <summary>The memory budget in bytes.</summary>
    public long MaxBytes { get; }

    /// <summary>How many files are kept.</summary>
    public int MaxFiles { get; }

    /// <summary>Where files are kept.</summary>
    public string Folder { get; }

    /// <summary>The bytes held in memory now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The answer for <paramref name="key"/>: kept, or built now (once, however many ask at the same time) and kept.</summary>
    public byte[] GetOrAdd(in ResponseKey key, Func<byte[]> build)
    {
        if (!Enabled)
        {
            return build();
        }

        var entry = _memory.GetOrAdd(key, static (_, b) => new Entry(b), build);
        byte[] value;
        try
        {
            value = entry.Value;
        }
        catch
        {
            _memory.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }

        entry.LastUsed = Environment.TickCount64;
        if (entry.Account())
        {
            if (value.Length > MaxBytes / LargestShare)
            {
                _memory.TryRemove(KeyValuePair.Create(key, entry));
            }
            else if (Interlocked.Add(ref _bytes, value.Length) > MaxBytes)
            {
                Evict();
            }
        }

        return value;
    }

    /// <summary>
    /// A file holding the answer for <paramref name="key"/>, written by <paramref name="write"/> the first time
    /// (once, however many ask at the same time), or <see langword="null"/> when the cache is off.
    /// </summary>
    public async Task<string?> FileAsync(ResponseKey key, string extension, Func<Stream, CancellationToken, Task> write)
    {
        if (!Enabled || MaxFiles <= 0)
        {
            return null;
        }

        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', EngineInfo.Version, key.Supplier, key.RunId, key.Resource, key.Tenant, key.TenantReader, key.Variant))))[..32] + extension;
        var lazy = _files.GetOrAdd(key, _ => new Lazy<Task<string>>(() => Write(Path.Combine(Folder, name), write)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            // The folder is not this process's own: answer without the file cache rather than trust or fail.
            _files.TryRemove(KeyValuePair.Create(key, lazy));
            FolderRefused(_logger, Folder, e.Message);
            return null;
        }
        catch
        {
            _files.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    /// <summary>Drops every answer kept for the run, in memory and as files (the run left the store).</summary>
    public void Drop(string supplier, string runId)
    {
        foreach (var (key, entry) in _memory)
        {
            if (key.Supplier == supplier && key.RunId == runId && _memory.TryRemove(KeyValuePair.Create(key, entry)) && entry.IsAccounted)
            {
                Interlocked.Add(ref _bytes, -entry.Value.Length);
            }
        }

        foreach (var (key, file) in _files)
        {
            if (key.Supplier == supplier && key.RunId == runId && _files.TryRemove(KeyValuePair.Create(key, file))
                && file.IsValueCreated && file.Value.IsCompletedSuccessfully)
            {
                try
                {
                    // An answer being sent keeps its open handle.
                    File.Delete(file.Value.Result);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // best effort: the oldest files are trimmed anyway
                }
            }
        }
    }

    /// <summary>Whether any answer of the run is kept, in memory or as a file.</summary>
    public bool Holds(string supplier, string runId) =>
        _memory.Keys.Any(k => k.Supplier == supplier && k.RunId == runId) || _files.Keys.Any(k => k.Supplier == supplier && k.RunId == runId);

    /// <summary>
    /// Creates the folder readable by this user only, and refuses one that others may write to: a file under
    /// its final name is served as it is, so nobody else may be able to put one there (the default folder is
    /// under the shared temporary directory).
    /// </summary>
    private void EnsurePrivateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }

        Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        const UnixFileMode Others = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        if ((File.GetUnixFileMode(Folder) & Others) != 0)
        {
            throw new UnauthorizedAccessException("others may read or write it (chmod 700 it, or set ResponseCache:Folder)");
        }
    }

    private async Task<string> Write(string path, Func<Stream, CancellationToken, Task> write)
    {
        EnsurePrivateFolder();
        if (File.Exists(path))
        {
            return path;
        }

        // Not the request's token: others may be waiting for the same file, and the work is bounded.
        await AtomicFile.WriteAsync(path, write, overwrite: true, _stopping).ConfigureAwait(false);

        Written(_logger, path);
        TrimFiles(path);
        return path;
    }

    /// <summary>Keeps the <see cref="MaxFiles"/> newest files (and the one just written); files the cache did not name are never touched.</summary>
    private void TrimFiles(string keep)
    {
        var files = new DirectoryInfo(Folder).GetFiles().Where(f => CacheFileName().IsMatch(f.Name)).OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        foreach (var old in files.Where(f => f.FullName != keep).Skip(Math.Max(0, MaxFiles - 1)))
        {
            try
            {
                // An answer being sent keeps its open handle; the next request writes the file again.
                old.Delete();
                foreach (var (key, _) in _files.Where(f => f.Value.IsValueCreated && f.Value.Value.IsCompletedSuccessfully && f.Value.Value.Result == old.FullName).ToList())
                {
                    _files.TryRemove(key, out _);
                }
            }
            catch (IOException)
            {
                // best effort: another server sharing the folder may have removed it
            }
        }
    }

    /// <summary>Drops the least recently used answers until a quarter of the budget is free.</summary>
    private void Evict()
    {
        lock (_eviction)
        {
            if (Interlocked.Read(ref _bytes) <= MaxBytes)
            {
                return;
            }

            var target = MaxBytes - (MaxBytes / 4);
            foreach (var (key, entry) in _memory.Where(e => e.Value.IsAccounted).OrderBy(e => e.Value.LastUsed).ToList())
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }

                if (_memory.TryRemove(KeyValuePair.Create(key, entry)))
                {
                    Interlocked.Add(ref _bytes, -entry.Value.Length);
                }
            }
        }
    }

    /// <summary>How the cache names its files: 32 hex digits of the key's hash and the extension.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{32}\\.[A-Za-z0-9]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CacheFileName();

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The response cache does not use {Folder}: {Reason}; workbooks are built for each request")]
    private static partial void FolderRefused(ILogger logger, string folder, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Cached answer written to {Path}")]
    private static partial void Written(ILogger logger, string path);

    private sealed class Entry(Func<byte[]> build)
    {
        private readonly Lazy<byte[]> _value = new(build, LazyThreadSafetyMode.ExecutionAndPublication);
        private int _accounted;

        public byte[] Value => _value.Value;

        public long LastUsed { get; set; } = Environment.TickCount64;

        public bool IsAccounted => Volatile.Read(ref _accounted) == 1;

        /// <summary>True exactly once: for the caller that counts the entry's size into the budget.</summary>
        public bool Account() => Interlocked.Exchange(ref _accounted, 1) == 0;
    }
}
