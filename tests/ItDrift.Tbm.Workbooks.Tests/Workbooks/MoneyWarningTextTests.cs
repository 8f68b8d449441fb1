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
    public void Summaries_SayHowManyMore_InSwedish_FromTheArguments()
    {
        // The English text is not read: what the Swedish says comes from the typed arguments alone.
        var unmapped = new RunMoneyWarning(Model.MoneyWarning.Unmapped, [(2025, "actual", 1_234.5m), (2025, "budget", -3m)], null, true, "(English)")
        {
            Arguments = new Model.MoneyWarningArguments { More = 1234 },
        };
        Assert.Equal("… och 1\u00A0234 konton och kostnadsställen till matchar ingen mappningsrad och förblir ofördelade (UNMAPPED): 2025 utfall 1\u00A0234,50\u00A0kr, 2025 budget -3,00\u00A0kr. trail/mapped_lines.parquet har varje rad.",
            MoneyWarningText.Swedish(unmapped));
        var rows = new RunMoneyWarning(Model.MoneyWarning.MissingDriverRow, [(2026, "forecast", null)], null, true, "(English)")
        {
            Arguments = new Model.MoneyWarningArguments { More = 2 },
        };
        Assert.Equal("… och 2 mottagare till i fördelningsregler saknar rad för nyckeln och får inget från regeln, i 2026 prognos.", MoneyWarningText.Swedish(rows));
    }

    [Fact]
    public void Swedish_NamesTheAccountAndTarget_FromTheArguments_NotTheEnglishText()
    {
        var unmapped = new RunMoneyWarning(Model.MoneyWarning.Unmapped, [(2025, "actual", 2_500m)], null, false, "ledger: account 1, cost centre 'WRONG', …")
        {
            Arguments = new Model.MoneyWarningArguments { Account = 4011, CostCenter = "", Projects = [""], ProjectCount = 1 },
        };
        Assert.Equal("Konto 4011 utan kostnadsställe matchar ingen mappningsrad, så det förblir ofördelat (UNMAPPED): 2025 utfall 2\u00A0500,00\u00A0kr. Rätta kostnadsställe eller konto, eller lägg till en mappningsrad.",
            MoneyWarningText.Swedish(unmapped));
        var row = new RunMoneyWarning(Model.MoneyWarning.MissingDriverRow, [(2025, "budget", null)], null, false, "(English)")
        {
            Arguments = new Model.MoneyWarningArguments { Source = "SVC-A", Target = "OBJ-1", TargetKind = "object", Driver = "users", Listed = true, File = "rules.csv", Line = 7 },
        };
        Assert.Equal("Objektet 'OBJ-1' (rules.csv rad 7) är angiven mottagare i SVC-A men saknar rad för nyckeln 'users' i 2025 budget, där andra mottagare har en: det får inget från SVC-A där. Lägg till raden i drivers (antal 0 om det inte använder något).",
            MoneyWarningText.Swedish(row));
    }

    [Fact]
    public void Swedish_SaysWhatKindAndHowMuch_ForARunFolderWithoutArguments()
    {
        var old = new RunMoneyWarning(Model.MoneyWarning.SkippedAccount, [(2025, "actual", 50m)], null, false, "ledger: account 123, …");
        Assert.Equal("Ett konto ligger utanför kostnadskontona (costAccounts) och är inget balans- eller intäktskonto, så det hoppas över och fördelas inte: 2025 utfall 50,00\u00A0kr. Rätta kontot, eller lägg till det i costAccounts om det är en kostnad.",
            MoneyWarningText.Swedish(old));
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
