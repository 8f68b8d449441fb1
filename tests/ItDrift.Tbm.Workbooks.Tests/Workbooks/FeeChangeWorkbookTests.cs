using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>
/// Avgiftsförändring over the bridge of docs/changes.md's worked example (the engine's FeeBridgeTests), by hand.
/// From (2025): INF-VM by vms T-A 4, T-B 6 at 100.00 a vm (T-A 400.00: Internal Labor 320.00, Facilities &amp; Power
/// 80.00); FUN-SUP 300.00 even over T-A, T-B, T-C. To: INF-VM by vms T-A 5, T-B 6, T-C 1 at 110.00 (T-A 550.00: 412.50
/// and 137.50); FUN-SUP 330.00 even over T-A and T-C (165.00 each).
/// T-A: INF-VM 400.00 → 550.00 = volume 400.00 × 1 ÷ 4 = 100.00 + price 50.00; FUN-SUP 100.00 → 165.00 all price.
/// In all 500.00 → 715.00: volume 100.00, price 115.00. T-B: FUN-SUP ended (−100.00 volume), INF-VM 600.00 → 660.00
/// (6 vms on both sides: all price): 700.00 → 660.00, volume −100.00, price +60.00.
/// </summary>
public sealed class FeeChangeWorkbookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Package(string ledger, string rules, string drivers)
    {
        var files = SmallModel.Files();
        files["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + ledger;
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n5000,5399,Facilities & Power\n5400,5499,Software\n";
        files["objects.csv"] = "object_id,kind,name\nINF-VM,service,Virtual machines\nFUN-SUP,service,Support\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,5399,*,INF-VM\n2,5400,5499,*,FUN-SUP\n";
        files["rules.csv"] = "step,source,method,driver,targets\n1,INF-VM,driver,vms,\n" + rules;
        files["drivers.csv"] = "fiscal_year,driver,target,quantity\n" + drivers;
        return files;
    }

    private string Run(string name, Dictionary<string, string> files)
    {
        var output = _temp.Combine(name, "run");
        if (!Directory.Exists(output))
        {
            var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name, "model"), files), output));
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        }

        return output;
    }

    private string From() => Run("from", Package(
        "2025,1,4011,KS1,800.00\n2025,1,5011,KS1,200.00\n2025,1,5460,KS1,300.00\n",
        "1,FUN-SUP,even,,T-A;T-B;T-C\n",
        "2025,vms,T-A,4\n2025,vms,T-B,6\n"));

    private string To() => Run("to", Package(
        "2025,1,4011,KS1,990.00\n2025,1,5011,KS1,330.00\n2025,1,5460,KS1,330.00\n",
        "1,FUN-SUP,even,,T-A;T-C\n",
        "2025,vms,T-A,5\n2025,vms,T-B,6\n2025,vms,T-C,1\n"));

    private byte[] Bytes(string tenant, bool forTenantReader)
    {
        using var stream = new MemoryStream();
        FeeChangeWorkbook.Write(RunFolder.Open(From()), null, null, RunFolder.Open(To()), null, null, tenant, forTenantReader, stream);
        return stream.ToArray();
    }

    private static XLWorkbook Open(byte[] bytes) => new(new MemoryStream(bytes));

    [Fact]
    public void ServiceSheet_ShowsTheBridgePerService_WithSwedishKinds_AndTotalsAsFormulas()
    {
        using var book = Open(Bytes("T-A", forTenantReader: false));
        var sheet = book.Worksheet("Per tjänst");
        Assert.Equal(
            ["Tjänst", "Benämning", "Avgift 2025 (utfall)", "Avgift 2025 (utfall)", "Förändring", "Volymeffekt", "Priseffekt", "Antal 2025 (utfall)", "Antal 2025 (utfall)", "Enhet", "À-pris 2025 (utfall)", "À-pris 2025 (utfall)", "Slag"],
            sheet.Row(3).CellsUsed().Select(c => c.GetString()));

        // Row 4 FUN-SUP (even: no volume, all price), row 5 INF-VM (4 → 5 vms at 100.00 → 110.00).
        decimal Money(string cell) => sheet.Cell(cell).GetValue<decimal>();
        Assert.Equal(("FUN-SUP", "Support", "Endast pris"), (sheet.Cell("A4").GetString(), sheet.Cell("B4").GetString(), sheet.Cell("M4").GetString()));
        Assert.Equal((100.00m, 165.00m, 65.00m, 0m, 65.00m), (Money("C4"), Money("D4"), Money("E4"), Money("F4"), Money("G4")));
        Assert.True(sheet.Cell("H4").IsEmpty());
        Assert.True(sheet.Cell("K4").IsEmpty());
        Assert.Equal(("INF-VM", "Volym och pris"), (sheet.Cell("A5").GetString(), sheet.Cell("M5").GetString()));
        Assert.Equal((400.00m, 550.00m, 150.00m, 100.00m, 50.00m), (Money("C5"), Money("D5"), Money("E5"), Money("F5"), Money("G5")));
        Assert.Equal((4m, 5m, 100.00m, 110.00m), (Money("H5"), Money("I5"), Money("K5"), Money("L5")));
        Assert.Equal(Excel.MoneyFormat, sheet.Cell("F5").Style.NumberFormat.Format);
        Assert.Equal(Excel.IntegerFormat, sheet.Cell("H5").Style.NumberFormat.Format);

        Assert.Equal("Summa", sheet.Cell("A6").GetString());
        Assert.Equal("SUM(F4:F5)", sheet.Cell("F6").FormulaA1);
        Assert.Equal((500.00m, 715.00m, 215.00m, 100.00m, 115.00m), (Money("C6"), Money("D6"), Money("E6"), Money("F6"), Money("G6")));
    }

    [Fact]
    public void PoolSheet_SplitsEachLine_OverSwedishCostPools_AddingUpToTheLine()
    {
        using var book = Open(Bytes("T-A", forTenantReader: false));
        var sheet = book.Worksheet("Per kostnadspool");
        var rows = Enumerable.Range(4, 3).Select(r => (sheet.Cell(r, 1).GetString(), sheet.Cell(r, 2).GetString(),
            sheet.Cell(r, 3).GetValue<decimal>(), sheet.Cell(r, 4).GetValue<decimal>(), sheet.Cell(r, 5).GetValue<decimal>(), sheet.Cell(r, 6).GetValue<decimal>(), sheet.Cell(r, 7).GetValue<decimal>())).ToList();

        // 100.00 of volume over 320.00 : 80.00 is 80.00 and 20.00; each pool's price is its change less that.
        Assert.Equal(
        [
            ("FUN-SUP", "Programvara", 100.00m, 165.00m, 65.00m, 0m, 65.00m),
            ("INF-VM", "Lokaler och el", 80.00m, 137.50m, 57.50m, 20.00m, 37.50m),
            ("INF-VM", "Egen personal", 320.00m, 412.50m, 92.50m, 80.00m, 12.50m),
        ], rows);
        Assert.Equal((115.00m, 100.00m), (sheet.Cell("G7").GetValue<decimal>(), sheet.Cell("F7").GetValue<decimal>()));
    }

    [Fact]
    public void Summary_IsTheWaterfall_LinkedToTheTotals_WithTheChartsSeriesBeside()
    {
        using var book = Open(Bytes("T-B", forTenantReader: false));
        var sheet = book.Worksheet("Sammanfattning");
        var heading = sheet.Column(1).CellsUsed().Single(c => c.GetString() == "Steg").Address.RowNumber;
        var rows = Enumerable.Range(heading + 1, 4).Select(r => (sheet.Cell(r, 1).GetString(), sheet.Cell(r, 2).GetValue<decimal>(),
            sheet.Cell(r, 3).GetValue<decimal>(), sheet.Cell(r, 4).GetValue<decimal>(), sheet.Cell(r, 5).GetValue<decimal>(), sheet.Cell(r, 6).GetValue<decimal>())).ToList();

        // T-B: 700.00; FUN-SUP ended: volume −100.00 (a decrease from 700.00 down to 600.00); price +60.00 (600.00 up to 660.00); 660.00.
        Assert.Equal(
        [
            ("Avgift 2025 (utfall)", 700.00m, 0m, 700.00m, 0m, 0m),
            ("Volymeffekt", -100.00m, 600.00m, 0m, 0m, 100.00m),
            ("Priseffekt", 60.00m, 600.00m, 0m, 60.00m, 0m),
            ("Avgift 2025 (utfall)", 660.00m, 0m, 660.00m, 0m, 0m),
        ], rows);
        Assert.Equal("'Per tjänst'!F6", sheet.Cell(heading + 2, 2).FormulaA1);
        Assert.Equal(("Förändring", -40.00m), (sheet.Cell(heading + 5, 1).GetString(), sheet.Cell(heading + 5, 2).GetValue<decimal>()));
        Assert.Equal("Upphörd", book.Worksheet("Per tjänst").Cell("M4").GetString());
    }

    [Fact]
    public void Chart_IsAStackedColumnWaterfall_WithAnInvisibleBase_ValidAgainstTheSchema()
    {
        var bytes = Bytes("T-A", forTenantReader: false);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            string Text(string name)
            {
                using var reader = new StreamReader(zip.GetEntry(name)!.Open());
                return reader.ReadToEnd();
            }

            Assert.Contains("<x:drawing xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"", Text("xl/worksheets/sheet1.xml"), StringComparison.Ordinal);
            Assert.Contains("Target=\"../drawings/drawing1.xml\"", Text("xl/worksheets/_rels/sheet1.xml.rels"), StringComparison.Ordinal);
            Assert.Contains("Target=\"../charts/chart1.xml\"", Text("xl/drawings/_rels/drawing1.xml.rels"), StringComparison.Ordinal);
            Assert.Contains("<Override PartName=\"/xl/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>", Text("[Content_Types].xml"), StringComparison.Ordinal);

            // Four series over the summary's cells: base (no fill, no legend entry) 0, 500, 600, 0; totals 500 and 715; increases 100 and 115.
            XNamespace c = "http://schemas.openxmlformats.org/drawingml/2006/chart";
            var chart = XDocument.Parse(Text("xl/charts/chart1.xml"));
            Assert.Equal("stacked", chart.Descendants(c + "grouping").Single().Attribute("val")!.Value);
            var series = chart.Descendants(c + "ser").Select(s => s.Element(c + "val")!.Descendants(c + "v").Select(v => decimal.Parse(v.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList()).ToList();
            Assert.Equal([[0m, 500.00m, 600.00m, 0m], [500.00m, 0m, 0m, 715.00m], [0m, 100.00m, 115.00m, 0m], [0m, 0m, 0m, 0m]], series);
            Assert.Equal("'Sammanfattning'!$C$16:$C$19", chart.Descendants(c + "ser").First().Element(c + "val")!.Descendants(c + "f").Single().Value);
            Assert.Equal(["Avgift 2025 (utfall)", "Volymeffekt", "Priseffekt", "Avgift 2025 (utfall)"], chart.Descendants(c + "ser").First().Element(c + "cat")!.Descendants(c + "v").Select(v => v.Value));
            Assert.NotNull(chart.Descendants(c + "ser").First().Element(c + "spPr")!.Element(XName.Get("noFill", "http://schemas.openxmlformats.org/drawingml/2006/main")));
            Assert.Equal("0", chart.Descendants(c + "legendEntry").Single().Element(c + "idx")!.Attribute("val")!.Value);
        }

        // The chart's cells are the ones it names (C16:F19 on the summary: a heading at row 15 under twelve rows of who and what).
        using (var book = Open(bytes))
        {
            Assert.Equal(600.00m, book.Worksheet("Sammanfattning").Cell("C18").GetValue<decimal>());
            Assert.Equal(115.00m, book.Worksheet("Sammanfattning").Cell("E18").GetValue<decimal>());
        }

        // The Open XML SDK's schema validation: the chart, the drawing and the sheet that anchors it.
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        var part = document.WorkbookPart!.WorksheetParts.Single(w => w.DrawingsPart is not null);
        Assert.Single(part.DrawingsPart!.ChartParts);
        var errors = new OpenXmlValidator().Validate(document)
            .Where(e => e.Part is ChartPart or DrawingsPart || e.Part == part)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void ForTheTenant_AUnitPriceOfAServiceWithFewerThanThreeTenants_IsWithheld()
    {
        using var book = Open(Bytes("T-A", forTenantReader: true));
        var sheet = book.Worksheet("Per tjänst");

        // From: INF-VM had two tenants (T-A, T-B): its unit price would give T-A T-B's fee. To: three.
        Assert.Equal("–", sheet.Cell("K5").GetString());
        Assert.Equal(110.00m, sheet.Cell("L5").GetValue<decimal>());
        Assert.Equal(400.00m, sheet.Cell("C5").GetValue<decimal>());
        Assert.Contains(sheet.Column(1).CellsUsed(), c => c.GetString().StartsWith("–: à-priset", StringComparison.Ordinal));
    }

    [Fact]
    public void Workbook_IsByteIdentical_OnRepeat()
    {
        Assert.Equal(SHA256.HashData(Bytes("T-A", forTenantReader: true)), SHA256.HashData(Bytes("T-A", forTenantReader: true)));
    }

    [Fact]
    public void WriteWithBridge_WritesTheBridgeAndAWorkbookPerTenant_ReplaceableAndByteIdentical()
    {
        var output = _temp.Combine("out");
        var (bridge, workbooks) = FeeChangeWorkbook.WriteWithBridge(new BridgeSide(From()), new BridgeSide(To()), output);
        Assert.Equal((3, 6, Path.GetFullPath(output)), (workbooks, bridge.Lines, bridge.OutputDirectory));

        var plain = _temp.Combine("plain");
        FeeBridge.Write(new BridgeSide(From()), new BridgeSide(To()), plain);
        foreach (var file in new[] { FeeBridge.ChangesFile, FeeBridge.ChangesByPoolFile, FeeBridge.BridgeFile })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(plain, file)), File.ReadAllBytes(Path.Combine(output, file)));
        }

        Assert.Equal(["T-A.xlsx", "T-B.xlsx", "T-C.xlsx"], Directory.GetFiles(Path.Combine(output, FeeChangeWorkbook.Folder)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var first = File.ReadAllBytes(Path.Combine(output, FeeChangeWorkbook.Folder, "T-A.xlsx"));
        Assert.Equal(Bytes("T-A", forTenantReader: false), first);

        // Written again over its own output (the marker lists the workbooks): the same bytes, nothing else beside it.
        FeeChangeWorkbook.WriteWithBridge(new BridgeSide(From()), new BridgeSide(To()), output);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(output, FeeChangeWorkbook.Folder, "T-A.xlsx")));
        Assert.Equal(["from", "out", "plain", "to"], Directory.GetDirectories(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Series_StandEachStepOnTheRunningTotal_AndHangBelowZero()
    {
        // 500.00 → +100.00 → +115.00 → 715.00 (T-A): the steps stand on 500.00 and 600.00.
        var up = WaterfallSeries.Of([new("a", 500m, true), new("v", 100m, false), new("p", 115m, false), new("b", 715m, true)]);
        Assert.Equal([0m, 500m, 600m, 0m], up.Base);
        Assert.Equal([500m, 0m, 0m, 715m], up.Total);
        Assert.Equal([0m, 100m, 115m, 0m], up.Increase);
        Assert.Equal([0m, 0m, 0m, 0m], up.Decrease);

        // Below zero: −100.00 → −50.00 hangs from −100.00 down to −150.00 (stacked negatives grow downwards).
        var down = WaterfallSeries.Of([new("a", -100m, true), new("v", -50m, false), new("b", -150m, true)]);
        Assert.Equal([0m, -100m, 0m], down.Base);
        Assert.Equal([0m, -50m, 0m], down.Decrease);

        // Crossing zero (50.00 → −100.00 → −50.00): drawn from zero to its end.
        var crossing = WaterfallSeries.Of([new("a", 50m, true), new("v", -100m, false), new("b", -50m, true)]);
        Assert.Equal([0m, 0m, 0m], crossing.Base);
        Assert.Equal([0m, -50m, 0m], crossing.Decrease);
    }
}
