using System.Globalization;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm generate --scale N --seed S --out DIR [--format parquet|csv|swedish] [--years Y]</c>: a synthetic model package
/// of about N million ledger lines, for measuring the engine at volume (scale 50 is the national case).
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The ledger formats <c>--format</c> takes.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["parquet", "csv", "swedish"];

    public static int Execute(int scale, int seed, string output, string format, int? years, TextWriter stdout, TextWriter stderr)
    {
        var ledger = format switch
        {
            "csv" => LedgerFormat.Csv,
            "swedish" => LedgerFormat.SwedishCsv,
            _ => LedgerFormat.Parquet,
        };
        var folder = Path.GetFullPath(output);
        var generator = DemoModelOptions.ForScale(scale, seed, ledger);
        generator = generator with { Years = years ?? generator.Years };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = TerminalProgress.For(stderr) is null ? null : new Percent(stderr);
        var summary = DemoModelGenerator.Write(folder, generator, progress);
        if (progress is not null)
        {
            stderr.Write("\r\u001b[K");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated a scale-{scale} model package in {clock.Elapsed.TotalSeconds:0.0} s: {summary.Directory}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {summary.LedgerLines:N0} ledger lines over {summary.FiscalYears} years, {summary.CostCentres} cost centres, {summary.Services} services, {summary.Tenants} tenants, {summary.Bytes / 1_000_000.0:N0} MB"));
        return CommandLine.Ok;
    }

    /// <summary>Writes the fraction done on the terminal's line, on the generator's own thread.</summary>
    private sealed class Percent(TextWriter writer) : IProgress<double>
    {
        private int _last = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            if (percent != _last)
            {
                _last = percent;
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r\u001b[Kgenerating … {percent} %"));
            }
        }
    }
}
