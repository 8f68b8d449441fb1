using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>
/// The Hangfire jobs. Thin: they take ids (a package key, a supplier id and a year), never objects, and
/// call the <see cref="Recalculator"/>. Each is safe to run twice: a second run of the same inputs finds
/// them published and does nothing.
/// </summary>
internal sealed class RecalculationJobs(Recalculator recalculator, IBackgroundJobClient jobs, HostSettings settings, ILogger<RecalculationJobs> logger)
{
    /// <summary>The recurring job's id (a host on another queue than <c>default</c> adds <c>-QUEUE</c>).</summary>
    public const string NightlyId = "nightly-recalculation";

    public static string NightlyIdFor(string queue) => queue == "default" ? NightlyId : $"{NightlyId}-{queue}";

    /// <summary>
    /// Scans the model packages and puts a recalculation job on the queue for each whose inputs changed,
    /// so every host on the queue shares the work; then applies retention.
    /// </summary>
    [JobDisplayName("Nightly recalculation: scan packages")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public int Nightly(CancellationToken cancellationToken)
    {
        var packages = recalculator.Packages.Discover();
        if (!Directory.Exists(recalculator.Packages.Root))
        {
            logger.LogWarning("The models folder {Models} does not exist; nothing to recalculate", recalculator.Packages.Root);
        }

        var changed = recalculator.Changed(packages, includeKnownFailures: false);
        logger.LogInformation("Nightly scan: {Packages} package(s) under the models folder, {Changed} changed", packages.Count, changed.Count);
        foreach (var package in changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = jobs.Create<RecalculationJobs>(j => j.RecalculatePackage(package.Key, "nightly", null, CancellationToken.None), new EnqueuedState(settings.Queue));
            logger.LogInformation("Queued job {JobId} to recalculate package {Package}", id, package.Key);
        }

        recalculator.ApplyRetention();
        return changed.Count;
    }

    /// <summary>Recalculates one package if its inputs changed (the nightly pass's unit of work).</summary>
    [JobDisplayName("Recalculate package {0} ({1})")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public string RecalculatePackage(string package, string trigger, PerformContext? context, CancellationToken cancellationToken)
    {
        var found = recalculator.Packages.Find(package);
        if (found is null)
        {
            logger.LogWarning("Package {Package} is no longer under the models folder; nothing to do", package);
            return "gone";
        }

        var result = recalculator.Recalculate(found, trigger, retryModelErrors: trigger != "nightly", JobProgress(context), cancellationToken);
        return Describe(result);
    }

    /// <summary>On demand: recalculates a supplier's package(s), for a fiscal year when it has several.</summary>
    [JobDisplayName("Recalculate {0} {1}")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public string Recalculate(string supplier, int? fiscalYear, PerformContext? context, CancellationToken cancellationToken)
    {
        var packages = recalculator.Packages.OfSupplier(supplier, fiscalYear, recalculator.Store);
        if (packages.Count == 0)
        {
            logger.LogWarning("No model package of supplier {Supplier} under the models folder; nothing to do", supplier);
            return "no package";
        }

        var results = new List<string>();
        foreach (var package in packages)
        {
            results.Add(Describe(recalculator.Recalculate(package, "on-demand", retryModelErrors: true, JobProgress(context), cancellationToken)));
        }

        return string.Join("; ", results);
    }

    private static string Describe(RecalculationResult r) => r.Outcome switch
    {
        RecalculationOutcome.ModelError => $"{r.Package}: model error ({r.Error})",
        _ => $"{r.Package}: {r.Outcome.ToString().ToLowerInvariant()} {r.RunId}",
    };

    private static JobParameterProgress? JobProgress(PerformContext? context) => context is null ? null : new JobParameterProgress(context);

    /// <summary>The latest progress message as a job parameter, so the dashboard's job page and the API can read it.</summary>
    private sealed class JobParameterProgress(PerformContext context) : IProgress<string>
    {
        public void Report(string value)
        {
            try
            {
                context.SetJobParameter("Progress", value);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.Data.Common.DbException)
            {
                // progress is a courtesy; the run goes on
            }
        }
    }
}
