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

        Portal(folder, model, result.Supplier, top.Count > 0 ? top[0].Tenant : null, stdout);
        return CommandLine.Ok;
    }

    /// <summary>How to open the demo in the web portal (docs/portal.md): publish it, make a key, serve, sign in.</summary>
    private static void Portal(string folder, string model, string? supplier, string? tenant, TextWriter stdout)
    {
        if (supplier is null || tenant is null)
        {
            return;
        }

        var runs = Quote(Path.Combine(folder, "runs"));
        var keys = Quote(Path.Combine(folder, "keys.json"));
        stdout.WriteLine();
        stdout.WriteLine("Open it in the web portal (Swedish; docs/portal.md):");
        stdout.WriteLine($"  ./tbm run --model {Quote(model)} --publish --runs {runs}");
        stdout.WriteLine($"  ./tbm keys add --role tenant --tenant {tenant} --supplier {supplier} --name demo --keys {keys}");
        stdout.WriteLine($"  ./tbm keys add --role supplier --supplier {supplier} --name demo --keys {keys}");
        stdout.WriteLine($"  ./tbm serve --runs {runs} --keys {keys}");
        stdout.WriteLine($"  then open http://127.0.0.1:5080/ and sign in with a key printed above");
    }

    /// <summary>A path as a shell word: quoted when it holds anything but plain characters.</summary>
    private static string Quote(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_') ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
