using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>
/// The coordinator's view over two suppliers' published runs, FK and SKV of <see cref="IndicatorModels"/>,
/// who share the tenant T-A.
/// </summary>
public sealed class CombinedIndicatorsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs and publishes both suppliers; returns the store and the run ids.</summary>
    private (string Runs, string Fk, string Skv) Publish() => IndicatorModels.Publish(_temp);

    private static decimal? Value(CombinedView view, string group, string scope, string subject, string indicator, int year = 2025) =>
        view.Values.SingleOrDefault(v => v.Group == group && v.FiscalYear == year && v.Scope == scope && v.Subject == subject && v.Indicator == indicator)?.Value;

    [Fact]
    public void Compute_CountsATenantOfTwoSuppliersOnce_WithItsTotal()
    {
        var (runs, fk, skv) = Publish();
        var view = CombinedIndicators.Compute(runs, 2025);

        // T-A pays FK 1 160.00 and SKV 400.00: once, 1 560.00; 100 employees (both say so): 15.60 each.
        Assert.Equal(1560.00m, Value(view, "*", "tenant", "T-A", "tenant.fee"));
        Assert.Equal(15.60m, Value(view, "*", "tenant", "T-A", "tenant.fee_per_employee"));
        Assert.Equal(5m, Value(view, "*", "supplier", "*", "supplier.tenants"));
        Assert.Equal(4m, Value(view, "*", "supplier", "*", "supplier.services"));
        Assert.Equal(3500.00m, Value(view, "*", "supplier", "*", "supplier.cost"));
        Assert.Equal(1.43m, Value(view, "*", "supplier", "*", "supplier.unallocated_share")); // 50 / 3 500 = 1.428… %
        var row = view.Values.Single(v => v.Group == "*" && v.FiscalYear == 2025 && v.Subject == "T-A" && v.Indicator == "tenant.fee");
        Assert.Equal(string.Join(";", new[] { fk, skv }.Order(StringComparer.Ordinal)), row.Runs);

        // Each supplier's own figures are as in its run.
        Assert.Equal(1160.00m, Value(view, "FK", "tenant", "T-A", "tenant.fee"));
        Assert.Equal(400.00m, Value(view, "SKV", "tenant", "T-A", "tenant.fee"));
        Assert.Equal(fk, view.Values.Single(v => v.Group == "FK" && v.FiscalYear == 2025 && v.Subject == "T-A" && v.Indicator == "tenant.fee").Runs);

        // INF-VM from both: (1 320 + 900) / (11 + 3) = 158.571… → 158.57; T-A, T-B and T-E of five tenants.
        Assert.Equal(158.57m, Value(view, "*", "service", "INF-VM", "service.unit_cost"));
        Assert.Equal(14m, Value(view, "*", "service", "INF-VM", "service.units"));
        Assert.Equal(3m, Value(view, "*", "service", "INF-VM", "service.tenants"));
        Assert.Equal(60.00m, Value(view, "*", "service", "INF-VM", "service.tenant_share"));
        Assert.Equal(300.00m, Value(view, "SKV", "service", "INF-VM", "service.unit_cost"));

        // Year-over-year across runs: FK's 2024 figures come from its run; change of FK's own unit cost as in the run.
        Assert.Equal(20.00m, Value(view, "FK", "service", "INF-VM", "service.unit_cost_change"));
        Assert.Equal(100.00m, Value(view, "*", "service", "INF-VM", "service.unit_cost", 2024));
    }

    [Fact]
    public void Compute_ComparesTheCombinedFee_WithTheBaseline()
    {
        var (runs, _, _) = Publish();
        var view = CombinedIndicators.Compute(runs, 2025);

        // T-A's baseline is FK's. INF-VM now 600 + 300 = 900.00 for 5 + 1 = 6 servers: V = 500 × (6 − 4) / 4 = 250.00, U = 400 − 250 = 150.00.
        Assert.Equal(250.00m, Value(view, "*", "baseline", "T-A/INF-VM", "baseline.volume_effect"));
        Assert.Equal(150.00m, Value(view, "*", "baseline", "T-A/INF-VM", "baseline.unit_cost_effect"));

        // SKV's APP-OPS (100.00) is in no line of the baseline: line '*'. Change 1 560 − 850 = 710.00 = 310 + 240 + 160; 83.53 %.
        Assert.Equal(100.00m, Value(view, "*", "baseline", "T-A/*", "baseline.unsplit_change"));
        Assert.Equal(710.00m, Value(view, "*", "tenant", "T-A", "tenant.baseline_change"));
        Assert.Equal(83.53m, Value(view, "*", "tenant", "T-A", "tenant.baseline_change_pct"));
        Assert.Equal(310.00m, Value(view, "*", "tenant", "T-A", "tenant.volume_effect"));
        Assert.Equal(240.00m, Value(view, "*", "tenant", "T-A", "tenant.unit_cost_effect"));
        Assert.Equal(160.00m, Value(view, "*", "tenant", "T-A", "tenant.unsplit_change"));
        Assert.StartsWith("FK:model:", view.Values.Single(v => v.Group == "*" && v.FiscalYear == 2025 && v.Subject == "T-A" && v.Indicator == "tenant.baseline_change").BaselineVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_GivesDistributions_OverTenantsAndSuppliers_SuppressingSmallGroups()
    {
        var (runs, _, _) = Publish();
        var view = CombinedIndicators.Compute(runs, 2025);

        // Five tenants, each once: 100, 110, 700, 980, 1 560 → quartiles at positions 1, 2, 3.
        var fee = view.Distributions.Single(d => d.Group == "*" && d.FiscalYear == 2025 && d.Population == "tenants" && d.Indicator == "tenant.fee");
        Assert.Equal((5L, false, 100.00m, 110.00m, 700.00m, 980.00m, 1560.00m), (fee.Members, fee.Suppressed, fee.Min!.Value, fee.Q1!.Value, fee.Median!.Value, fee.Q3!.Value, fee.Max!.Value));

        // Per employee: T-A 15.60, T-B 19.60, T-E 700 / 20 = 35.00, T-F 100 / 30 = 3.33: Q1 at 0.75 = 3.33 + 0.75 × 12.27 = 12.5325.
        var perEmployee = view.Distributions.Single(d => d.Group == "*" && d.FiscalYear == 2025 && d.Population == "tenants" && d.Indicator == "tenant.fee_per_employee");
        Assert.Equal((4L, 3.33m, 12.5325m, 17.60m, 23.45m, 35.00m), (perEmployee.Members, perEmployee.Min!.Value, perEmployee.Q1!.Value, perEmployee.Median!.Value, perEmployee.Q3!.Value, perEmployee.Max!.Value));

        // Two suppliers: every distribution over suppliers is suppressed.
        var overSuppliers = view.Distributions.Where(d => d.FiscalYear == 2025 && d.Population == "suppliers").ToList();
        Assert.NotEmpty(overSuppliers);
        Assert.All(overSuppliers, d => Assert.True(d.Suppressed && d.Min is null && d.Median is null && d.Members <= 2));
        Assert.Contains(overSuppliers, d => d.Indicator == "service.unit_cost" && d.Subject == "INF-VM" && d.Members == 2);
    }

    [Fact]
    public void Compute_KeepsLargeAmountsExact()
    {
        var store = new RunStore(_temp.Combine("runs"));
        foreach (var (name, files) in new[] { ("fk", IndicatorModels.Fk()), ("skv", IndicatorModels.Skv()) })
        {
            // SKV's virtual machines cost 9 000 000 000.00: T-A's third is 3 000 000 000.00.
            files["ledger.csv"] = files["ledger.csv"].Replace("2025,1,4010,K1,900.00", "2025,1,4010,K1,9000000000.00", StringComparison.Ordinal);
            var work = store.NewWorkFolder();
            var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name), files), work));
            store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
        }

        var view = CombinedIndicators.Compute(store.Root, 2025);
        Assert.Equal(3_000_001_260.00m, Value(view, "*", "tenant", "T-A", "tenant.fee")); // 1 160.00 + 3 000 000 000.00 + 100.00
        Assert.Equal(9_000_001_320.00m, Value(view, "*", "service", "INF-VM", "service.cost")); // 1 320.00 + 9 000 000 000.00
    }
}
