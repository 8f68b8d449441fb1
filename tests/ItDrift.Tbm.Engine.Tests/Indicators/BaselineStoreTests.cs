using System.Text.Json;
using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>The versioned baseline store: append-only, who/when/why, and the version every indicator names.</summary>
public sealed class BaselineStoreTests : IDisposable
{
    private static readonly DateTimeOffset March = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        // Versions are read-only by design; let the temp folder go.
        foreach (var file in Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        _temp.Dispose();
    }

    private static BaselineRow Row(string tenant, string service, long cost, long? quantity = null, string? unit = null) =>
        new(tenant, 2024, service, cost, quantity, unit, null);

    [Fact]
    public void Record_KeepsEveryVersion_WithWhoWhenAndWhy()
    {
        var time = new FixedTime(March);
        var store = new BaselineStore(_temp.Combine("baselines"), time);

        var (first, isNew) = store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000)], "Anna Andersson", null, "nollage-T-C.xlsx");
        Assert.True(isNew);
        Assert.Equal("v1", first.Label);
        Assert.Equal("first recording", first.Reason);
        var firstText = File.ReadAllText(first.CsvPath);
        Assert.Equal("tenant,year,service,cost,quantity,unit,employees\nT-C,2024,FUN-SUP,90.00,,,\n", firstText);

        time.Now = March.AddDays(1);
        var (second, _) = store.Record("T-C", [Row("T-C", "FUN-SUP", 10_000)], "Bo Berg", "kostnaden för support var felskriven", "rattelse.xlsx");
        Assert.Equal("v2", second.Label);

        var versions = store.Versions("T-C");
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal("Bo Berg", versions[1].RecordedBy);
        Assert.Equal(March.AddDays(1), versions[1].RecordedAt);
        Assert.Equal("kostnaden för support var felskriven", versions[1].Reason);
        Assert.Equal("rattelse.xlsx", versions[1].Source);
        Assert.Equal(second, store.Latest("T-C"));

        // v1 is untouched and cannot be written to.
        Assert.Equal(firstText, File.ReadAllText(first.CsvPath));
        Assert.True(File.GetAttributes(first.CsvPath).HasFlag(FileAttributes.ReadOnly));
        Assert.True(File.GetAttributes(first.MetadataPath).HasFlag(FileAttributes.ReadOnly));
        using var json = JsonDocument.Parse(File.ReadAllText(second.MetadataPath));
        Assert.Equal("2026-03-03T09:30:00+00:00", json.RootElement.GetProperty("recordedAt").GetString());
        Assert.Equal(9_000, BaselineStore.ReadRows(first).Single().Cost);
    }

    [Fact]
    public void Record_RecordsNothing_WhenTheRowsAreUnchanged()
    {
        var store = new BaselineStore(_temp.Combine("baselines"), new FixedTime(March));
        store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000, 2_500_000, "ticket")], "Anna", null, "a.xlsx");
        var (again, isNew) = store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000, 2_500_000, "ticket")], "Anna", null, "a.xlsx");
        Assert.False(isNew);
        Assert.Equal("v1", again.Label);
        Assert.Single(store.Versions("T-C"));
        Assert.Contains("T-C,2024,FUN-SUP,90.00,2.5,ticket,", File.ReadAllText(again.CsvPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Record_RefusesACorrectionWithoutAReason()
    {
        var store = new BaselineStore(_temp.Combine("baselines"), new FixedTime(March));
        store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000)], "Anna", null, "a.xlsx");
        var e = Assert.Throws<TbmException>(() => store.Record("T-C", [Row("T-C", "FUN-SUP", 9_100)], "Anna", " ", "a.xlsx"));
        Assert.Contains("needs a reason", e.Message, StringComparison.Ordinal);
        Assert.Throws<TbmException>(() => store.Record("T-C", [Row("T-D", "FUN-SUP", 1)], "Anna", "x", "a.xlsx"));
    }

    [Fact]
    public void Record_NeverReusesANumber_LeftByACrashedWriter()
    {
        var store = new BaselineStore(_temp.Combine("baselines"), new FixedTime(March));
        store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000)], "Anna", null, "a.xlsx");
        File.WriteAllText(_temp.Combine("baselines", "T-C", "v0002.csv"), "half written"); // no JSON: not a version
        Assert.Single(store.Versions("T-C"));
        var (next, _) = store.Record("T-C", [Row("T-C", "FUN-SUP", 9_100)], "Anna", "rättelse", "a.xlsx");
        Assert.Equal("v3", next.Label);
    }

    [Fact]
    public void Run_UsesTheLatestStoreVersion_NamesIt_AndGetsANewRunIdOnACorrection()
    {
        var time = new FixedTime(March);
        var files = IndicatorModels.Fk();
        var model = SmallModel.Write(_temp.Combine("fk"), files);
        var store = new BaselineStore(Path.Combine(model, "baselines"), time);
        store.Record("T-C", [Row("T-C", "FUN-SUP", 9_000)], "Anna", null, "t-c.xlsx");

        var first = TbmEngine.Run(new RunOptions(model, _temp.Combine("run1")));
        Assert.True(first.Succeeded);
        var kpi = new KpiFile(_temp.Combine("run1"));
        Assert.Equal(20.00m, kpi.Value(2025, "tenant", "T-C", "tenant.baseline_change")); // 110.00 − 90.00
        Assert.Equal("v1", kpi.Version(2025, "tenant", "T-C", "tenant.baseline_change"));
        Assert.Equal("v1", kpi.Version(2025, "baseline", "T-C/FUN-SUP", "baseline.cost"));
        Assert.Contains("baselines/T-C/v0001.csv", File.ReadAllText(_temp.Combine("run1", "run.json")), StringComparison.Ordinal);

        time.Now = March.AddDays(7);
        store.Record("T-C", [Row("T-C", "FUN-SUP", 10_000)], "Bo", "support var felskriven", "t-c.xlsx");
        var second = TbmEngine.Run(new RunOptions(model, _temp.Combine("run2")));
        kpi = new KpiFile(_temp.Combine("run2"));
        Assert.Equal(10.00m, kpi.Value(2025, "tenant", "T-C", "tenant.baseline_change"));
        Assert.Equal("v2", kpi.Version(2025, "tenant", "T-C", "tenant.baseline_change"));
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.DoesNotContain("v0001", File.ReadAllText(_temp.Combine("run2", "run.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PrefersTheStoreOverTheBaselineTable_WithAWarning()
    {
        var model = SmallModel.Write(_temp.Combine("fk"), IndicatorModels.Fk());
        new BaselineStore(Path.Combine(model, "baselines"), new FixedTime(March))
            .Record("T-A", [new BaselineRow("T-A", 2023, "INF-VM", 50_000, 4_000_000, "virtual server", 90)], "Anna", null, "t-a.xlsx");
        var result = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")));
        Assert.Contains(result.Warnings, w => w.Message.Contains("superseded", StringComparison.Ordinal));
        var kpi = new KpiFile(_temp.Combine("run"));
        Assert.Equal(500.00m, kpi.Value(2025, "tenant", "T-A", "tenant.baseline_cost"));
        Assert.Equal("v1", kpi.Version(2025, "tenant", "T-A", "tenant.baseline_cost"));
        Assert.Null(kpi.Value(2025, "baseline", "T-A/END-OFF", "baseline.cost"));
    }
}
