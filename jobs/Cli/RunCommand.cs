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

        // Publishing: run into a private folder of the store, then rename it into place.
        var store = new Runs.RunStore(runs);
        var work = store.NewWorkFolder();
        var result = TbmEngine.Run(new RunOptions(model, work) { Settings = settings, PreviousRun = previousRun, Sie = sie }, TerminalProgress.For(stderr));
        if (!result.Succeeded)
        {
            var code = Report(result, stdout, stderr);
            Directory.Delete(work, recursive: true);
            stderr.WriteLine("Nothing was published; the previously published runs stand.");
            return code;
        }

        CommandLine.ReportWarnings(result, stderr);
        CommandLine.ReportSkipped(result, stdout);
        var (published, isNew) = store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
        stdout.WriteLine(isNew
            ? $"Published run {published.RunId} of {published.Supplier} to {published.Directory}"
            : $"Run {published.RunId} of {published.Supplier} was already published (same inputs): {published.Directory}");
        CommandLine.ReportReconciliation(result, stdout);
        return CommandLine.Ok;
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
