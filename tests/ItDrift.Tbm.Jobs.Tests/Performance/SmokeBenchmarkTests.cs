using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ItDrift.Tbm.Datasets;
using Xunit.Abstractions;

namespace ItDrift.Tbm.Tests.Performance;

/// <summary>
/// The CI guard of the benchmark suite (<c>benchmarks/run.sh smoke</c> runs the whole of it): a whole run of
/// a 200 000-line package against the time committed in <c>benchmarks/results/smoke.json</c>. Not a
/// timing target (those live in the benchmarks): it fails only on a gross regression — more than the
/// file's factor (5×) and its slack (half a second) slower — such as a lost fast path or a query per row.
/// </summary>
public sealed class SmokeBenchmarkTests(ITestOutputHelper output) : IDisposable
{
    private readonly PerformanceFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_IsNotGrosslySlower_ThanTheCommittedSmokeResult()
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(ReadmeCommandsTests.RepositoryRoot(), "benchmarks", "results", "smoke.json")))!;
        var lines = reference["ledgerLines"]!.GetValue<int>();
        var factor = reference["factor"]!.GetValue<double>();
        var slack = reference["slackSeconds"]!.GetValue<double>();
        var committed = reference["seconds"]!["end-to-end"]!.GetValue<double>();
        var package = _folder.Package("smoke", lines, LedgerFormat.Parquet, seed: 2026);

        var best = double.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = TbmEngine.Run(new RunOptions(package, _folder.Combine("run")));
            var seconds = clock.Elapsed.TotalSeconds;
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            if (i > 0)
            {
                best = Math.Min(best, seconds); // the first run warms up the JIT and the file cache
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole run of {lines:N0} lines: {best:0.000} s (committed {committed:0.000} s, {best / committed:0.0}×)"));
        Assert.False(best > factor * committed && best > committed + slack,
            string.Create(CultureInfo.InvariantCulture, $"a whole run of {lines:N0} lines took {best:0.000} s, more than {factor}× the committed {committed:0.000} s: a gross regression (benchmarks/run.sh smoke shows which stage)"));
    }
}
