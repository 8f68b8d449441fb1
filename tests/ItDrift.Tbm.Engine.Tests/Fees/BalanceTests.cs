using System.Security.Cryptography;
using System.Text.Json;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Fees;

/// <summary>
/// The fee-area balance reproduces Försäkringskassan 2018–2020 (SOU 2021:97, table 6.5, thousand SEK):
/// revenue 13 168 / 27 043 / 77 051, cost 13 168 / 46 510 / 72 517, result 0 / −19 467 / 4 534,
/// closing 0 / −19 467 / −14 933 — in one package, and carried across two packages of consecutive years.
/// </summary>
public sealed class BalanceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Years(params (int Year, string Cost, string Revenue)[] years)
    {
        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + string.Concat(years.Select(y => $"{y.Year},12,4011,KS1,{y.Cost}\n"));
        files["revenue.csv"] = "fee_area,fiscal_year,revenue\n" + string.Concat(years.Select(y => $"IT-drift,{y.Year},{y.Revenue}\n"));
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n" + string.Concat(years.Select(y => $"{y.Year},vms,T-A,1\n"));
        return files;
    }

    private string Run(string name, Dictionary<string, string> files, string? previous = null)
    {
        var output = _temp.Combine(name, "run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name, "model"), files), output) { PreviousRun = previous });
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    [Fact]
    public void Balance_ReproducesThePublishedTable_InOnePackage()
    {
        var run = Run("one", Years((2018, "13168000.00", "13168000.00"), (2019, "46510000.00", "27043000.00"), (2020, "72517000.00", "77051000.00")));
        Assert.Equal("""
            fee_area,fiscal_year,opening,revenue,cost,result,closing,surplus_flag
            IT-drift,2018,0.00,13168000.00,13168000.00,0.00,0.00,false
            IT-drift,2019,0.00,27043000.00,46510000.00,-19467000.00,-19467000.00,false
            IT-drift,2020,-19467000.00,77051000.00,72517000.00,4534000.00,-14933000.00,false

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(run, "balance.csv")));
    }

    [Fact]
    public void Balance_CarriesForward_AcrossPackagesOfConsecutiveYears()
    {
        var first = Run("first", Years((2018, "13168000.00", "13168000.00"), (2019, "46510000.00", "27043000.00")));
        var second = Run("second", Years((2020, "72517000.00", "77051000.00")), previous: first);
        Assert.Equal("IT-drift,2020,-19467000.00,77051000.00,72517000.00,4534000.00,-14933000.00,false", File.ReadAllLines(Path.Combine(second, "balance.csv"))[1]);
    }

    [Fact]
    public void RunId_DiffersWhenThePreviousRunChangesTheOutput_AndRunJsonNamesIt()
    {
        // Försäkringskassan's 2020 alone opens at 0; after 2018–2019 at −19 467 tkr. Same input files, other output: other ids.
        var first = Run("first", Years((2018, "13168000.00", "13168000.00"), (2019, "46510000.00", "27043000.00")));
        var alone = Run("alone", Years((2020, "72517000.00", "77051000.00")));
        var after = Run("after", Years((2020, "72517000.00", "77051000.00")), previous: first);
        Assert.NotEqual(File.ReadAllText(Path.Combine(alone, "balance.csv")), File.ReadAllText(Path.Combine(after, "balance.csv")));
        Assert.NotEqual(RunIdOf(alone), RunIdOf(after));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(after, "run.json")));
        var options = manifest.RootElement.GetProperty("options");
        Assert.Equal(RunIdOf(first), options.GetProperty("previousRunId").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(first, "balance.parquet")))), options.GetProperty("previousRunBalanceSha256").GetString());

        // A run without options names none, and the same inputs and previous run give the same id again.
        using var plain = JsonDocument.Parse(File.ReadAllText(Path.Combine(alone, "run.json")));
        Assert.False(plain.RootElement.TryGetProperty("options", out _));
        Assert.Equal(RunIdOf(after), RunIdOf(Run("again", Years((2020, "72517000.00", "77051000.00")), previous: first)));
    }

    private static string RunIdOf(string run)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        return manifest.RootElement.GetProperty("runId").GetString()!;
    }

    [Fact]
    public void Balance_FlagsAnAccumulatedSurplusAboveTenPercent()
    {
        // Closing 100.01 against revenue 1 000.00 is above 10 %; exactly 100.00 is not.
        var run = Run("flag", Years((2024, "900.00", "1000.00"), (2025, "1000.01", "1000.00")));
        var lines = File.ReadAllLines(Path.Combine(run, "balance.csv"));
        Assert.Equal("IT-drift,2024,0.00,1000.00,900.00,100.00,100.00,false", lines[1]);
        Assert.Equal("IT-drift,2025,100.00,1000.00,1000.01,-0.01,99.99,false", lines[2]);
        var above = Run("above", Years((2024, "899.99", "1000.00")));
        Assert.Equal("IT-drift,2024,0.00,1000.00,899.99,100.01,100.01,true", File.ReadAllLines(Path.Combine(above, "balance.csv"))[1]);
    }
}
