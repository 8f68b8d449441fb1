using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Runs;

/// <summary>A run in the store: which supplier, which id, where, and when it was published.</summary>
/// <param name="Supplier">The supplier's id (from <c>model.json</c>).</param>
/// <param name="RunId">The run's id (a hash of engine version and inputs).</param>
/// <param name="Directory">The run folder.</param>
/// <param name="PublishedAt">When it was published (UTC).</param>
/// <param name="FiscalYears">The fiscal years it has results for.</param>
public sealed record PublishedRun(string Supplier, string RunId, string Directory, DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears)
{
    /// <summary>When the recalculation that produced it started (absent for runs published by hand before 0.1).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When that recalculation finished (the run folder was complete).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The model package it was computed from (its path under the models folder), when known.</summary>
    public string? Package { get; init; }

    /// <summary>The catalogue attempt that published it.</summary>
    public string? Attempt { get; init; }

    /// <summary>The final mark, when the run was ever marked final (such a run is never pruned).</summary>
    public FinalMark? Final { get; init; }
}

/// <summary>Why a run must be kept for ever: e.g. the invoice that was based on it.</summary>
/// <param name="MarkedAt">When it was marked (UTC).</param>
/// <param name="Reason">Free text for people (an invoice number, a decision).</param>
public sealed record FinalMark(DateTimeOffset MarkedAt, string? Reason);

/// <summary>What a recalculation records before it runs: where the run comes from and why.</summary>
/// <param name="Package">The model package (its path under the models folder, or its folder name).</param>
/// <param name="Supplier">The supplier's id from <c>model.json</c>, when it could be read.</param>
/// <param name="RunId">The run id the inputs will give (see <see cref="PackageFingerprint"/>), when known.</param>
/// <param name="Trigger">What started it: <c>nightly</c>, <c>on-demand</c>, <c>once</c>, <c>cli</c>.</param>
public sealed record AttemptStart(string Package, string? Supplier, string? RunId, string Trigger);

/// <summary>
/// The folder of published runs: <c>ROOT/&lt;supplier&gt;/&lt;runId&gt;/</c>, immutable once published,
/// plus <c>ROOT/&lt;supplier&gt;/latest.json</c> naming the latest run overall and per fiscal year,
/// <c>ROOT/&lt;supplier&gt;/final.json</c> with the runs marked final, and <c>ROOT/catalogue.json</c>
/// with every recalculation attempt (running, published, failed, interrupted, cancelled).
/// </summary>
/// <remarks>
/// <para>Publishing is a rename of a finished run folder into place followed by an atomic replace of
/// <c>latest.json</c>, so readers see the previous run or the new one, never half of either. The run id
/// is a hash of the inputs, so publishing the same inputs twice finds the run already there and
/// publishes nothing new: retries and concurrent workers are safe.</para>
/// <para>A run folder is never written after the rename: <c>run.json</c> is deterministic (identical
/// inputs give identical bytes), and what publishing adds (times, package, attempt) is written to
/// <c>publication.json</c> before the rename. Final marks live beside the run folders, not in them.</para>
/// <para>Every change to a supplier's <c>latest.json</c>, <c>final.json</c> or its run folders is made
/// under an exclusive lock file per supplier, and every change to the catalogue under the catalogue's
/// lock file, so several hosts may share the store over a network file system that supports locks
/// (NFS v4, SMB); renames within the store are atomic there too.</para>
/// </remarks>
public sealed partial class RunStore
{
    /// <summary>The file next to <c>run.json</c> with what publishing adds (times, years, package).</summary>
    public const string PublicationFile = "publication.json";

    /// <summary>Per supplier: the latest run overall and per fiscal year.</summary>
    public const string LatestFile = "latest.json";

    /// <summary>Per supplier: the runs marked final.</summary>
    public const string FinalFile = "final.json";

    /// <summary>The store's catalogue of recalculation attempts.</summary>
    public const string CatalogueFile = "catalogue.json";

    private const string WorkFolder = ".work";
    private const string TrashFolder = ".trash";
    private const string SupplierLock = ".latest.lock";

    // Before ProcessTag: static initialisers run in the order they are written.
    private static readonly string Incarnation = Guid.NewGuid().ToString("N")[..6];

    private readonly TimeProvider _time;

    /// <summary>A store rooted at <paramref name="root"/> (created when missing).</summary>
    public RunStore(string root, TimeProvider? time = null)
    {
        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>How long to wait for another process's lock on the catalogue or a supplier (default 60 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>This process, as work folders and catalogue attempts name it: <c>machine-pid-xxxxxx</c>.</summary>
    /// <remarks>A random suffix tells this process from an earlier one with the same id on the same machine (a restarted container is often pid 1 again).</remarks>
    public static string ProcessTag { get; } = $"{MachineTag()}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Incarnation}";


    /// <summary>A fresh, private folder under the store for a run to be written into before it is published.</summary>
    /// <remarks>Its name carries the machine and process, so a later clean-up can tell a dead process's leftovers from live work.</remarks>
    public string NewWorkFolder()
    {
        EnsureStore();
        var work = Path.Combine(Root, WorkFolder, $"{ProcessTag}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(work)!);
        return work;
    }

    /// <summary>Moves a finished run folder into the store and points <c>latest.json</c> at it.</summary>
    /// <returns>The published run, and whether it was new (false: the same inputs were published before).</returns>
    public (PublishedRun Run, bool New) Publish(string runFolder, string supplier, string runId, IReadOnlyList<int> fiscalYears) =>
        Publish(runFolder, supplier, runId, fiscalYears, attempt: null);

    /// <summary>
    /// Moves a finished run folder into the store, points <c>latest.json</c> at it, and records the
    /// catalogue attempt (from <see cref="BeginAttempt"/>) as published.
    /// </summary>
    /// <returns>The published run, and whether it was new (false: the same inputs were published before, and that run stands).</returns>
    /// <exception cref="TbmException">The supplier or run id is not an id.</exception>
    public (PublishedRun Run, bool New) Publish(string runFolder, string supplier, string runId, IReadOnlyList<int> fiscalYears, RunAttempt? attempt)
    {
        ArgumentNullException.ThrowIfNull(fiscalYears);
        CheckIds(supplier, runId);
        EnsureStore();
        var supplierFolder = Path.Combine(Root, supplier);
        System.IO.Directory.CreateDirectory(supplierFolder);
        var target = Path.Combine(supplierFolder, runId);
        var isNew = false;
        if (!System.IO.Directory.Exists(target))
        {
            var now = _time.GetUtcNow();
            var publication = new Publication(runId, supplier, now, [.. fiscalYears.Order()])
            {
                StartedAt = attempt?.StartedAt,
                FinishedAt = now,
                Package = attempt?.Package,
                Attempt = attempt?.Id,
            };
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

        if (!isNew && System.IO.Directory.Exists(runFolder) && IsWorkFolder(runFolder))
        {
            // The store's own work folder, not needed: the same inputs were published before.
            System.IO.Directory.Delete(runFolder, recursive: true);
        }

        var run = Read(supplier, runId) ?? throw new InvalidOperationException($"run {runId} of {supplier} is not readable after publishing");
        using (Lock(Path.Combine(supplierFolder, SupplierLock)))
        {
            UpdateLatest(supplierFolder, run);
        }

        if (attempt is not null)
        {
            Finish(attempt.Id, AttemptStatus.Published, isNew ? null : "the same inputs were published before; that run stands", run.RunId, run.FiscalYears);
        }

        return (run, isNew);
    }

    /// <summary>
    /// Whether <paramref name="runId"/> is published and is what <c>latest.json</c> names for every one
    /// of its fiscal years: then there is nothing to recalculate or re-point for these inputs.
    /// </summary>
    public bool IsCurrent(string supplier, string runId)
    {
        if (Read(supplier, runId) is not { } run)
        {
            return false;
        }

        var latest = ReadLatest(supplier);
        if (latest is null)
        {
            return false;
        }

        return run.FiscalYears.Count == 0
            ? string.Equals(latest.RunId, runId, StringComparison.Ordinal)
            : run.FiscalYears.All(y => latest.Years.TryGetValue(y.ToString(CultureInfo.InvariantCulture), out var id) && string.Equals(id, runId, StringComparison.Ordinal));
    }

    /// <summary>Points <c>latest.json</c> at a run already published (e.g. after a crash between the rename and the pointer update, or when a package went back to earlier inputs).</summary>
    /// <exception cref="TbmException">There is no such run.</exception>
    public PublishedRun MakeLatest(string supplier, string runId)
    {
        CheckIds(supplier, runId);
        EnsureStore();
        var supplierFolder = Path.Combine(Root, supplier);
        using (Lock(Path.Combine(supplierFolder, SupplierLock)))
        {
            var run = Read(supplier, runId) ?? throw TbmException.NotFound($"run {runId} of {supplier} is not in the store");
            UpdateLatest(supplierFolder, run);
            return run;
        }
    }

    /// <summary>The suppliers that have a folder in the store, ordinally.</summary>
    public IReadOnlyList<string> Suppliers() => !System.IO.Directory.Exists(Root)
        ? []
        : [.. System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(Ids.IsPathSegment).Order(StringComparer.Ordinal)];

    /// <summary>Every published run of a supplier (or of all suppliers), newest first.</summary>
    public IReadOnlyList<PublishedRun> List(string? supplier = null)
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return [];
        }

        var suppliers = supplier is null ? Suppliers() : [supplier];
        return suppliers
            .Where(Ids.IsPathSegment)
            .SelectMany(s => System.IO.Directory.Exists(Path.Combine(Root, s)) ? ReadAll(s) : [])
            .OrderByDescending(r => r.PublishedAt).ThenBy(r => r.Supplier, StringComparer.Ordinal).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A published run, or <see langword="null"/>.</summary>
    public PublishedRun? Read(string supplier, string runId)
    {
        if (!Ids.IsPathSegment(supplier) || !Ids.IsPathSegment(runId))
        {
            return null;
        }

        return ReadRun(supplier, runId, ReadFinalMarks(supplier));
    }

    /// <summary>The latest run of a supplier, overall or for one fiscal year.</summary>
    public PublishedRun? Latest(string supplier, int? fiscalYear = null)
    {
        var latest = ReadLatest(supplier);
        if (latest is null)
        {
            return null;
        }

        var runId = fiscalYear is { } year ? (latest.Years.TryGetValue(year.ToString(CultureInfo.InvariantCulture), out var id) ? id : null) : latest.RunId;
        return runId is null ? null : Read(supplier, runId);
    }

    /// <summary>The latest run per fiscal year of a supplier, by year.</summary>
    public IReadOnlyDictionary<int, PublishedRun> LatestByYear(string supplier)
    {
        var result = new SortedDictionary<int, PublishedRun>();
        if (ReadLatest(supplier) is not { } latest)
        {
            return result;
        }

        var finals = ReadFinalMarks(supplier);
        foreach (var (year, runId) in latest.Years)
        {
            if (int.TryParse(year, NumberStyles.Integer, CultureInfo.InvariantCulture, out var y) && ReadRun(supplier, runId, finals) is { } run)
            {
                result[y] = run;
            }
        }

        return result;
    }

    private IEnumerable<PublishedRun> ReadAll(string supplier)
    {
        var finals = ReadFinalMarks(supplier);
        return System.IO.Directory.GetDirectories(Path.Combine(Root, supplier))
            .Select(Path.GetFileName).OfType<string>().Where(Ids.IsPathSegment)
            .Select(id => ReadRun(supplier, id, finals)).OfType<PublishedRun>();
    }

    private PublishedRun? ReadRun(string supplier, string runId, IReadOnlyDictionary<string, FinalMark> finals)
    {
        var folder = Path.Combine(Root, supplier, runId);
        var file = Path.Combine(folder, PublicationFile);
        if (!File.Exists(file))
        {
            return null;
        }

        Publication publication;
        try
        {
            publication = JsonSerializer.Deserialize<Publication>(File.ReadAllText(file), JsonOptions)!;
        }
        catch (FileNotFoundException)
        {
            return null; // pruned while we looked
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return new PublishedRun(supplier, runId, folder, publication.PublishedAt, publication.FiscalYears)
        {
            StartedAt = publication.StartedAt,
            FinishedAt = publication.FinishedAt,
            Package = publication.Package,
            Attempt = publication.Attempt,
            Final = finals.GetValueOrDefault(runId),
        };
    }

    private LatestRuns? ReadLatest(string supplier)
    {
        if (!Ids.IsPathSegment(supplier))
        {
            return null;
        }

        var file = Path.Combine(Root, supplier, LatestFile);
        return File.Exists(file) ? JsonSerializer.Deserialize<LatestRuns>(File.ReadAllText(file), JsonOptions) : null;
    }

    private static void UpdateLatest(string supplierFolder, PublishedRun run)
    {
        var file = Path.Combine(supplierFolder, LatestFile);
        var latest = File.Exists(file) ? JsonSerializer.Deserialize<LatestRuns>(File.ReadAllText(file), JsonOptions)! : new LatestRuns(run.RunId, new SortedDictionary<string, string>(StringComparer.Ordinal));
        var years = new SortedDictionary<string, string>(latest.Years, StringComparer.Ordinal);
        foreach (var year in run.FiscalYears)
        {
            years[year.ToString(CultureInfo.InvariantCulture)] = run.RunId;
        }

        WriteJsonAtomically(file, new LatestRuns(run.RunId, years));
    }

    /// <summary>Whether <paramref name="folder"/> is one of the store's work folders (from <see cref="NewWorkFolder"/>).</summary>
    private bool IsWorkFolder(string folder) =>
        string.Equals(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), Path.Combine(Root, WorkFolder), StringComparison.Ordinal);

    private static void CheckIds(string supplier, string runId)
    {
        if (!Ids.IsPathSegment(supplier) || !Ids.IsPathSegment(runId))
        {
            throw TbmException.Usage("supplier and run id must be ids (letters, digits, _ - .; not starting with .)");
        }
    }

    /// <summary>
    /// Takes the exclusive recalculation lock of a model package, waiting while another process or thread
    /// holds it. Held by an open file, so the operating system releases it when the holder dies.
    /// </summary>
    /// <exception cref="TimeoutException">It was not free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public IDisposable LockPackage(string package, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        EnsureStore();
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(package)))[..24];
        var path = Path.Combine(Root, ".locks", name + ".lock");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return IO.FileLock.Acquire(path, timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"package {package} was being recalculated elsewhere for longer than {timeout}", e);
        }
    }

    /// <summary>An exclusive lock file of the store (<see cref="IO.FileLock"/>), waited for up to <see cref="LockTimeout"/>.</summary>
    private IDisposable Lock(string path)
    {
        EnsureStore();
        return IO.FileLock.Acquire(path, LockTimeout);
    }

    private static void WriteJsonAtomically<T>(string path, T value) => IO.AtomicFile.Write(path, stream =>
    {
        JsonSerializer.Serialize(stream, value, JsonOptions);
        stream.WriteByte((byte)'\n');
    });

    private static string MachineTag()
    {
        var name = new string([.. Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return name.Length == 0 ? "host" : name;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Publication(string RunId, string Supplier, DateTimeOffset PublishedAt, IReadOnlyList<int> FiscalYears)
    {
        public DateTimeOffset? StartedAt { get; init; }

        public DateTimeOffset? FinishedAt { get; init; }

        public string? Package { get; init; }

        public string? Attempt { get; init; }

        public string Status { get; init; } = "published";
    }

    private sealed record LatestRuns(string RunId, IDictionary<string, string> Years);
}
