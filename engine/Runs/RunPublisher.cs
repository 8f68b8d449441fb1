using System.Globalization;
using ItDrift.Tbm.Ingest;

namespace ItDrift.Tbm.Runs;

/// <summary>What to publish: a model package, who asked, and the options of its run.</summary>
/// <param name="Package">The package's key in the catalogue (its folder name under the models folder, or the folder itself).</param>
/// <param name="ModelDirectory">The package folder.</param>
/// <param name="Trigger">What asked for it: <c>cli</c>, <c>nightly</c>, <c>on-demand</c>, <c>once</c>.</param>
public sealed record PublishRequest(string Package, string ModelDirectory, string Trigger)
{
    /// <summary>How the engine may use the machine.</summary>
    public EngineSettings Settings { get; init; } = EngineSettings.Default;

    /// <summary>The run folder whose closing balances carry forward, if any (part of the run id).</summary>
    public string? PreviousRun { get; init; }

    /// <summary>What is accepted in SIE files (part of the run id when the package has SIE files).</summary>
    public SieAcceptance Sie { get; init; } = SieAcceptance.None;

    /// <summary>Run even when the same inputs failed with model errors before; <see langword="false"/>: skip them until they change (the nightly pass).</summary>
    public bool RetryModelErrors { get; init; } = true;

    /// <summary>How long to wait for another publisher of the same package.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>How a publication ended.</summary>
public enum PublishOutcome
{
    /// <summary>The package was run and its run published.</summary>
    Published,

    /// <summary>The same inputs and options were published before; <c>latest.json</c> names that run again.</summary>
    Repointed,

    /// <summary>The same inputs and options are the latest run already: nothing to do.</summary>
    Unchanged,

    /// <summary>The same inputs failed with model errors before and <see cref="PublishRequest.RetryModelErrors"/> is off.</summary>
    KnownFailure,

    /// <summary>The model has errors: recorded in the catalogue, nothing published, the previous run stands.</summary>
    ModelError,
}

/// <summary>What a publication did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Supplier">The supplier, when <c>model.json</c> names one.</param>
/// <param name="RunId">The run id of the inputs and options.</param>
/// <param name="Run">The engine's result, when the package was run (errors and warnings); <see langword="null"/> when it was not.</param>
/// <param name="Published">The published run, for <see cref="PublishOutcome.Published"/>, <see cref="PublishOutcome.Repointed"/> and <see cref="PublishOutcome.Unchanged"/>.</param>
/// <param name="Attempt">The catalogue's attempt, when one was recorded.</param>
/// <param name="Error">For <see cref="PublishOutcome.ModelError"/>: the catalogue's one-line summary.</param>
/// <param name="Abandoned">How many earlier attempts of the package were found interrupted and marked so.</param>
public sealed record PublishResult(
    PublishOutcome Outcome, string? Supplier, string RunId, RunResult? Run, PublishedRun? Published, RunAttempt? Attempt, string? Error, int Abandoned);

/// <summary>
/// The one way a run is published, for the command line and the jobs host alike: under the package's lock,
/// earlier interrupted attempts marked, skipped when its inputs and options are already published, an
/// attempt recorded in the catalogue, the engine run into a private work folder of the store, and published
/// by rename (or the failure recorded).
/// </summary>
/// <param name="store">The runs store.</param>
/// <param name="acquireLock">Takes the package's lock (the store's lock file by default; the jobs host adds PostgreSQL's).</param>
public sealed class RunPublisher(RunStore store, Func<string, TimeSpan, CancellationToken, IDisposable>? acquireLock = null)
{
    private readonly Func<string, TimeSpan, CancellationToken, IDisposable> _lock = acquireLock ?? store.LockPackage;

    /// <summary>The store published into.</summary>
    public RunStore Store => store;

    /// <summary>Publishes a package's run unless the same inputs and options are published already.</summary>
    /// <exception cref="OperationCanceledException">Cancelled: recorded as cancelled, nothing published.</exception>
    /// <exception cref="TbmException">The model folder does not exist (<see cref="TbmErrorKind.NotFound"/>).</exception>
    /// <exception cref="TimeoutException">Another publisher of the package held its lock for longer than <see cref="PublishRequest.LockTimeout"/>.</exception>
    /// <remarks>Any other exception is an engine failure: recorded as failed in the catalogue, then rethrown.</remarks>
    public PublishResult Publish(PublishRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Directory.Exists(request.ModelDirectory))
        {
            // Said before any lock or attempt: there is no package to publish or to record.
            throw TbmException.NotFound($"the model folder '{request.ModelDirectory}' does not exist; nothing was published");
        }

        using var held = _lock(request.Package, request.LockTimeout, cancellationToken);
        var abandoned = store.MarkAbandoned(request.Package, "the process running it stopped before it finished (killed, crashed or its machine lost); nothing of it was published");

        // Checked under the lock: another publisher may have published these inputs while this one waited.
        var fingerprint = PackageFingerprint.Of(request.ModelDirectory, request.PreviousRun, request.Sie);
        if (fingerprint.Supplier is { } known && store.Read(known, fingerprint.RunId) is { } existing)
        {
            return store.IsCurrent(known, fingerprint.RunId)
                ? new PublishResult(PublishOutcome.Unchanged, known, fingerprint.RunId, null, existing, null, null, abandoned)
                : new PublishResult(PublishOutcome.Repointed, known, fingerprint.RunId, null, store.MakeLatest(known, fingerprint.RunId), null, null, abandoned);
        }

        if (!request.RetryModelErrors && store.FailedBefore(request.Package, fingerprint.RunId))
        {
            return new PublishResult(PublishOutcome.KnownFailure, fingerprint.Supplier, fingerprint.RunId, null, null, null, null, abandoned);
        }

        var attempt = store.BeginAttempt(new AttemptStart(request.Package, fingerprint.Supplier, fingerprint.RunId, request.Trigger));
        var work = store.NewWorkFolder();
        try
        {
            var options = new RunOptions(request.ModelDirectory, work) { Settings = request.Settings, PreviousRun = request.PreviousRun, Sie = request.Sie };
            var result = TbmEngine.Run(options, new AttemptProgress(store, attempt.Id, progress), cancellationToken);
            if (!result.Succeeded)
            {
                var first = string.Join("; ", result.Errors.Take(3).Select(e => e.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.File}:{e.Line} {e.Column}: {e.Reason}") : $"{e.File}: {e.Reason}"));
                var error = string.Create(CultureInfo.InvariantCulture, $"{RunStore.ModelErrorPrefix}: {result.ErrorCount} error(s): {first}");
                store.EndAttempt(attempt.Id, AttemptStatus.Failed, error);
                return new PublishResult(PublishOutcome.ModelError, fingerprint.Supplier, fingerprint.RunId, result, null, attempt, error, abandoned);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var (run, _) = store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears, attempt);
            return new PublishResult(PublishOutcome.Published, run.Supplier, run.RunId, result, run, attempt, null, abandoned);
        }
        catch (OperationCanceledException)
        {
            store.EndAttempt(attempt.Id, AttemptStatus.Cancelled, "cancelled (the host was stopping or the job was deleted); nothing was published");
            throw;
        }
        catch (Exception e)
        {
            store.EndAttempt(attempt.Id, AttemptStatus.Failed, $"engine failure: {e.GetType().Name}: {e.Message}");
            throw;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Progress to the catalogue (each new stage) and to the caller's progress (every message).</summary>
    private sealed class AttemptProgress(RunStore store, string attempt, IProgress<RunProgress>? caller) : IProgress<RunProgress>
    {
        private string? _stage;

        public void Report(RunProgress value)
        {
            caller?.Report(value);
            if (value.Stage != _stage)
            {
                _stage = value.Stage;
                store.ReportProgress(attempt, value.Stage, value.Message);
            }
        }
    }
}
