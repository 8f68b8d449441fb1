using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Fees;

/// <summary>The true-up to expect for a year with invoiced fees and no outcome yet: its forecast's (else budget's) fee against what was invoiced.</summary>
public sealed class ExpectedTrueupTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Run(string ledger)
    {
        var files = SmallModel.Files();
        files["ledger.csv"] = ledger.ReplaceLineEndings("\n");
        // 2026 is invoiced in advance: T-A 150.00 and T-B 250.00 of FUN-SUP; T-C nothing yet.
        files["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2026,T-A,FUN-SUP,150.00\n2026,T-B,FUN-SUP,250.00\n";
        var output = _temp.Combine("run-" + Guid.NewGuid().ToString("N")[..6]);
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model-" + Guid.NewGuid().ToString("N")[..6]), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    [Fact]
    public void Run_WritesTheExpectedTrueup_FromTheBudget_WhenTheYearHasNoForecast()
    {
        // FUN-SUP's 2026 budget of 600.00 is shared evenly: 200.00 each. T-A 200.00 − 150.00 = 50.00 to pay; T-B −50.00 back; T-C 200.00.
        var output = Run("""
            fiscal_year,period,scenario,account,cost_center,amount
            2025,1,actual,5460,KS1,300.00
            2026,1,budget,5460,KS1,600.00
            """);

        Assert.Equal(
            [
                "fiscal_year,scenario,tenant,service,expected,invoiced,trueup",
                "2026,budget,T-A,FUN-SUP,200.00,150.00,50.00",
                "2026,budget,T-B,FUN-SUP,200.00,250.00,-50.00",
                "2026,budget,T-C,FUN-SUP,200.00,0.00,200.00",
            ],
            File.ReadAllLines(Path.Combine(output, "trueup_expected.csv")));
    }

    [Fact]
    public void Run_TakesTheForecastBeforeTheBudget_AndWritesNothingOnceTheYearHasAnOutcome()
    {
        var forecast = Run("""
            fiscal_year,period,scenario,account,cost_center,amount
            2026,1,budget,5460,KS1,600.00
            2026,1,forecast,5460,KS1,900.00
            """);
        Assert.Equal("2026,forecast,T-A,FUN-SUP,300.00,150.00,150.00", File.ReadAllLines(Path.Combine(forecast, "trueup_expected.csv"))[1]);

        var settled = Run("""
            fiscal_year,period,scenario,account,cost_center,amount
            2026,1,actual,5460,KS1,300.00
            2026,1,forecast,5460,KS1,900.00
            """);
        Assert.False(File.Exists(Path.Combine(settled, "trueup_expected.csv")));
        Assert.Contains("2026,T-A,FUN-SUP,100.00,150.00,-50.00", File.ReadAllLines(Path.Combine(settled, "trueup.csv")));
    }
}
