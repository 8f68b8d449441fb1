using System.Globalization;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm host</c>: the jobs host (Hangfire server, nightly recalculation, dashboard, health); with
/// <c>--once</c>, one recalculation pass over the packages, then exit (for tests and cron).
/// </summary>
internal static class HostCommand
{
    /// <summary>The settings of a host as the command line leaves them: <see cref="HostSettings"/>' own defaults.</summary>
    public static HostSettings Defaults { get; } = new("models", "runs");

    /// <summary>The log formats <c>--log</c> takes.</summary>
    public static IReadOnlyList<string> LogFormats { get; } = ["text", "json"];

    /// <summary>
    /// Runs the host with <paramref name="settings"/> from the command line (the job queue's database from the
    /// environment, <see cref="HostSettings.PostgresVariable"/>), or with <paramref name="once"/> one pass.
    /// </summary>
    public static int Execute(HostSettings settings, string log, bool once, TextWriter stdout, TextWriter stderr)
    {
        settings = settings with { Postgres = HostSettings.PostgresFrom(HostSettings.LoadConfiguration()) };
        if (once)
        {
            return Once(settings, log, stdout, stderr);
        }

        using var app = JobsHost.Build(settings, log);
        app.Run();
        return CommandLine.Ok;
    }

    /// <summary>One pass: every package whose inputs changed is recalculated and published, in order, here and now.</summary>
    private static int Once(HostSettings settings, string log, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(settings.ModelsDirectory))
        {
            throw TbmException.NotFound($"the models folder '{settings.ModelsDirectory}' does not exist");
        }

        using var logging = LoggerFactory.Create(b => JobsHost.ConfigureLogging(b, log));
        var store = new RunStore(settings.RunsDirectory);
        IPackageLocks locks = settings.Postgres is { } cs ? new PostgresPackageLocks(cs, store) : new StorePackageLocks(store);
        var recalculator = new Recalculator(settings, store, locks, logging.CreateLogger<Recalculator>());
        var packages = recalculator.Packages.Discover();
        if (packages.Count == 0)
        {
            stderr.WriteLine($"tbm: no model package (a folder with model.json) under {Path.GetFullPath(settings.ModelsDirectory)}");
            return CommandLine.ModelError;
        }

        var code = CommandLine.Ok;
        foreach (var check in recalculator.Check(packages))
        {
            var package = check.Package;
            switch (check.State)
            {
                case PackageState.Reverted:
                    stdout.WriteLine($"{package.Key}: its inputs are those of run {check.RunId} again; it is current");
                    continue;
                case PackageState.KnownFailure:
                    // Not tried again, but still failing: the exit code says so, for cron to alert.
                    stdout.WriteLine($"{package.Key}: not published: these inputs failed before: {check.Error}");
                    code = code == CommandLine.Ok ? CommandLine.ModelError : code;
                    continue;
                case PackageState.Unreadable:
                    stdout.WriteLine($"{package.Key}: cannot be read now: {check.Error}");
                    code = CommandLine.Failure;
                    continue;
                case PackageState.Current:
                    continue;
            }

            RecalculationResult result;
            try
            {
                result = recalculator.Recalculate(package, "once", retryModelErrors: false, progress: null, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // The engine failed on this package (recorded in the catalogue); the others are still recalculated.
                stdout.WriteLine($"{package.Key}: not published: engine failure: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
                code = CommandLine.Failure;
                continue;
            }

            stdout.WriteLine(result.Outcome switch
            {
                RecalculationOutcome.Published => $"{package.Key}: published run {result.RunId} of {result.Supplier}",
                RecalculationOutcome.Repointed => $"{package.Key}: run {result.RunId} of {result.Supplier} is the latest again",
                RecalculationOutcome.ModelError => $"{package.Key}: not published: {result.Error}",
                RecalculationOutcome.KnownFailure => $"{package.Key}: not published: these inputs failed before",
                _ => $"{package.Key}: unchanged ({result.RunId})",
            });
            if (result.Outcome is RecalculationOutcome.ModelError or RecalculationOutcome.KnownFailure && code == CommandLine.Ok)
            {
                code = CommandLine.ModelError;
            }
        }

        recalculator.ApplyRetention();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{packages.Count} package(s) checked; runs store: {store.Root}"));
        return code;
    }
}
