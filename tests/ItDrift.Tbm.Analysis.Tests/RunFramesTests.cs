using Apache.Arrow;
using Apache.Arrow.Types;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Analysis;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Tests.Support;
using Microsoft.Data.Analysis;

namespace ItDrift.Tbm.Tests.Analysis;

/// <summary>
/// A published run as a DataFrame and as Arrow, on the two hand-worked suppliers of the indicator tests
/// (IndicatorModels: FK fees 2025 T-A 1 160.00, T-B 980.00, T-C 110.00; INF-VM 120.00 a virtual server at FK,
/// 300.00 at SKV).
/// </summary>
public sealed class RunFramesTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _runs;

    public RunFramesTests() => (_runs, _, _) = IndicatorModels.Publish(_temp);

    public void Dispose() => _temp.Dispose();

    private RunFolder Fk => RunFolder.Open(new RunStore(_runs).Latest("FK")!.Directory);

    [Fact]
    public void ToDataFrame_Fees_HasEveryRowOfFeesCsvWithExactMoney()
    {
        var frame = Fk.ToDataFrame("fees");

        var csv = File.ReadAllLines(Path.Combine(Fk.Directory, "fees.csv"));
        Assert.Equal(csv.Length - 1, frame.Rows.Count);
        Assert.Equal(["fiscal_year", "scenario", "tenant", "service", "cost_pool", "amount"], frame.Columns.Select(c => c.Name));
        Assert.IsType<DecimalDataFrameColumn>(frame["amount"]);
        // The rows in the file's order, each amount as the file writes it (two decimals).
        for (var i = 0; i < frame.Rows.Count; i++)
        {
            var row = frame.Rows[i];
            var text = string.Join(',', row[0], row[1], row[2], row[3], row[4], ((decimal)row[5]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(csv[i + 1], text);
        }

        var y2025 = frame.Filter(frame["fiscal_year"].ElementwiseEquals(2025));
        Assert.Equal(2250.00m, (decimal)y2025["amount"].Sum());
        var byTenant = y2025.GroupBy("tenant").Sum("amount").OrderBy("tenant");
        Assert.Equal([("T-A", 1160.00m), ("T-B", 980.00m), ("T-C", 110.00m)], byTenant.Rows.Select(r => ((string)r[0], (decimal)r[1])));
    }

    [Fact]
    public void ToDataFrame_Tenant_SeesItsOwnRowsOnly()
    {
        var frame = Fk.ToDataFrame("fees", AccessGrant.Create(Role.Tenant, "T-B", "FK"));

        Assert.Equal(["T-B"], frame["tenant"].Cast<string>().Distinct());
        Assert.Equal(980.00m, (decimal)frame.Filter(frame["fiscal_year"].ElementwiseEquals(2025))["amount"].Sum());
    }

    [Fact]
    public void ToDataFrame_TenantOnPrices_HidesTheAggregatesTheDisclosurePolicyHides()
    {
        var run = Fk;
        var frame = run.ToDataFrame("prices", AccessGrant.Create(Role.Tenant, "T-A", "FK"));
        var whole = run.ToDataFrame("prices");

        Assert.Equal(whole.Rows.Count, frame.Rows.Count);
        var vm = frame.Rows.Single(r => (int)r["fiscal_year"] == 2025 && (string)r["service"] == "INF-VM");
        // INF-VM has two tenants: its units and cost are theirs together, so a tenant does not see them; the unit price it does.
        Assert.Null(vm["units"]);
        Assert.Null(vm["cost"]);
        Assert.Equal(120.00m, (decimal)vm["unit_price"]);
        foreach (var row in frame.Rows)
        {
            var visible = run.Disclosure.IsVisible((int)row["fiscal_year"], (string)row["scenario"], (string)row["service"]);
            Assert.Equal(visible, row["cost"] is not null);
        }
    }

    [Fact]
    public void ToDataFrame_TenantOnAStaffTable_IsNotFound()
    {
        var e = Assert.Throws<TbmException>(() => Fk.ToDataFrame("kpi", AccessGrant.Create(Role.Tenant, "T-A", "FK")));

        Assert.Equal(TbmErrorKind.NotFound, e.Kind);
        Assert.Equal("a tenant does not read the run's kpi table", e.Message);
    }

    [Fact]
    public void ToDataFrame_UnknownTable_IsAUsageErrorNamingTheTables()
    {
        var e = Assert.Throws<TbmException>(() => Fk.ToDataFrame("fee"));

        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.StartsWith("a run has no table 'fee' (tables: fees, trueup, ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedRuns_Prices_CombineTheSuppliersUnitPrices()
    {
        var prices = PublishedRuns.Latest(_runs).ToDataFrame("prices");

        Assert.Equal("supplier", prices.Columns[0].Name);
        var vm = prices.Rows.Where(r => (int)r["fiscal_year"] == 2025 && (string)r["service"] == "INF-VM")
            .Select(r => ((string)r["supplier"], (decimal)r["unit_price"]));
        Assert.Equal([("FK", 120.00m), ("SKV", 300.00m)], vm);
    }

    [Fact]
    public void PublishedRuns_Grants_SeeOnlyTheirSuppliersAndTenants()
    {
        Assert.Equal(["FK", "SKV"], PublishedRuns.Latest(_runs, AccessGrant.Create(Role.Esv, null, null)).Runs.Select(r => r.SupplierId));
        Assert.Equal(["FK"], PublishedRuns.Latest(_runs, AccessGrant.Create(Role.Supplier, null, "FK")).Runs.Select(r => r.SupplierId));

        // T-A of SKV: SKV's run only, and its own rows in it (2025: 300.00 INF-VM + 100.00 APP-OPS).
        var tenant = PublishedRuns.Latest(_runs, AccessGrant.Create(Role.Tenant, "T-A", "SKV"));
        var fees = tenant.ToDataFrame("fees");
        Assert.Equal(["SKV"], fees["supplier"].Cast<string>().Distinct());
        Assert.Equal(["T-A"], fees["tenant"].Cast<string>().Distinct());
        Assert.Equal(400.00m, (decimal)fees["amount"].Sum());
    }

    [Fact]
    public void PublishedRuns_NoStore_IsNotFound()
    {
        var e = Assert.Throws<TbmException>(() => PublishedRuns.Latest(_temp.Combine("nowhere")));

        Assert.Equal(TbmErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task ReadArrow_Fees_StreamsTheSameRowsWithDecimalMoney()
    {
        var run = Fk;
        var expected = run.ToDataFrame("fees");

        using var stream = run.ReadArrow("fees");
        var amount = stream.Schema.GetFieldByName("amount");
        Assert.Equal(new Decimal128Type(18, 2).Precision, ((Decimal128Type)amount.DataType).Precision);
        Assert.Equal(2, ((Decimal128Type)amount.DataType).Scale);

        var rows = 0;
        var sum = 0m;
        while (await stream.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                var amounts = (Decimal128Array)batch.Column("amount");
                for (var i = 0; i < batch.Length; i++)
                {
                    sum += amounts.GetValue(i)!.Value;
                }

                rows += batch.Length;
            }
        }

        Assert.Equal(expected.Rows.Count, rows);
        Assert.Equal((decimal)expected["amount"].Sum(), sum);
    }

    [Fact]
    public void TableAccess_EveryRunTableIsDeclaredOnce()
    {
        Assert.Equal(RunSchema.All.Select(t => t.Name).Order(StringComparer.Ordinal), TableAccess.All.Select(a => a.Table.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["fees", "trueup", "fees_by_model", "trueup_by_tenant", "trueup_expected", "footprint", "prices"], TableAccess.All.Where(a => !a.StaffOnly).Select(a => a.Table.Name));
    }
}
