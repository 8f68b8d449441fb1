using ItDrift.Tbm.Runs;
using Microsoft.Extensions.Logging;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>How a package's recalculation ended.</summary>
internal enum RecalculationOutcome
{
    /// <summary>Its inputs were recalculated and a new run published.</summary>
    Published,

    /// <summary>Its inputs had been published before; <c>latest.json</c> now names that run again.</summary>
    Repointed,

    /// <summary>Its inputs are those of the latest run: nothing to do.</summary>
    Unchanged,

    /// <summary>Its inputs failed with model errors before; the nightly pass does not try them again.</summary>
    KnownFailure,

    /// <summary>The model has errors; recorded in the catalogue, nothing published.</summary>
    ModelError,
}

/// <summary>Where a package stands before a pass.</summary>
internal enum PackageState
{
    /// <summary>Its inputs are not published and did not fail before: to be recalculated.</summary>
    Changed,

    /// <summary>Its inputs are the latest run's.</summary>
    Current,

    /// <summary>Its inputs are the latest run's again after an attempt that did not publish (now recorded as current).</summary>
    Reverted,

    /// <summary>Its inputs failed with model errors before; not tried again until they change.</summary>
    KnownFailure,

    /// <summary>It cannot be read now (a file locked or gone); tried again next pass.</summary>
    Unreadable,
}

/// <summary>A package's state, the run id of its inputs, and why it fails (known failures, unreadable).</summary>
internal sealed record PackageCheck(PackageRef Package, PackageState State, string? RunId, string? Error);

/// <summary>What a recalculation did, for logs and the CLI.</summary>
internal sealed record RecalculationResult(string Package, RecalculationOutcome Outcome, string? Supplier, string? RunId, string? Error = null);

/// <summary>
/// Recalculates one model package into the runs store, safely: under the package's lock, only when its
/// inputs are not the latest published ones, into a private work folder published by rename. The jobs
/// and <c>tbm host --once</c> call it; it holds no state between calls.
/// </summary>
internal sealed class Recalculator(HostSettings settings, RunStore store, IPackageLocks locks, ILogger<Recalculator> logger)
{
    private readonly RunPublisher _publisher = new(store, locks.Acquire);

    public ModelPackages Packages { get; } = new(settings.ModelsDirectory);

    public RunStore Store => store;

    /// <summary>The packages whose inputs are not the latest published run (cheap: hashes files, runs nothing).</summary>
    public IReadOnlyList<PackageRef> Changed(IReadOnlyList<PackageRef> packages, bool includeKnownFailures) =>
        [.. Check(packages).Where(c => c.State == PackageState.Changed || (includeKnownFailures && c.State == PackageState.KnownFailure)).Select(c => c.Package)];

    /// <summary>
    /// Where each package stands (cheap: hashes files, runs nothing). A package whose inputs are the latest
    /// run's again after an attempt that did not publish (its input reverted) is recorded as current in the
    /// catalogue, so that <c>tbm status</c> no longer lists it as failing.
    /// </summary>
    public IReadOnlyList<PackageCheck> Check(IReadOnlyList<PackageRef> packages)
    {
        var checks = new List<PackageCheck>();
        foreach (var package in packages)
        {
            try
            {
                var fingerprint = PackageFingerprint.Of(package.Directory);
                var current = fingerprint.Supplier is not null && store.IsCurrent(fingerprint.Supplier, fingerprint.RunId);
                if (current)
                {
                    var reverted = store.Attempts(package: package.Key).FirstOrDefault() is { Status: AttemptStatus.Failed or AttemptStatus.Interrupted or AttemptStatus.Cancelled };
                    if (reverted)
                    {
                        store.RecordCurrent(new AttemptStart(package.Key, fingerprint.Supplier, fingerprint.RunId, "check"));
                        logger.LogInformation("Package {Package}: its inputs are those of run {RunId} again; it is current", package.Key, fingerprint.RunId);
                    }

                    checks.Add(new PackageCheck(package, reverted ? PackageState.Reverted : PackageState.Current, fingerprint.RunId, null));
                }
                else if (store.FailedBefore(package.Key, fingerprint.RunId))
                {
                    var error = store.Attempts(package: package.Key).FirstOrDefault(a => a.RunId == fingerprint.RunId && a.Status == AttemptStatus.Failed)?.Error;
                    checks.Add(new PackageCheck(package, PackageState.KnownFailure, fingerprint.RunId, error));
                }
                else
                {
                    checks.Add(new PackageCheck(package, PackageState.Changed, fingerprint.RunId, null));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Package {Package} cannot be read now ({Reason}); it is tried again next pass", package.Key, e.Message);
                checks.Add(new PackageCheck(package, PackageState.Unreadable, null, e.Message));
            }
        }

        return checks;
    }

    /// <summary>Recalculates a package if its inputs changed, and publishes the run.</summary>
    /// <param name="package">The package.</param>
    /// <param name="trigger">What asked for it (<c>nightly</c>, <c>on-demand</c>, <c>once</c>).</param>
    /// <param name="retryModelErrors">Run even when the same inputs failed with model errors before (on demand).</param>
    /// <param name="progress">Where progress goes besides the log and the catalogue (the job's dashboard entry).</param>
    /// <param name="cancellationToken">Stops the run between stages; nothing is published then.</param>
    /// <exception cref="OperationCanceledException">Cancelled; recorded as cancelled.</exception>
    /// <exception cref="Exception">The engine failed (not a model error); recorded as failed, and the job is retried.</exception>
    public RecalculationResult Recalculate(PackageRef package, string trigger, bool retryModelErrors, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Package"] = package.Key, ["Trigger"] = trigger });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PublishResult published;
        try
        {
            published = _publisher.Publish(
                new PublishRequest(package.Key, package.Directory, trigger) { Settings = settings.Engine, RetryModelErrors = retryModelErrors, LockTimeout = settings.PackageLockTimeout },
                new LogProgress(logger, progress), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Recalculation of package {Package} cancelled; nothing published", package.Key);
            throw;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            logger.LogError(e, "Recalculation of package {Package} failed; nothing published, the previous run stays the latest", package.Key);
            throw;
        }

        if (published.Abandoned > 0)
        {
            logger.LogWarning("Package {Package}: {Count} earlier attempt(s) were interrupted and are marked so in the catalogue", package.Key, published.Abandoned);
        }

        switch (published.Outcome)
        {
            case PublishOutcome.Unchanged:
                logger.LogInformation("Package {Package} of {Supplier} is unchanged: run {RunId} is the latest", package.Key, published.Supplier, published.RunId);
                return new RecalculationResult(package.Key, RecalculationOutcome.Unchanged, published.Supplier, published.RunId);
            case PublishOutcome.Repointed:
                logger.LogInformation("Package {Package} of {Supplier}: its inputs were published before as run {RunId}; latest.json names it again", package.Key, published.Supplier, published.RunId);
                return new RecalculationResult(package.Key, RecalculationOutcome.Repointed, published.Supplier, published.RunId);
            case PublishOutcome.KnownFailure:
                logger.LogInformation("Package {Package}: these inputs failed with model errors before; not tried again until they change", package.Key);
                return new RecalculationResult(package.Key, RecalculationOutcome.KnownFailure, published.Supplier, published.RunId);
            case PublishOutcome.ModelError:
                logger.LogError("Package {Package} has model errors; nothing published, the previous run stays the latest: {Error}", package.Key, published.Error);
                return new RecalculationResult(package.Key, RecalculationOutcome.ModelError, published.Supplier, published.RunId, published.Error);
            default:
                var run = published.Published!;
                logger.LogInformation(
                    "Published run {RunId} of {Supplier} from package {Package} for {Years} in {Seconds:0.0} s",
                    run.RunId, run.Supplier, package.Key, string.Join(",", run.FiscalYears), clock.Elapsed.TotalSeconds);
                return new RecalculationResult(package.Key, RecalculationOutcome.Published, run.Supplier, run.RunId);
        }
    }

    /// <summary>Applies retention when configured: keeps the newest runs, final ones and latest ones.</summary>
    public void ApplyRetention()
    {
        if (settings.Keep <= 0)
        {
            return;
        }

        var pruned = store.Prune(settings.Keep);
        if (pruned.Removed.Count > 0 || pruned.WorkFoldersRemoved > 0)
        {
            logger.LogInformation("Retention removed {Runs} old run(s) and {Work} leftover work folder(s); kept {Kept}", pruned.Removed.Count, pruned.WorkFoldersRemoved, pruned.Kept.Count);
        }
    }

    /// <summary>Progress to the log and the job's dashboard entry (the publisher writes each stage to the catalogue).</summary>
    private sealed class LogProgress(ILogger logger, IProgress<string>? job) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            logger.LogInformation("{Stage}: {Message}", value.Stage, value.Message);
            job?.Report($"{value.Stage}: {value.Message}");
        }
    }
}
