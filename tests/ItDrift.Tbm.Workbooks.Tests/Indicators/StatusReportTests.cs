using ClosedXML.Excel;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>
/// The yearly status report over two suppliers' published runs, FK and SKV of <see cref="IndicatorModels"/>,
/// who share the tenant T-A.
/// </summary>
public sealed class StatusReportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs and publishes both suppliers; returns the store and the run ids.</summary>
    private (string Runs, string Fk, string Skv) Publish() => IndicatorModels.Publish(_temp);

    [Fact]
    public void Write_ProducesTheStatusReport_WithRunIdsAndSwedishSheets()
    {
        var (runs, fk, skv) = Publish();
        var path = _temp.Combine("status-2025.xlsx");
        StatusReport.Write(new StatusReportOptions(2025, runs, path) { Time = new FixedTime(new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero)) });

        using var workbook = new XLWorkbook(path);
        Assert.Equal(["Sammanfattning", "Leverantörer", "Tjänster", "Kunder", "Nolläge", "Fördelningar", "Datakvalitet", "Historik", "Definitioner"], workbook.Worksheets.Select(w => w.Name));
        var text = AllText(workbook);
        Assert.Contains(fk, text, StringComparison.Ordinal);
        Assert.Contains(skv, text, StringComparison.Ordinal);
        Assert.Contains("Myndighet B", text, StringComparison.Ordinal);
        var tenants = workbook.Worksheet("Kunder");
        var total = tenants.RowsUsed().First(r => r.Cell(1).GetString() == "Alla" && r.Cell(2).GetString() == "T-A");
        Assert.Equal(1560.00m, tenants.Cell(total.RowNumber(), 4).GetValue<decimal>());
        Assert.Equal(ReportSheet.MoneyFormat, tenants.Cell(total.RowNumber(), 4).Style.NumberFormat.Format);
        Assert.Equal(XLPageOrientation.Landscape, tenants.PageSetup.PageOrientation);
    }

    [Fact]
    public void Write_TenantEdition_NamesNoOtherTenant()
    {
        var (runs, _, _) = Publish();
        var path = _temp.Combine("status-2025-T-A.xlsx");
        StatusReport.Write(new StatusReportOptions(2025, runs, path) { Tenant = "T-A" });

        using var workbook = new XLWorkbook(path);
        var text = AllText(workbook);
        Assert.Contains("T-A", text, StringComparison.Ordinal);
        foreach (var other in new[] { "T-B", "T-C", "T-E", "T-F", "Myndighet B", "Myndighet C", "Myndighet E", "Myndighet F" })
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }

        var own = workbook.Worksheet("Er myndighet");
        var total = own.RowsUsed().First(r => r.Cell(1).GetString() == "Alla" && r.Cell(2).GetString() == "T-A");
        Assert.Equal(710.00m, own.Cell(total.RowNumber(), 14).GetValue<decimal>()); // change against the baseline

        // SKV has three tenants and is shown; the service APP-OPS too (three tenants); FK's END-OFF has two in 2025 and is not.
        var services = workbook.Worksheet("Tjänster");
        Assert.DoesNotContain(services.RowsUsed(), r => r.Cell(1).GetString() == "FK" && r.Cell(2).GetString() == "END-OFF");
        Assert.Contains(services.RowsUsed(), r => r.Cell(1).GetString() == "SKV" && r.Cell(2).GetString() == "APP-OPS");
        Assert.Equal(TbmErrorKind.NotFound, Assert.Throws<TbmException>(() => StatusReport.Write(new StatusReportOptions(2025, runs, _temp.Combine("status-2025-T-Z.xlsx")) { Tenant = "T-Z" })).Kind);
    }

    [Fact]
    public void Write_TenantEdition_ShowsNoOrderStatistic_AndNoTotalWhoseHiddenRestIsOneOrTwoTenants()
    {
        var (runs, _, _) = Publish();
        var path = _temp.Combine("status-2025-T-A-disclosure.xlsx");
        StatusReport.Write(new StatusReportOptions(2025, runs, path) { Tenant = "T-A" });
        using var workbook = new XLWorkbook(path);

        // FK's total (2 250.00) minus its one service with three tenants (FUN-SUP, 330.00) is INF-VM and END-OFF,
        // T-A's and T-B's only: T-A would learn T-B's 870.00. SKV likewise (INF-VM: T-A and T-E). All suppliers
        // together may be shown: their hidden rest (INF-VM of both, END-OFF) covers T-A, T-B and T-E.
        var suppliers = workbook.Worksheet("Leverantörer");
        Assert.DoesNotContain(suppliers.RowsUsed(), r => r.Cell(1).GetString() is "FK" or "SKV");
        Assert.Contains(suppliers.RowsUsed(), r => r.Cell(1).GetString() == "Alla");
        var services = workbook.Worksheet("Tjänster");
        Assert.Contains(services.RowsUsed(), r => r.Cell(1).GetString() == "FK" && r.Cell(2).GetString() == "FUN-SUP");
        Assert.DoesNotContain(services.RowsUsed(), r => r.Cell(2).GetString() is "INF-VM" or "END-OFF");

        // SKV's three tenants pay 400.00, 700.00 and 100.00: a minimum, median and maximum would be all three.
        var distributions = workbook.Worksheet("Fördelningar");
        Assert.DoesNotContain(distributions.CellsUsed(), c => c.GetString() is "Min" or "Median" or "Max" or "Första kvartil" or "Tredje kvartil");
        var fee = distributions.RowsUsed().Single(r => r.Cell(1).GetString() == "Skatteverket" && r.Cell(2).GetString() == "Total avgift");
        Assert.Equal(3, fee.Cell(4).GetValue<int>());
        Assert.True(fee.Cell(5).IsEmpty()); // no mean: SKV's totals are not shown
        Assert.Equal(400.00m, fee.Cell(6).GetValue<decimal>());
        var numbers = distributions.CellsUsed().Where(c => c.DataType == XLDataType.Number).Select(c => c.GetValue<decimal>()).ToList();
        Assert.DoesNotContain(700.00m, numbers);
        Assert.DoesNotContain(980.00m, numbers);
    }

    private static string AllText(XLWorkbook workbook) =>
        string.Join("\n", workbook.Worksheets.SelectMany(w => w.CellsUsed()).Select(c => c.GetString()));
}
