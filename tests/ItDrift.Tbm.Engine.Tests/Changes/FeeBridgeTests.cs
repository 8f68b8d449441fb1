using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Changes;

/// <summary>
/// The fee bridge between two runs of one supplier, worked by hand.
/// </summary>
/// <remarks>
/// From (2025): INF-VM 1 000.00 (Internal Labor 800.00, Facilities &amp; Power 200.00) by vms T-A 4, T-B 6 —
/// T-A 400.00 (320.00 + 80.00), T-B 600.00 (480.00 + 120.00), 100.00 a vm; FUN-SUP 300.00 (Software) even
/// over T-A, T-B, T-C, 100.00 each.
/// To (2025): INF-VM 1 320.00 (990.00 + 330.00) by vms T-A 5, T-B 6, T-C 1 — 110.00 a vm: T-A 550.00
/// (412.50 + 137.50), T-B 660.00 (495.00 + 165.00), T-C 110.00 (82.50 + 27.50); FUN-SUP 330.00 even over T-A
/// and T-C, 165.00 each (T-B left it).
/// </remarks>
public sealed class FeeBridgeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Package(string ledger, string rules, string drivers)
    {
        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + ledger;
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n5000,5399,Facilities & Power\n5400,5499,Software\n";
        files["objects.csv"] = "object_id,kind,name\nINF-VM,service,Virtual machines\nFUN-SUP,service,Support\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,5399,*,INF-VM\n2,5400,5499,*,FUN-SUP\n";
        files["rules.csv"] = "step,source,method,driver,targets\n1,INF-VM,driver,vms,\n" + rules;
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n" + drivers;
        return files;
    }

    private string Run(string name, Dictionary<string, string> files)
    {
        var output = _temp.Combine(name, "run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name, "model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    private string From() => Run("from", Package(
        "2025,1,4011,KS1,800.00\n2025,1,5011,KS1,200.00\n2025,1,5460,KS1,300.00\n",
        "1,FUN-SUP,even,,T-A;T-B;T-C\n",
        "2025,vms,T-A,4\n2025,vms,T-B,6\n"));

    private string To() => Run("to", Package(
        "2025,1,4011,KS1,990.00\n2025,1,5011,KS1,330.00\n2025,1,5460,KS1,330.00\n",
        "1,FUN-SUP,even,,T-A;T-C\n",
        "2025,vms,T-A,5\n2025,vms,T-B,6\n2025,vms,T-C,1\n"));

    [Fact]
    public void Write_SplitsEachChange_IntoVolumeAndPrice_ExactToTheOre()
    {
        var output = _temp.Combine("bridge");
        var result = FeeBridge.Write(new BridgeSide(From()), new BridgeSide(To()), output);

        Assert.Equal("""
            tenant,service,fee_from,fee_to,change,volume_effect,price_effect,quantity_from,quantity_to,unit_price_from,unit_price_to,kind
            T-A,FUN-SUP,100.00,165.00,65.00,0.00,65.00,,,,,unsplit
            T-A,INF-VM,400.00,550.00,150.00,100.00,50.00,4,5,100.00,110.00,split
            T-B,FUN-SUP,100.00,0.00,-100.00,-100.00,0.00,,,,,ended
            T-B,INF-VM,600.00,660.00,60.00,0.00,60.00,6,6,100.00,110.00,split
            T-C,FUN-SUP,100.00,165.00,65.00,0.00,65.00,,,,,unsplit
            T-C,INF-VM,0.00,110.00,110.00,110.00,0.00,,1,100.00,110.00,new

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(output, FeeBridge.ChangesFile)));

        // T-A's INF-VM volume effect 100.00 over its from-side pools 320.00 : 80.00 is 80.00 and 20.00; each
        // pool's price effect is its change less that (92.50 − 80.00, 57.50 − 20.00), 50.00 in all.
        Assert.Equal("""
            tenant,service,cost_pool,fee_from,fee_to,change,volume_effect,price_effect
            T-A,FUN-SUP,Software,100.00,165.00,65.00,0.00,65.00
            T-A,INF-VM,Facilities & Power,80.00,137.50,57.50,20.00,37.50
            T-A,INF-VM,Internal Labor,320.00,412.50,92.50,80.00,12.50
            T-B,FUN-SUP,Software,100.00,0.00,-100.00,-100.00,0.00
            T-B,INF-VM,Facilities & Power,120.00,165.00,45.00,0.00,45.00
            T-B,INF-VM,Internal Labor,480.00,495.00,15.00,0.00,15.00
            T-C,FUN-SUP,Software,100.00,165.00,65.00,0.00,65.00
            T-C,INF-VM,Facilities & Power,0.00,27.50,27.50,27.50,0.00
            T-C,INF-VM,Internal Labor,0.00,82.50,82.50,82.50,0.00

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(output, FeeBridge.ChangesByPoolFile)));

        Assert.Equal((6, 130_000L, 165_000L, 11_000L, 24_000L), (result.Lines, result.FeeFrom, result.FeeTo, result.VolumeEffect, result.PriceEffect));
        Assert.Equal((2025, "actual"), (result.From.FiscalYear, result.From.Scenario));
    }

    [Fact]
    public void Write_PlacesTheVolumeEffectsLeftoverOre_ByLargestRemainder_AndRoundsHalfAwayFromZero()
    {
        // From: INF-VM 100.00 (Internal Labor) + 0.01 (Facilities & Power) over vms T-A 3; to: the same cost over T-A 4.
        var from = Run("round-from", Package("2025,1,4011,KS1,100.00\n2025,1,5011,KS1,0.01\n", "1,FUN-SUP,even,,T-A\n", "2025,vms,T-A,3\n"));
        var to = Run("round-to", Package("2025,1,4011,KS1,100.00\n2025,1,5011,KS1,0.01\n", "1,FUN-SUP,even,,T-A\n", "2025,vms,T-A,4\n"));
        var output = _temp.Combine("round");
        FeeBridge.Write(new BridgeSide(from), new BridgeSide(to), output);

        // The unit price falls as the same cost spreads over more vms: all of T-A's fee stays, so V = 33.34 and P = −33.34.
        Assert.Equal("T-A,INF-VM,100.01,100.01,0.00,33.34,-33.34,3,4,33.34,25.00,split", File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesFile))[1]);
        // 33.34 over 100.00 : 0.01 (of 100.01): 33.3366… and 0.0033… → 33.33 and 0.00, one öre left to the larger
        // remainder (Internal Labor, 0.66 against 0.33 of an öre): 33.34 and 0.00.
        var pools = File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesByPoolFile));
        Assert.Equal("T-A,INF-VM,Facilities & Power,0.01,0.01,0.00,0.00,0.00", pools[1]);
        Assert.Equal("T-A,INF-VM,Internal Labor,100.00,100.00,0.00,33.34,-33.34", pools[2]);
    }

    [Fact]
    public void Write_FromARunToItself_IsAllZeros_AndLeavesNothingButItsOwnFiles()
    {
        var run = From();
        var output = _temp.Combine("same");
        var result = FeeBridge.Write(new BridgeSide(run), new BridgeSide(run), output);

        Assert.Equal((0L, 0L), (result.VolumeEffect, result.PriceEffect));
        Assert.All(File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesFile)).Skip(1), line => Assert.Contains(",0.00,0.00,0.00,", line, StringComparison.Ordinal));
        Assert.Equal([".tbm-output", FeeBridge.BridgeFile, FeeBridge.ChangesFile, FeeBridge.ChangesByPoolFile, FeeBridge.ChangesByTowerFile],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("runs/a", "runs/a", null, null)]
    [InlineData("runs/a:2025", "runs/a", 2025, null)]
    [InlineData("runs/a:2025:budget", "runs/a", 2025, "budget")]
    [InlineData("C:/runs/a:2025:budget", "C:/runs/a", 2025, "budget")]
    [InlineData("runs/a:b", "runs/a:b", null, null)]
    public void Parse_TakesAYearAndAScenarioFromTheEnd(string text, string folder, int? year, string? scenario) =>
        Assert.Equal(new BridgeSide(folder, year, scenario), BridgeSide.Parse(text));

    [Fact]
    public void Write_APeriodTheRunDoesNotHave_IsAUsageError_NamingWhatItHas()
    {
        var run = From();
        var e = Assert.Throws<TbmException>(() => FeeBridge.Write(new BridgeSide(run, 2024), new BridgeSide(run), _temp.Combine("none")));
        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.Contains("--from: run ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("has no 2024 (it has 2025:actual)", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("none")));
    }
}
