using ClosedXML.Excel;
using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Baselines;

/// <summary>The baseline template the product writes, filled in and read back.</summary>
public sealed class BaselineWorkbookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        _temp.Dispose();
    }

    private string Template(string? tenant = "T-C", int? year = 2024)
    {
        var model = SmallModel.Write(_temp.Combine("fk"), IndicatorModels.Fk());
        var path = _temp.Combine("mall.xlsx");
        Assert.Empty(BaselineWorkbook.WriteTemplate(model, path, tenant, year));
        return path;
    }

    /// <summary>Fills the cost (and more) of the template row of <paramref name="service"/>.</summary>
    private static void Fill(string path, string service, Action<IXLRow> fill)
    {
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet("baseline");
        var row = sheet.RowsUsed().First(r => r.Cell(3).GetString() == service);
        fill(row);
        workbook.Save();
    }

    [Fact]
    public void WriteTemplate_ListsTheCatalogue_WithSwedishInstructions()
    {
        var path = Template();
        using var workbook = new XLWorkbook(path);
        Assert.Equal(["Instruktioner", "baseline", "Tjänster", "Kunder"], workbook.Worksheets.Select(w => w.Name));
        var sheet = workbook.Worksheet("baseline");
        Assert.Equal(["tenant", "year", "service", "service_name", "area", "cost", "quantity", "unit", "employees"], sheet.Row(1).CellsUsed().Select(c => c.GetString()));
        Assert.Equal(["END", "END-OFF", "FUN", "FUN-SUP", "INF", "INF-VM"], sheet.RowsUsed().Skip(1).Select(r => r.Cell(3).GetString()).Order(StringComparer.Ordinal));
        var vm = sheet.RowsUsed().First(r => r.Cell(3).GetString() == "INF-VM");
        Assert.Equal("T-C", vm.Cell(1).GetString());
        Assert.Equal("virtual server", vm.Cell(8).GetString());
        Assert.Contains("egen regi", workbook.Worksheet("Instruktioner").Cell(1, 1).GetString(), StringComparison.Ordinal);
        Assert.Equal("Myndighet C", workbook.Worksheet("Kunder").Cell(4, 2).GetString());
    }

    [Fact]
    public void Import_ReadsTheFilledRows_AndSkipsTheRest()
    {
        var path = Template();
        Fill(path, "INF-VM", r =>
        {
            r.Cell(6).SetValue(1234.5);
            r.Cell(7).SetValue(3);
            r.Cell(9).SetValue(40);
        });
        Fill(path, "FUN-SUP", r => r.Cell(6).SetValue(90));

        var import = BaselineWorkbook.Read(path, _temp.Combine("fk"));
        Assert.True(import.Succeeded, string.Join("\n", import.Errors));
        Assert.Equal(
            [new BaselineRow("T-C", 2024, "FUN-SUP", 9_000, null, "ticket", null), new BaselineRow("T-C", 2024, "INF-VM", 123_450, 3_000_000, "virtual server", 40)],
            import.Rows);
        Assert.Empty(import.Warnings);

        var store = new BaselineStore(_temp.Combine("store"), new FixedTime(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var (_, versions) = BaselineWorkbook.Import(path, _temp.Combine("fk"), store, "Anna", null);
        Assert.Equal("v1", Assert.Single(versions).Version.Label);
        Assert.Equal("mall.xlsx", store.Latest("T-C")!.Source);
    }

    [Fact]
    public void Import_ReportsEveryBadCell_WithRowAndColumn_AndRecordsNothing()
    {
        var path = Template();
        Fill(path, "INF-VM", r =>
        {
            r.Cell(6).SetValue("12,345");
            r.Cell(7).SetValue(-2);
        });
        Fill(path, "FUN-SUP", r =>
        {
            r.Cell(1).SetValue("T-X");
            r.Cell(6).SetValue(1.234);
        });
        Fill(path, "END-OFF", r =>
        {
            r.Cell(3).SetValue("NOPE");
            r.Cell(6).SetValue(10);
        });

        var store = new BaselineStore(_temp.Combine("store"));
        var (import, versions) = BaselineWorkbook.Import(path, _temp.Combine("fk"), store, "Anna", null);
        Assert.False(import.Succeeded);
        Assert.Empty(versions);
        Assert.Null(store.Latest("T-C"));
        var errors = import.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}").ToList();
        using var workbook = new XLWorkbook(path);
        int RowOf(string service) => workbook.Worksheet("baseline").RowsUsed().First(r => r.Cell(3).GetString() == service).RowNumber();
        Assert.Contains($"mall.xlsx#baseline:{RowOf("INF-VM")}:cost", errors);
        Assert.Contains($"mall.xlsx#baseline:{RowOf("INF-VM")}:quantity", errors);
        Assert.Contains($"mall.xlsx#baseline:{RowOf("FUN-SUP")}:cost", errors);
        Assert.Contains($"mall.xlsx#baseline:{RowOf("FUN-SUP")}:tenant", errors);
        Assert.Contains($"mall.xlsx#baseline:{RowOf("NOPE")}:service", errors);
        Assert.Contains(import.Errors, e => e.Reason.Contains("more than two decimals", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_ReadsACsv_AndChecksDuplicates()
    {
        var csv = _temp.Combine("nollage.csv");
        File.WriteAllText(csv, "tenant;year;service;cost;quantity;unit;employees\nT-B;2024;INF-VM;900,00;;;50\nT-B;2024;INF-VM;1,00;;;51\n");
        var import = BaselineWorkbook.Read(csv);
        Assert.Equal(["nollage.csv:3:employees", "nollage.csv:3:service"], import.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}").Order(StringComparer.Ordinal));
    }
}
