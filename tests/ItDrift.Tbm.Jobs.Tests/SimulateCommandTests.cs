using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary><c>tbm simulate</c> as a user types it.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Run()
    {
        var files = SmallModel.Files();
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,1\n2025,vms,T-B,1\n";
        var (code, _, err) = Tbm("run", "--model", SmallModel.Write(_temp.Combine("model"), files), "--out", _temp.Combine("run"));
        Assert.True(code == 0, err);
        return _temp.Combine("run");
    }

    private string Changes(string json)
    {
        var path = _temp.Combine("changes.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Simulate_WritesTheFeesAndTheBridge_AndSummarisesThem()
    {
        var run = Run();
        var changes = Changes("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-A", "quantity": 3}]}""");

        var (code, stdout, stderr) = Tbm("simulate", "--run", run, "--changes", changes, "--year", "2025", "--out", _temp.Combine("sim"));

        Assert.True(code == 0, stderr);
        Assert.Contains("Simulation of FK 2025 actual (run ", stdout, StringComparison.Ordinal);
        Assert.Contains("changes.csv, changes_by_pool.csv, changes_by_tower.csv, fees.csv, prices.csv, unallocated.csv, simulation.json", stdout, StringComparison.Ordinal);
        var cells = Assert.Single(File.ReadAllLines(_temp.Combine("sim", "changes.csv")), l => l.StartsWith("T-A,INF-VM,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("1", "3", "split"), (cells[7], cells[8], cells[11]));
    }

    [Theory]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Hardware", "percentage": 5}]}""", "$.changes[0].percentage: unknown property (expected type, costPool, object, accounts, percent, amount)")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": 7}]}""", "$.changes[0].tenant: must be a string")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "UNMAPPED"}]}""", "$.changes[0].tenant: 'UNMAPPED' is reserved for money no mapping row matches")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "T-Z"}]}""", "$.changes[0].tenant: 'T-Z' is not a tenant of run ")]
    public void Simulate_WithChangesThatDoNotFit_ExitsWith2_InOneLineNamingTheFileAndThePath(string json, string message)
    {
        var run = Run();
        var changes = Changes(json);

        var (code, _, stderr) = Tbm("simulate", "--run", run, "--changes", changes, "--out", _temp.Combine("sim"));

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"tbm: {changes}: {message}", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("sim")));
    }

    [Fact]
    public void Simulate_FromAFolderThatIsNoRun_ExitsWith2_InOneLine()
    {
        var changes = Changes("""{"changes": []}""");
        Directory.CreateDirectory(_temp.Combine("nothing"));
        var (code, _, stderr) = Tbm("simulate", "--run", _temp.Combine("nothing"), "--changes", changes, "--out", _temp.Combine("sim"));
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(_temp.Combine("sim")));
    }
}
