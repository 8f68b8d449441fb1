using System.Collections.Concurrent;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Api.Data;

/// <summary>A published run as the API serves it: where it is in the store, and its folder, read once.</summary>
internal sealed record CatalogRun(PublishedRun Published, RunFolder Folder)
{
    public string RunId => Published.RunId;

    public string Supplier => Published.Supplier;
}

/// <summary>What the API keeps of a run beside the catalog (table copies, answers), dropped when the run leaves the store.</summary>
internal interface IRunCache
{
    /// <summary>Drops everything kept of the run.</summary>
    void Drop(string supplier, string runId);
}

/// <summary>
/// The runs store the API reads (<c>runs/&lt;supplier&gt;/&lt;runId&gt;/</c>, written by <c>tbm run --publish</c>).
/// Published runs never change, so each is opened once and kept; a run id the catalog has not seen is
/// looked up in the store, so runs published while the server runs are found without a restart.
/// </summary>
/// <remarks>
/// <para>A run id found once is not looked up in the store again: the id hashes the inputs, supplier
/// included, so no other supplier can later publish a run with the same id.</para>
/// <para>A run does not change until it is removed (<c>tbm runs prune</c>), and the store removes a run by
/// renaming its folder away first. So every time a run is found here its <c>publication.json</c> is checked
/// to still be there — one file-system lookup, no reading — and a run that is gone is forgotten at once,
/// with everything the <see cref="IRunCache"/>s keep of it: from that request on it answers as a run that
/// never existed.</para>
/// </remarks>
internal sealed partial class RunCatalog(RunStore store, IEnumerable<IRunCache> caches, ILogger<RunCatalog> logger)
{
    private readonly ConcurrentDictionary<(string Supplier, string RunId), CatalogRun> _open = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<CatalogRun>> _found = new(StringComparer.Ordinal);
    private readonly IRunCache[] _caches = [.. caches];

    public RunStore Store { get; } = store;

    /// <summary>The runs with this id (normally one: the id hashes the inputs, supplier included).</summary>
    public IReadOnlyList<CatalogRun> Find(string runId)
    {
        if (_found.TryGetValue(runId, out var known))
        {
            if (known.All(Exists))
            {
                return known;
            }

            foreach (var gone in known.Where(r => !Exists(r)))
            {
                Forget(gone);
            }
        }

        if (!Ids.IsPathSegment(runId) || !Directory.Exists(Store.Root))
        {
            return [];
        }

        var found = new List<CatalogRun>();
        foreach (var supplierFolder in Directory.EnumerateDirectories(Store.Root))
        {
            var supplier = Path.GetFileName(supplierFolder);
            if (Ids.IsPathSegment(supplier) && Open(supplier, runId) is { } run)
            {
                found.Add(run);
            }
        }

        // Unknown ids are not remembered: they may be published later, and a caller could fill memory with them.
        return found.Count > 0 ? _found.GetOrAdd(runId, found) : found;
    }

    /// <summary>A published run of a supplier, or <see langword="null"/>.</summary>
    public CatalogRun? Open(string supplier, string runId)
    {
        if (_open.TryGetValue((supplier, runId), out var known))
        {
            if (Exists(known))
            {
                return known;
            }

            Forget(known);
        }

        if (!Ids.IsPathSegment(supplier) || !Ids.IsPathSegment(runId) || Store.Read(supplier, runId) is not { } published)
        {
            return null;
        }

        return _open.GetOrAdd((supplier, runId), _ => new CatalogRun(published, RunFolder.Open(published.Directory)));
    }

    /// <summary>Every published run, newest first.</summary>
    public IReadOnlyList<CatalogRun> List() =>
        [.. Store.List().Where(r => Ids.IsPathSegment(r.Supplier)).Select(r => Open(r.Supplier, r.RunId)).OfType<CatalogRun>()];

    /// <summary>The suppliers that have published runs.</summary>
    public IReadOnlyList<string> Suppliers() => !Directory.Exists(Store.Root)
        ? []
        : [.. Directory.EnumerateDirectories(Store.Root).Select(Path.GetFileName).OfType<string>().Where(Ids.IsPathSegment).Order(StringComparer.Ordinal)];

    /// <summary>Whether the run is still in the store (its folder is renamed away before it is deleted).</summary>
    public static bool Exists(CatalogRun run) => File.Exists(Path.Combine(run.Published.Directory, RunStore.PublicationFile));

    /// <summary>Forgets a run that left the store, and drops whatever is kept of it.</summary>
    public void Forget(CatalogRun run)
    {
        var first = _open.TryRemove(KeyValuePair.Create((run.Supplier, run.RunId), run));
        if (_found.TryGetValue(run.RunId, out var found) && found.Contains(run))
        {
            _found.TryRemove(KeyValuePair.Create(run.RunId, found));
        }

        foreach (var cache in _caches)
        {
            cache.Drop(run.Supplier, run.RunId);
        }

        if (first)
        {
            Removed(logger, run.RunId, run.Supplier);
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Run {RunId} of {Supplier} is no longer in the store; it answers 404 and what was kept of it is dropped")]
    private static partial void Removed(ILogger logger, string runId, string supplier);
}
