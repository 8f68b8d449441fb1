using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Validation;

/// <summary>One test per model error of docs/model-format.md §2: each names file, line, column and a reason.</summary>
public sealed class ValidationErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunResult Validate(Action<Dictionary<string, string>> change)
    {
        var files = SmallModel.Files();
        change(files);
        return TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
    }

    private static void AssertError(RunResult result, string file, int line, string column, string reasonContains)
    {
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.File == file && e.Line == line && e.Column == column && e.Reason.Contains(reasonContains, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Succeeds_ForTheSmallModel()
    {
        var result = Validate(_ => { });
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Validate_ReportsUnparsableValue_WithLineAndColumn() =>
        AssertError(Validate(f => f["ledger.csv"] = f["ledger.csv"].Replace("2025,2,5011", "2025,2,5O11", StringComparison.Ordinal)), "ledger.csv", 4, "account", "'5O11' is not a whole number");

    [Fact]
    public void Validate_ReportsOutOfRangePeriod() =>
        AssertError(Validate(f => f["ledger.csv"] = f["ledger.csv"].Replace("2025,1,4011", "2025,19,4011", StringComparison.Ordinal)), "ledger.csv", 2, "period", "not a period (1–18)");

    [Fact]
    public void Validate_AcceptsPeriods13To18_ExtendedFiscalYear()
    {
        var result = Validate(f => f["ledger.csv"] = f["ledger.csv"].Replace("2025,1,4011", "2025,18,4011", StringComparison.Ordinal));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Validate_ReportsInstalmentStartMonthPastTwelve_AMonthIsNotAPeriod() =>
        AssertError(Validate(f => f["instalments.csv"] = "tenant,item,kind,amount,years,start_year,start_month\nT-A,CONN-T-A,connection,1000.00,2,2025,13\n"),
            "instalments.csv", 2, "start_month", "'13' is not a month (1–12)");

    [Fact]
    public void Validate_ReportsAmountWithThreeDecimals_AsErrorNotRounding() =>
        AssertError(Validate(f => f["ledger.csv"] = f["ledger.csv"].Replace("100.00", "100.005", StringComparison.Ordinal)), "ledger.csv", 2, "amount", "more than two decimals");

    [Fact]
    public void Validate_AcceptsTrailingZerosBeyondTheOre()
    {
        var result = Validate(f => f["ledger.csv"] = f["ledger.csv"].Replace("100.00", "100.000", StringComparison.Ordinal));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Validate_ReportsDuplicateObjectId() =>
        AssertError(Validate(f => f["objects.csv"] += "INF-VM,service,Again\n"), "objects.csv", 5, "object_id", "duplicate id INF-VM (first at line 3)");

    [Fact]
    public void Validate_ReportsIdNamingBothObjectAndTenant() =>
        AssertError(Validate(f => f["tenants.csv"] += "FUN-SUP,Clash,\n"), "tenants.csv", 5, "tenant_id", "names an object already");

    [Fact]
    public void Validate_ReportsDuplicateDriverRow() =>
        AssertError(Validate(f => f["drivers.csv"] += "2025,vms,T-A,2\n"), "drivers.csv", 4, "target", "duplicate (fiscal_year, scenario, driver, target)");

    [Fact]
    public void Validate_ReportsOverlappingCostPools() =>
        AssertError(Validate(f => f["cost_pools.csv"] += "4900,5100,Hardware\n"), "cost_pools.csv", 6, "account_from", "overlaps range 4000–4999");

    [Fact]
    public void Validate_ReportsCostAccountWithoutCostPool() =>
        AssertError(Validate(f => f["cost_pools.csv"] = f["cost_pools.csv"].Replace("5500,8999,Other", "5500,7000,Other", StringComparison.Ordinal)), "ledger.csv", 5, "account", "cost account 7999 has no cost pool");

    [Fact]
    public void Validate_ReportsDuplicateMappingPriority() =>
        AssertError(Validate(f => f["mapping.csv"] += "2,6000,6999,*,FUN-SUP\n"), "mapping.csv", 4, "priority", "duplicate priority 2 (first at line 3)");

    [Fact]
    public void Validate_ReportsMappingToUnknownObject() =>
        AssertError(Validate(f => f["mapping.csv"] += "3,6000,6999,*,NOPE\n"), "mapping.csv", 4, "object_id", "unknown object 'NOPE'");

    [Fact]
    public void Validate_ReportsRuleWithUnknownTarget() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("T-A;T-B;T-C", "T-A;T-X", StringComparison.Ordinal)), "rules.csv", 4, "targets", "unknown object or tenant 'T-X'");

    [Fact]
    public void Validate_ReportsDriverRowWithUnknownTarget() =>
        AssertError(Validate(f => f["drivers.csv"] += "2025,vms,T-Q,1\n"), "drivers.csv", 4, "target", "unknown object or tenant 'T-Q'");

    [Fact]
    public void Validate_ReportsSourceWithTwoRules() =>
        AssertError(Validate(f => f["rules.csv"] += "3,FUN-SUP,direct,,T-A\n"), "rules.csv", 5, "source", "duplicate source");

    [Fact]
    public void Validate_ReportsTenantAsSource() =>
        AssertError(Validate(f => f["rules.csv"] += "3,T-A,direct,,T-B\n"), "rules.csv", 5, "source", "is a tenant");

    [Fact]
    public void Validate_ReportsUnmappedAsSource() =>
        AssertError(Validate(f => f["rules.csv"] += "3,UNMAPPED,direct,,T-B\n"), "rules.csv", 5, "source", "UNMAPPED cannot be a source");

    [Fact]
    public void Validate_ReportsNegativeQuantity() =>
        AssertError(Validate(f => f["drivers.csv"] = f["drivers.csv"].Replace("T-B,1", "T-B,-1", StringComparison.Ordinal)), "drivers.csv", 3, "quantity", "is negative");

    [Fact]
    public void Validate_ReportsNegativeFixedWeight() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("FUN-SUP:1", "FUN-SUP:-1", StringComparison.Ordinal)), "rules.csv", 2, "targets", "is negative");

    [Fact]
    public void Validate_ReportsDriverRuleWithoutDriver() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("INF-VM,driver,vms,", "INF-VM,driver,,", StringComparison.Ordinal)), "rules.csv", 3, "driver", "needs a driver");

    [Fact]
    public void Validate_ReportsZeroFixedWeight() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("FUN-SUP:1", "FUN-SUP:0", StringComparison.Ordinal)), "rules.csv", 2, "targets", "not positive");

    [Fact]
    public void Validate_ReportsBackEdge_NamingTheObjects() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("T-A;T-B;T-C", "T-A;INF-VM", StringComparison.Ordinal)), "rules.csv", 4, "targets", "FUN-SUP (step 2) sends money to INF-VM, whose rule runs at step 2");

    [Fact]
    public void Validate_ReportsCycle_WithItsPath() =>
        AssertError(Validate(f => f["rules.csv"] = f["rules.csv"].Replace("T-A;T-B;T-C", "TWR-DC", StringComparison.Ordinal)), "rules.csv", 4, "targets", "a cycle FUN-SUP → TWR-DC → FUN-SUP");

    [Fact]
    public void Validate_ReportsInvalidOrganisationNumber() =>
        AssertError(Validate(f => f["tenants.csv"] = f["tenants.csv"].Replace("202100-5448", "202100-5449", StringComparison.Ordinal)), "tenants.csv", 2, "org_nr", "wrong check digit");

    [Fact]
    public void Validate_ReportsMissingRequiredColumn() =>
        AssertError(Validate(f => f["objects.csv"] = "object_id,name\nTWR-DC,x\n"), "objects.csv", 1, "kind", "required column is missing");

    [Fact]
    public void Validate_ReportsMissingRequiredTable() =>
        AssertError(Validate(f => f.Remove("mapping.csv")), "mapping.csv", 0, "", "required table 'mapping' is missing");

    [Fact]
    public void Validate_ReportsBadModelJson() =>
        AssertError(Validate(f => f["model.json"] = """{"supplier": {"id": "FK", "name": "FK", "orgNr": "202100-5522"}}"""), "model.json", 1, "supplier.orgNr", "wrong check digit");

    [Fact]
    public void Validate_CollectsEveryError_NotJustTheFirst()
    {
        var result = Validate(f =>
        {
            f["ledger.csv"] = f["ledger.csv"].Replace("2025,1,4011", "2025,19,4011", StringComparison.Ordinal).Replace("-10.00", "-10.001", StringComparison.Ordinal);
            f["drivers.csv"] += "2025,vms,T-Q,1\n";
        });
        Assert.Equal(3, result.ErrorCount);
    }

    [Fact]
    public void Run_WritesOnlyErrorsCsv_OnModelError()
    {
        var files = SmallModel.Files();
        files["mapping.csv"] += "3,6000,6999,*,NOPE\n";
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.False(result.Succeeded);
        Assert.Equal([OutputFolder.MarkerFile, "errors.csv"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("file,line,column,reason\nmapping.csv,4,object_id,unknown object 'NOPE'\n", File.ReadAllText(Path.Combine(output, "errors.csv")));
    }
}
