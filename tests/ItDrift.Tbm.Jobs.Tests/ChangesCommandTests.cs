using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary><c>tbm changes</c> as a user types it.</summary>
public sealed class ChangesCommandTests : IDisposable
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

    private string Run(string name, string vms)
    {
        var files = SmallModel.Files();
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n" + vms;
        var (code, _, err) = Tbm("run", "--model", SmallModel.Write(_temp.Combine(name, "model"), files), "--out", _temp.Combine(name, "run"));
        Assert.True(code == 0, err);
        return _temp.Combine(name, "run");
    }

    [Fact]
    public void Changes_WritesTheBridge_AndSummarisesIt()
    {
        var from = Run("from", "2025,vms,T-A,1.5\n2025,vms,T-B,1\n");
        var to = Run("to", "2025,vms,T-A,1\n2025,vms,T-B,1\n");

        var (code, stdout, stderr) = Tbm("changes", "--from", from + ":2025", "--to", to + ":2025:actual", "--out", _temp.Combine("bridge"));

        Assert.True(code == 0, stderr);
        Assert.Contains("Fee bridge FK 2025 actual (run ", stdout, StringComparison.Ordinal);
        Assert.Contains("changes.csv, changes_by_pool.csv, changes_by_tower.csv, bridge.json", stdout, StringComparison.Ordinal);
        // The same cost over fewer vms: T-A's volume effect is negative (1.5 → 1 vm) and its price effect
        // positive (a higher unit price), and they make its change.
        var cells = Assert.Single(File.ReadAllLines(_temp.Combine("bridge", "changes.csv")), l => l.StartsWith("T-A,INF-VM,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("1.5", "1", "split"), (cells[7], cells[8], cells[11]));
        var (change, volume, price) = (Money(cells[4]), Money(cells[5]), Money(cells[6]));
        Assert.True(volume < 0 && price > 0, string.Join(',', cells));
        Assert.Equal(change, volume + price);
    }

    private static decimal Money(string text) => decimal.Parse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Changes_FromAFolderThatIsNoRun_ExitsWith2_InOneLine()
    {
        var to = Run("to", "2025,vms,T-A,1\n");
        var (code, _, stderr) = Tbm("changes", "--from", _temp.Combine("nothing"), "--to", to, "--out", _temp.Combine("bridge"));
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tbm: --from: '", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("bridge")));
    }
    [Fact]
    public void Changes_WithWorkbooks_WritesOnePerTenant_AndWithoutThemOnlyTheFiles()
    {
        var from = Run("from", "2025,vms,T-A,1.5\n2025,vms,T-B,1\n");
        var to = Run("to", "2025,vms,T-A,1\n2025,vms,T-B,1\n");

        var (code, stdout, stderr) = Tbm("changes", "--from", from, "--to", to, "--out", _temp.Combine("bridge"), "--workbooks");
        Assert.True(code == 0, stderr);
        // One workbook for every tenant of changes.csv.
        var tenants = File.ReadAllLines(_temp.Combine("bridge", "changes.csv")).Skip(1).Select(l => l.Split(',')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains($"avgiftsforandring/ with {tenants.Count} workbooks)", stdout, StringComparison.Ordinal);
        Assert.Equal(tenants.Select(t => t + ".xlsx"), Directory.GetFiles(_temp.Combine("bridge", "avgiftsforandring")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The same folder without --workbooks: the engine replaces its own output, workbooks and all.
        (code, _, stderr) = Tbm("changes", "--from", from, "--to", to, "--out", _temp.Combine("bridge"));
        Assert.True(code == 0, stderr);
        Assert.False(Directory.Exists(_temp.Combine("bridge", "avgiftsforandring")));
    }
}
