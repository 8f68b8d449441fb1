using System.Globalization;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm generate --scale N --seed S --out DIR [--format parquet|csv|swedish] [--years Y]</c>: a synthetic model package
/// of about N million ledger lines, for measuring the engine at volume (scale 50 is the national case).
/// </summary>
internal static class GenerateCommand
{
    public static int Execute(Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("scale", "seed", "out", "format", "years");
        var scale = options.Integer("scale", 0);
        if (scale is < 1 or > DemoModelOptions.MaxScale)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--scale takes 1–{DemoModelOptions.MaxScale} (million ledger lines)"));
        }

        var format = options.Optional("format") switch
        {
            null or "parquet" => LedgerFormat.Parquet,
            "csv" => LedgerFormat.Csv,
            "swedish" => LedgerFormat.SwedishCsv,
            var other => throw new UsageException($"--format takes parquet, csv or swedish, not '{other}'"),
        };
        var folder = Path.GetFullPath(options.Required("out"));
        var generator = DemoModelOptions.ForScale(scale, options.Integer("seed", 2026), format);
        var years = options.Integer("years", generator.Years);
        if (years is < 1 or > 20)
        {
            throw new UsageException("--years takes 1–20 (fiscal years from 2024; the ledger's lines are spread over them)");
        }

        generator = generator with { Years = years };

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
