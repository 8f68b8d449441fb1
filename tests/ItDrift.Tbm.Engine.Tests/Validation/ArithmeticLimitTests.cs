using ItDrift.Tbm.Model;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Validation;

/// <summary>
/// Sums that would overflow the engine's integers although every cell is valid (docs/model-format.md §3):
/// validation refuses them, naming the file and the group, so that <c>run</c> never dies in DuckDB.
/// </summary>
public sealed class ArithmeticLimitTests : IDisposable
{
    private const string Largest = "999999999999999.99";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (RunResult Validated, RunResult? Ran, Exception? Failure) ValidateAndRun(Action<Dictionary<string, string>> change)
    {
        var files = SmallModel.Files();
        change(files);
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var validated = TbmEngine.Validate(model);
        try
        {
            return (validated, TbmEngine.Run(new RunOptions(model, _temp.Combine("out"))), null);
        }
        catch (Exception e) when (e is not TbmException)
        {
            return (validated, null, e);
        }
    }

    private static string Lines(int count, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

    private static void AssertRefused((RunResult Validated, RunResult? Ran, Exception? Failure) result, string file, string reasonContains)
    {
        Assert.Null(result.Failure);
        Assert.False(result.Validated.Succeeded);
        var error = Assert.Single(result.Validated.Errors);
        Assert.Equal(file, error.File);
        Assert.Contains(reasonContains, error.Reason, StringComparison.Ordinal);
        Assert.False(result.Ran!.Succeeded);
        Assert.Equal(error, result.Ran.Errors[0]);
    }

    [Fact]
    public void Validate_RefusesLedgerLines_WhoseSumOverflows()
    {
        var result = ValidateAndRun(f => f["ledger.csv"] += Lines(11, _ => $"2025,4,4011,KS1,{Largest}"));
        AssertRefused(result, "ledger.csv", "fiscal year 2025, scenario actual");
    }

    [Fact]
    public void Validate_RefusesInvoicedRows_WhoseSumOverflows()
    {
        var result = ValidateAndRun(f => f["invoiced.csv"] = "fiscal_year,tenant,service,amount\n" + Lines(20, _ => $"2025,T-A,FUN-SUP,{Largest}"));
        AssertRefused(result, "invoiced.csv", "fiscal year 2025");
    }

    [Fact]
    public void Validate_RefusesRevenueRows_WhoseSumOverflows()
    {
        var result = ValidateAndRun(f => f["revenue.csv"] = "fee_area,fiscal_year,revenue\n" + Lines(20, i => $"IT-drift,{2025 - i},{Largest}"));
        AssertRefused(result, "revenue.csv", "fee area IT-drift");
    }

    [Fact]
    public void Validate_RefusesDriverQuantities_WhoseSumOverflows()
    {
        var result = ValidateAndRun(f => f["drivers.csv"] = "fiscal_year,driver,target,quantity\n" + Lines(3, i => $"2025,vms,T-{"ABC"[i]},999999999999.999999"));
        AssertRefused(result, "drivers.csv", "fiscal year 2025, scenario actual, driver vms");
    }

    [Fact]
    public void Validate_RefusesAPackage_WhoseYearsFitButNotTheirTotal()
    {
        // Each year's 9 lines fit; the fee area's balance carries both years' results, which do not.
        var result = ValidateAndRun(f => f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + Lines(18, i => $"{2024 + (i % 2)},4,4011,KS1,{Largest}"));
        AssertRefused(result, "ledger.csv", "17999999999999999.82 SEK in absolute value, 17999999999999999.82 SEK of them here (most in fiscal year 2024, scenario actual)");
    }

    [Fact]
    public void Validate_AcceptsTheLargestSums_ThatFit()
    {
        // Nine lines of the largest amount: 8 999 999 999 999 999.91 SEK in one group, within the limit.
        var result = ValidateAndRun(f => f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + Lines(9, _ => $"2025,4,4011,KS1,{Largest}"));
        Assert.Null(result.Failure);
        Assert.True(result.Validated.Succeeded, string.Join("\n", result.Validated.Errors));
        Assert.True(result.Ran!.Succeeded, string.Join("\n", result.Ran.Errors));
    }

    [Fact]
    public void Validate_RefusesAUnitPrice_OverATinyKeyTotal()
    {
        // INF-VM can deliver up to the year's 90 000 000 000 000.00 SEK of cost lines over 0.000001 units:
        // a unit price of up to 9·10^19 SEK, which no price (DECIMAL(18,2)) or 64-bit öre holds.
        var result = ValidateAndRun(f =>
        {
            f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS1,90000000000000.00\n";
            f["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,0.000001\n";
        });
        AssertRefused(
            result,
            "drivers.csv",
            "the unit price of INF-VM in fiscal year 2025, scenario actual can reach 90000000000000000000.00 SEK: up to 90000000000000.00 SEK of cost"
            + " (the period's cost lines in absolute value) over 0.000001 units of driver vms; a price holds at most 9999999999999999.99 SEK (docs/model-format.md §3.9)");
    }

    [Fact]
    public void Validate_RefusesAThreeYearFee_PricedByAWindowWithoutItsYear()
    {
        // 2025's three-year price comes from 2024 alone (window [-1]): up to 1 000 000.00 SEK of cost over
        // 0.001 units, 10^9 SEK a unit; 2025's 999 999 999 units at that price are 10^18 SEK, beyond any sum.
        var result = ValidateAndRun(f =>
        {
            f["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "feeModel": "three-year", "threeYearWindow": [-1]}""";
            f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2024,1,4011,KS1,1000000.00\n2025,1,4011,KS1,1000000.00\n";
            f["drivers.csv"] = "fiscal_year,driver,target,quantity\n2024,vms,T-A,0.001\n2025,vms,T-A,999999999\n";
        });
        AssertRefused(
            result,
            "model.json",
            "the three-year fees of INF-VM in fiscal year 2025 can reach 999999999000000000.00 SEK: its 999999999.000000 units at a price of up to 1000000000.00 SEK"
            + " from 2024, a window without the fee year; a sum the engine computes holds at most 9999999999999999.99 SEK (docs/model-format.md §3.9)");
    }

    [Fact]
    public void Validate_AcceptsAThreeYearWindowWithoutItsYear_WhoseFeesFit()
    {
        var result = ValidateAndRun(f =>
        {
            f["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "feeModel": "three-year", "threeYearWindow": [-1]}""";
            f["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2024,1,4011,KS1,1000000.00\n2025,1,4011,KS1,1000000.00\n";
            f["drivers.csv"] = "fiscal_year,driver,target,quantity\n2024,vms,T-A,1\n2025,vms,T-A,1000\n";
        });
        Assert.Null(result.Failure);
        Assert.True(result.Validated.Succeeded, string.Join("\n", result.Validated.Errors));
        Assert.True(result.Ran!.Succeeded, string.Join("\n", result.Ran.Errors));
    }
}
