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
    public static int Execute(Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("models", "runs", "once", "urls", "cron", "time-zone", "queue", "workers", "keep", "keys", "log", "memory-limit", "temp-dir");
        var log = options.Optional("log") ?? "text";
        if (log is not ("text" or "json"))
        {
            throw new UsageException($"--log takes text or json, not '{log}'");
        }

        var settings = Settings(options);
        if (options.Flag("once"))
        {
            return Once(settings, log, stdout, stderr);
        }

        using var app = JobsHost.Build(settings, log);
        app.Run();
        return CommandLine.Ok;
    }

    internal static HostSettings Settings(Options options)
    {
        var defaults = new HostSettings("models", "runs");
        var workers = options.Integer("workers", defaults.Workers);
        if (workers < 1)
        {
            throw new UsageException("--workers must be at least 1");
        }

        return new HostSettings(options.Optional("models") ?? defaults.ModelsDirectory, options.Optional("runs") ?? defaults.RunsDirectory)
        {
            Urls = options.Optional("urls") ?? defaults.Urls,
            Cron = options.Optional("cron") ?? defaults.Cron,
            TimeZone = options.Optional("time-zone") ?? defaults.TimeZone,
            Queue = options.Optional("queue") ?? defaults.Queue,
            Workers = workers,
            Keep = options.Integer("keep", defaults.Keep),
            KeysFile = options.Optional("keys") ?? defaults.KeysFile,
            Postgres = HostSettings.PostgresFrom(HostSettings.LoadConfiguration()),
            Engine = options.Settings(),
        };
    }

    /// <summary>One pass: every package whose inputs changed is recalculated and published, in order, here and now.</summary>
    private static int Once(HostSettings settings, string log, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(settings.ModelsDirectory))
        {
            throw new ArgumentException($"the models folder '{settings.ModelsDirectory}' does not exist");
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
        foreach (var package in recalculator.Changed(packages, includeKnownFailures: false))
        {
            var result = recalculator.Recalculate(package, "once", retryModelErrors: false, progress: null, CancellationToken.None);
            stdout.WriteLine(result.Outcome switch
            {
                RecalculationOutcome.Published => $"{package.Key}: published run {result.RunId} of {result.Supplier}",
                RecalculationOutcome.Repointed => $"{package.Key}: run {result.RunId} of {result.Supplier} is the latest again",
                RecalculationOutcome.ModelError => $"{package.Key}: not published: {result.Error}",
                _ => $"{package.Key}: unchanged ({result.RunId})",
            });
            if (result.Outcome == RecalculationOutcome.ModelError)
            {
                code = CommandLine.ModelError;
            }
        }

        recalculator.ApplyRetention();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{packages.Count} package(s) checked; runs store: {store.Root}"));
        return code;
    }
}
