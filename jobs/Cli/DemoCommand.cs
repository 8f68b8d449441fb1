using System.Globalization;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm demo</c>: generate a realistic package, run it, show what came out.</summary>
internal static class DemoCommand
{
    public static int Execute(int lines, int seed, string output, EngineSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var folder = Path.GetFullPath(output);
        var model = Path.Combine(folder, "model");
        var runFolder = Path.Combine(folder, "run");
        var generator = new DemoModelOptions(Seed: seed, LedgerLines: lines);

        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The package and the run folder each replace an earlier output of the engine, and refuse anything else.
        DemoModelSummary summary;
        try
        {
            summary = DemoModelGenerator.Write(model, generator);
        }
        catch (TooFewLedgerLinesException e)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--lines takes a whole number ≥ {e.Minimum} (a package of {e.Years} fiscal years needs that many ledger lines), not '{lines}'"));
        }

        var generated = clock.Elapsed;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated a demo model package in {generated.TotalSeconds:0.0} s: {model}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {summary.LedgerLines:N0} ledger lines, {summary.Tenants} tenants, {summary.Services} services"));

        clock.Restart();
        var result = TbmEngine.Run(new RunOptions(model, runFolder) { Settings = settings }, TerminalProgress.For(stderr));
        var ran = clock.Elapsed;
        if (RunCommand.Report(result, stdout, stderr) != CommandLine.Ok)
        {
            return CommandLine.ModelError;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ran it in {ran.TotalSeconds:0.0} s. Results: {runFolder}"));
        stdout.WriteLine("  fees.csv  unallocated.csv  reconciliation.csv  prices.csv  balance.csv  trueup.csv  run.json  (+ .parquet twins)");

        var latest = result.TenantTotals.Where(t => t.Scenario == "actual").Select(t => t.FiscalYear).DefaultIfEmpty().Max();
        var top = result.TenantTotals.Where(t => t.Scenario == "actual" && t.FiscalYear == latest).OrderByDescending(t => t.Amount).ThenBy(t => t.Tenant, StringComparer.Ordinal).Take(10).ToList();
        if (top.Count > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Largest fees, actual {latest} (SEK)"));
            foreach (var t in top)
            {
                stdout.WriteLine($"  {t.Tenant,-12} {CommandLine.Sek(t.Amount),20}");
            }
        }

        return CommandLine.Ok;
    }
}
