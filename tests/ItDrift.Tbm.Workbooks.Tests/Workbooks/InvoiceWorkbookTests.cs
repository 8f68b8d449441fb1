using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>Fakturaunderlag: the hand-built invoices of <see cref="SampleInvoices"/>, read back with ClosedXML.</summary>
public sealed class InvoiceWorkbookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static XLWorkbook Book(int year, params Invoice[] invoices)
    {
        using var stream = new MemoryStream();
        InvoiceWorkbook.Write(year, invoices, stream);
        return new XLWorkbook(new MemoryStream(stream.ToArray()));
    }

    private static int RowOf(IXLWorksheet sheet, string text) => sheet.Search(text, System.Globalization.CompareOptions.None).Single(c => c.GetString() == text).Address.RowNumber;

    [Fact]
    public void Write_ShowsEveryLineAndTheHandWorkedTotals_OfATenantsYear()
    {
        using var book = Book(2026, SampleInvoices.Second(), SampleInvoices.First());
        var sheet = book.Worksheet("Fakturaunderlag");

        Assert.Equal("Fakturaunderlag 2026 – Agency A", sheet.Cell(1, 1).GetString());
        Assert.Equal("Försäkringskassan (202100-5521)", sheet.Cell(RowOf(sheet, "Leverantör"), 2).GetString());
        Assert.Equal("202100-5448", sheet.Cell(RowOf(sheet, "Organisationsnummer"), 2).GetString());
        Assert.Equal("FAKTREF-17", sheet.Cell(RowOf(sheet, "Fakturareferens"), 2).GetString());
        Assert.Equal("0007:2021005448", sheet.Cell(RowOf(sheet, "Elektronisk adress"), 2).GetString());
        Assert.Equal(2, sheet.Cell(RowOf(sheet, "Antal fakturor"), 2).GetValue<int>());

        // The lines in period order (January before July, whatever the order given), each with its invoice's facts.
        var heading = RowOf(sheet, "Fakturanummer");
        Assert.Equal(
            ["Fakturanummer", "Period från", "Fakturadatum", "Förfallodatum", "Tjänst", "Typ", "Avser år", "Belopp"],
            Enumerable.Range(1, 8).Select(c => sheet.Cell(heading, c).GetString()));
        var rows = Enumerable.Range(heading + 1, 9).Select(r => (
            Number: sheet.Cell(r, 1).GetString(),
            Period: sheet.Cell(r, 2).GetString(),
            Service: sheet.Cell(r, 5).GetString(),
            Kind: sheet.Cell(r, 6).GetString(),
            Amount: sheet.Cell(r, 8).GetValue<decimal>())).ToList();
        Assert.Equal(
            [
                ("2026-0001", "januari 2026", "INF-VM", "Preliminär avgift", 1_234_567.89m),
                ("2026-0001", "januari 2026", "FUN-SUP", "Preliminär avgift", 0.05m),
                ("2026-0001", "januari 2026", "INF-VM", "Avbetalning", 1_000.00m),
                ("Summa faktura 2026-0001", "", "", "", 1_235_567.94m),
                ("2026-0002", "juli 2026", "INF-VM", "Preliminär avgift", 1_234_567.88m),
                ("2026-0002", "juli 2026", "FUN-SUP", "Preliminär avgift", 0.04m),
                ("2026-0002", "juli 2026", "INF-VM", "Avräkning", -250_000.50m),
                ("2026-0002", "juli 2026", "FUN-SUP", "Avräkning", 0.01m),
                ("Summa faktura 2026-0002", "", "", "", 984_567.43m),
            ],
            rows);
        Assert.Equal(new DateTime(2026, 7, 15), sheet.Cell(heading + 5, 3).GetDateTime());
        Assert.Equal(new DateTime(2026, 8, 14), sheet.Cell(heading + 5, 4).GetDateTime());
        Assert.Equal(2025, sheet.Cell(heading + 7, 7).GetValue<int>());
        Assert.Equal(Excel.MoneyFormat, sheet.Cell(heading + 1, 8).Style.NumberFormat.Format);

        // The year: 1 235 567,94 + 984 567,43 = 2 220 135,37 kr, and the same by kind.
        var year = heading + 10;
        Assert.Equal("Summa 2026", sheet.Cell(year, 1).GetString());
        Assert.Equal($"H{heading + 4}+H{heading + 9}", sheet.Cell(year, 8).FormulaA1);
        Assert.Equal(2_220_135.37m, sheet.Cell(year, 8).GetValue<decimal>());
        var kinds = RowOf(sheet, "Per typ");
        Assert.Equal(
            [("Preliminär avgift", 2_469_135.86m), ("Avräkning", -250_000.49m), ("Avbetalning", 1_000.00m), ("Summa 2026", 2_220_135.37m)],
            Enumerable.Range(kinds + 1, 4).Select(r => (sheet.Cell(r, 1).GetString(), sheet.Cell(r, 8).GetValue<decimal>())));
    }

    [Fact]
    public void Write_ShowsACreditAsANegativeTotal_AndTheDerivedAddress()
    {
        using var book = Book(2026, SampleInvoices.Credit());
        var sheet = book.Worksheet("Fakturaunderlag");

        Assert.Equal("T-B", sheet.Cell(RowOf(sheet, "Fakturareferens"), 2).GetString());
        Assert.Equal("0007:2021004284", sheet.Cell(RowOf(sheet, "Elektronisk adress"), 2).GetString());
        Assert.Equal(-1_400.00m, sheet.Cell(RowOf(sheet, "Summa faktura 2026-0003"), 8).GetValue<decimal>());
        Assert.Equal(-1_500.00m, sheet.Cell(RowOf(sheet, "Per typ") + 2, 8).GetValue<decimal>());
    }

    [Fact]
    public void WriteAll_WritesOneWorkbookPerTenant_ByteIdenticalTwice()
    {
        Assert.Equal(2, InvoiceWorkbook.WriteAll(2026, SampleInvoices.All(), _temp.Combine("one")));
        InvoiceWorkbook.WriteAll(2026, SampleInvoices.All(), _temp.Combine("two"));

        var names = Directory.GetFiles(_temp.Combine("one", "fakturaunderlag")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["T-A.xlsx", "T-B.xlsx"], names);
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(_temp.Combine("one", "fakturaunderlag", name!)), File.ReadAllBytes(_temp.Combine("two", "fakturaunderlag", name!)));
        }
    }

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("de-DE")]
    public void Write_GivesTheSameBytes_UnderAnyCulture(string culture)
    {
        static byte[] Bytes()
        {
            using var stream = new MemoryStream();
            InvoiceWorkbook.Write(2026, [SampleInvoices.First(), SampleInvoices.Second()], stream);
            return stream.ToArray();
        }

        var invariant = Bytes();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(invariant, Bytes());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void WriteAll_RefusesToReplace_AFileItDidNotWrite()
    {
        var path = _temp.Combine("out", "fakturaunderlag", "T-B.xlsx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "mine");

        var e = Assert.Throws<TbmException>(() => InvoiceWorkbook.WriteAll(2026, SampleInvoices.All(), _temp.Combine("out")));

        Assert.Equal(TbmErrorKind.Conflict, e.Kind);
        Assert.Equal($"'{path}' exists already; the engine does not replace a file it did not write", e.Message);
        Assert.Equal("mine", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(1, "januari 2026")]
    [InlineData(7, "juli 2026")]
    [InlineData(12, "december 2026")]
    public void PeriodText_NamesTheMonthInSwedish(int month, string expected) => Assert.Equal(expected, InvoiceWorkbook.PeriodText(month, 2026));
}
