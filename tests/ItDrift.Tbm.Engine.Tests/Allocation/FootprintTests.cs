using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Allocation;

/// <summary>Quantities (energy, emissions) allocated by the money's rules and keys into <c>footprint.csv</c>: hand-worked figures.</summary>
public sealed class FootprintTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (RunResult Result, string Output) Run(string quantities)
    {
        var files = SmallModel.Files();
        files["objects.csv"] += "X-LAB,other,Lab\n";
        files["quantities.csv"] = quantities.ReplaceLineEndings("\n");
        var output = _temp.Combine("run");
        return (TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output)), output);
    }

    [Fact]
    public void Run_AllocatesEachKindLikeACostPool_InMillionths_ConservingEveryOne()
    {
        // TWR-DC's 1 000 kWh go 2 : 1 to INF-VM and FUN-SUP: 666.666666|67 and 333.333333|33 → the last millionth to INF-VM
        // (remainder 2 of 3): 666.666667 and 333.333333. INF-VM by vms, T-A 1.5 : T-B 1 = 3 : 2: 400.000000|2 and
        // 266.666666|8 → the millionth to T-B: 400 and 266.666667. FUN-SUP evenly: 111.111111 each. INF-VM's own 10 kg CO₂e:
        // 6 and 4. X-LAB has no rule: its 5 kWh stay (no-rule).
        var (result, output) = Run("""
            fiscal_year,object,kind,value
            2025,TWR-DC,energy_kwh,1000
            2025,INF-VM,co2e_kg,10
            2025,X-LAB,energy_kwh,5
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
        [
            "fiscal_year,scenario,kind,tenant,service,value,reason",
            "2025,actual,co2e_kg,T-A,INF-VM,6,",
            "2025,actual,co2e_kg,T-B,INF-VM,4,",
            "2025,actual,energy_kwh,T-A,FUN-SUP,111.111111,",
            "2025,actual,energy_kwh,T-A,INF-VM,400,",
            "2025,actual,energy_kwh,T-B,FUN-SUP,111.111111,",
            "2025,actual,energy_kwh,T-B,INF-VM,266.666667,",
            "2025,actual,energy_kwh,T-C,FUN-SUP,111.111111,",
            "2025,actual,energy_kwh,,X-LAB,5,no-rule",
        ], File.ReadAllLines(Path.Combine(output, "footprint.csv")));
        Assert.True(File.Exists(Path.Combine(output, "footprint.parquet")));
    }

    [Fact]
    public void Run_LeavesTheMoneyAsItWas_AndWritesNoFootprint_WithoutQuantities()
    {
        var (with, withOutput) = Run("fiscal_year,object,kind,value\n2025,TWR-DC,energy_kwh,1000\n");
        Assert.True(with.Succeeded, string.Join("\n", with.Errors));
        var fees = File.ReadAllBytes(Path.Combine(withOutput, "fees.csv"));

        var files = SmallModel.Files();
        files["objects.csv"] += "X-LAB,other,Lab\n";
        var output = _temp.Combine("without");
        Assert.True(TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model-without"), files), output)).Succeeded);

        Assert.Equal(fees, File.ReadAllBytes(Path.Combine(output, "fees.csv")));
        Assert.False(File.Exists(Path.Combine(output, "footprint.csv")));
    }

    [Fact]
    public void Run_WarnsOfQuantitiesInAPeriodWithoutLedger_AndLeavesThemOut()
    {
        var (result, output) = Run("fiscal_year,object,kind,value\n2025,INF-VM,co2e_kg,10\n2024,INF-VM,co2e_kg,7\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Contains(result.Warnings, w => w.File == "quantities" && w.Message.StartsWith("2024 (actual) has quantities but no ledger lines", StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(output, "footprint.csv")), l => l.StartsWith("2024", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2025,T-A,co2e_kg,1", "object", "'T-A' is a tenant")]
    [InlineData("2025,NOPE,co2e_kg,1", "object", "unknown object 'NOPE'")]
    [InlineData("2025,INF-VM,co2e_kg,-1", "value", "-1")]
    public void Validate_ReportsABadQuantity_WithLineAndColumn(string row, string column, string reason)
    {
        var (result, _) = Run("fiscal_year,object,kind,value\n2025,INF-VM,co2e_kg,10\n" + row + "\n");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.File == "quantities.csv" && e.Line == 3 && e.Column == column && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_SolvesQuantitiesOnACycle_AsItSolvesMoney_ConservingEveryMillionth()
    {
        // The reciprocal-services scenario: service desk, network and hosting serve each other. 1 000 kWh on the tower and
        // 7 kg CO₂e on the service desk reach the two tenants whole, through the cycle's exact solution.
        var model = _temp.Combine("reciprocal");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "datasets", "scenarios", "reciprocal-services", "model")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var year = File.ReadAllLines(Path.Combine(model, "ledger.csv"))[1].Split(',')[0];
        File.WriteAllText(Path.Combine(model, "quantities.csv"), $"fiscal_year,object,kind,value\n{year},TWR-DC,energy_kwh,1000\n{year},SVC-DESK,co2e_kg,7\n");
        var output = _temp.Combine("reciprocal-run");

        var result = TbmEngine.Run(new RunOptions(model, output));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var rows = File.ReadAllLines(Path.Combine(output, "footprint.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Contains(r[3], new[] { "T-A", "T-B" }));
        Assert.Equal(1000m, rows.Where(r => r[2] == "energy_kwh").Sum(r => decimal.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(7m, rows.Where(r => r[2] == "co2e_kg").Sum(r => decimal.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
