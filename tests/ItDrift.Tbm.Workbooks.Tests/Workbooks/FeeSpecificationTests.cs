using ClosedXML.Excel;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>
/// The fee specification of T-A in <see cref="SmallModel"/>, by hand: INF-VM has 66.67 of Internal Labor split by
/// the key vms (T-A 1.5, T-B 1): unit price 66.67 ÷ 2.5 = 26.668 → 26.67; T-A's fee 40.00 (its exact share
/// 40.002, the remainder öre went to T-B); 1.5 × 26.67 = 40.005 → 40.01. FUN-SUP splits evenly (no unit price):
/// Internal Labor 11.11, Software 0.02, Facilities & Power −3.34, 7.79 in all.
/// </summary>
public sealed class FeeSpecificationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<XLWorkbook> Book(bool forTenantReader)
    {
        var output = _temp.Combine("run");
        if (!Directory.Exists(output))
        {
            TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), SmallModel.Files()), output));
        }

        using var stream = new MemoryStream();
        await WorkbookExport.WriteAsync(RunFolder.Open(output), new WorkbookRequest(WorkbookKind.FeeSpecification, "T-A", 2025, forTenantReader), stream);
        return new XLWorkbook(new MemoryStream(stream.ToArray()));
    }

    [Fact]
    public async Task ServiceLines_ShowQuantityTimesUnitPrice_BesideTheFee_WithSwedishPoolsAndRightAlignedNumbers()
    {
        using var book = await Book(forTenantReader: false);
        var sheet = book.Worksheet("Övriga tjänster");
        Assert.Equal(
            ["Tjänst", "Benämning", "Enhet", "Antal", "À-pris", "Avgift", "Antal × à-pris", "Avgift − antal × à-pris", "Lokaler och el", "Egen personal", "Programvara", "Summa kostnadspooler", "Differens avgift – kostnad"],
            sheet.Row(3).CellsUsed().Select(c => c.GetString()));
        Assert.All(sheet.Row(3).CellsUsed().Skip(3), c => Assert.Equal(XLAlignmentHorizontalValues.Right, c.Style.Alignment.Horizontal));
        Assert.All(sheet.Row(3).CellsUsed().Take(3), c => Assert.NotEqual(XLAlignmentHorizontalValues.Right, c.Style.Alignment.Horizontal));

        // Row 4 FUN-SUP (even: no quantity, no price), row 5 INF-VM.
        Assert.Equal("FUN-SUP", sheet.Cell("A4").GetString());
        Assert.True(sheet.Cell("E4").IsEmpty());
        Assert.True(sheet.Cell("G4").IsEmpty());
        Assert.Equal(7.79m, sheet.Cell("F4").GetValue<decimal>());
        Assert.Equal(-3.34m, sheet.Cell("I4").GetValue<decimal>());
        Assert.Equal(0.02m, sheet.Cell("K4").GetValue<decimal>());
        Assert.Equal("INF-VM", sheet.Cell("A5").GetString());
        Assert.Equal(1.5m, sheet.Cell("D5").GetValue<decimal>());
        Assert.Equal(26.67m, sheet.Cell("E5").GetValue<decimal>());
        Assert.Equal(40.00m, sheet.Cell("F5").GetValue<decimal>());
        Assert.Equal("ROUND(D5*E5,2)", sheet.Cell("G5").FormulaA1);
        Assert.Equal(40.01m, sheet.Cell("G5").GetValue<decimal>());
        Assert.Equal("ROUND(F5-G5,2)", sheet.Cell("H5").FormulaA1);
        Assert.Equal(-0.01m, sheet.Cell("H5").GetValue<decimal>());
        Assert.Equal("ROUND(F5-L5,2)", sheet.Cell("M5").FormulaA1);
        Assert.Equal(Excel.MoneyFormat, sheet.Cell("M5").Style.NumberFormat.Format);
        Assert.EndsWith(";0.00 \"kr\"", Excel.MoneyFormat, StringComparison.Ordinal); // zero never shows as -0,00 kr

        Assert.Equal("Summa", sheet.Cell("A6").GetString());
        Assert.Equal(47.79m, sheet.Cell("F6").GetValue<decimal>());
        Assert.StartsWith("À-pris = tjänstens kostnad för kunderna ÷ alla kunders antal, avrundat till hela öre", sheet.Cell("A8").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Avgiften enligt faktisk full kostnad är er exakta andel av kostnaden", sheet.Cell("A9").GetString(), StringComparison.Ordinal);
        Assert.Equal("'Övriga tjänster'!F6", book.Worksheet("Sammanfattning").Search("Övriga tjänster").First().CellRight().CellRight().FormulaA1);
    }

    [Fact]
    public async Task TenantCopy_LeavesOutTheUnitPrice_OfAServiceWithTwoTenants_ButNotItsQuantityOrFee()
    {
        using var book = await Book(forTenantReader: true);
        var sheet = book.Worksheet("Övriga tjänster");
        Assert.Equal(1.5m, sheet.Cell("D5").GetValue<decimal>());
        Assert.Equal("–", sheet.Cell("E5").GetString());
        Assert.Equal(40.00m, sheet.Cell("F5").GetValue<decimal>());
        Assert.True(sheet.Cell("G5").IsEmpty());
        Assert.True(sheet.Cell("H5").IsEmpty());
        Assert.StartsWith("–: à-priset är ett tal för hela tjänsten och visas inte när tjänsten har färre än tre kunder", sheet.Cell("A10").GetString(), StringComparison.Ordinal);
    }
}
