using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Fees;

/// <summary>
/// Fee models on the small model stretched over three years: 2024 actual (TWR-DC 50.00; vms T-A 1),
/// 2025 actual (as in <see cref="Golden.SmallModelTests"/>), 2026 budget (TWR-DC 200.00; vms T-A 2, T-C 2).
/// INF-VM receives two thirds of TWR-DC: 33.33, 66.67 and 133.33.
/// </summary>
public sealed class FeeModelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> ThreeYears(string feeModel)
    {
        var files = SmallModel.Files();
        files["model.json"] = $$"""{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "feeModel": {{feeModel}}}""";
        files["ledger.csv"] = """
            fiscal_year,period,scenario,account,cost_center,amount
            2024,1,actual,4011,KS1,50.00
            2025,1,actual,4011,KS1,100.00
            2025,1,actual,5460,KS1,0.05
            2025,2,actual,5011,KS2,-10.00
            2025,2,actual,7999,KS9,3.00
            2026,1,budget,4011,KS1,200.00
            """;
        files["drivers.csv"] = """
            fiscal_year,scenario,driver,target,quantity
            2024,actual,vms,T-A,1
            2025,actual,vms,T-A,1.5
            2025,actual,vms,T-B,1
            2026,budget,vms,T-A,2
            2026,budget,vms,T-C,2
            """;
        return files;
    }

    private string Run(Dictionary<string, string> files)
    {
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    private static string[] Rows(string folder, string file, string prefix) =>
        File.ReadAllLines(Path.Combine(folder, file)).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    [Fact]
    public void PriceList_ChargesQuantityTimesRoundedPrice_AndReportsTheRounding()
    {
        var run = Run(ThreeYears("\"price-list\""));
        // 2025: 66.67 / 2.5 = 26.668 → 26.67; T-A 1.5 · 26.67 = 40.005 → 40.01 (half away from zero); T-B 26.67.
        Assert.Equal(["2025,price-list,T-A,INF-VM,1.5,26.67,40.01", "2025,price-list,T-B,INF-VM,1,26.67,26.67"], Rows(run, "fees_by_model.csv", "2025,price-list,T-A,INF-VM").Concat(Rows(run, "fees_by_model.csv", "2025,price-list,T-B,INF-VM")));
        // The fees exceed the allocated 66.67 by one öre of rounding, reported, not hidden.
        Assert.Equal(["2025,price-list,INF-VM,66.67,66.68,0.01"], Rows(run, "fee_differences.csv", "2025,price-list,INF-VM"));
        // A service without a key (even rule) is charged its allocated amount.
        Assert.Equal(["2025,price-list,T-B,FUN-SUP,,,7.80"], Rows(run, "fees_by_model.csv", "2025,price-list,T-B,FUN-SUP"));
    }

    [Fact]
    public void ThreeYear_PricesOverTheWindow_ActualThenBudget_AndWarnsOfMissingYears()
    {
        var files = ThreeYears("""{"default": "actual", "2025": "three-year", "2026": "three-year"}""");
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded);

        // 2025: window 2024 (actual 33.33 / 1), 2025 (actual 66.67 / 2.5), 2026 (budget 133.33 / 4):
        // 233.33 / 7.5 = 31.1107 → 31.11; T-A 1.5 · 31.11 = 46.665 → 46.67; T-B 31.11.
        Assert.Equal(["2025,three-year,T-A,INF-VM,1.5,31.11,46.67"], Rows(output, "fees_by_model.csv", "2025,three-year,T-A,INF-VM"));
        Assert.Equal(["2025,three-year,INF-VM,66.67,77.78,11.11"], Rows(output, "fee_differences.csv", "2025,three-year,INF-VM"));
        // 2026: window 2025, 2026 (2027 missing): 200.00 / 6.5 = 30.769 → 30.77; 2 · 30.77 = 61.54.
        Assert.Equal(["2026,three-year,T-C,INF-VM,2,30.77,61.54"], Rows(output, "fees_by_model.csv", "2026,three-year,T-C,INF-VM"));
        Assert.Contains(result.Warnings, w => w.Message.Contains("three-year price of 2026 lacks window year 2027", StringComparison.Ordinal));
        Assert.Equal(["2024,actual,T-A,INF-VM,1,33.33,33.33"], Rows(output, "fees_by_model.csv", "2024,actual,T-A,INF-VM"));
    }

    [Fact]
    public void TrueUp_TurnsATenantFromDebitToCredit()
    {
        var files = SmallModel.Files();
        // T-A's actual 2025 fee is 47.79 (40.00 INF-VM + 7.79 FUN-SUP). Invoiced 40.00 → debit 7.79;
        // invoiced 50.00 → credit −2.21.
        files["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2025,T-A,INF-VM,40.00\n2025,T-A,FUN-SUP,10.00\n";
        var run = Run(files);
        Assert.Equal(["2025,T-A,47.79,50.00,-2.21,credit"], Rows(run, "trueup_by_tenant.csv", "2025,T-A"));
        Assert.Equal(["2025,T-B,34.47,0.00,34.47,debit"], Rows(run, "trueup_by_tenant.csv", "2025,T-B"));
    }

    [Fact]
    public void Instalments_SpreadEvenly_OverMonths_WithTheOreToTheFirstMonths()
    {
        var files = ThreeYears("\"actual\"");
        // 1 000.00 over 2 years from July 2024: 24 months of 41.66 and 16 öre over → 16 months of 41.67.
        // 2024 (Jul–Dec): 6 · 41.67 = 250.02; 2025: 10 · 41.67 + 2 · 41.66 = 500.02; 2026 (Jan–Jun): 6 · 41.66 = 249.96.
        files["instalments.csv"] = "tenant,item,kind,amount,years,start_year,start_month\nT-C,CONN-T-C,connection,1000.00,2,2024,7\n";
        var run = Run(files);
        Assert.Equal(["2024,connection,T-C,CONN-T-C,,,250.02"], Rows(run, "fees_by_model.csv", "2024,connection"));
        Assert.Equal(["2025,connection,T-C,CONN-T-C,,,500.02"], Rows(run, "fees_by_model.csv", "2025,connection"));
        Assert.Equal(["2026,connection,T-C,CONN-T-C,,,249.96"], Rows(run, "fees_by_model.csv", "2026,connection"));
        Assert.Empty(Rows(run, "fee_differences.csv", "2025,connection"));
    }

    [Fact]
    public void Quote_ChangesForExistingTenants_SumToMinusTheNewcomersFee()
    {
        var files = SmallModel.Files();
        files["connection_costs.csv"] = "service,fixed_amount,per_employee\nINF-VM,5000.00,12.50\n";
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var order = new QuoteOrder("T-NEW", "Nya myndigheten", 40, "202100-5521", new Dictionary<string, decimal> { ["INF-VM"] = 1.5m });

        var quote = TbmEngine.Quote(model, order);

        // INF-VM's 66.67 is now split 1.5 : 1 : 1.5 → 25.00 / 16.67 / 25.00.
        var line = Assert.Single(quote.Lines, l => l.Service == "INF-VM");
        Assert.Equal((2025, 2500L, 1667L), (line.FiscalYear, line.Fee, line.UnitPrice!.Value));
        Assert.Equal(-quote.TotalByYear[2025], quote.Effects.Where(e => e.FiscalYear == 2025).Sum(e => e.Change));
        Assert.Equal(-1500, quote.Effects.Single(e => e.Tenant == "T-A").Change);
        Assert.Equal(-1000, quote.Effects.Single(e => e.Tenant == "T-B").Change);
        Assert.Equal(0, quote.Effects.Single(e => e.Tenant == "T-C").Change);
        Assert.Equal(500_000 + 40 * 1250, quote.ConnectionCost);
    }

    [Fact]
    public void Quote_OfAnExistingTenantsChangedOrder_ReplacesItsVolume()
    {
        var files = SmallModel.Files();
        files["connection_costs.csv"] = "service,fixed_amount,per_employee\nINF-VM,5000.00,12.50\n";
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var order = new QuoteOrder("T-B", "Agency B", 0, null, new Dictionary<string, decimal> { ["INF-VM"] = 2.5m });

        var quote = TbmEngine.Quote(model, order);

        // INF-VM's 6 667 öre by vms 1.5 : 1 was 4 000 / 2 667; by 1.5 : 2.5 it is 2 500 r 0.125 / 4 166 r 0.875,
        // the leftover öre to T-B: 25.00 / 41.67. T-B's other fee (FUN-SUP 7.80) does not change.
        Assert.Equal(4167, Assert.Single(quote.Lines, l => l.Service == "INF-VM").Fee);
        Assert.Equal(2667 + 780, quote.PreviousTotalByYear[2025]);
        Assert.Equal(4167 + 780, quote.TotalByYear[2025]);
        Assert.Equal([("T-A", -1500L), ("T-C", 0L)], quote.Effects.Select(e => (e.Tenant, e.Change)));
        Assert.Equal(0, quote.ConnectionCost); // T-B is connected to INF-VM already
    }

    [Fact]
    public void Quote_ChargesTheOrderedServiceOnly_WhenAnotherServiceSharesItsKey()
    {
        var files = SmallModel.Files();
        files["rules.csv"] = files["rules.csv"].Replace("2,FUN-SUP,even,,T-A;T-B;T-C", "2,FUN-SUP,driver,vms,", StringComparison.Ordinal);
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var order = new QuoteOrder("T-NEW", "Nya myndigheten", 40, null, new Dictionary<string, decimal> { ["INF-VM"] = 1.5m });

        var quote = TbmEngine.Quote(model, order);

        // T-NEW's 1.5 vms weigh on INF-VM (25.00 of 66.67) and not on FUN-SUP, though FUN-SUP is keyed by vms too.
        Assert.Equal([("INF-VM", 2500L)], quote.Lines.Select(l => (l.Service, l.Fee)));
        Assert.Equal(-2500, quote.Effects.Sum(e => e.Change));
        Assert.Empty(quote.PreviousTotalByYear);
    }

    [Theory]
    [InlineData("T-NEW", "", QuoteRefusalReason.Order, "the order names no service")]
    [InlineData("TWR-DC", "INF-VM", QuoteRefusalReason.TenantIdIsObject, "names an object of the package")]
    [InlineData("T NEW", "INF-VM", QuoteRefusalReason.Order, "is not an id")]
    [InlineData("T-NEW", "NOPE", QuoteRefusalReason.UnknownService, "'NOPE' is not a service with a rule")]
    public void Quote_RefusesAnOrderThatDoesNotFit(string tenant, string service, QuoteRefusalReason reason, string message)
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var quantities = service.Length == 0 ? [] : new Dictionary<string, decimal> { [service] = 1 };
        var e = Assert.Throws<QuoteRefusedException>(() => TbmEngine.Quote(model, new QuoteOrder(tenant, "Nya", 10, null, quantities)));
        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.Equal(reason, e.Reason);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuoteFromRun_EqualsTheQuoteFromThePackage()
    {
        var files = ThreeYears("{\"default\": \"price-list\", \"2026\": \"three-year\"}");
        files["connection_costs.csv"] = "service,fixed_amount,per_employee\nINF-VM,5000.00,12.50\n";
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var run = _temp.Combine("run");
        Assert.True(TbmEngine.Run(new RunOptions(model, run)).Succeeded);
        var order = new QuoteOrder("T-NEW", "Nya myndigheten", 40, null, new Dictionary<string, decimal> { ["INF-VM"] = 2.25m });

        var fromPackage = TbmEngine.Quote(model, order);
        var fromRun = TbmEngine.QuoteFromRun(run, order);

        Assert.Equal(fromPackage.Lines, fromRun.Lines);
        Assert.Equal(fromPackage.Effects, fromRun.Effects);
        Assert.Equal(fromPackage.ConnectionCost, fromRun.ConnectionCost);
        Assert.Equal(2026, Assert.Single(fromRun.Lines, l => l.Service == "INF-VM").FiscalYear);
    }

    [Fact]
    public void Quote_RefusesAServiceWithoutAKey()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var order = new QuoteOrder("T-NEW", "Nya", 10, null, new Dictionary<string, decimal> { ["FUN-SUP"] = 1 });
        var e = Assert.Throws<QuoteRefusedException>(() => TbmEngine.Quote(model, order));
        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.Equal(QuoteRefusalReason.NotKeyed, e.Reason);
        Assert.Contains("not charged by a key", e.Message, StringComparison.Ordinal);
    }
}
