using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>
/// The engine's own reader of SpreadsheetML (<see cref="XlsxPackage"/>): strings shared or inline, sparse
/// rows, numbers, booleans and dates, on workbooks written by hand; and the same cell text as ClosedXML
/// gave the engine before, on a workbook ClosedXML writes.
/// </summary>
public sealed class XlsxPackageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string?> Texts(XlsxPackage workbook, string sheet) =>
        workbook.Rows(sheet).SelectMany(r => r.Cells.Select(c => (Address: Address(c.Column, r.Number), Cell: c)))
            .ToDictionary(x => x.Address, x => x.Cell.Kind == XlsxValueKind.Unreadable ? "!" + x.Cell.Text : XlsxTableReader.ValueText(x.Cell), StringComparer.Ordinal);

    private static string Address(int column, int row)
    {
        var letters = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            letters = (char)('A' + ((column - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Rows_ReadSharedAndInlineStrings_Alike()
    {
        var path = HandWrittenXlsx.Write(
            _temp.Combine("strings.xlsx"),
            [("tenants", """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>
                <row r="2"><c r="A2" t="inlineStr"><is><t>T-A</t></is></c><c r="B2" t="s"><v>1</v></c></row>
                <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="inlineStr"><is><r><t xml:space="preserve">Agency </t></r><r><rPr><b/></rPr><t>B</t></r></is></c></row>
                <row r="4"><c r="A4" t="str"><f>"T-"&amp;"C"</f><v>T-C</v></c><c r="B4" t="s"><v>3</v></c></row>
                """)],
            sharedStrings: """
                <si><t>tenant_id</t></si>
                <si><t>Agency A</t></si>
                <si><r><t>T-</t></r><r><t>B</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>
                <si><t>Agency_x0020_C _x005F_x0041_</t></si>
                """);

        using var workbook = XlsxPackage.Open(path);
        Assert.Equal(["tenants"], workbook.SheetNames);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["A1"] = "tenant_id", ["B1"] = "name", ["A2"] = "T-A", ["B2"] = "Agency A",
                ["A3"] = "T-B", ["B3"] = "Agency B", ["A4"] = "T-C", ["B4"] = "Agency C _x0041_",
            },
            Texts(workbook, "tenants"));
    }

    [Fact]
    public void Rows_LeaveOutMissingCells_AndPlaceCellsWithoutAReferenceAfterThePreviousOne()
    {
        var path = HandWrittenXlsx.Write(
            _temp.Combine("sparse.xlsx"),
            [("drivers", """
                <row r="2"><c r="B2" t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c r="E2" t="inlineStr"><is><t>e</t></is></c></row>
                <row r="5"><c r="C5"><v>3</v></c><c r="D5" s="0"/><c r="E5" t="inlineStr"><is><t></t></is></c></row>
                <row><c r="B6"><v>1.5</v></c></row>
                <row r="7"><c r="D7" s="0"/></row>
                """)]);

        using var workbook = XlsxPackage.Open(path);
        var rows = workbook.Rows("drivers").ToList();
        Assert.Equal([2, 5, 6], rows.Select(r => r.Number));
        Assert.Equal([2, 3, 5], rows[0].Cells.Select(c => c.Column));
        Assert.Equal([3], rows[1].Cells.Select(c => c.Column)); // a cell with only a style, or empty text, holds nothing
        Assert.Equal(new Dictionary<string, string?> { ["B2"] = "a", ["C2"] = "b", ["E2"] = "e", ["C5"] = "3", ["B6"] = "1.5" }, Texts(workbook, "drivers"));
    }

    [Fact]
    public void Rows_TellDatesFromNumbers_ByTheCellsNumberFormat()
    {
        var path = HandWrittenXlsx.Write(
            _temp.Combine("formats.xlsx"),
            [("s", """
                <row r="1"><c r="A1"><v>45717</v></c><c r="B1" s="1"><v>45717</v></c><c r="C1" s="2"><v>45717.75</v></c><c r="D1" s="3"><v>45717</v></c>
                  <c r="E1" s="4"><v>0.30000000000000004</v></c><c r="F1" s="5"><v>1.5</v></c><c r="G1" s="6"><v>1.5</v></c><c r="H1" s="1"><f>B1+1</f><v>45718</v></c>
                  <c r="I1" s="2"><v>3000000</v></c><c r="J1" s="7"><v>-12.5</v></c><c r="K1" t="b"><v>1</v></c><c r="L1" t="b"><v>0</v></c><c r="M1" t="d"><v>2025-03-01T00:00:00</v></c></row>
                """)],
            cellFormats: """<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="49"/><xf numFmtId="46"/><xf numFmtId="166"/><xf numFmtId="167"><alignment horizontal="left"/></xf>""",
            numberFormats: """<numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/><numFmt numFmtId="165" formatCode="[Red]#,##0"/><numFmt numFmtId="166" formatCode="[h]:mm"/><numFmt numFmtId="167" formatCode="#,##0.00\ &quot;kr&quot;"/>""");

        using var workbook = XlsxPackage.Open(path);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["A1"] = "45717", ["B1"] = "2025-03-01", ["C1"] = "2025-03-01", ["D1"] = "45717", ["E1"] = "0.30000000000000004",
                ["F1"] = "1.12:00:00", ["G1"] = "1899-12-31", ["H1"] = "45718", ["I1"] = "3000000", ["J1"] = "-12.5",
                ["K1"] = "true", ["L1"] = "false", ["M1"] = "2025-03-01",
            },
            Texts(workbook, "s"));
    }

    [Fact]
    public void Rows_CountDatesFrom1904_WhenTheWorkbookSaysSo()
    {
        var path = HandWrittenXlsx.Write(
            _temp.Combine("1904.xlsx"), [("s", """<row r="1"><c r="A1" s="1"><v>44255</v></c><c r="B1"><v>44255</v></c></row>""")],
            cellFormats: """<xf numFmtId="0"/><xf numFmtId="14"/>""", date1904: true);

        using var workbook = XlsxPackage.Open(path);
        Assert.Equal(new Dictionary<string, string?> { ["A1"] = "2025-03-01", ["B1"] = "44255" }, Texts(workbook, "s"));
    }

    [Fact]
    public void Rows_GiveNoValue_ForAnErrorOrAFormulaNeverCalculated()
    {
        var path = HandWrittenXlsx.Write(
            _temp.Combine("errors.xlsx"),
            [("s", """<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1"><f>SUM(C1:C9)</f></c><c r="C1"><v>1,5</v></c><c r="D1" t="s"><v>7</v></c></row>""")]);

        using var workbook = XlsxPackage.Open(path);
        var cells = workbook.Rows("s").Single().Cells;
        Assert.All(cells, c => Assert.Equal(XlsxValueKind.Unreadable, c.Kind));
        Assert.Equal(
            ["it holds the error #DIV/0!", "it holds a formula without a calculated value; open and save the workbook in a spreadsheet program", "'1,5' is not a number", "it names shared string '7', which the workbook does not have"],
            cells.Select(c => c.Text));
        Assert.Throws<InvalidDataException>(() => XlsxTableReader.ValueText(cells[0]));
    }

    [Fact]
    public void Open_RefusesWhatIsNotAWorkbook()
    {
        var text = _temp.Combine("model.xlsx");
        File.WriteAllText(text, "tenant_id,name\n");
        Assert.Throws<InvalidDataException>(() => XlsxPackage.Open(text));
        var errors = new List<Model.ModelError>();
        Assert.Empty(XlsxTableReader.SheetNames(text, errors));
        Assert.StartsWith("cannot open the workbook: ", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    /// <summary>Every kind of cell a person or a program puts in a sheet, read as ClosedXML 0.95 gave it to the engine before.</summary>
    [Fact]
    public void ValueText_IsTheTextClosedXmlGave_ForEveryKindOfCell()
    {
        var path = _temp.Combine("closedxml.xlsx");
        using (var book = new XLWorkbook())
        {
            var sheet = book.AddWorksheet("ledger");
            sheet.Cell("A1").SetValue("fiscal_year");
            sheet.Cell("B1").SetValue("text with åäö and spaces ");
            sheet.Cell("C1").SetValue("0042");
            sheet.Cell("C1").DataType = XLDataType.Text;
            sheet.Cell("A2").Value = 2025;
            sheet.Cell("B2").Value = 1234.5;
            sheet.Cell("C2").Value = -0.000001;
            sheet.Cell("D2").Value = 12345678901234567890d;
            sheet.Cell("E2").Value = 0.1 + 0.2;
            sheet.Cell("A3").Value = true;
            sheet.Cell("B3").Value = false;
            sheet.Cell("C3").Value = new DateTime(2025, 3, 1, 13, 30, 0);
            sheet.Cell("D3").Value = 45717;
            sheet.Cell("D3").Style.NumberFormat.Format = "yyyy-mm-dd";
            sheet.Cell("E3").Value = 45717;
            sheet.Cell("E3").Style.NumberFormat.NumberFormatId = 14;
            sheet.Cell("A4").Value = TimeSpan.FromHours(36.5);
            sheet.Cell("B4").Value = 1.25;
            sheet.Cell("B4").Style.NumberFormat.NumberFormatId = 46;
            sheet.Cell("C4").Value = 7;
            sheet.Cell("C4").Style.NumberFormat.NumberFormatId = 49;
            sheet.Cell("D4").Value = 1234567.891;
            sheet.Cell("D4").Style.NumberFormat.Format = "#,##0.00 \"kr\";-#,##0.00 \"kr\"";
            sheet.Cell("A5").FormulaA1 = "0.1+0.2";
            sheet.Cell("B5").FormulaA1 = "\"T-\"&\"A\"";
            sheet.Cell("C5").FormulaA1 = "B2*2";
            sheet.Cell("D5").FormulaA1 = "A3";
            sheet.Cell("A7").Value = 3; // after an empty row
            sheet.Cell("F7").SetValue("far right");
            using var file = File.Create(path);
            book.SaveAs(file, validate: false, evaluateFormulae: true);
        }

        Dictionary<string, string?> expected;
        using (var book = new XLWorkbook(path))
        {
            // The engine's conversion of ClosedXML's cell values before it had its own reader.
            expected = book.Worksheet("ledger").CellsUsed().ToDictionary(c => c.Address.ToString()!, c => c.Value switch
            {
                null => null,
                double d => decimal.Parse(d.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                TimeSpan s => s.ToString("c", CultureInfo.InvariantCulture),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            }, StringComparer.Ordinal);
        }

        using var workbook = XlsxPackage.Open(path);
        Assert.Equal(expected, Texts(workbook, "ledger"));
        Assert.Equal(23, expected.Count);
    }
}
