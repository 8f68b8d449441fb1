using System.Globalization;
using System.Text.Json;

namespace ItDrift.Tbm.Runs;

/// <summary>A run in the store: which supplier, which id, where, and when it was published.</summary>
/// <param name="Supplier">The supplier's id (from <c>model.json</c>).</param>
/// <param name="RunId">The run's id (a hash of engine version and inputs).</param>
/// <param name="Directory">The run folder.</param>
/// <param name="PublishedAt">When it was published (UTC).</param>
/// <param name="FiscalYears">The fiscal years it has results for.</param>
public sealed record PublishedRun(string Supplier, string RunId, string Directory, DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears);

/// <summary>
/// The folder of published runs: <c>ROOT/&lt;supplier&gt;/&lt;runId&gt;/</c>, immutable once published,
/// plus <c>ROOT/&lt;supplier&gt;/latest.json</c> naming the latest run overall and per fiscal year.
/// </summary>
/// <remarks>
/// Publishing is a rename of a finished run folder into place followed by an atomic replace of
/// <c>latest.json</c>, so readers see the previous run or the new one, never half of either. The run id
/// is a hash of the inputs, so publishing the same inputs twice finds the run already there and
/// publishes nothing new: retries and concurrent workers are safe.
/// </remarks>
public sealed class RunStore
{
    /// <summary>The file next to <c>run.json</c> with what publishing adds (time, years).</summary>
    public const string PublicationFile = "publication.json";

    /// <summary>Per supplier: the latest run overall and per fiscal year.</summary>
    public const string LatestFile = "latest.json";

    private readonly TimeProvider _time;

    /// <summary>A store rooted at <paramref name="root"/> (created when missing).</summary>
    public RunStore(string root, TimeProvider? time = null)
    {
        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>A fresh, private folder under the store for a run to be written into before it is published.</summary>
    public string NewWorkFolder()
    {
        var work = Path.Combine(Root, ".work", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(work)!);
        return work;
    }

    /// <summary>Moves a finished run folder into the store and points <c>latest.json</c> at it.</summary>
    /// <returns>The published run, and whether it was new (false: the same inputs were published before).</returns>
    public (PublishedRun Run, bool New) Publish(string runFolder, string supplier, string runId, IReadOnlyList<int> fiscalYears)
    {
        if (!Model.ModelManifest.IsId(supplier) || !Model.ModelManifest.IsId(runId))
        {
            throw new ArgumentException("supplier and run id must be ids");
        }

        var supplierFolder = Path.Combine(Root, supplier);
        System.IO.Directory.CreateDirectory(supplierFolder);
        var target = Path.Combine(supplierFolder, runId);
        var isNew = false;
        if (!System.IO.Directory.Exists(target))
        {
            var publication = new Publication(runId, supplier, _time.GetUtcNow(), [.. fiscalYears.Order()]);
            WriteJsonAtomically(Path.Combine(runFolder, PublicationFile), publication);
            try
            {
                System.IO.Directory.Move(runFolder, target);
                isNew = true;
            }
            catch (IOException) when (System.IO.Directory.Exists(target))
            {
                // Another worker published the same inputs a moment ago: that run stands.
            }
        }

        if (!isNew && System.IO.Directory.Exists(runFolder))
        {
            System.IO.Directory.Delete(runFolder, recursive: true);
        }

        var run = Read(supplier, runId) ?? throw new InvalidOperationException($"run {runId} of {supplier} is not readable after publishing");
        UpdateLatest(supplierFolder, run);
        return (run, isNew);
    }

    /// <summary>Every published run of a supplier (or of all suppliers), newest first.</summary>
    public IReadOnlyList<PublishedRun> List(string? supplier = null)
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return [];
        }

        var suppliers = supplier is null
            ? System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.')).Select(n => n!)
            : [supplier];
        return suppliers
            .SelectMany(s => System.IO.Directory.Exists(Path.Combine(Root, s)) ? System.IO.Directory.GetDirectories(Path.Combine(Root, s)).Select(d => Read(s, Path.GetFileName(d))) : [])
            .OfType<PublishedRun>()
            .OrderByDescending(r => r.PublishedAt).ThenBy(r => r.Supplier, StringComparer.Ordinal).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A published run, or <see langword="null"/>.</summary>
    public PublishedRun? Read(string supplier, string runId)
    {
        if (!Model.ModelManifest.IsId(supplier) || !Model.ModelManifest.IsId(runId))
        {
            return null;
        }

        var folder = Path.Combine(Root, supplier, runId);
        var file = Path.Combine(folder, PublicationFile);
        if (!File.Exists(file))
        {
            return null;
        }

        var publication = JsonSerializer.Deserialize<Publication>(File.ReadAllText(file), JsonOptions)!;
        return new PublishedRun(supplier, runId, folder, publication.PublishedAt, publication.FiscalYears);
    }

    /// <summary>The latest run of a supplier, overall or for one fiscal year.</summary>
    public PublishedRun? Latest(string supplier, int? fiscalYear = null)
    {
        if (!Model.ModelManifest.IsId(supplier))
        {
            return null;
        }

        var file = Path.Combine(Root, supplier, LatestFile);
        if (!File.Exists(file))
        {
            return null;
        }

        var latest = JsonSerializer.Deserialize<LatestRuns>(File.ReadAllText(file), JsonOptions)!;
        var runId = fiscalYear is { } year ? (latest.Years.TryGetValue(year.ToString(CultureInfo.InvariantCulture), out var id) ? id : null) : latest.RunId;
        return runId is null ? null : Read(supplier, runId);
    }

    private void UpdateLatest(string supplierFolder, PublishedRun run)
    {
        // Serialised per supplier by an exclusive lock file, so two workers cannot lose each other's update.
        using var gate = new FileStream(Path.Combine(supplierFolder, ".latest.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        var file = Path.Combine(supplierFolder, LatestFile);
        var latest = File.Exists(file) ? JsonSerializer.Deserialize<LatestRuns>(File.ReadAllText(file), JsonOptions)! : new LatestRuns(run.RunId, new SortedDictionary<string, string>(StringComparer.Ordinal));
        var years = new SortedDictionary<string, string>(latest.Years, StringComparer.Ordinal);
        foreach (var year in run.FiscalYears)
        {
            years[year.ToString(CultureInfo.InvariantCulture)] = run.RunId;
        }

        WriteJsonAtomically(file, new LatestRuns(run.RunId, years));
    }

    private static void WriteJsonAtomically<T>(string path, T value)
    {
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, JsonSerializer.Serialize(value, JsonOptions) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record Publication(string RunId, string Supplier, DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears);

    private sealed record LatestRuns(string RunId, IDictionary<string, string> Years);
}
