using ClosedXML.Excel;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm export --scenario</c> (issue 14): the price list and the fee table of the scenario asked for; the fee
/// specification the fee model's, saying so; the balance and true-up (actual only) refused by name, and left
/// out of "all of them". The run is datasets/scenarios/multi-year-scenarios (2024 and 2025, actual and budget).
/// </summary>
public sealed class ExportScenarioCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-export-" + Guid.NewGuid().ToString("N")[..8]);

    public ExportScenarioCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Run()
    {
        var run = Path.Combine(_root, "run");
        var model = Path.Combine(Repository.Root, "datasets", "scenarios", "multi-year-scenarios", "model");
        var (code, _, err) = CommandLineTests.Tbm("run", "--model", model, "--out", run);
        Assert.True(code == 0, err);
        return run;
    }

    private static string Field(IXLWorksheet sheet, string label) =>
        sheet.RowsUsed().First(r => r.Cell(1).GetString() == label).Cell(2).GetString();

    [Fact]
    public void Export_PriceListOfBudget_ShowsTheBudgetsPrices_AndSaysTheFeeModelPricesTheOutcome()
    {
        var run = Run();
        var export = Path.Combine(_root, "export");

        var (code, stdout, err) = CommandLineTests.Tbm("export", "--run", run, "--out", export, "--workbook", "price-list", "--year", "2025", "--scenario", "budget");

        Assert.True(code == 0, err);
        var file = Path.Combine(export, "prislista-SKV-2025-budget.xlsx");
        Assert.Contains(file, stdout, StringComparison.Ordinal);
        using var book = new XLWorkbook(file);
        var sheet = book.Worksheet("Prislista");
        Assert.Equal("Budget", Field(sheet, "Underlag (scenario)"));
        Assert.Equal("Priserna gäller scenariot budget. Avgiftsmodellen prissätter underlaget utfall, så dess à-priser visas inte här.", Field(sheet, "Obs"));
        var vm = sheet.RowsUsed().First(r => r.Cell(2).GetString() == "INF-SRV");
        Assert.Equal((33m, 105_000m, 3_181.82m), (vm.Cell(5).GetValue<decimal>(), vm.Cell(6).GetValue<decimal>(), vm.Cell(7).GetValue<decimal>()));
        Assert.True(vm.Cell(8).IsEmpty());
    }

    [Fact]
    public void Export_AllOfBudget_FiltersTheFeeTable_KeepsTheFeeModelsFees_AndLeavesOutBalanceAndTrueUp()
    {
        var run = Run();
        var export = Path.Combine(_root, "export");

        var (code, stdout, err) = CommandLineTests.Tbm("export", "--run", run, "--out", export, "--scenario", "budget");

        Assert.True(code == 0, err);
        Assert.Contains("The balance and the true-up are of the actual outcome only: left out for --scenario budget.", stdout, StringComparison.Ordinal);
        var files = Directory.GetFiles(export).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.StartsWith("balans", StringComparison.Ordinal) || f.StartsWith("avrakning", StringComparison.Ordinal));
        var table = Assert.Single(files, f => f!.StartsWith("avgiftstabell", StringComparison.Ordinal));
        Assert.EndsWith("-budget.xlsx", table, StringComparison.Ordinal);
        using (var book = new XLWorkbook(Path.Combine(export, table!)))
        {
            var scenarios = book.Worksheets.First().RowsUsed().Skip(1).Select(r => r.Cell(2).GetString()).Where(s => s.Length > 0 && s != "Summa").Distinct().ToList();
            Assert.Equal(["Budget"], scenarios);
        }

        var specification = Assert.Single(files, f => f == "avgiftsspecifikation-SKV-T-ESV-2025.xlsx");
        using var spec = new XLWorkbook(Path.Combine(export, specification!));
        var summary = spec.Worksheet("Sammanfattning");
        Assert.Equal("Utfall", Field(summary, "Underlag (scenario)"));
        Assert.Equal("Scenariot budget begärdes. Avgiften är avgiftsmodellens, på årets underlag utfall, vilket scenario som än begärs.", Field(summary, "Obs"));
    }

    [Theory]
    [InlineData("balance", "the fee-area balance is of the actual outcome only (docs/model-format.md §3.7–3.8), not of budget: leave out the scenario or ask for actual")]
    [InlineData("trueup", "the true-up is of the actual outcome only (docs/model-format.md §3.7–3.8), not of budget: leave out the scenario or ask for actual")]
    public void Export_ABalanceOrTrueUpOfBudget_ExitsWith2_InOneLine_WritingNothing(string workbook, string reason)
    {
        var run = Run();
        var export = Path.Combine(_root, "export");
        string[] tenant = workbook == "trueup" ? ["--tenant", "T-ESV"] : [];

        var (code, stdout, err) = CommandLineTests.Tbm(["export", "--run", run, "--out", export, "--workbook", workbook, "--scenario", "budget", .. tenant]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"tbm: --scenario budget: {reason}", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r'));
        Assert.False(Directory.Exists(export));
    }

    [Fact]
    public void Export_AScenarioTheYearLacks_OrAnUnknownOne_ExitsWith2_InOneLine()
    {
        var run = Run();
        var export = Path.Combine(_root, "export");

        var (code, _, err) = CommandLineTests.Tbm("export", "--run", run, "--out", export, "--workbook", "price-list", "--scenario", "forecast");
        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("tbm: --scenario forecast: run ", err, StringComparison.Ordinal);
        Assert.Contains(" has no forecast in fiscal year 2025", err, StringComparison.Ordinal);

        (code, _, err) = CommandLineTests.Tbm("export", "--run", run, "--out", export, "--scenario", "prognos");
        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--scenario", err, StringComparison.Ordinal);
    }
}
