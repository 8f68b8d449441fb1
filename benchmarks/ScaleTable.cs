using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>scale [1 10 50] [--runs N] [--memory-limit SIZE] [--temp-dir DIR] [--out FILE]</c>: the linear-growth
/// table. Each measurement is a fresh process (so peak memory is that of one run, DuckDB's native memory
/// included, which BenchmarkDotNet's managed-memory column cannot see): the floor (DuckDB summing the
/// ledger file per account and cost centre) and the whole run, files → published run; medians of N.
/// </summary>
internal static class ScaleTable
{
    public static int Run(string[] args)
    {
        var scales = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
        if (scales.Count == 0)
        {
            scales = [1, 10, 50];
        }

        string? Option(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        var runs = int.Parse(Option("--runs") ?? "3", CultureInfo.InvariantCulture);
        var limit = Option("--memory-limit");
        var temp = Option("--temp-dir");
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Whole runs, each in a fresh process, median of {runs}; ledger.parquet{(limit is null ? "" : $"; DuckDB memory limit {limit}")}{(temp is null ? "" : $", spilling to {temp}")}."));
        table.AppendLine();
        table.AppendLine("| scale | ledger lines | floor (s) | files → published run (s) | run ÷ floor | lines/s | peak memory (MB) | floor's peak memory (MB) |");
        table.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scale in scales)
        {
            var package = BenchData.Package(scale);
            var floors = Enumerable.Range(0, runs).Select(_ => Measure("floor", package, limit, temp)).ToList();
            var whole = Enumerable.Range(0, runs).Select(_ => Measure("run", package, limit, temp)).ToList();
            var floor = Median(floors.Select(m => m.Seconds));
            var run = Median(whole.Select(m => m.Seconds));
            var lines = scale * 1_000_000L;
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {scale} | {lines:N0} | {floor:0.00} | {run:0.00} | {run / floor:0.0} | {lines / run / 1e6:0.00} M | {Median(whole.Select(m => m.PeakMb)):N0} | {Median(floors.Select(m => m.PeakMb)):N0} |");
            table.AppendLine(row);
            Console.Error.WriteLine(row);
        }

        Console.WriteLine(table);
        if (Option("--out") is { } file)
        {
            File.WriteAllText(file, table.ToString());
        }

        return 0;
    }

    /// <summary>In the child process: <c>child run|floor PACKAGE [LIMIT|-] [TEMP|-]</c>; prints "seconds peak-MB".</summary>
    public static int Child(string[] args)
    {
        var (what, package) = (args[0], args[1]);
        var settings = new EngineSettings(args.Length > 2 && args[2] != "-" ? args[2] : null, args.Length > 3 && args[3] != "-" ? args[3] : null);
        var clock = Stopwatch.StartNew();
        if (what == "floor")
        {
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            // The package's own ledger file: Parquet, else CSV (read by DuckDB's own reader, either dialect).
            var parquet = Path.Combine(package, "ledger.parquet");
            var read = File.Exists(parquet) ? $"read_parquet({BenchData.Literal(parquet)})" : $"read_csv({BenchData.Literal(Path.Combine(package, "ledger.csv"))})";
            connection.Scalar($"SELECT CAST(sum(s) AS BIGINT) FROM (SELECT account, cost_center, sum(amount) AS s FROM {read} GROUP BY ALL)");
        }
        else
        {
            var store = Path.Combine(Path.GetTempPath(), $"tbm-scale-runs-{Environment.ProcessId}");
            try
            {
                EndToEndBenchmarks.Publish(package, store, settings);
            }
            finally
            {
                Directory.Delete(store, recursive: true);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0.000} {PeakMemory.Megabytes():0}"));
        return 0;
    }

    private static (double Seconds, double PeakMb) Measure(string what, string package, string? limit, string? temp)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ScaleTable).Assembly.Location); // started as `dotnet ItDrift.Tbm.Benchmarks.dll`
        }

        foreach (var arg in new[] { "child", what, package, limit ?? "-", temp ?? "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the {what} of {package} failed (exit {process.ExitCode})");
        }

        var parts = output.Trim().Split('\n')[^1].Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
