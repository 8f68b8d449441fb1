using ClosedXML.Excel;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Tests.Validation;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>The warnings about money of <see cref="MoneyWarningPackage"/>, in Swedish on the Anmärkningar sheet, the English beside them.</summary>
public sealed class MoneyWarningTextTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task NotesSheet_SaysEveryWarningInSwedish_WithSwedishAmounts_AndKeepsTheEnglish()
    {
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), MoneyWarningPackage.Package()), output));
        using var stream = new MemoryStream();
        await WorkbookExport.WriteAsync(RunFolder.Open(output), new WorkbookRequest(WorkbookKind.FeeSpecification, "T-C", 2025), stream);
        using var book = new XLWorkbook(new MemoryStream(stream.ToArray()));
        var notes = book.Worksheet("Anmärkningar");
        Assert.Equal(["Slag", "Gäller", "Varning", "Motorns text (run.json)"], notes.Row(3).CellsUsed().Select(c => c.GetString()));
        const string nbsp = "\u00A0";
        Assert.Equal(
            [
                $"Konto 9011 ligger utanför kostnadskontona (costAccounts) och är inget balans- eller intäktskonto, så det hoppas över och fördelas inte: 2025 utfall 980{nbsp}000,00{nbsp}kr, 2025 budget 20{nbsp}000,00{nbsp}kr. Rätta kontot, eller lägg till det i costAccounts om det är en kostnad.",
                "Konto 123 ligger utanför kostnadskontona (costAccounts) och är inget balans- eller intäktskonto, så det hoppas över och fördelas inte: 2025 utfall 50,00\u00A0kr. Rätta kontot, eller lägg till det i costAccounts om det är en kostnad.",
                $"Konto 4011 på kostnadsställe 'KS-TYPO' matchar ingen mappningsrad, så det förblir ofördelat (UNMAPPED): 2025 utfall 2{nbsp}500,00{nbsp}kr. Rätta kostnadsställe eller konto, eller lägg till en mappningsrad.",
                "Kunden 'T-C' (rules.csv rad 2) är angiven mottagare i SVC-A men saknar rad för nyckeln 'users' i 2025 utfall, där andra mottagare har en: den betalar inget för SVC-A där. Lägg till raden i drivers (antal 0 om den inte använder något).",
                "Kunden 'T-C' (rules.csv rad 3) saknar rad för nyckeln 'tickets' i 2025 utfall men tar andra tjänster där: den betalar inget för SVC-B där. Lägg till raden i drivers (antal 0 om den inte använder något).",
            ],
            Enumerable.Range(4, 5).Select(r => notes.Cell(r, 3).GetString()));
        Assert.Equal(
            [MoneyWarningPackage.Account9011, MoneyWarningPackage.Account123, MoneyWarningPackage.CostCentreTypo, MoneyWarningPackage.ListedTarget, MoneyWarningPackage.OpenRule],
            Enumerable.Range(4, 5).Select(r => notes.Cell(r, 4).GetString()));
    }

    [Fact]
    public void Summaries_SayHowManyMore_InSwedish()
    {
        var unmapped = new RunMoneyWarning(Model.MoneyWarning.Unmapped, [(2025, "actual", 1_234.5m), (2025, "budget", -3m)], null, true,
            "ledger: … and 1234 more accounts and cost centres that match no mapping row, unallocated (UNMAPPED): 2025 actual 1 234.50 kr (9 lines), 2025 budget -3.00 kr (1 line); trail/mapped_lines.parquet has every line");
        Assert.Equal("… och 1\u00A0234 konton och kostnadsställen till matchar ingen mappningsrad och förblir ofördelade (UNMAPPED): 2025 utfall 1\u00A0234,50\u00A0kr, 2025 budget -3,00\u00A0kr. trail/mapped_lines.parquet har varje rad.",
            MoneyWarningText.Swedish(unmapped));
        var rows = new RunMoneyWarning(Model.MoneyWarning.MissingDriverRow, [(2026, "forecast", null)], null, true,
            "drivers.csv: … and 2 more targets of driver rules without a driver row that receive nothing from the rule, in 2026 forecast");
        Assert.Equal("… och 2 mottagare till i fördelningsregler saknar rad för nyckeln och får inget från regeln, i 2026 prognos.", MoneyWarningText.Swedish(rows));
    }

    [Fact]
    public void Swedish_FormatsWithoutTheProcessCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fa-IR");
            Assert.Equal("-1\u00A0234\u00A0567,89\u00A0kr", Swedish.Kronor(-1_234_567.89m));
            Assert.Equal("0,00\u00A0kr", Swedish.Kronor(-0.00m));
            Assert.Equal("36", Swedish.Whole(36));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
