using System.Globalization;
using System.Text.Json;

namespace ItDrift.Tbm.Runs;

/// <summary>Where a recalculation attempt is.</summary>
public enum AttemptStatus
{
    /// <summary>Started and not finished; if its process died, the next attempt for the package marks it <see cref="Interrupted"/>.</summary>
    Running,

    /// <summary>Its run was published (or had been published before with the same inputs).</summary>
    Published,

    /// <summary>The model had errors or the engine failed; <see cref="RunAttempt.Error"/> says why. Nothing was published.</summary>
    Failed,

    /// <summary>Its process stopped (killed, crashed, machine lost) before it finished. Nothing was published.</summary>
    Interrupted,

    /// <summary>Cancelled (host shutting down, job deleted). Nothing was published.</summary>
    Cancelled,
}

/// <summary>One recalculation attempt in the store's catalogue.</summary>
/// <param name="Id">The attempt's id: UTC start time and a random suffix, so ids sort by start.</param>
/// <param name="Package">The model package.</param>
/// <param name="Supplier">The supplier, when <c>model.json</c> could be read.</param>
/// <param name="RunId">The run id of the inputs, when known.</param>
/// <param name="Trigger">What started it (<c>nightly</c>, <c>on-demand</c>, <c>once</c>, <c>cli</c>).</param>
/// <param name="Process">The machine and process that ran it (<c>host-pid</c>).</param>
/// <param name="Status">Where it is.</param>
/// <param name="StartedAt">When it started (UTC).</param>
public sealed record RunAttempt(string Id, string Package, string? Supplier, string? RunId, string Trigger, string Process, AttemptStatus Status, DateTimeOffset StartedAt)
{
    /// <summary>When it ended (UTC); absent while running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The last progress stage reported (read, check, map, allocate, fees, write, publish).</summary>
    public string? Stage { get; init; }

    /// <summary>For people: the last progress message.</summary>
    public string? Message { get; init; }

    /// <summary>Why it failed, was interrupted or cancelled (model errors: their count and the first ones).</summary>
    public string? Error { get; init; }

    /// <summary>The fiscal years of the run it published.</summary>
    public IReadOnlyList<int>? FiscalYears { get; init; }
}

/// <content>The catalogue: every recalculation attempt, kept in <c>catalogue.json</c> at the store's root.</content>
public sealed partial class RunStore
{
    private const string CatalogueLock = ".catalogue.lock";

    /// <summary>How many failed, interrupted or cancelled attempts per package a prune keeps in the catalogue (default 50); attempts that published a run are all kept.</summary>
    public int AttemptsKeptPerPackage { get; init; } = 50;

    /// <summary>Records that a recalculation of <paramref name="start"/>'s package has started.</summary>
    public RunAttempt BeginAttempt(AttemptStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var now = _time.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}");
        var attempt = new RunAttempt(id, start.Package, start.Supplier, start.RunId, start.Trigger, ProcessTag, AttemptStatus.Running, now);
        UpdateCatalogue(attempts => [.. attempts, attempt]);
        return attempt;
    }

    /// <summary>
    /// Records that a package's inputs are those of its supplier's latest run again (an input reverted after an
    /// attempt that did not publish): an attempt that ends published at once, so the package is no longer failing.
    /// </summary>
    public RunAttempt RecordCurrent(AttemptStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var attempt = BeginAttempt(start);
        Finish(attempt.Id, AttemptStatus.Published, error: null, start.RunId, fiscalYears: null);
        return Attempt(attempt.Id) ?? attempt;
    }

    /// <summary>Records a running attempt's progress (call it when the stage changes, not on every message).</summary>
    public void ReportProgress(string attemptId, string stage, string message) =>
        UpdateCatalogue(attempts => [.. attempts.Select(a => a.Id == attemptId && a.Status == AttemptStatus.Running ? a with { Stage = stage, Message = message } : a)]);

    /// <summary>Records how an attempt ended without publishing (failed, cancelled, interrupted).</summary>
    public void EndAttempt(string attemptId, AttemptStatus status, string error)
    {
        if (status is AttemptStatus.Running or AttemptStatus.Published)
        {
            throw new ArgumentException("an attempt ends failed, cancelled or interrupted; publishing ends it published", nameof(status));
        }

        Finish(attemptId, status, error, runId: null, fiscalYears: null);
    }

    /// <summary>
    /// Marks the running attempts of <paramref name="package"/> as interrupted. Call it only while holding
    /// the package's recalculation lock (<see cref="LockPackage"/>) and before beginning an attempt: then
    /// nothing else can be running it, so a running attempt left in the catalogue belongs to a process that died.
    /// </summary>
    /// <returns>How many were marked.</returns>
    public int MarkAbandoned(string package, string reason)
    {
        var marked = 0;
        var now = _time.GetUtcNow();
        UpdateCatalogue(attempts => [.. attempts.Select(a =>
        {
            if (a.Status != AttemptStatus.Running || a.Package != package)
            {
                return a;
            }

            marked++;
            return a with { Status = AttemptStatus.Interrupted, FinishedAt = now, Error = reason };
        })]);
        return marked;
    }

    /// <summary>The catalogue's attempts, newest first; optionally of one supplier or package only.</summary>
    public IReadOnlyList<RunAttempt> Attempts(string? supplier = null, string? package = null) =>
        [.. ReadCatalogue()
            .Where(a => (supplier is null || a.Supplier == supplier) && (package is null || a.Package == package))
            .OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal)];

    /// <summary>One attempt, or <see langword="null"/>.</summary>
    public RunAttempt? Attempt(string attemptId) => ReadCatalogue().FirstOrDefault(a => a.Id == attemptId);

    /// <summary>
    /// Whether the package's inputs with this run id already failed with a model error: the same inputs
    /// would fail the same way, so the nightly pass does not try them again (an on-demand run does).
    /// </summary>
    public bool FailedBefore(string package, string runId) =>
        ReadCatalogue().Any(a => a.Package == package && a.RunId == runId && a.Status == AttemptStatus.Failed && a.Error?.StartsWith(ModelErrorPrefix, StringComparison.Ordinal) == true);

    /// <summary>How a failed attempt's error starts when the model had errors (rather than the engine failing).</summary>
    public const string ModelErrorPrefix = "model error";

    private void Finish(string attemptId, AttemptStatus status, string? error, string? runId, IReadOnlyList<int>? fiscalYears)
    {
        var now = _time.GetUtcNow();
        UpdateCatalogue(attempts => [.. attempts.Select(a => a.Id != attemptId ? a : a with
        {
            Status = status,
            FinishedAt = now,
            Error = error,
            RunId = runId ?? a.RunId,
            FiscalYears = fiscalYears ?? a.FiscalYears,
            Stage = status == AttemptStatus.Published ? "publish" : a.Stage,
        })]);
    }

    private List<RunAttempt> ReadCatalogue()
    {
        var file = Path.Combine(Root, CatalogueFile);
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<CatalogueDocument>(File.ReadAllText(file), JsonOptions)?.Attempts.ToList() ?? [] : [];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private void UpdateCatalogue(Func<IReadOnlyList<RunAttempt>, IReadOnlyList<RunAttempt>> change)
    {
        EnsureStore();
        using (Lock(Path.Combine(Root, CatalogueLock)))
        {
            var attempts = change(ReadCatalogue());
            WriteJsonAtomically(Path.Combine(Root, CatalogueFile), new CatalogueDocument(1, [.. attempts.OrderBy(a => a.StartedAt).ThenBy(a => a.Id, StringComparer.Ordinal)]));
        }
    }

    private sealed record CatalogueDocument(int Version, IReadOnlyList<RunAttempt> Attempts);
}
