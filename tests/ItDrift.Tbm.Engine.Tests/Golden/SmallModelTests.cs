using System.Globalization;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Golden;

/// <summary>
/// The small model worked by hand. TWR-DC's 100.00 goes 2:1 to INF-VM and FUN-SUP: 10 000 · 2/3 = 6 666
/// r 2 and 3 333 r 1, so the leftover öre goes to INF-VM (66.67 / 33.33). INF-VM splits 66.67 by
/// vms 1.5 : 1 → 4 000 r 0.2 and 2 666 r 0.8, leftover to T-B (40.00 / 26.67). FUN-SUP splits evenly:
/// 33.33 → 11.11 each; 0.05 → 1 r 2 each, leftover 2 öre to T-A and T-B by id; −10.00 → −3.34 / −3.33 /
/// −3.33. Account 7999 has no mapping (3.00 unmapped); 3011 is not a cost account and is skipped.
/// </summary>
public sealed class SmallModelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string RunSmall(Action<Dictionary<string, string>>? change = null)
    {
        var files = SmallModel.Files();
        change?.Invoke(files);
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    [Fact]
    public void Run_ProducesHandWorkedFees()
    {
        var output = RunSmall();
        Assert.Equal("""
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2025,actual,T-A,FUN-SUP,Facilities & Power,-3.34
            2025,actual,T-A,FUN-SUP,Internal Labor,11.11
            2025,actual,T-A,FUN-SUP,Software,0.02
            2025,actual,T-A,INF-VM,Internal Labor,40.00
            2025,actual,T-B,FUN-SUP,Facilities & Power,-3.33
            2025,actual,T-B,FUN-SUP,Internal Labor,11.11
            2025,actual,T-B,FUN-SUP,Software,0.02
            2025,actual,T-B,INF-VM,Internal Labor,26.67
            2025,actual,T-C,FUN-SUP,Facilities & Power,-3.33
            2025,actual,T-C,FUN-SUP,Internal Labor,11.11
            2025,actual,T-C,FUN-SUP,Software,0.01

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(output, "fees.csv")));
        Assert.Equal("fiscal_year,scenario,object,cost_pool,reason,amount\n2025,actual,UNMAPPED,Other,unmapped,3.00\n", File.ReadAllText(Path.Combine(output, "unallocated.csv")));
        Assert.Equal("fiscal_year,scenario,ledger_total,allocated_total,unallocated_total,difference\n2025,actual,93.05,90.05,3.00,0.00\n", File.ReadAllText(Path.Combine(output, "reconciliation.csv")));
        Assert.Equal("fiscal_year,scenario,service,units,cost,unit_price\n2025,actual,INF-VM,2.5,66.67,26.67\n", File.ReadAllText(Path.Combine(output, "prices.csv")));
        Assert.Equal("fee_area,fiscal_year,opening,revenue,cost,result,closing,surplus_flag\nIT-drift,2025,0.00,90.05,93.05,-3.00,-3.00,false\n", File.ReadAllText(Path.Combine(output, "balance.csv")));
        Assert.False(File.Exists(Path.Combine(output, "trueup.csv")));
    }

    [Fact]
    public void Run_SplitsExactly_WhenAmountTimesWeightNeeds128Bits()
    {
        // 90 000 000 000.00 SEK: INF-VM gets 6·10^12 öre, split by vms 1 000 000 : 0.5 : 0.000003 (w = 10^12, 5·10^5, 3;
        // W = 1 000 000 500 003). |b|·w is 6·10^24 for T-A (128-bit path) and fits 64 bits for T-B and T-C; the two
        // leftover öre go by remainder across both: T-C (r = 999 991 499 949), then T-A (r = 500 017 500 051), not T-B.
        var output = RunSmall(f =>
        {
            f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS1,90000000000.00\n";
            f["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,1000000\n2025,vms,T-B,0.5\n2025,vms,T-C,0.000003\n";
        });
        var vm = File.ReadAllLines(Path.Combine(output, "fees.csv")).Where(l => l.Contains(",INF-VM,", StringComparison.Ordinal));
        Assert.Equal(
            ["2025,actual,T-A,INF-VM,Internal Labor,59999969999.84", "2025,actual,T-B,INF-VM,Internal Labor,29999.98", "2025,actual,T-C,INF-VM,Internal Labor,0.18"],
            vm);
        Assert.EndsWith("2025,actual,90000000000.00,90000000000.00,0.00,0.00\n", File.ReadAllText(Path.Combine(output, "reconciliation.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LeavesNoVolumeOnTheSource_WhenTheKeyIsZero()
    {
        var output = RunSmall(f => f["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,0\n2025,vms,T-B,0\n");
        Assert.Contains("2025,actual,INF-VM,Internal Labor,no-volume,66.67", File.ReadAllText(Path.Combine(output, "unallocated.csv")), StringComparison.Ordinal);
        Assert.Equal("fiscal_year,scenario,service,units,cost,unit_price\n", File.ReadAllText(Path.Combine(output, "prices.csv")));
    }

    [Fact]
    public void Run_WritesTrueUp_FinalMinusInvoiced()
    {
        var output = RunSmall(f => f["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2025,T-A,INF-VM,30.00\n2025,T-A,INF-VM,5.00\n2025,T-C,INF-VM,1.00\n");
        Assert.Equal("""
            fiscal_year,tenant,service,final,invoiced,trueup
            2025,T-A,FUN-SUP,7.79,0.00,7.79
            2025,T-A,INF-VM,40.00,35.00,5.00
            2025,T-B,FUN-SUP,7.80,0.00,7.80
            2025,T-B,INF-VM,26.67,0.00,26.67
            2025,T-C,FUN-SUP,7.79,0.00,7.79
            2025,T-C,INF-VM,0.00,1.00,-1.00

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(output, "trueup.csv")));
    }

    [Fact]
    public void Run_IsByteIdentical_UnderAnotherCultureAndRepeated()
    {
        var first = RunSmall();
        var expected = Directory.GetFiles(first).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var previous = CultureInfo.CurrentCulture;
        foreach (var culture in new[] { "sv-SE", "de-DE" })
        {
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
                var again = RunSmall();
                var actual = Directory.GetFiles(again).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
                Assert.Equal(expected.Count, actual.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], actual[i]);
                }
            }
            finally
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    [Fact]
    public void Run_ReadsTheSwedishDialect_ToTheSameResult()
    {
        var canonical = File.ReadAllBytes(Path.Combine(RunSmall(), "fees.csv"));
        var swedish = RunSmall(f =>
        {
            f["ledger.csv"] = "fiscal_year;period;account;cost_center;amount\n2025;1;4011;KS1;100,00\n2025;1;5460;KS1;0,05\n2025;2;5011;KS2;\u221210,00\n2025;2;7999;KS9;3\n2025;3;3011;KS1;999,00\n";
            f["drivers.csv"] = "fiscal_year;driver;target;quantity\n2025;vms;T-A;1,5\n2025;vms;T-B;1\n";
            f["rules.csv"] = "step;source;method;driver;targets\n1;TWR-DC;fixed;;\"INF-VM:2;FUN-SUP:1\"\n2;INF-VM;driver;vms;\n2;FUN-SUP;even;;\"T-A;T-B;T-C\"\n";
        });
        Assert.Equal(canonical, File.ReadAllBytes(Path.Combine(swedish, "fees.csv")));
    }
}
