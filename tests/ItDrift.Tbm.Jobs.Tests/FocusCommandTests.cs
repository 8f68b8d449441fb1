using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm focus</c>: a run's allocated costs as a FOCUS dataset, the line it prints (rows and the fee total), and exit 2 with
/// one line for a file that is there or a scenario the run has not. The run is datasets/scenarios/multi-year-scenarios.
/// </summary>
public sealed class FocusCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-focus-" + Guid.NewGuid().ToString("N")[..8]);

    public FocusCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Focus_WritesTheRunsFees_PrintsTheirTotal_AndRefusesToReplaceAFile()
    {
        var run = Path.Combine(_root, "run");
        var model = Path.Combine(Repository.Root, "datasets", "scenarios", "multi-year-scenarios", "model");
        var (code, _, err) = CommandLineTests.Tbm("run", "--model", model, "--out", run);
        Assert.True(code == 0, err);
        var actual = File.ReadAllLines(Path.Combine(run, "fees.csv")).Skip(1).Where(l => l.Split(',')[1] == "actual").ToList();
        var total = actual.Sum(l => decimal.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture));

        var output = Path.Combine(_root, "focus.parquet");
        (code, var stdout, err) = CommandLineTests.Tbm("focus", "--run", run, "--out", output);

        Assert.True(code == 0, err);
        Assert.Equal(System.FormattableString.Invariant($"{output}: {actual.Count} rows, BilledCost {total:0.00} SEK"), stdout.Trim());

        (code, _, err) = CommandLineTests.Tbm("focus", "--run", run, "--out", output);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("exists; nothing was written", err, StringComparison.Ordinal);

        (code, _, err) = CommandLineTests.Tbm("focus", "--run", run, "--out", Path.Combine(_root, "forecast.parquet"), "--scenario", "forecast");
        Assert.Equal(2, code);
        Assert.Contains("has no forecast fees", err, StringComparison.Ordinal);
    }
}
