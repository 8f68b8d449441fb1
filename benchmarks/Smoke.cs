using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Tests.Reference;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>smoke [--update]</c>: every benchmark's path once, on a package of 200 000 lines, in seconds; best of
/// three against <c>results/smoke.json</c>. Fails (exit 1) only on a gross regression: a measurement more
/// than 5× its committed time and at least half a second slower, so that a shared or slow CI machine does
/// not make it flaky, while a lost fast path or an accidental per-row query still shows. <c>--update</c>
/// writes the times measured as the new reference.
/// </summary>
internal static class Smoke
{
    public const int Lines = 200_000;
    public const double Factor = 5;
    public const double SlackSeconds = 0.5;

    public static string BaselineFile => Path.Combine(BenchData.RepositoryRoot(), "benchmarks", "results", "smoke.json");

    public static int Run(bool update)
    {
        var parquet = BenchData.Small(Lines, LedgerFormat.Parquet);
        var csv = BenchData.Small(Lines, LedgerFormat.Csv);
        var swedish = BenchData.Small(Lines, LedgerFormat.SwedishCsv);
        var runs = Path.Combine(Path.GetTempPath(), $"tbm-smoke-runs-{Environment.ProcessId}");
        var measured = new SortedDictionary<string, double>(StringComparer.Ordinal);
        using (var fixture = new AllocationFixture(parquet))
        {
            measured["floor"] = Best(() => fixture.Floor());
            measured["map-allocate-fees"] = Best(fixture.Harness.MapAllocateFees, fixture.Reset);
        }

        measured["ingest-csv"] = Best(() => EngineHarness.IngestLedger(csv, EngineSettings.Default));
        measured["ingest-swedish-csv"] = Best(() => EngineHarness.IngestLedger(swedish, EngineSettings.Default));
        measured["ingest-parquet"] = Best(() => EngineHarness.IngestLedger(parquet, EngineSettings.Default));
        measured["linq"] = Best(() => ReferenceEngine.Run(csv));
        measured["end-to-end"] = Best(() => EndToEndBenchmarks.Publish(parquet, runs), () => Delete(runs));
        Delete(runs);

        if (update)
        {
            var json = new JsonObject
            {
                ["about"] = "Reference times of `benchmarks/run.sh smoke` (best of 3, seconds, 200 000 ledger lines). A measurement fails the smoke run when it is more than `factor` times its time here and `slackSeconds` slower.",
                ["machine"] = Machine.Describe(),
                ["ledgerLines"] = Lines,
                ["factor"] = Factor,
                ["slackSeconds"] = SlackSeconds,
                ["seconds"] = new JsonObject(measured.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)Math.Round(m.Value, 3)))),
            };
            File.WriteAllText(BaselineFile, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"wrote {BaselineFile}");
        }

        var baseline = Baseline();
        var failed = false;
        Console.WriteLine($"{"measurement",-22} {"now (s)",9} {"committed",10} {"ratio",7}");
        foreach (var (name, seconds) in measured)
        {
            var reference = baseline.GetValueOrDefault(name);
            var gross = reference > 0 && seconds > Factor * reference && seconds > reference + SlackSeconds;
            failed |= gross;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} {seconds,9:0.000} {(reference > 0 ? reference.ToString("0.000", CultureInfo.InvariantCulture) : "-"),10} {(reference > 0 ? (seconds / reference).ToString("0.0", CultureInfo.InvariantCulture) : "-"),7}{(gross ? "  GROSS REGRESSION" : "")}"));
        }

        return failed ? 1 : 0;
    }

    /// <summary>The committed reference times.</summary>
    public static Dictionary<string, double> Baseline()
    {
        if (!File.Exists(BaselineFile))
        {
            return [];
        }

        var root = JsonNode.Parse(File.ReadAllText(BaselineFile))!;
        return root["seconds"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>(), StringComparer.Ordinal);
    }

    /// <summary>The best of three timed runs after one untimed (JIT, file cache).</summary>
    private static double Best(Action action, Action? before = null)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            before?.Invoke();
            var clock = Stopwatch.StartNew();
            action();
            if (i > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
        }

        return best;
    }

    private static double Best<T>(Func<T> action, Action? before = null) => Best(() => { _ = action(); }, before);

    private static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The machine a result was measured on.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / (1024.0 * 1024.0)
            : 0;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpu ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {memory:0} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}, load average {load} when measured");
    }
}
