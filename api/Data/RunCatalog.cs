using System.Collections.Concurrent;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Api.Data;

/// <summary>A published run as the API serves it: where it is in the store, and its folder, read once.</summary>
internal sealed record CatalogRun(PublishedRun Published, RunFolder Folder)
{
    public string RunId => Published.RunId;

    public string Supplier => Published.Supplier;
}

/// <summary>
/// The runs store the API reads (<c>runs/&lt;supplier&gt;/&lt;runId&gt;/</c>, written by <c>tbm run --publish</c>).
/// Published runs never change, so each is opened once and kept; a run id the catalog has not seen is
/// looked up in the store, so runs published while the server runs are found without a restart.
/// </summary>
/// <remarks>
/// A run id found once is not looked up in the store again (every request under <c>/v1/runs/{runId}</c>
/// asks): the id hashes the inputs, supplier included, so no other supplier can later publish a run
/// with the same id.
/// </remarks>
internal sealed class RunCatalog(RunStore store)
{
    private readonly ConcurrentDictionary<(string Supplier, string RunId), CatalogRun> _open = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<CatalogRun>> _found = new(StringComparer.Ordinal);

    public RunStore Store { get; } = store;

    /// <summary>The runs with this id (normally one: the id hashes the inputs, supplier included).</summary>
    public IReadOnlyList<CatalogRun> Find(string runId)
    {
        if (_found.TryGetValue(runId, out var known))
        {
            return known;
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
            return known;
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
}
