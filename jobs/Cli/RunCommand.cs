namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm run --model DIR --out DIR</c>.</summary>
internal static class RunCommand
{
    /// <summary>Runs <paramref name="model"/> into <paramref name="output"/>, or, without one, publishes the run into the store <paramref name="runs"/>.</summary>
    public static int Execute(string model, string? output, string runs, string? previousRun, EngineSettings settings, Ingest.SieAcceptance sie, TextWriter stdout, TextWriter stderr)
    {
        if (output is not null)
        {
            var run = new RunOptions(model, output) { Settings = settings, PreviousRun = previousRun, Sie = sie };
            return Report(TbmEngine.Run(run, TerminalProgress.For(stderr)), stdout, stderr);
        }

        // Publishing: the same path as the jobs host (the package's lock, an attempt in the catalogue, the
        // run into a private work folder of the store, published by rename), keyed by the package's folder name.
        var folder = Path.GetFullPath(model);
        var request = new Runs.PublishRequest(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), folder, "cli")
        {
            Settings = settings,
            PreviousRun = previousRun,
            Sie = sie,
        };
        var outcome = new Runs.RunPublisher(new Runs.RunStore(runs)).Publish(request, TerminalProgress.For(stderr));
        switch (outcome.Outcome)
        {
            case Runs.PublishOutcome.ModelError:
                CommandLine.ReportWarnings(outcome.Run!, stderr);
                CommandLine.ReportErrors(outcome.Run!, stderr, errorsFile: null);
                stderr.WriteLine("Nothing was published; the previously published runs stand.");
                return CommandLine.ModelError;
            case Runs.PublishOutcome.Published:
                CommandLine.ReportWarnings(outcome.Run!, stderr);
                CommandLine.ReportSkipped(outcome.Run!, stdout);
                stdout.WriteLine($"Published run {outcome.RunId} of {outcome.Supplier} to {outcome.Published!.Directory}");
                CommandLine.ReportReconciliation(outcome.Run!, stdout);
                return CommandLine.Ok;
            default:
                // Unchanged or Repointed (KnownFailure cannot happen: a command line always retries).
                stdout.WriteLine($"Run {outcome.RunId} of {outcome.Supplier} was already published (same inputs and options): {outcome.Published!.Directory}");
                return CommandLine.Ok;
        }
    }

    public static int Report(RunResult result, TextWriter stdout, TextWriter stderr)
    {
        CommandLine.ReportWarnings(result, stderr);
        if (!result.Succeeded)
        {
            CommandLine.ReportErrors(result, stderr, Path.Combine(result.OutputDirectory!, "errors.csv"));
            return CommandLine.ModelError;
        }

        CommandLine.ReportSkipped(result, stdout);
        stdout.WriteLine($"Run {result.RunId} written to {result.OutputDirectory}");
        CommandLine.ReportReconciliation(result, stdout);
        return CommandLine.Ok;
    }
}

/// <summary><c>tbm validate --model DIR</c>.</summary>
internal static class ValidateCommand
{
    public static int Execute(string model, EngineSettings settings, Ingest.SieAcceptance sie, TextWriter stdout, TextWriter stderr)
    {
        var result = TbmEngine.Validate(model, settings, TerminalProgress.For(stderr), sie: sie);
        CommandLine.ReportWarnings(result, stderr);
        if (!result.Succeeded)
        {
            CommandLine.ReportErrors(result, stderr, errorsFile: null);
            return CommandLine.ModelError;
        }

        CommandLine.ReportSkipped(result, stdout);
        stdout.WriteLine(result.Warnings.Count switch
        {
            0 => "The model is valid.",
            1 => "The model is valid, with 1 warning.",
            var n => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The model is valid, with {n} warnings."),
        });
        return CommandLine.Ok;
    }
}

/// <summary>
/// Progress on one terminal line of stderr, erased when the work ends; nothing at all when stderr is
/// redirected (logs, CI, pipes), so redirected output stays clean.
/// </summary>
internal sealed class TerminalProgress(TextWriter writer) : IProgress<RunProgress>
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public static IProgress<RunProgress>? For(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? new TerminalProgress(stderr) : null;

    public void Report(RunProgress value)
    {
        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {value.Message}");
        writer.Write("\r" + line + "\u001b[K");
        if (value.Stage == "write")
        {
            writer.Write("\r\u001b[K");
        }
    }
}
