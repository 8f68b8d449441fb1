using System.Text;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Changes;

/// <summary>
/// Simulations from a published run, worked by hand.
/// </summary>
/// <remarks>
/// The run (2025 actual): INF-VM 1 000.00 (Internal Labor 800.00 on 4011, Facilities &amp; Power 200.00 on 5011) by
/// vms T-A 4, T-B 6 — T-A 400.00 (320.00 + 80.00), T-B 600.00 (480.00 + 120.00), 100.00 a vm; FUN-SUP 300.00
/// (Software, 5460) even over T-A, T-B, T-C, 100.00 each. A second key, users, has T-A 1 and T-B 3.
/// </remarks>
public sealed class SimulationTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private string? _run;

    public void Dispose() => _temp.Dispose();

    private string RunFolder()
    {
        if (_run is not null)
        {
            return _run;
        }

        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS1,800.00\n2025,1,5011,KS1,200.00\n2025,1,5460,KS1,300.00\n";
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n5000,5399,Facilities & Power\n5400,5499,Software\n";
        files["objects.csv"] = "object_id,kind,name\nINF-VM,service,Virtual machines\nFUN-SUP,service,Support\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,5399,*,INF-VM\n2,5400,5499,*,FUN-SUP\n";
        files["rules.csv"] = "step,source,method,driver,targets\n1,INF-VM,driver,vms,\n1,FUN-SUP,even,,T-A;T-B;T-C\n";
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,4\n2025,vms,T-B,6\n2025,users,T-A,1\n2025,users,T-B,3\n";
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return _run = output;
    }

    private (SimulationResult Result, string Folder) Simulate(string json, string name = "sim")
    {
        var output = _temp.Combine(name);
        var changes = SimulationJson.Read(Encoding.UTF8.GetBytes(json), "changes.json");
        return (Simulation.Write(RunFolder(), changes, output), output);
    }

    private static string[] Lines(string folder, string file) => File.ReadAllLines(Path.Combine(folder, file));

    [Fact]
    public void Write_WithoutChanges_GivesTheRunsFees_ByteForByte_AndABridgeOfZeros()
    {
        var (result, folder) = Simulate("""{"changes": []}""");

        Assert.Equal(File.ReadAllText(Path.Combine(RunFolder(), "fees.csv")), File.ReadAllText(Path.Combine(folder, Simulation.FeesFile)));
        Assert.Equal(File.ReadAllText(Path.Combine(RunFolder(), "prices.csv")), File.ReadAllText(Path.Combine(folder, Simulation.PricesFile)));
        Assert.Equal((0L, 0L, 0L, 130_000L, 130_000L), (result.CostChange, result.VolumeEffect, result.PriceEffect, result.FeeFrom, result.FeeTo));
        Assert.All(Lines(folder, FeeBridge.ChangesFile).Skip(1), l => Assert.Contains(",0.00,0.00,0.00,", l, StringComparison.Ordinal));
        Assert.Equal((2025, "actual"), (result.Run.FiscalYear, result.Run.Scenario));
        Assert.Equal([".tbm-output", FeeBridge.ChangesFile, FeeBridge.ChangesByPoolFile, FeeBridge.ChangesByTowerFile, Simulation.FeesFile, Simulation.PricesFile, Simulation.SimulationFile, Simulation.UnallocatedFile],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_TenPercentOnOneCostPool_RaisesThePriceOfWhatThePoolFeeds()
    {
        // Internal Labor 800.00 + 10 % = 880.00 over vms 4 : 6 → T-A 352.00, T-B 528.00; the unit price 100.00 → 108.00.
        var (result, folder) = Simulate("""{"changes": [{"type": "cost", "costPool": "Internal Labor", "percent": 10}]}""");

        Assert.Equal(
            [
                "tenant,service,fee_from,fee_to,change,volume_effect,price_effect,quantity_from,quantity_to,unit_price_from,unit_price_to,kind",
                "T-A,FUN-SUP,100.00,100.00,0.00,0.00,0.00,,,,,unsplit",
                "T-A,INF-VM,400.00,432.00,32.00,0.00,32.00,4,4,100.00,108.00,split",
                "T-B,FUN-SUP,100.00,100.00,0.00,0.00,0.00,,,,,unsplit",
                "T-B,INF-VM,600.00,648.00,48.00,0.00,48.00,6,6,100.00,108.00,split",
                "T-C,FUN-SUP,100.00,100.00,0.00,0.00,0.00,,,,,unsplit",
            ],
            Lines(folder, FeeBridge.ChangesFile));
        Assert.Contains("T-A,INF-VM,Internal Labor,320.00,352.00,32.00,0.00,32.00", Lines(folder, FeeBridge.ChangesByPoolFile));
        Assert.Contains("T-A,INF-VM,Facilities & Power,80.00,80.00,0.00,0.00,0.00", Lines(folder, FeeBridge.ChangesByPoolFile));
        Assert.Contains("2025,actual,T-B,INF-VM,Internal Labor,528.00", Lines(folder, Simulation.FeesFile));
        Assert.Equal((8_000L, 8_000L, 0L), (result.CostChange, result.FeeTo - result.FeeFrom, result.UnallocatedTo - result.UnallocatedFrom));
    }

    [Fact]
    public void Write_OneTenantLeaving_SpreadsItsShareOverTheOthers()
    {
        // Without T-B: INF-VM's 1 000.00 all on T-A's 4 vms (250.00 a vm); FUN-SUP's 300.00 even over T-A and T-C.
        var (result, folder) = Simulate("""{"changes": [{"type": "leave", "tenant": "T-B"}]}""");

        Assert.Equal(
            [
                "tenant,service,fee_from,fee_to,change,volume_effect,price_effect,quantity_from,quantity_to,unit_price_from,unit_price_to,kind",
                "T-A,FUN-SUP,100.00,150.00,50.00,0.00,50.00,,,,,unsplit",
                "T-A,INF-VM,400.00,1000.00,600.00,0.00,600.00,4,4,100.00,250.00,split",
                "T-B,FUN-SUP,100.00,0.00,-100.00,-100.00,0.00,,,,,ended",
                "T-B,INF-VM,600.00,0.00,-600.00,-600.00,0.00,6,,100.00,250.00,ended",
                "T-C,FUN-SUP,100.00,150.00,50.00,0.00,50.00,,,,,unsplit",
            ],
            Lines(folder, FeeBridge.ChangesFile));
        Assert.Equal((0L, 130_000L, -70_000L, 70_000L), (result.CostChange, result.FeeTo, result.VolumeEffect, result.PriceEffect));
    }

    [Fact]
    public void Write_ADriverVolumeChange_MovesTheFeeByVolumeAndPrice()
    {
        // T-A 4 → 6 vms: 1 000.00 over 6 : 6, 500.00 each. T-A's volume effect 400.00 × 2 ÷ 4 = 200.00, its price
        // effect −100.00; T-B's volume is unchanged, so its −100.00 is all price. Unit price 1 000.00 ÷ 12 = 83.33.
        var (_, folder) = Simulate("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-A", "quantity": 6}]}""");

        var lines = Lines(folder, FeeBridge.ChangesFile);
        Assert.Equal("T-A,INF-VM,400.00,500.00,100.00,200.00,-100.00,4,6,100.00,83.33,split", lines[2]);
        Assert.Equal("T-B,INF-VM,600.00,500.00,-100.00,0.00,-100.00,6,6,100.00,83.33,split", lines[4]);
        Assert.Equal("T-A,INF-VM,Internal Labor,320.00,400.00,80.00,160.00,-80.00", Lines(folder, FeeBridge.ChangesByPoolFile)[3]);
    }

    [Fact]
    public void Write_ARuleKeySwitch_AllocatesByTheNewKey()
    {
        // INF-VM by users (T-A 1, T-B 3) instead of vms: T-A 250.00 (200.00 + 50.00), T-B 750.00. The volumes compared
        // are the tenant's volume of the service's key on each side: 4 vms, then 1 user.
        var (result, folder) = Simulate("""{"changes": [{"type": "key", "rule": "INF-VM", "driver": "users"}]}""");

        var lines = Lines(folder, FeeBridge.ChangesFile);
        Assert.Equal("T-A,INF-VM,400.00,250.00,-150.00,-300.00,150.00,4,1,100.00,250.00,split", lines[2]);
        Assert.Equal("T-B,INF-VM,600.00,750.00,150.00,-300.00,450.00,6,3,100.00,250.00,split", lines[4]);
        Assert.Contains("2025,actual,T-A,INF-VM,Internal Labor,200.00", Lines(folder, Simulation.FeesFile));
        Assert.Equal(0L, result.FeeTo - result.FeeFrom);
    }

    [Fact]
    public void Write_AnAmountOnAnAccountRange_AndATenantJoining_AddUpToTheCostChange()
    {
        // +100.00 on the Software accounts: FUN-SUP 400.00 even over three, 133.34 / 133.33 / 133.33 (the öre left
        // over to the first). T-NEW joins INF-VM with 10 vms: 1 000.00 over 4 : 6 : 10.
        var (result, folder) = Simulate("""
            {"year": 2025, "changes": [
              {"type": "cost", "accounts": {"from": 5400, "to": 5499}, "amount": 100.00},
              {"type": "join", "tenant": "T-NEW", "name": "Nya myndigheten", "quantities": {"INF-VM": 10}}
            ]}
            """);

        var lines = Lines(folder, FeeBridge.ChangesFile);
        Assert.Equal("T-A,FUN-SUP,100.00,133.34,33.34,0.00,33.34,,,,,unsplit", lines[1]);
        Assert.Equal("T-A,INF-VM,400.00,200.00,-200.00,0.00,-200.00,4,4,100.00,50.00,split", lines[2]);
        Assert.Equal("T-NEW,INF-VM,0.00,500.00,500.00,500.00,0.00,,10,100.00,50.00,new", lines[^1]);
        Assert.Equal((10_000L, 10_000L), (result.CostChange, result.FeeTo - result.FeeFrom));
        Assert.Equal([("$.changes[0]", "cost", 10_000L), ("$.changes[1]", "join", 0L)], result.Changes.Select(c => (c.Path, c.Type, c.CostChange)));
    }

    [Fact]
    public void Write_TenPercentOnATower_IsThePriceEffectOfThatTower()
    {
        // INF-VM's Internal Labor is 800.00 of its own and 200.00 from the tower TW-DC, shared by vms 4 : 6: T-A's 400.00 is
        // 320.00 from INF-VM's own cost and 80.00 through TW-DC. TW-DC + 10 % = 220.00: T-A pays 408.00 (unit price 102.00),
        // and all of its 8.00 is TW-DC's price effect.
        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS1,800.00\n2025,1,4011,KS2,200.00\n2025,1,5460,KS1,300.00\n";
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n5400,5499,Software\n";
        files["objects.csv"] = "object_id,kind,name\nTW-DC,tower,Datacenter\nINF-VM,service,Virtual machines\nFUN-SUP,service,Support\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,4999,KS2,TW-DC\n2,4000,4999,*,INF-VM\n3,5400,5499,*,FUN-SUP\n";
        files["rules.csv"] = "step,source,method,driver,targets\n1,TW-DC,fixed,,INF-VM:1\n2,INF-VM,driver,vms,\n2,FUN-SUP,even,,T-A;T-B;T-C\n";
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,4\n2025,vms,T-B,6\n";
        var run = _temp.Combine("tower-run");
        Assert.True(TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("tower-model"), files), run)).Succeeded);
        var output = _temp.Combine("tower-sim");
        var changes = SimulationJson.Read(Encoding.UTF8.GetBytes("""{"changes": [{"type": "cost", "object": "TW-DC", "percent": 10}]}"""), "changes.json");

        var result = Simulation.Write(run, changes, output);

        Assert.Contains("T-A,INF-VM,400.00,408.00,8.00,0.00,8.00,4,4,100.00,102.00,split", Lines(output, FeeBridge.ChangesFile));
        Assert.Equal(
            [
                "tenant,service,cost_pool,tower,fee_from,fee_to,change,volume_effect,price_effect",
                "T-A,FUN-SUP,Software,FUN-SUP,100.00,100.00,0.00,0.00,0.00",
                "T-A,INF-VM,Internal Labor,INF-VM,320.00,320.00,0.00,0.00,0.00",
                "T-A,INF-VM,Internal Labor,TW-DC,80.00,88.00,8.00,0.00,8.00",
                "T-B,FUN-SUP,Software,FUN-SUP,100.00,100.00,0.00,0.00,0.00",
                "T-B,INF-VM,Internal Labor,INF-VM,480.00,480.00,0.00,0.00,0.00",
                "T-B,INF-VM,Internal Labor,TW-DC,120.00,132.00,12.00,0.00,12.00",
                "T-C,FUN-SUP,Software,FUN-SUP,100.00,100.00,0.00,0.00,0.00",
            ],
            Lines(output, FeeBridge.ChangesByTowerFile));
        Assert.Equal(2_000L, result.CostChange);
    }

    [Theory]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Hardware", "percent": 5}]}""", "changes.json: $.changes[0].costPool: 'Hardware' is not a cost pool of run")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "T-X"}]}""", "changes.json: $.changes[0].tenant: 'T-X' is not a tenant of run")]
    [InlineData("""{"changes": [{"type": "key", "rule": "FUN-SUP", "driver": "vms"}]}""", "changes.json: $.changes[0].rule: 'FUN-SUP' is not allocated by a key (driver rule)")]
    [InlineData("""{"changes": [{"type": "volume", "driver": "servers", "target": "T-A", "quantity": 1}]}""", "changes.json: $.changes[0].driver: 'servers' is not a key (driver) of run")]
    [InlineData("""{"changes": [{"type": "join", "tenant": "T-A", "name": "A", "quantities": {"INF-VM": 1}}]}""", "changes.json: $.changes[0].tenant: 'T-A' is a tenant of run")]
    [InlineData("""{"changes": [{"type": "join", "tenant": "T-N", "name": "N", "quantities": {"FUN-SUP": 1}}]}""", "changes.json: $.changes[0].quantities.FUN-SUP: 'FUN-SUP' is not charged by a key (even rule)")]
    [InlineData("""{"changes": [{"type": "cost", "accounts": {"from": 7000, "to": 7999}, "amount": 5}]}""", "changes.json: $.changes[0]: matches no cost of run")]
    [InlineData("""{"year": 2024, "changes": []}""", "2024 is not a fee year of run")]
    [InlineData("""{"changes": [{"type": "volume", "driver": "users", "target": "T-A", "quantity": 2}]}""", "changes.json: $.changes[0].driver: no rule of run")]
    public void Write_AChangeTheRunDoesNotHave_IsRefused_NamingTheJsonPath_AndWritesNothing(string json, string message)
    {
        var e = Assert.Throws<TbmException>(() => Simulate(json, "refused"));
        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("refused")));
    }

    [Fact]
    public void Write_AVolumeNoRuleTakes_IsRefused_UnlessAKeySwitchInTheSameSimulationMakesItCount()
    {
        // A volume of 'users' moves no money until INF-VM is switched to 'users' in the same simulation: then T-A 1 → 3 users
        // makes INF-VM's 1 000.00 over 3 : 3, 500.00 each.
        var e = Assert.Throws<TbmException>(() => Simulate("""{"changes": [{"type": "volume", "driver": "users", "target": "T-A", "quantity": 3}]}""", "alone"));
        Assert.Contains("no rule of run", e.Message, StringComparison.Ordinal);

        var (_, folder) = Simulate("""{"changes": [{"type": "key", "rule": "INF-VM", "driver": "users"}, {"type": "volume", "driver": "users", "target": "T-A", "quantity": 3}]}""");
        Assert.Contains("2025,actual,T-A,INF-VM,Internal Labor,400.00", Lines(folder, Simulation.FeesFile));
    }

    [Fact]
    public void Write_AVolumeOfATargetTheRuleDoesNotList_IsRefused()
    {
        // INF-VM lists its targets T-A;T-B: a volume for T-C would be no share of anything, so it is refused, not ignored.
        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS1,800.00\n";
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n";
        files["objects.csv"] = "object_id,kind,name\nINF-VM,service,Virtual machines\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,4999,*,INF-VM\n";
        files["rules.csv"] = "step,source,method,driver,targets\n1,INF-VM,driver,vms,T-A;T-B\n";
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,4\n2025,vms,T-B,6\n";
        _run = _temp.Combine("listed-run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("listed-model"), files), _run));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));

        var e = Assert.Throws<TbmException>(() => Simulate("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-C", "quantity": 5}]}""", "refused"));
        Assert.StartsWith("changes.json: $.changes[0].target: 'T-C' is not among the listed targets of the rules keyed by 'vms' (INF-VM)", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("refused")));
    }
}
