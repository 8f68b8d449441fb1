using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Ingest.Sie;
using Xunit.Abstractions;

namespace ItDrift.Tbm.Tests.Sie;

/// <summary>The 60 real exports of sie-public (idstam/jsisie, MIT): every one is read, none throws.</summary>
public sealed partial class SiePublicFilesTests(ITestOutputHelper output)
{
    public static TheoryData<string> PublicFiles => SieTestData.PublicFiles();

    public static TheoryData<string> TransactionFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in SieTestData.PublicFiles())
            {
                var text = File.ReadAllText(SieTestData.PublicFile(name), Encoding.Latin1);
                if (SieType4().IsMatch(text) && TransRow().IsMatch(text))
                {
                    data.Add(name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PublicFiles))]
    public void Read_ImportsOrNamesIssues_EveryPublicFile(string name)
    {
        var sink = new CollectingSink();
        var report = SieReader.Read(SieTestData.PublicFile(name), sink);

        output.WriteLine($"{name}: type {report.SieType}, {report.EncodingName} ({report.EncodingReason}), basis {report.Basis}, reading {report.PeriodBalanceReading}, checksum {report.Checksum}, {report.LinesEmitted} lines, {report.ErrorCount} errors, {report.WarningCount} warnings");
        foreach (var year in report.Years)
        {
            output.WriteLine($"  year {year.YearIndex} FY{year.FiscalYear} {year.Scenario}: {year.Lines} lines, {SieNumbers.FormatOre(year.AmountOre)}, sent {year.Sent}");
        }

        foreach (var (reason, count) in report.NotEmitted)
        {
            output.WriteLine($"  not emitted: {reason}: {count}");
        }

        foreach (var issue in report.Issues.Take(12))
        {
            output.WriteLine($"  {issue}");
        }

        Assert.Equal(report.LinesEmitted, sink.Lines.Count);
        Assert.True(report.LinesEmitted > 0 || report.Issues.Count > 0, "a file that yields no lines must say why");
        Assert.All(report.Issues, issue =>
        {
            Assert.False(string.IsNullOrWhiteSpace(issue.Reason));
            Assert.True(issue.Line >= 0);
        });
        Assert.All(sink.Lines, line =>
        {
            Assert.InRange(line.Period, 1, 12);
            Assert.Equal(0, line.YearIndex);
            Assert.True(line.SourceLine > 0);
        });
        if (report.ErrorCount == 0 && report.Basis != SieLedgerBasis.None)
        {
            Assert.NotEmpty(sink.Lines);
        }
    }

    [Theory]
    [InlineData("BokSald.SE")]
    [InlineData("HAS1_1412.se")]
    [InlineData("HAS4i_1412.si")]
    [InlineData("TRANSAK.SE")]
    public void Read_RefusesWithReason_HtmlErrorPage(string name)
    {
        var report = SieReader.Read(SieTestData.PublicFile(name), new CollectingSink());

        var issue = Assert.Single(report.Issues, i => i.Kind == SieIssueKind.NotSieFile);
        Assert.Equal(SieSeverity.Error, issue.Severity);
        Assert.Contains("<!DOCTYPE HTML", issue.Reason, StringComparison.Ordinal);
        Assert.Equal(0, report.LinesEmitted);
    }

    /// <summary>
    /// The per-account totals of the year-0 lines equal totals computed here, independently, with a regular
    /// expression over the raw lines: #TRANS rows inside a #VER block, dated in #RAR 0. #BTRANS rows never
    /// match, and an #RTRANS row is not a #TRANS row, so the added row is counted once, through its #TRANS.
    /// </summary>
    [Theory]
    [MemberData(nameof(TransactionFiles))]
    public void Read_AccountTotalsMatchIndependentParse_TypeFourFile(string name)
    {
        var path = SieTestData.PublicFile(name);
        var expected = IndependentAccountTotals(path, out var rows);
        var sink = new CollectingSink();

        var report = SieReader.Read(path, sink);

        var actual = sink.Lines
            .Where(line => line.YearIndex == 0 && line.Scenario == "actual")
            .GroupBy(line => line.Account)
            .ToDictionary(group => group.Key, group => group.Sum(line => line.AmountOre));
        Assert.Equal(SieLedgerBasis.Transactions, report.Basis);
        var transactions = sink.Lines.Where(line => line.Scenario == "actual").ToList();
        Assert.Equal(rows, transactions.Count);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        Assert.All(transactions, line => Assert.Equal(SieLineSource.Transaction, line.Source));
        Assert.All(sink.Lines.Where(line => line.Scenario == "budget"), line => Assert.Equal(SieLineSource.PeriodBudget, line.Source));
    }

    [Theory]
    [InlineData("Bokslut Norstedts SIE 4E.se")]
    [InlineData("Norstedts Bokslut SIE 1.se")]
    [InlineData("Norstedts Revision SIE 1.SE")]
    [InlineData("Sie1.se")]
    public void Read_ChecksumValid_NorstedtsAndVismaExports(string name)
    {
        var report = SieReader.Read(SieTestData.PublicFile(name), new CollectingSink());

        Assert.Equal(SieChecksumStatus.Valid, report.Checksum);
        Assert.DoesNotContain(report.Issues, i => i.Kind is SieIssueKind.ChecksumMismatch or SieIssueKind.ChecksumStructure);
    }

    [Fact]
    public void Read_DecodesCodePage437_Pc8File()
    {
        var sink = new CollectingSink();

        var report = SieReader.Read(SieTestData.PublicFile("Lön.si"), sink);

        Assert.Equal("ibm437", report.EncodingName);
        Assert.Equal("Övningsbolaget Lön 100", report.CompanyName);
        Assert.Equal("Företagskonto/checkkonto/affärskonto", report.Accounts[1930]);
        Assert.All(sink.Lines, line => Assert.Equal("Lönekörning: 2012-04-25 - Ordinarie lön", line.Text));
        Assert.True(report.CalendarYearAssumed);
        Assert.All(sink.Lines, line => Assert.Equal((2012, 4), (line.FiscalYear, line.Period)));
    }

    [Fact]
    public void Read_DecodesTransactionText_Pc8File()
    {
        var sink = new CollectingSink();

        SieReader.Read(SieTestData.PublicFile("BL0001_typ4.SE"), sink);

        Assert.Contains(sink.Lines, line => line.Text == "[935] ELLTEPE DATA & KONTORSTILLBEHÖR");
    }

    [Fact]
    public void Read_ReportsLostLetters_Utf8FileWithReplacementCharacters()
    {
        var report = SieReader.Read(SieTestData.PublicFile("SIE4_Exempelfil_med_underdim.SE"), new CollectingSink());

        Assert.Equal("utf-8", report.EncodingName);
        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.EncodingMismatch);
        var damaged = Assert.Single(report.Issues, i => i.Kind == SieIssueKind.EncodingDamaged);
        Assert.Equal(6, damaged.Line);
        Assert.Equal("\uFFFDvningsbolaget AB", report.CompanyName);
    }

    /// <summary>Added and removed rows in BL Administration's export: voucher A 8 keeps only its #TRANS rows.</summary>
    [Fact]
    public void Read_CountsAddedRowsOnce_BlAdministrationAuditTrail()
    {
        var sink = new CollectingSink();

        var report = SieReader.Read(SieTestData.PublicFile("BL0001_typ4.SE"), sink);

        Assert.Equal(6, report.RecordCounts["#RTRANS"]);
        Assert.Equal(3, report.RecordCounts["#BTRANS"]);
        Assert.DoesNotContain(report.Issues, i => i.Kind is SieIssueKind.AddedRowNotMirrored or SieIssueKind.UnbalancedVoucher);
        var a8 = sink.Lines.Where(line => line.Voucher == "A 8").ToList();
        Assert.Equal([(1930, 0L), (2640, 0L)], a8.Select(line => (line.Account, line.AmountOre)));
        Assert.All(a8, line => Assert.Equal(new DateOnly(2009, 12, 10), line.TransactionDate));
        Assert.Equal(2010, a8[0].FiscalYear);
        Assert.Equal(6, a8[0].Period);
    }

    /// <summary>
    /// SIE 2/3 files whose period balances are read as totals (spec style) or as a partition (Visma style):
    /// either way the year-0 lines of each result account add up to the file's own #RES 0.
    /// </summary>
    [Theory]
    [InlineData("typ2.se", "totals")]
    [InlineData("typ3.se", "totals")]
    [InlineData("Sie3.se", "totals")]
    [InlineData("Test3.SE", "totals")]
    [InlineData("MAMUT_SIE3_EXPORT.SE", "totals")]
    [InlineData("BL0001_typ3.SE", "totals")]
    [InlineData("periodsaldo_ovnbolag.se", "totals")]
    [InlineData("objektsaldo_ovnbolag.se", "partition")]
    [InlineData("sie 3.SE", "partition")]
    public void Read_PeriodBalancesAddUpToYearTotals_BalanceFile(string name, string reading)
    {
        var path = SieTestData.PublicFile(name);
        var sink = new CollectingSink();

        var report = SieReader.Read(path, sink);

        Assert.Equal(SieLedgerBasis.PeriodBalances, report.Basis);
        Assert.Equal(reading, report.PeriodBalanceReading);
        var results = YearZeroResults(path);
        Assert.NotEmpty(results);
        var sums = sink.Lines.Where(l => l.Scenario == "actual").GroupBy(l => l.Account).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountOre));
        foreach (var (account, amount) in results.Where(r => sums.ContainsKey(r.Key)))
        {
            Assert.True(amount == sums[account], $"account {account}: #RES 0 {amount} öre, lines {sums[account]} öre");
        }
    }

    [Fact]
    public void Read_SplitsTotalsByCostCentre_SpecStyleObjectBalances()
    {
        var sink = new CollectingSink();

        var report = SieReader.Read(SieTestData.PublicFile("Sie3.se"), sink);

        Assert.Equal("totals", report.PeriodBalanceReading);
        Assert.Contains(sink.Lines, l => l.CostCenter.Length > 0);
        Assert.DoesNotContain(sink.Lines, l => l.Project.Length > 0);
        Assert.Contains(report.NotEmitted.Keys, k => k.Contains("dimension other than 1", StringComparison.Ordinal));
    }

    /// <summary>typ3.se budgets account 3020 per cost centre only, with no {} total row: the rows are the budget.</summary>
    [Fact]
    public void Read_TakesObjectRowsAsTotal_BudgetWithoutTotalRow()
    {
        var path = SieTestData.PublicFile("typ3.se");
        var sink = new CollectingSink();

        var report = SieReader.Read(path, sink);

        var written = Regex.Matches(File.ReadAllText(path, Encoding.Latin1), @"#PBUDGET\s+0\s+\d{6}\s+3020\s+\{[^}]*\}\s*(-?[\d.]+)")
            .Sum(m => (long)(decimal.Parse(m.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100));
        Assert.NotEqual(0, written);
        Assert.Equal(written, sink.Lines.Where(l => l.Scenario == "budget" && l.Account == 3020).Sum(l => l.AmountOre));
        Assert.DoesNotContain(report.Issues, i => i.Kind == SieIssueKind.BalanceMismatch);
    }

    /// <summary>Sie4.se books 37 rows on the account "FEL" (error): the year total of 4010 then disagrees.</summary>
    [Fact]
    public void Read_ComparesTransactionsWithYearTotals_FileWithBrokenRows()
    {
        var report = SieReader.Read(SieTestData.PublicFile("Sie4.se"), new CollectingSink(), new SieReaderOptions { MaxIssues = 100 });

        Assert.Equal(37, report.NotEmitted["#TRANS with a malformed field"]);
        Assert.Equal(37, report.Issues.Count(i => i.Kind == SieIssueKind.MalformedField && i.Column == "account" && i.Record == "#TRANS"));
        var mismatch = Assert.Single(report.Issues, i => i.Kind == SieIssueKind.BalanceMismatch);
        Assert.Contains("account 4010 is 67034.40, but the year's #TRANS rows read for it sum to 19034.40", mismatch.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmitsYearLevelLines_TypeOneFile()
    {
        var sink = new CollectingSink();

        var report = SieReader.Read(SieTestData.PublicFile("Sie1.se"), sink);

        Assert.True(report.YearLevel);
        Assert.Equal(SieLedgerBasis.YearBalances, report.Basis);
        Assert.NotEmpty(sink.Lines);
        Assert.All(sink.Lines, l => Assert.Equal((2010, 12, SieLineSource.YearBalance), (l.FiscalYear, l.Period, l.Source)));
        Assert.Equal(YearZeroResults(SieTestData.PublicFile("Sie1.se")).OrderBy(p => p.Key), sink.Lines.ToDictionary(l => l.Account, l => l.AmountOre).OrderBy(p => p.Key));
    }

    private static Dictionary<int, long> IndependentAccountTotals(string path, out int rows)
    {
        var totals = new Dictionary<int, long>();
        var text = File.ReadAllText(path, Encoding.Latin1);
        var rar = Rar0().Match(text);
        var inVoucher = false;
        var voucherDate = "";
        rows = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var ver = Ver().Match(line);
            if (ver.Success)
            {
                voucherDate = ver.Groups[1].Value;
                continue;
            }

            if (line == "{")
            {
                inVoucher = true;
                continue;
            }

            if (line == "}")
            {
                inVoucher = false;
                continue;
            }

            var trans = TransRow().Match(line);
            if (!inVoucher || !trans.Success)
            {
                continue;
            }

            var date = trans.Groups[3].Success ? trans.Groups[3].Value : voucherDate;
            if (rar.Success && (string.CompareOrdinal(date, rar.Groups[1].Value) < 0 || string.CompareOrdinal(date, rar.Groups[2].Value) > 0))
            {
                continue;
            }

            var account = int.Parse(trans.Groups[1].Value, CultureInfo.InvariantCulture);
            var ore = (long)(decimal.Parse(trans.Groups[2].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100);
            totals[account] = totals.GetValueOrDefault(account) + ore;
            rows++;
        }

        return totals;
    }

    private static Dictionary<int, long> YearZeroResults(string path)
    {
        var results = new Dictionary<int, long>();
        foreach (Match match in Res0().Matches(File.ReadAllText(path, Encoding.Latin1)))
        {
            var account = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            results[account] = results.GetValueOrDefault(account) + (long)(decimal.Parse(match.Groups[2].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100);
        }

        return results;
    }

    [GeneratedRegex(@"^\s*#SIETYP\s+""?4", RegexOptions.Multiline)]
    private static partial Regex SieType4();

    [GeneratedRegex(@"^\s*#TRANS\s+""?(\d+)""?\s*\{[^}]*\}\s*""?(-?\d+(?:\.\d{1,2})?)""?(?:\s+""?(\d{8})""?)?", RegexOptions.Multiline)]
    private static partial Regex TransRow();

    [GeneratedRegex(@"^#VER\s+(?:""[^""]*""|\S+)\s+(?:""[^""]*""|\S+)\s+""?(\d{8})")]
    private static partial Regex Ver();

    [GeneratedRegex(@"^\s*#RAR\s+0\s+""?(\d{8})""?\s+""?(\d{8})", RegexOptions.Multiline)]
    private static partial Regex Rar0();

    [GeneratedRegex(@"^\s*#RES\s+0\s+""?(\d+)""?\s+""?(-?\d+(?:\.\d+)?)", RegexOptions.Multiline)]
    private static partial Regex Res0();
}
