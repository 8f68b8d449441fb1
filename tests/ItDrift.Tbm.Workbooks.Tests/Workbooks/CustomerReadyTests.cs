using ClosedXML.Excel;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>What a customer agency reads before it trusts a workbook: labels that fit, say what is shown, and Swedish.</summary>
public sealed class CustomerReadyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunFolder Run(Action<Dictionary<string, string>>? change = null)
    {
        var files = SmallModel.Files();
        change?.Invoke(files);
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        return RunFolder.Open(output);
    }

    private static async Task<XLWorkbook> Book(RunFolder run, WorkbookRequest request)
    {
        using var stream = new MemoryStream();
        await WorkbookExport.WriteAsync(run, request, stream);
        return new XLWorkbook(new MemoryStream(stream.ToArray()));
    }

    /// <summary>SmallModel with its ledger and volumes as a budget only.</summary>
    private static void BudgetOnly(Dictionary<string, string> files)
    {
        files["ledger.csv"] = "fiscal_year,period,scenario,account,cost_center,amount\n2025,1,budget,4011,KS1,100.00\n2025,2,budget,5011,KS2,-10.00\n";
        files["drivers.csv"] = "fiscal_year,scenario,driver,target,quantity\n2025,budget,vms,T-A,1.5\n2025,budget,vms,T-B,1\n";
    }

    [Fact]
    public async Task TrueUp_FitsOrganisationsnummer_AndRightAlignsTheAmountHeadings()
    {
        using var book = await Book(Run(f => f["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2025,T-A,INF-VM,30.00\n"), new WorkbookRequest(WorkbookKind.TrueUp, "T-A", 2025));
        var sheet = book.Worksheet("Avräkning");
        var label = sheet.Search("Organisationsnummer").Single();
        Assert.Equal(1, label.Address.ColumnNumber);
        Assert.Equal("202100-5448", label.CellRight().GetString());
        Assert.True(sheet.Column(1).Width >= "Organisationsnummer".Length + 2, $"width {sheet.Column(1).Width}");
        var heading = sheet.Search("Slutlig avgift (utfall)").Single().Address.RowNumber;
        Assert.Equal(
            [XLAlignmentHorizontalValues.General, XLAlignmentHorizontalValues.General, XLAlignmentHorizontalValues.Right, XLAlignmentHorizontalValues.Right, XLAlignmentHorizontalValues.Right],
            Enumerable.Range(1, 5).Select(c => sheet.Cell(heading, c).Style.Alignment.Horizontal));

        // INF-VM: 40.00 final, 30.00 invoiced: 10.00 to debit; FUN-SUP 7.79 − 0 (no -0,00 kr anywhere: differences are rounded).
        var vm = sheet.Search("INF-VM").Single().Address.RowNumber;
        Assert.Equal($"ROUND(C{vm}-D{vm},2)", sheet.Cell(vm, 5).FormulaA1);
        Assert.Equal(10.00m, sheet.Cell(vm, 5).GetValue<decimal>());
    }

    [Fact]
    public async Task Balance_OfABudgetOnlyPackage_SaysWhyItIsEmpty_AndIsTitledInKronor()
    {
        using var book = await Book(Run(BudgetOnly), new WorkbookRequest(WorkbookKind.Balance));
        var balance = book.Worksheet("Balans");
        var heading = balance.Search("Avgiftsområde").Single().Address.RowNumber;
        Assert.True(balance.Cell(heading + 1, 1).IsEmpty());
        Assert.Equal(BalanceWorkbook.EmptyNote, balance.Cell(heading + 2, 1).GetString());
        Assert.StartsWith("Inga rader: resultat och balans redovisas för år med utfall", BalanceWorkbook.EmptyNote, StringComparison.Ordinal);
        var years = book.Worksheet("Per år");
        Assert.Equal("Resultat och balans per år, i kronor (uppställning som i årsredovisningen)", years.Cell(1, 1).GetString());
        Assert.Equal(BalanceWorkbook.EmptyNote, years.Cell(3, 1).GetString());
    }

    [Fact]
    public async Task FeeSpecification_OfABudget_NamesTheFeeModelForTheBudget()
    {
        using var budget = await Book(Run(BudgetOnly), new WorkbookRequest(WorkbookKind.FeeSpecification, "T-A", 2025));
        var summary = budget.Worksheet("Sammanfattning");
        Assert.Equal("Full kostnad enligt budget (preliminär)", summary.Search("Avgiftsmodell").Single().CellRight().GetString());
        Assert.Equal("Budget", summary.Search("Underlag (scenario)").Single().CellRight().GetString());
    }

    [Fact]
    public async Task FeeSpecification_OfTheOutcome_IsTheActualFullCost()
    {
        using var actual = await Book(Run(), new WorkbookRequest(WorkbookKind.FeeSpecification, "T-A", 2025));
        var summary = actual.Worksheet("Sammanfattning");
        Assert.Equal("Faktisk full kostnad", summary.Search("Avgiftsmodell").Single().CellRight().GetString());
        Assert.Equal("Utfall", summary.Search("Underlag (scenario)").Single().CellRight().GetString());
        var heading = summary.Search("Tjänsteområde").Single().Address.RowNumber;
        Assert.Equal(XLAlignmentHorizontalValues.Right, summary.Cell(heading, 2).Style.Alignment.Horizontal);
        Assert.Equal(XLAlignmentHorizontalValues.Right, summary.Cell(heading, 3).Style.Alignment.Horizontal);
    }

    [Fact]
    public void StatusReport_ShowsCountsAsWholeNumbers()
    {
        var (runs, _, _) = IndicatorModels.Publish(_temp);
        var path = _temp.Combine("status.xlsx");
        StatusReport.Write(new StatusReportOptions(2025, runs, path) { Time = new FixedTime(new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero)) });
        using var book = new XLWorkbook(path);
        var summary = book.Worksheet("Sammanfattning");
        var tenants = summary.Search(StatusReport.NameSv("supplier.tenants")).First(c => c.GetString() == StatusReport.NameSv("supplier.tenants"));
        var value = tenants.CellRight();
        Assert.Equal(ReportSheet.CountFormat, value.Style.NumberFormat.Format);
        Assert.Equal("st", value.CellRight().GetString());
        Assert.Equal(decimal.Truncate(value.GetValue<decimal>()), value.GetValue<decimal>());
        var cost = summary.Search(StatusReport.NameSv("supplier.cost")).First(c => c.GetString() == StatusReport.NameSv("supplier.cost")).CellRight();
        Assert.Equal(ReportSheet.MoneyFormat, cost.Style.NumberFormat.Format);
        Assert.Equal(XLAlignmentHorizontalValues.Right, summary.Search("Värde").First(c => c.GetString() == "Värde").Style.Alignment.Horizontal);
    }
}

public sealed class StatusReportSwedishTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Definitions_AreSwedish_ForEveryIndicator()
    {
        Assert.Equal(IndicatorCatalogue.All.Select(i => i.Id).Order(StringComparer.Ordinal), StatusReport.DefinitionsSv.Keys.Order(StringComparer.Ordinal));
        var (runs, _, _) = IndicatorModels.Publish(_temp);
        var path = _temp.Combine("status.xlsx");
        StatusReport.Write(new StatusReportOptions(2025, runs, path) { Time = new FixedTime(new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero)) });
        using var book = new XLWorkbook(path);
        var sheet = book.Worksheet("Definitioner");
        var heading = sheet.Search("Definition").First(c => c.GetString() == "Definition");
        Assert.Equal(["Id", "Nyckeltal", "Namn på engelska", "Enhet", "Definition"], sheet.Row(heading.Address.RowNumber).CellsUsed().Select(c => c.GetString()));
        var tenants = sheet.Search("supplier.tenants").First(c => c.GetString() == "supplier.tenants").Address.RowNumber;
        Assert.Equal("Kunder med någon avgift eller volym under året.", sheet.Cell(tenants, 5).GetString());
        Assert.Equal("st", sheet.Cell(tenants, 4).GetString());
    }

    [Fact]
    public void Notes_AreSwedish()
    {
        var (runs, _, _) = IndicatorModels.Publish(_temp);
        var view = CombinedIndicators.Compute(runs, 2026);
        Assert.NotEmpty(view.Notes);
        Assert.Equal(view.Notes.Count, view.NotesSv.Count);
        Assert.Contains(view.NotesSv, n => n.EndsWith(": ingen publicerad körning har räkenskapsåret 2026", StringComparison.Ordinal));
    }
}
