using System.Security.Cryptography;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>The indicators of one run against the hand calculation in <see cref="IndicatorModels"/>.</summary>
public sealed class RunIndicatorsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private KpiFile RunFk(Action<Dictionary<string, string>>? change = null)
    {
        var files = IndicatorModels.Fk();
        change?.Invoke(files);
        return new KpiFile(IndicatorModels.Run(_temp, "fk", files));
    }

    [Fact]
    public void Run_WritesServiceIndicators_AsWorkedByHand()
    {
        var kpi = RunFk();

        // INF-VM 2025: 1 320.00 over 11 units = 120.00; 2024: 100.00. Two of the three tenants of the year.
        Assert.Equal(11m, kpi.Value(2025, "service", "INF-VM", "service.units"));
        Assert.Equal("virtual server", kpi.Unit(2025, "service", "INF-VM", "service.units"));
        Assert.Equal(1320.00m, kpi.Value(2025, "service", "INF-VM", "service.cost"));
        Assert.Equal(120.00m, kpi.Value(2025, "service", "INF-VM", "service.unit_cost"));
        Assert.Equal(2m, kpi.Value(2025, "service", "INF-VM", "service.tenants"));
        Assert.Equal(66.67m, kpi.Value(2025, "service", "INF-VM", "service.tenant_share")); // 2 / 3 = 66.666… %
        Assert.Equal(20.00m, kpi.Value(2025, "service", "INF-VM", "service.unit_cost_change"));
        Assert.Equal(20.00m, kpi.Value(2025, "service", "INF-VM", "service.unit_cost_change_pct"));
        Assert.Equal(320.00m, kpi.Value(2025, "service", "INF-VM", "service.cost_change"));
        Assert.Equal(32.00m, kpi.Value(2025, "service", "INF-VM", "service.cost_change_pct"));

        // END-OFF: 600.00 over 40 users = 15.00 (2024: 600.00 / 60 = 10.00): +5.00, +50 %, cost unchanged.
        Assert.Equal(15.00m, kpi.Value(2025, "service", "END-OFF", "service.unit_cost"));
        Assert.Equal(5.00m, kpi.Value(2025, "service", "END-OFF", "service.unit_cost_change"));
        Assert.Equal(50.00m, kpi.Value(2025, "service", "END-OFF", "service.unit_cost_change_pct"));
        Assert.Equal(0.00m, kpi.Value(2025, "service", "END-OFF", "service.cost_change_pct"));
        Assert.Equal(3m, kpi.Value(2024, "service", "END-OFF", "service.tenants"));

        // FUN-SUP is split evenly: a cost and tenants, but no units and so no unit cost.
        Assert.Equal(330.00m, kpi.Value(2025, "service", "FUN-SUP", "service.cost"));
        Assert.Equal(100.00m, kpi.Value(2025, "service", "FUN-SUP", "service.tenant_share"));
        Assert.Equal(10.00m, kpi.Value(2025, "service", "FUN-SUP", "service.cost_change_pct"));
        Assert.Null(kpi.Value(2025, "service", "FUN-SUP", "service.unit_cost"));
        Assert.Null(kpi.Value(2025, "service", "FUN-SUP", "service.units"));

        // No year before 2024: no change rows.
        Assert.Null(kpi.Value(2024, "service", "INF-VM", "service.unit_cost_change"));
    }

    [Fact]
    public void Run_WritesTenantIndicators_PerEmployeeUserAndWorkstation()
    {
        var kpi = RunFk();
        Assert.Equal(1160.00m, kpi.Value(2025, "tenant", "T-A", "tenant.fee"));
        Assert.Equal(100m, kpi.Value(2025, "tenant", "T-A", "tenant.employees"));
        Assert.Equal(11.60m, kpi.Value(2025, "tenant", "T-A", "tenant.fee_per_employee"));
        Assert.Equal(30m, kpi.Value(2025, "tenant", "T-A", "tenant.users"));
        Assert.Equal(38.67m, kpi.Value(2025, "tenant", "T-A", "tenant.fee_per_user")); // 1 160 / 30 = 38.666…
        Assert.Equal(40m, kpi.Value(2025, "tenant", "T-A", "tenant.workstations"));
        Assert.Equal(29.00m, kpi.Value(2025, "tenant", "T-A", "tenant.fee_per_workstation"));
        Assert.Equal(19.60m, kpi.Value(2025, "tenant", "T-B", "tenant.fee_per_employee"));
        Assert.Equal(98.00m, kpi.Value(2025, "tenant", "T-B", "tenant.fee_per_user"));
        Assert.Null(kpi.Value(2025, "tenant", "T-B", "tenant.fee_per_workstation"));

        // T-C: no employees and no users in 2025: only its fee.
        Assert.Equal(110.00m, kpi.Value(2025, "tenant", "T-C", "tenant.fee"));
        Assert.Null(kpi.Value(2025, "tenant", "T-C", "tenant.fee_per_employee"));
        Assert.Null(kpi.Value(2025, "tenant", "T-C", "tenant.fee_per_user"));

        Assert.Equal(600.00m, kpi.Value(2025, "tenant_service", "T-A/INF-VM", "tenant_service.fee"));
        Assert.Equal(5m, kpi.Value(2025, "tenant_service", "T-A/INF-VM", "tenant_service.quantity"));
    }

    [Fact]
    public void Run_SplitsTheChangeAgainstTheBaseline_IntoVolumeAndUnitCost()
    {
        var kpi = RunFk();
        var version = "model:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_temp.Combine("fk", "baseline.csv"))))[..12];

        // T-A 2025 against its 2023 baseline. INF-VM: c0 500, q0 4, c1 600, q1 5:
        // V = 500 × (5 − 4) / 4 = 125.00, U = 100 − 125 = −25.00 (= 5 × (120 − 125)).
        Assert.Equal(500.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.cost"));
        Assert.Equal(4m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.quantity"));
        Assert.Equal("virtual server", kpi.Unit(2025, "baseline", "T-A/INF-VM", "baseline.quantity"));
        Assert.Equal(600.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.fee"));
        Assert.Equal(100.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.change"));
        Assert.Equal(125.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.volume_effect"));
        Assert.Equal(-25.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.unit_cost_effect"));
        Assert.Equal(0.00m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.unsplit_change"));
        Assert.Equal(5m, kpi.Value(2025, "baseline", "T-A/INF-VM", "baseline.current_quantity"));
        Assert.Equal(version, kpi.Version(2025, "baseline", "T-A/INF-VM", "baseline.volume_effect"));

        // END-OFF: c0 300, q0 25, c1 450, q1 30: V = 300 × 5 / 25 = 60.00, U = 150 − 60 = 90.00 (= 30 × (15 − 12)).
        Assert.Equal(60.00m, kpi.Value(2025, "baseline", "T-A/END-OFF", "baseline.volume_effect"));
        Assert.Equal(90.00m, kpi.Value(2025, "baseline", "T-A/END-OFF", "baseline.unit_cost_effect"));

        // Area FUN: FUN-SUP's 110.00 against 50.00, no quantities: 60.00 not split.
        Assert.Equal(110.00m, kpi.Value(2025, "baseline", "T-A/FUN", "baseline.fee"));
        Assert.Equal(60.00m, kpi.Value(2025, "baseline", "T-A/FUN", "baseline.unsplit_change"));

        // Totals: B = 850.00, fee 1 160.00, change 310.00 = 185.00 + 65.00 + 60.00; 310 / 850 = 36.47 %.
        Assert.Equal(850.00m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_cost"));
        Assert.Equal(310.00m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_change"));
        Assert.Equal(36.47m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_change_pct"));
        Assert.Equal(185.00m, kpi.Value(2025, "tenant", "T-A", "tenant.volume_effect"));
        Assert.Equal(65.00m, kpi.Value(2025, "tenant", "T-A", "tenant.unit_cost_effect"));
        Assert.Equal(60.00m, kpi.Value(2025, "tenant", "T-A", "tenant.unsplit_change"));
        Assert.Equal(2023m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_year"));
        Assert.Equal(2m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_age"));
        Assert.Equal(version, kpi.Version(2025, "tenant", "T-A", "tenant.baseline_change"));

        // 2024: INF-VM V = 0, U = −100; END-OFF V = 300 × (20 − 25) / 25 = −60, U = −40; FUN 50 unsplit: −150 in all, −17.65 %.
        Assert.Equal(-60.00m, kpi.Value(2024, "tenant", "T-A", "tenant.volume_effect"));
        Assert.Equal(-140.00m, kpi.Value(2024, "tenant", "T-A", "tenant.unit_cost_effect"));
        Assert.Equal(-150.00m, kpi.Value(2024, "tenant", "T-A", "tenant.baseline_change"));
        Assert.Equal(-17.65m, kpi.Value(2024, "tenant", "T-A", "tenant.baseline_change_pct"));

        // T-B: its 2024 baseline has no quantity; END-OFF and FUN-SUP are not in it and go to the line '*'.
        Assert.Equal(-180.00m, kpi.Value(2025, "baseline", "T-B/INF-VM", "baseline.unsplit_change"));
        Assert.Equal(260.00m, kpi.Value(2025, "baseline", "T-B/*", "baseline.fee"));
        Assert.Null(kpi.Value(2025, "baseline", "T-B/*", "baseline.cost"));
        Assert.Equal(80.00m, kpi.Value(2025, "tenant", "T-B", "tenant.baseline_change"));
        Assert.Equal(8.89m, kpi.Value(2025, "tenant", "T-B", "tenant.baseline_change_pct"));
        Assert.Equal(80.00m, kpi.Value(2025, "tenant", "T-B", "tenant.unsplit_change"));
        Assert.Equal(-11.11m, kpi.Value(2024, "tenant", "T-B", "tenant.baseline_change_pct"));

        Assert.Null(kpi.Value(2025, "tenant", "T-C", "tenant.baseline_change"));
    }

    [Fact]
    public void Run_WritesSupplierAndDataQualityIndicators()
    {
        var kpi = RunFk();
        Assert.Equal(2300.00m, kpi.Value(2025, "supplier", "FK", "supplier.cost"));
        Assert.Equal(2250.00m, kpi.Value(2025, "supplier", "FK", "supplier.allocated"));
        Assert.Equal(50.00m, kpi.Value(2025, "supplier", "FK", "supplier.unallocated"));
        Assert.Equal(50.00m, kpi.Value(2025, "supplier", "FK", "supplier.unmapped"));
        Assert.Equal(2.17m, kpi.Value(2025, "supplier", "FK", "supplier.unallocated_share")); // 50 / 2 300 = 2.173… %
        Assert.Equal(2.17m, kpi.Value(2025, "supplier", "FK", "supplier.unmapped_share"));
        Assert.Equal(5.00m, kpi.Value(2024, "supplier", "FK", "supplier.unallocated_share"));
        Assert.Equal(3m, kpi.Value(2025, "supplier", "FK", "supplier.tenants"));
        Assert.Equal(3m, kpi.Value(2025, "supplier", "FK", "supplier.services"));

        // The key users lists T-C, which has no row in 2025.
        Assert.Equal(1m, kpi.Value(2025, "key", "users", "key.missing_targets"));
        Assert.Equal(1m, kpi.Value(2025, "key", "users", "key.missing_volumes"));
        Assert.Equal(0m, kpi.Value(2024, "key", "users", "key.missing_volumes"));
        Assert.Equal(0m, kpi.Value(2025, "key", "vms", "key.missing_volumes"));
        Assert.Equal(1m, kpi.Value(2025, "quality", "FK", "quality.keys_missing_volumes"));
        Assert.Equal(0m, kpi.Value(2024, "quality", "FK", "quality.keys_missing_volumes"));
        Assert.Equal(1m, kpi.Value(2025, "quality", "FK", "quality.tenants_without_baseline")); // T-C
    }

    [Fact]
    public void Run_WritesEveryIndicatorOfTheCatalogue_InTheWorkedExample()
    {
        // With a TBM service type on each service, so that service_type.cost has rows too.
        var kpi = RunFk(f => f["objects.csv"] = string.Join('\n', f["objects.csv"].ReplaceLineEndings("\n").Split('\n')
            .Select((l, i) => i == 0 ? l + ",service_type" : l + ",Infrastructure")));
        var written = kpi.Lines.Skip(1).Select(l => KpiFile.Split(l)[4]).ToHashSet(StringComparer.Ordinal);
        Assert.All(IndicatorCatalogue.All, i => Assert.Contains(i.Id, written));
        Assert.All(kpi.Lines.Skip(1), l => Assert.NotNull(IndicatorCatalogue.Find(KpiFile.Split(l)[4])));
    }

    [Fact]
    public void Run_CountsMoneyLeftWithoutVolume_AgainstTheKey()
    {
        var kpi = RunFk(f => f["drivers.csv"] = f["drivers.csv"].Replace("2025,vms,T-A,5\n2025,vms,T-B,6\n", "", StringComparison.Ordinal));
        Assert.Equal(1320.00m, kpi.Value(2025, "key", "vms", "key.no_volume"));
        Assert.Equal(1m, kpi.Value(2025, "key", "vms", "key.missing_volumes"));
        Assert.Equal(2m, kpi.Value(2025, "quality", "FK", "quality.keys_missing_volumes"));
    }

    [Fact]
    public void Run_WritesDistributionsOverTenants_AndSuppressesSmallGroups()
    {
        var output = IndicatorModels.Run(_temp, "fk", IndicatorModels.Fk());
        var lines = File.ReadAllLines(Path.Combine(output, "kpi_distributions.csv"));
        Assert.Equal("fiscal_year,scenario,population,indicator,subject,members,min,q1,median,q3,max,suppressed,unit", lines[0]);

        // tenant.fee 2025 over 110, 980, 1 160: Q1 at position 0.5 = 110 + 0.5 × 870 = 545; Q3 at 1.5 = 980 + 0.5 × 180 = 1 070.
        Assert.Contains("2025,actual,tenants,tenant.fee,,3,110.000000,545.000000,980.000000,1070.000000,1160.000000,false,SEK", lines);

        // Two tenants have employees: the distribution gives its count only.
        Assert.Contains("2025,actual,tenants,tenant.fee_per_employee,,2,,,,,,true,SEK/employee", lines);
        Assert.Contains("2025,actual,tenants,tenant.baseline_change,,2,,,,,,true,SEK", lines);
        Assert.DoesNotContain(lines, l => l.Contains("T-A", StringComparison.Ordinal) || l.Contains("T-B", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WritesSubjects_AndTypedParquet()
    {
        var output = IndicatorModels.Run(_temp, "fk", IndicatorModels.Fk());
        var subjects = File.ReadAllLines(Path.Combine(output, "kpi_subjects.csv"));
        // catalogue_service and service_type (docs/catalogue.md) are the last two columns; FK classifies nothing.
        Assert.Contains("service,INF-VM,Virtuell maskintjänst,service,virtual server,INF,,,", subjects);
        Assert.Contains("supplier,FK,Försäkringskassan,,,,202100-5521,,", subjects);
        Assert.True(File.Exists(Path.Combine(output, "kpi.parquet")));
        Assert.True(File.Exists(Path.Combine(output, "kpi_distributions.parquet")));
        Assert.Contains("\"kpi\":", File.ReadAllText(Path.Combine(output, "run.json")), StringComparison.Ordinal);
    }
}
