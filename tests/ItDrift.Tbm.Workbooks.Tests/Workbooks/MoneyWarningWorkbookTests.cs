using ClosedXML.Excel;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Tests.Validation;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>
/// The warnings about money in the workbooks: a fee specification's notes sheet has the fee year's warnings
/// that name no other tenant (a tenant reading its own only those that name it); the supplier's balance
/// workbook has every one and the skipped lines per account class. The package is <see cref="MoneyWarningPackage"/>.
/// </summary>
public sealed class MoneyWarningWorkbookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task FeeSpecification_ShowsTheYearsWarnings_OnANotesSheet_AndATenantOnlyItsOwn()
    {
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), MoneyWarningPackage.Package()), output));
        var run = RunFolder.Open(output);

        using var supplier = await Workbook(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-C", 2025));
        Assert.Equal(["Sammanfattning", "Tjänster", "Anmärkningar"], supplier.Worksheets.Select(s => s.Name));
        var notes = supplier.Worksheet("Anmärkningar");
        var texts = notes.ColumnsUsed().Last().CellsUsed().Select(c => c.GetString()).Skip(1).ToList();
        Assert.Equal([MoneyWarningPackage.Account9011, MoneyWarningPackage.Account123, MoneyWarningPackage.CostCentreTypo, MoneyWarningPackage.ListedTarget, MoneyWarningPackage.OpenRule], texts);
        Assert.Equal("2025 Utfall, 2025 Budget", notes.Cell(4, 2).GetString());
        Assert.Equal("5 varningar, se bladet Anmärkningar", supplier.Worksheet("Sammanfattning").Search("Anmärkningar").First(c => c.GetString() == "Anmärkningar").CellRight().GetString());

        // T-A: no warning names it, so it sees the ledger's only; as a tenant reader, nothing at all.
        using var other = await Workbook(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-A", 2025));
        Assert.Equal(3, other.Worksheet("Anmärkningar").ColumnsUsed().Last().CellsUsed().Count() - 1);
        using var tenantA = await Workbook(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-A", 2025, ForTenantReader: true));
        Assert.DoesNotContain(tenantA.Worksheets, s => s.Name == "Anmärkningar");
        using var tenantC = await Workbook(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-C", 2025, ForTenantReader: true));
        Assert.Equal([MoneyWarningPackage.ListedTarget, MoneyWarningPackage.OpenRule], tenantC.Worksheet("Anmärkningar").ColumnsUsed().Last().CellsUsed().Select(c => c.GetString()).Skip(1));

        // The same request gives the same cells, whatever the culture. (The .xlsx bytes differ: the packaging
        // library names its relationships and core-properties part at random and stamps the zip entries.)
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
            using var again = await Workbook(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-C", 2025));
            Assert.Equal(Cells(supplier), Cells(again));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    private static List<string> Cells(XLWorkbook book) =>
        [.. book.Worksheets.SelectMany(s => s.CellsUsed().Select(c => $"{s.Name}!{c.Address}={c.Value}|{c.Style.NumberFormat.Format}"))];

    [Fact]
    public async Task Balance_HasEveryWarning_AndTheSkippedLinesPerClass()
    {
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), MoneyWarningPackage.Package()), output));
        using var book = await Workbook(RunFolder.Open(output), new WorkbookRequest(WorkbookKind.Balance));
        var notes = book.Worksheet("Anmärkningar");
        // The engine's text of each (the Swedish one beside it names rules.csv too).
        Assert.Equal(5, notes.Column(4).CellsUsed().Count(c => c.GetString().StartsWith("rules.csv:", StringComparison.Ordinal) || c.GetString().StartsWith("ledger:", StringComparison.Ordinal)));
        var nine = notes.Search("not a BAS class").Where(c => c.GetString() == "not a BAS class").OrderBy(c => c.Address.RowNumber).First();
        Assert.Equal("9", nine.CellLeft().CellLeft().GetString());
        Assert.Equal(980_000m, nine.CellRight().CellRight().GetValue<decimal>());
    }

    private static async Task<XLWorkbook> Workbook(RunFolder run, WorkbookRequest request) => new(new MemoryStream(await Bytes(run, request)));

    private static async Task<byte[]> Bytes(RunFolder run, WorkbookRequest request)
    {
        using var stream = new MemoryStream();
        await WorkbookExport.WriteAsync(run, request, stream);
        return stream.ToArray();
    }
}
