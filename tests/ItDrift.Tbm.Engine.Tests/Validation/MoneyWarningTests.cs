using System.Text.Json;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Tests.Support;
using static ItDrift.Tbm.Tests.Validation.MoneyWarningPackage;

namespace ItDrift.Tbm.Tests.Validation;

/// <summary>
/// Money must not be lost silently: skipped accounts outside BAS classes 1–3, cost lines no mapping row
/// matches, and driver targets without a row are warned about by <c>validate</c> and <c>run</c> alike,
/// with hand-worked amounts, on <see cref="MoneyWarningPackage"/>.
/// </summary>
public sealed class MoneyWarningTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(Dictionary<string, string> files, string name = "model") => SmallModel.Write(_temp.Combine(name), files);

    private static List<string> Texts(RunResult result) => [.. result.Warnings.Select(w => $"{w.File}: {w.Message}")];

    [Fact]
    public void Validate_WarnsAboutEveryKind_WithHandWorkedAmounts_InOrder()
    {
        var result = TbmEngine.Validate(Write(Package()));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal([Account9011, Account123, CostCentreTypo, ListedTarget, OpenRule], Texts(result));
        Assert.All(result.Warnings, w => Assert.NotNull(w.Money));
        Assert.Equal(MoneyWarning.SkippedAccount, result.Warnings[0].Money!.Kind);
        Assert.Equal([new MoneyPeriod(2025, "actual", 98_000_000), new MoneyPeriod(2025, "budget", 2_000_000)], result.Warnings[0].Money!.Periods);
        Assert.Equal("T-C", result.Warnings[4].Money!.Tenant);
        Assert.Null(result.Warnings[2].Money!.Tenant);
    }

    [Fact]
    public void Validate_CountsSkippedLinesPerAccountClass_AndWarnsNotAboutClasses1To3()
    {
        var result = TbmEngine.Validate(Write(Package()));
        var ledger = result.Ledger!;
        Assert.Equal(15, ledger.Lines);
        Assert.Equal(9, ledger.CostLines);
        Assert.Equal(6, ledger.SkippedLines);
        Assert.Equal(85_439_567, ledger.SkippedAmount);
        Assert.Equal(
            ["1 assets 1 1234567", "2 equity and liabilities 1 -800000", "3 revenue 1 -15000000", "9 not a BAS class 2 100000000", "other not a BAS account (fewer than four digits) 1 5000"],
            ledger.SkippedByClass.Select(c => $"{c.AccountClass} {c.Name} {c.Lines} {c.Amount}"));
        Assert.Equal([true, true, true, false, false], ledger.SkippedByClass.Select(c => c.Expected));
        Assert.Equal([new SkippedPeriod(2025, "actual", 1, 98_000_000), new SkippedPeriod(2025, "budget", 1, 2_000_000)], ledger.SkippedByClass[3].Periods);
        foreach (var account in new[] { "1930", "2440", "3011", "6110" })
        {
            Assert.DoesNotContain(result.Warnings, w => w.Message.Contains($"account {account}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Run_HasTheSameWarnings_InRunJson_AndTheSkippedLinesPerClass()
    {
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(Write(Package()), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(Texts(TbmEngine.Validate(Write(Package(), "again"))), Texts(result));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "run.json")));
        var run = json.RootElement;
        Assert.Equal([Account9011, Account123, CostCentreTypo, ListedTarget, OpenRule], run.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        var ledger = run.GetProperty("ledger");
        Assert.Equal(6, ledger.GetProperty("skippedLines").GetInt64());
        Assert.Equal("854395.67", ledger.GetProperty("skippedAmount").GetString());
        var classes = ledger.GetProperty("skippedByClass").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3", "9", "other"], classes.Select(c => c.GetProperty("class").GetString()));
        var nine = classes[3];
        Assert.Equal("not a BAS class", nine.GetProperty("name").GetString());
        Assert.False(nine.GetProperty("expected").GetBoolean());
        Assert.Equal(2, nine.GetProperty("lines").GetInt64());
        Assert.Equal("1000000.00", nine.GetProperty("amount").GetString());
        Assert.Equal(["2025 actual 1 980000.00", "2025 budget 1 20000.00"], nine.GetProperty("periods").EnumerateArray().Select(p =>
            $"{p.GetProperty("fiscalYear").GetInt32()} {p.GetProperty("scenario").GetString()} {p.GetProperty("lines").GetInt64()} {p.GetProperty("amount").GetString()}"));
        Assert.True(classes[2].GetProperty("expected").GetBoolean());

        var money = run.GetProperty("moneyWarnings").EnumerateArray().ToList();
        Assert.Equal(["skipped-account", "skipped-account", "unmapped", "missing-driver-row", "missing-driver-row"], money.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(Account9011, money[0].GetProperty("warning").GetString());
        Assert.Equal(["2025 actual 980000.00", "2025 budget 20000.00"], money[0].GetProperty("periods").EnumerateArray().Select(p =>
            $"{p.GetProperty("fiscalYear").GetInt32()} {p.GetProperty("scenario").GetString()} {p.GetProperty("amount").GetString()}"));
        Assert.Equal("2500.00", money[2].GetProperty("periods")[0].GetProperty("amount").GetString());
        Assert.Equal("T-C", money[4].GetProperty("tenant").GetString());
        Assert.False(money[4].GetProperty("periods")[0].TryGetProperty("amount", out _));
    }

    [Fact]
    public void Run_WritesWhatEachMoneyWarningIsAbout_AsTypedArguments_InRunJson()
    {
        var output = _temp.Combine("run");
        Assert.True(TbmEngine.Run(new RunOptions(Write(Package()), output)).Succeeded);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "run.json")));
        var money = json.RootElement.GetProperty("moneyWarnings").EnumerateArray().ToList();
        Assert.Equal(
            [
                """{"account":9011,"accountClass":"9"}""",
                """{"account":123,"accountClass":"other"}""",
                """{"account":4011,"costCenter":"KS-TYPO","projects":[""],"projectCount":1}""",
                """{"source":"SVC-A","target":"T-C","targetKind":"tenant","driver":"users","listed":true,"file":"rules.csv","line":2}""",
                """{"source":"SVC-B","target":"T-C","targetKind":"tenant","driver":"tickets","listed":false,"file":"rules.csv","line":3}""",
            ],
            money.Select(m => JsonSerializer.Serialize(m.GetProperty("arguments"))));
        Assert.Equal(
            [98_000_000L, 2_000_000L],
            money[0].GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("amountOre").GetInt64()));
        var seen = money[4].GetProperty("periods")[0];
        Assert.Equal((2025, "budget"), (seen.GetProperty("seenFiscalYear").GetInt32(), seen.GetProperty("seenScenario").GetString()));
        Assert.False(money[4].GetProperty("periods")[0].TryGetProperty("amountOre", out _));
    }

    [Fact]
    public void Run_AllocatesAsBefore_TheWarningsChangeNoMoney()
    {
        // 2025 actual: SVC-A 100 000.00 by users 10:30 (T-C has no row) → T-A 25 000.00, T-B 75 000.00; SVC-B 700.00
        // by tickets 5:5 → 350.00 each; SVC-C 900.00 evenly over four → 225.00 each; UNMAPPED 2 500.00 + 300.00.
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(Write(Package()), output));
        var fees = File.ReadAllLines(Path.Combine(output, "fees.csv")).Where(l => l.StartsWith("2025,actual,", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "2025,actual,T-A,SVC-A,Internal Labor,25000.00", "2025,actual,T-A,SVC-B,Software,350.00", "2025,actual,T-A,SVC-C,Facilities & Power,225.00",
                "2025,actual,T-B,SVC-A,Internal Labor,75000.00", "2025,actual,T-B,SVC-B,Software,350.00", "2025,actual,T-B,SVC-C,Facilities & Power,225.00",
                "2025,actual,T-C,SVC-C,Facilities & Power,225.00", "2025,actual,T-D,SVC-C,Facilities & Power,225.00",
            ],
            fees);
        Assert.Contains("2025,actual,UNMAPPED,Internal Labor,unmapped,2500.00", File.ReadAllText(Path.Combine(output, "unallocated.csv")), StringComparison.Ordinal);
        Assert.Contains("2025,actual,UNMAPPED,Other,unmapped,300.00", File.ReadAllText(Path.Combine(output, "unallocated.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WarnsNothing_WhenTheRowsAreThere_AndTheTyposFixed()
    {
        var files = Package();
        files["ledger.csv"] = files["ledger.csv"].Replace(",9011,", ",4011,", StringComparison.Ordinal).Replace(",123,", ",1930,", StringComparison.Ordinal).Replace("KS-TYPO", "KS1", StringComparison.Ordinal);
        files["drivers.csv"] += "2025,actual,users,T-C,0\n2025,actual,tickets,T-C,0\n";
        var result = TbmEngine.Validate(Write(files));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(["1", "2", "3"], result.Ledger!.SkippedByClass.Select(c => c.AccountClass));
    }

    [Fact]
    public void Validate_LeavesATenantAlone_ThatHasNoRowAnywhereNear_OrTakesNoOtherService()
    {
        // T-C's only tickets row moves to 2023 (two years before): nothing near 2025, so no warning about tickets.
        var files = Package();
        files["drivers.csv"] = files["drivers.csv"].Replace("2025,budget,tickets,T-C,3", "2023,budget,tickets,T-C,3", StringComparison.Ordinal);
        Assert.DoesNotContain(TbmEngine.Validate(Write(files, "far")).Warnings, w => w.Message.Contains("'tickets'", StringComparison.Ordinal));

        // T-C takes no other service in 2025 actual (SVC-C goes to T-A;T-B;T-D only; its users row is missing): it has left.
        files = Package();
        files["rules.csv"] = files["rules.csv"].Replace("T-A;T-B;T-C;T-D", "T-A;T-B;T-D", StringComparison.Ordinal);
        Assert.DoesNotContain(TbmEngine.Validate(Write(files, "left")).Warnings, w => w.Message.Contains("'tickets'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ListsTheTenLargest_AndSumsUpTheRest()
    {
        // Twelve mistyped cost centres X01…X12 with 1.00 … 12.00 besides KS-TYPO (2 500.00): KS-TYPO and X12 … X04 are
        // listed, X03, X02 and X01 (6.00 on 3 lines) summed up.
        var files = Package();
        files["ledger.csv"] += string.Concat(Enumerable.Range(1, 12).Select(i => FormattableString.Invariant($"2025,4,actual,4500,X{i:00},{i}.00\n")));
        var warnings = TbmEngine.Validate(Write(files)).Warnings.Where(w => w.Money?.Kind == MoneyWarning.Unmapped).ToList();
        Assert.Equal(11, warnings.Count);
        Assert.StartsWith("account 4011, cost centre 'KS-TYPO'", warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(4, 9).Reverse().Select(i => FormattableString.Invariant($"account 4500, cost centre 'X{i:00}'")), warnings.Skip(1).Take(9).Select(w => w.Message[..31]));
        Assert.Equal(
            "… and 3 more accounts and cost centres that match no mapping row, unallocated (UNMAPPED): 6.00 kr on 3 lines in 2025 actual; trail/mapped_lines.parquet has every line",
            warnings[10].Message);
        Assert.True(warnings[10].Money!.Summary);
    }

    [Fact]
    public void Validate_ReadsLongerAccountsAsBasSubAccounts_ByTheirFirstDigit()
    {
        // A ledger with six-digit accounts: 312100 is revenue (class 3, not warned), 901100 is class 9 (warned).
        var files = Package();
        files["model.json"] = files["model.json"].Replace("[[4000, 8999]]", "[[400000, 899999]]", StringComparison.Ordinal);
        files["ledger.csv"] = "fiscal_year,period,scenario,account,cost_center,amount\n2025,1,actual,401100,KS1,100.00\n2025,1,actual,312100,KS1,-100.00\n2025,1,actual,901100,KS1,7.00\n";
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n400000,899999,Internal Labor\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,400000,899999,*,SVC-C\n";
        var result = TbmEngine.Validate(Write(files));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["3 -10000", "9 700"], result.Ledger!.SkippedByClass.Select(c => $"{c.AccountClass} {c.Amount}"));
        Assert.Equal(
            ["account 901100, class 9 (not a BAS class), is outside costAccounts and not a balance-sheet or revenue account, so it is skipped, not allocated: 7.00 kr on 1 line in 2025 actual. Correct the account, or add it to costAccounts if it is a cost"],
            result.Warnings.Where(w => w.Money!.Kind == MoneyWarning.SkippedAccount).Select(w => w.Message));
    }

    [Fact]
    public void Validate_DoesNotWarnAboutAnAccountWhoseLinesCancel()
    {
        var files = Package();
        files["ledger.csv"] += "2025,5,actual,9500,KS1,100.00\n2025,6,actual,9500,KS1,-100.00\n";
        var result = TbmEngine.Validate(Write(files));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("9500", StringComparison.Ordinal));
        Assert.Equal(4, result.Ledger!.SkippedByClass.Single(c => c.AccountClass == "9").Lines);
    }
}
