using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>
/// A hostile or broken <c>model.xlsx</c> is a model error of one line naming the workbook, the sheet and
/// where (docs/model-format.md §1.2): never an exception, never unbounded memory.
/// </summary>
public sealed class XlsxLimitTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Validates the small model with its tenants given as the sheet; the other tables as CSV.</summary>
    private RunResult ValidateWithTenantsSheet(string sheetData, string? sharedStrings = null, string? sheetXml = null)
    {
        var files = SmallModel.Files();
        files.Remove("tenants.csv");
        var model = SmallModel.Write(_temp.Combine("model"), files);
        HandWrittenXlsx.Write(Path.Combine(model, "model.xlsx"), [("tenants", sheetData)], sharedStrings);
        if (sheetXml is not null)
        {
            Replace(Path.Combine(model, "model.xlsx"), "xl/worksheets/sheet1.xml", sheetXml);
        }

        return TbmEngine.Validate(model);
    }

    private static void Replace(string xlsx, string part, string xml)
    {
        using var zip = System.IO.Compression.ZipFile.Open(xlsx, System.IO.Compression.ZipArchiveMode.Update);
        zip.GetEntry(part)!.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(part).Open());
        writer.Write(xml);
    }

    private const string Header = """<row r="1"><c r="A1" t="inlineStr"><is><t>tenant_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>""";

    private static string Row(int row, string id, string name) =>
        $"""<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{id}</t></is></c><c r="B{row}" t="inlineStr"><is><t>{name}</t></is></c></row>""";

    private static readonly string Tenants = Header + Row(2, "T-A", "Agency A") + Row(3, "T-B", "Agency B") + Row(4, "T-C", "Agency C");

    /// <summary>The one error about the workbook (the others follow from a table that could not be read).</summary>
    private static ModelError SingleError(RunResult result)
    {
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors, e => e.File.StartsWith("model.xlsx", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', error.Reason);
        return error;
    }

    [Fact]
    public void Validate_ReadsTheSheet_WhenItsOneCellIsAtXfd1048576()
    {
        var result = ValidateWithTenantsSheet("""<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>tenant_id</t></is></c></row>""");
        var error = SingleError(result);
        Assert.Equal("model.xlsx#tenants", error.File);
        Assert.Contains("name", error.Reason + error.Column, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReadsAWideSheet_RowByRow_WhenAStrayCellSitsAtXfd()
    {
        var result = ValidateWithTenantsSheet(Tenants + """<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>""");
        Assert.Equal(
            [("model.xlsx#tenants", 1_048_576, "name"), ("model.xlsx#tenants", 1_048_576, "tenant_id")],
            result.Errors.Where(e => e.File.StartsWith("model.xlsx", StringComparison.Ordinal)).Select(e => (e.File, e.Line, e.Column)).Order());
    }

    [Theory]
    [InlineData("""<row r="2"><c r="ZZZZZZZ99999999999"><v>1</v></c></row>""", "'ZZZZZZZ99999999999' is not a cell reference (A1 to XFD1048576) (XML line 2, position")]
    [InlineData("""<row r="99999999999"><c><v>1</v></c></row>""", "'99999999999' is not a row number (XML line 2, position")]
    [InlineData("""<row r="1048577"><c><v>1</v></c></row>""", "row 1048577 is beyond the last row a sheet has (1048576) (XML line 2, position")]
    [InlineData("""<row r="2"><c r="A2"><v>1</c></row>""", "the XML is malformed: The 'v' start tag on line 2 position 229 does not match the end tag of 'c' (XML line 2, position 234)")]
    [InlineData("""<row r="2"><c r="A2" t="inlineStr"><is><t>T-&unknown;</t></is></c></row>""", "the XML is malformed: Reference to undeclared entity 'unknown' (XML line 2, position")]
    public void Validate_ReportsAMalformedSheet_AsOneModelError(string sheetData, string reason)
    {
        var error = SingleError(ValidateWithTenantsSheet(Header + sheetData));
        Assert.Equal(("model.xlsx#tenants", 0), (error.File, error.Line));
        Assert.StartsWith("cannot read the sheet: " + reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesADtd_AsOneModelError()
    {
        var error = SingleError(ValidateWithTenantsSheet("", sheetXml: $"""
            <?xml version="1.0"?>
            <!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <worksheet xmlns="{HandWrittenXlsx.Main}"><sheetData>{Tenants}</sheetData></worksheet>
            """));
        Assert.Equal(("model.xlsx#tenants", 0), (error.File, error.Line));
        Assert.Equal("cannot read the sheet: the XML declares a DTD (<!DOCTYPE>), which a workbook never has", error.Reason);
    }

    [Fact]
    public void Validate_RefusesACell_OfMoreThan32767Characters()
    {
        var error = SingleError(ValidateWithTenantsSheet(Header + Row(2, "T-A", new string('x', 40_000))));
        Assert.Equal(("model.xlsx#tenants", 0), (error.File, error.Line));
        Assert.StartsWith("cannot read the sheet: a cell holds more than 32767 characters (XML line 2, position", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_RefuseASheet_ThatInflatesBeyondTheLimit()
    {
        // 300 000 rows inflate to about 30 MB from a zip of a few hundred KB; the limit here is 1 MiB.
        var rows = string.Concat(Enumerable.Range(2, 300_000).Select(i => $"<row r=\"{i}\"><c><v>{i}</v></c></row>"));
        var path = HandWrittenXlsx.Write(_temp.Combine("bomb.xlsx"), [("ledger", rows)]);
        using var workbook = XlsxPackage.Open(path, XlsxLimits.Default with { MaxSheetBytes = 1 << 20 });
        var e = Assert.Throws<InvalidDataException>(() => workbook.Rows("ledger").Count());
        Assert.Equal("the part 'xl/worksheets/sheet1.xml' inflates to more than 1 MiB, the most the engine reads (docs/model-format.md §1.2); give the table as CSV or Parquet", e.Message);
    }

    [Fact]
    public void Validate_ReadsSwedishNumbersTypedAsText_AsASwedishCsvDoes()
    {
        var files = SmallModel.Files();
        var csv = SmallModel.Write(_temp.Combine("csv"), files);
        files.Remove("ledger.csv");
        var model = SmallModel.Write(_temp.Combine("model"), files);
        static string Text(string cell, string text) => $"""<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>""";
        HandWrittenXlsx.Write(Path.Combine(model, "model.xlsx"), [("ledger", $"""
            <row r="1">{Text("A1", "fiscal_year")}{Text("B1", "period")}{Text("C1", "account")}{Text("D1", "cost_center")}{Text("E1", "amount")}</row>
            <row r="2"><c r="A2"><v>2025</v></c><c r="B2"><v>1</v></c><c r="C2"><v>4011</v></c>{Text("D2", "KS1")}{Text("E2", "210 000,00")}</row>
            <row r="3"><c r="A3"><v>2025</v></c><c r="B3"><v>1</v></c><c r="C3"><v>5460</v></c>{Text("D3", "KS1")}{Text("E3", "−0,05")}</row>
            <row r="4"><c r="A4"><v>2025</v></c><c r="B4"><v>1</v></c><c r="C4"><v>5460</v></c>{Text("D4", "KS1")}{Text("E4", "12.50")}</row>
            """)]);
        var result = TbmEngine.Validate(model);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(TbmEngine.Validate(csv).Succeeded);
    }

    [Fact]
    public void Validate_ReportsABadlyGroupedSwedishNumberTypedAsText()
    {
        var files = SmallModel.Files();
        files.Remove("ledger.csv");
        var model = SmallModel.Write(_temp.Combine("model"), files);
        static string Text(string cell, string text) => $"""<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>""";
        HandWrittenXlsx.Write(Path.Combine(model, "model.xlsx"), [("ledger", $"""
            <row r="1">{Text("A1", "fiscal_year")}{Text("B1", "period")}{Text("C1", "account")}{Text("D1", "cost_center")}{Text("E1", "amount")}</row>
            <row r="2"><c r="A2"><v>2025</v></c><c r="B2"><v>1</v></c><c r="C2"><v>4011</v></c>{Text("D2", "KS1")}{Text("E2", "21 0000,00")}</row>
            """)]);
        var error = SingleError(TbmEngine.Validate(model));
        Assert.Equal(("model.xlsx#ledger", 2, "amount", "'21 0000,00' has spaces that are not thousands separators (groups of three digits)"), (error.File, error.Line, error.Column, error.Reason));
    }
}
