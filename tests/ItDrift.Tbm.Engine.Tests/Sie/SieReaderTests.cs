using System.Globalization;
using System.Text;
using ItDrift.Tbm.Ingest.Sie;

namespace ItDrift.Tbm.Tests.Sie;

public sealed class SieReaderTests
{
    private const string Header = """
        #FLAGGA 0
        #FORMAT PC8
        #SIETYP 4
        #PROGRAM "Test" 1.0
        #GEN 20240110
        #FNAMN "Myndigheten för test"
        #ORGNR 202100-0000
        #RAR 0 20240101 20241231
        #RAR -1 20230101 20231231
        #KONTO 1930 "Bank"
        #KONTO 5410 "Förbrukningsinventarier"
        #KONTO 6250 "Porto"
        #KONTO 2640 "Ingående moms"
        #DIM 1 "Kostnadsställe"
        #DIM 6 "Projekt"
        #OBJEKT 1 "100" "Drift"

        """;

    [Fact]
    public void Read_SplitsFieldsAndObjects_QuotedBareTabbedAndEscaped()
    {
        var (report, lines) = SieTestData.Read(Header + """
            #VER A 12 20240105 "Porto \"express\""
            {
            	#TRANS	6250	{1 "100" 6 "P 1" 2 A 7 "X"}	800.00	20240106	"Frimärken \"A\" och B"
            #TRANS 2640 {"1" "100"} 200 "" ""
            #TRANS 1930 { } -1000.00
            }

            """);

        Assert.Equal(0, report.ErrorCount);
        Assert.Equal(3, lines.Count);
        var first = lines[0];
        Assert.Equal((6250, "100", "P 1", "2=A;7=X", 80000L), (first.Account, first.CostCenter, first.Project, first.OtherDimensions, first.AmountOre));
        Assert.Equal("Frimärken \"A\" och B", first.Text);
        Assert.Equal("A 12", first.Voucher);
        Assert.Equal(new DateOnly(2024, 1, 6), first.TransactionDate);
        Assert.Equal(19, first.SourceLine);
        Assert.Equal(("100", "", "", 20000L), (lines[1].CostCenter, lines[1].Project, lines[1].OtherDimensions, lines[1].AmountOre));
        Assert.Equal("Porto \"express\"", lines[1].Text);
        Assert.Equal(new DateOnly(2024, 1, 5), lines[1].TransactionDate);
        Assert.Equal(("", -100000L), (lines[2].CostCenter, lines[2].AmountOre));
        Assert.Equal("Myndigheten för test", report.CompanyName);
        Assert.Equal("202100-0000", report.OrgNumber);
        Assert.Equal(("Test", "1.0", "4"), (report.ProgramName, report.ProgramVersion, report.SieType));
        Assert.Equal("Drift", report.Objects[(1, "100")]);
        Assert.Equal("Förbrukningsinventarier", report.Accounts[5410]);
    }

    [Fact]
    public void Read_ReportsUnbalancedVoucherAtItsLine_BrokenVoucher()
    {
        var (report, lines) = SieTestData.Read(Header + """
            #VER A 1 20240105 "Balanserar"
            {
            #TRANS 6250 {} 800.00
            #TRANS 1930 {} -800.00
            }
            #VER A 2 20240106 "Obalanserad"
            {
            #TRANS 6250 {} 800.00
            #TRANS 1930 {} -799.99
            }

            """);

        var issue = Assert.Single(report.Issues);
        Assert.Equal((SieIssueKind.UnbalancedVoucher, SieSeverity.Error, 22, "#VER", "amount"), (issue.Kind, issue.Severity, issue.Line, issue.Record, issue.Column));
        Assert.Contains("A 2", issue.Reason, StringComparison.Ordinal);
        Assert.Contains("0.01", issue.Reason, StringComparison.Ordinal);
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void Read_ReportsChecksumMismatchAtClosingLine_AlteredFile()
    {
        var body = """
            #FLAGGA 0
            #KSUMMA
            #PROGRAM "Test" 1.0
            #FORMAT PC8
            #SIETYP 1
            #FNAMN "Kassa \"special\""
            #RAR 0 20240101 20241231
            #RES 0 6250 800.00

            """;
        var crc = Crc(body.Split('\n').Skip(2));
        var (valid, _) = SieTestData.Read(body + $"#KSUMMA {crc}\n");
        var (altered, _) = SieTestData.Read(body.Replace("800.00", "900.00", StringComparison.Ordinal) + $"#KSUMMA {crc}\n");
        var (truncated, _) = SieTestData.Read(body);

        Assert.Equal(SieChecksumStatus.Valid, valid.Checksum);
        Assert.Empty(valid.Issues);
        Assert.Equal(SieChecksumStatus.Invalid, altered.Checksum);
        var issue = Assert.Single(altered.Issues);
        Assert.Equal((SieIssueKind.ChecksumMismatch, 9, "#KSUMMA"), (issue.Kind, issue.Line, issue.Record));
        Assert.Contains("lines 3–8", issue.Reason, StringComparison.Ordinal);
        Assert.Equal(SieChecksumStatus.Incomplete, truncated.Checksum);
        Assert.Equal((SieIssueKind.ChecksumStructure, 2), (truncated.Issues[0].Kind, truncated.Issues[0].Line));
    }

    /// <summary>SIE 4B 10.14 by hand: labels and values, no blanks, quotes, braces or escaping backslashes.</summary>
    private static uint Crc(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            var inQuote = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '\\' && inQuote && i + 1 < line.Length && line[i + 1] == '"')
                {
                    text.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuote = !inQuote;
                }
                else if (inQuote || c is not (' ' or '\t' or '{' or '}' or '\r'))
                {
                    text.Append(c);
                }
            }
        }

        uint crc = 0xFFFFFFFF;
        foreach (var b in Encoding.GetEncoding(437).GetBytes(text.ToString()))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    [Theory]
    [InlineData("20230501", 2024, 1)]
    [InlineData("20231231", 2024, 8)]
    [InlineData("20240101", 2024, 9)]
    [InlineData("20240430", 2024, 12)]
    public void Read_CountsPeriodsFromFirstMonth_BrokenFiscalYear(string date, int fiscalYear, int period)
    {
        var (report, lines) = SieTestData.Read($$"""
            #FLAGGA 0
            #SIETYP 4
            #RAR 0 20230501 20240430
            #VER A 1 {{date}} ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.Empty(report.Issues);
        Assert.All(lines, line => Assert.Equal((fiscalYear, period), (line.FiscalYear, line.Period)));
        Assert.Equal(2024, report.FiscalYears.Single().FiscalYear);
    }

    [Fact]
    public void Read_UsesTransactionDateBeforeVoucherDate_ForPeriod()
    {
        var (_, lines) = SieTestData.Read("""
            #FLAGGA 0
            #RAR 0 20230501 20240430
            #VER A 1 20230531 ""
            {
            #TRANS 6250 {} 1.00 20230601
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.Equal([2, 1], lines.Select(l => l.Period));
    }

    [Fact]
    public void Read_SendsEarlierYearsAsideAndRejectsOtherDates_MultiYearFile()
    {
        var other = new CollectingSink();
        var (report, lines) = SieTestData.Read(Header + """
            #VER A 1 20240105 ""
            {
            #TRANS 6250 {} 10.00
            #TRANS 1930 {} -10.00
            }
            #VER A 2 20231230 ""
            {
            #TRANS 6250 {} 20.00
            #TRANS 1930 {} -20.00
            }
            #VER A 3 20250102 ""
            {
            #TRANS 6250 {} 30.00
            #TRANS 1930 {} -30.00
            }

            """, options: new SieReaderOptions { OtherYearsSink = other });

        Assert.Equal([1000L, -1000L], lines.Select(l => l.AmountOre));
        Assert.Equal([(-1, 2023, 12, 2000L), (-1, 2023, 12, -2000L)], other.Lines.Select(l => (l.YearIndex, l.FiscalYear, l.Period, l.AmountOre)));
        Assert.Equal(2, report.Issues.Count(i => i.Kind == SieIssueKind.OutsideFiscalYears));
        Assert.Equal(29, report.Issues[0].Line);
        Assert.Equal(2, report.NotEmitted["date in no #RAR fiscal year"]);
        Assert.Equal([(0, 2024, 2L, true), (-1, 2023, 2L, true)], report.Years.Select(y => (y.YearIndex, y.FiscalYear, y.Lines, y.Sent)));
    }

    [Fact]
    public void Read_CountsAddedRowOnceAndSkipsRemovedRow_SpecExample()
    {
        // The example of SIE 4B #BTRANS: 6110 was struck and replaced by 6250.
        var (report, lines) = SieTestData.Read(Header + """
            #VER "" "" 20240101 "Porto"
            {
            #TRANS 1910 { } -1000.00
            #TRANS 2640 { } 200.00
            #BTRANS 6110 { } 800.00
            #RTRANS 6250 { } 800.00
            #TRANS 6250 { } 800.00
            }

            """);

        Assert.Equal([(1910, -100000L), (2640, 20000L), (6250, 80000L)], lines.Select(l => (l.Account, l.AmountOre)));
        Assert.DoesNotContain(report.Issues, i => i.Severity == SieSeverity.Error);
        Assert.Equal(1, report.NotEmitted["#BTRANS (a removed row, not part of the ledger)"]);
        Assert.Equal("", lines[0].Voucher);
    }

    [Fact]
    public void Read_ReportsAddedRowWithoutItsTrans_NotMirrored()
    {
        var (report, lines) = SieTestData.Read(Header + """
            #VER A 1 20240101 ""
            {
            #TRANS 1930 {} -1000.00
            #RTRANS 6250 {1 "100"} 1000.00
            #TRANS 6250 {1 "200"} 1000.00
            }

            """);

        var issue = Assert.Single(report.Issues);
        Assert.Equal((SieIssueKind.AddedRowNotMirrored, 20), (issue.Kind, issue.Line));
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void Read_NamesLineAndField_MalformedRows()
    {
        var (report, lines) = SieTestData.Read(Header + """
            #TRANS 6250 {} 1.00
            #VER A 1 20240101 ""
            {
            #TRANS 6250 {} 1.005
            #TRANS 6250 {} 1,50
            #TRANS 6250 {} 2.00 20240231
            #TRANS FEL {} 3.00
            #TRANS 9999 {1} 4.00
            #TRANS 1930 {} -11.50
            }

            """);

        var issues = report.Issues.Select(i => (i.Line, i.Record, i.Column, i.Kind)).ToList();
        Assert.Contains((17, "#TRANS", "", SieIssueKind.TransactionOutsideVoucher), issues);
        Assert.Contains((20, "#TRANS", "amount", SieIssueKind.TooManyDecimals), issues);
        Assert.Contains((21, "#TRANS", "amount", SieIssueKind.MalformedField), issues);
        Assert.Contains((22, "#TRANS", "transdate", SieIssueKind.MalformedField), issues);
        Assert.Contains((23, "#TRANS", "account", SieIssueKind.MalformedField), issues);
        Assert.Contains((24, "#TRANS", "objects", SieIssueKind.MalformedField), issues);
        Assert.Contains("'1.005' has more than two decimals", report.Issues.Single(i => i.Kind == SieIssueKind.TooManyDecimals).Reason, StringComparison.Ordinal);
        Assert.Equal([-1150L], lines.Select(l => l.AmountOre));
        Assert.Equal(5, report.NotEmitted["#TRANS with a malformed field"]);
    }

    [Fact]
    public void Read_ReportsUndeclaredAccountOnce_FirstUse()
    {
        var (report, _) = SieTestData.Read(Header + """
            #VER A 1 20240101 ""
            {
            #TRANS 4010 {} 5.00
            #TRANS 1930 {} -5.00
            }
            #VER A 2 20240102 ""
            {
            #TRANS 4010 {} 5.00
            #TRANS 1930 {} -5.00
            }

            """);

        var issue = Assert.Single(report.Issues);
        Assert.Equal((SieIssueKind.UndeclaredAccount, 19, SieSeverity.Warning), (issue.Kind, issue.Line, issue.Severity));
    }

    [Theory]
    [InlineData(437)]
    [InlineData(1252)]
    [InlineData(65001)]
    public void Read_DecodesSwedishLetters_EveryEncoding(int codePage)
    {
        var format = codePage == 437 ? "#FORMAT PC8\n" : "";
        var (report, lines) = SieTestData.Read($"#FLAGGA 0\n{format}#FNAMN \"Åre Älvdalens Östra\"\n#RAR 0 20240101 20241231\n#VER A 1 20240101 \"Räksmörgås ÅÄÖ åäö é ü\"\n{{\n#TRANS 6250 {{1 \"Bräcke\"}} 1.00\n#TRANS 1930 {{}} -1.00\n}}\n", Encoding.GetEncoding(codePage));

        Assert.Equal("Åre Älvdalens Östra", report.CompanyName);
        Assert.Equal("Räksmörgås ÅÄÖ åäö é ü", lines[0].Text);
        Assert.Equal("Bräcke", lines[0].CostCenter);
        Assert.Equal(codePage switch { 437 => "ibm437", 1252 => "windows-1252", _ => "utf-8" }, report.EncodingName);
        Assert.DoesNotContain(report.Issues, i => i.Kind == SieIssueKind.EncodingMismatch);
    }

    [Fact]
    public void Read_ReadsWindows1252_FileMisdeclaredAsPc8()
    {
        var (report, lines) = SieTestData.Read("#FLAGGA 0\n#FORMAT PC8\n#FNAMN \"Övningsbolaget\"\n#RAR 0 20240101 20241231\n#VER A 1 20240101 \"Lön för mars\"\n{\n#TRANS 7010 {} 1.00\n#TRANS 1930 {} -1.00\n}\n", Encoding.GetEncoding(1252));

        Assert.Equal("windows-1252", report.EncodingName);
        Assert.Equal("Lön för mars", lines[0].Text);
        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.EncodingMismatch && i.Severity == SieSeverity.Warning);
    }

    [Fact]
    public void Read_SplitsTotalByCostCentreWithRest_SpecStylePeriodBalances()
    {
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #SIETYP 3
            #RAR 0 20240101 20241231
            #DIM 1 "Avdelning"
            #DIM 6 "Projekt"
            #PSALDO 0 202401 5410 {} 1000.00
            #PSALDO 0 202401 5410 {1 "A"} 600.00
            #PSALDO 0 202401 5410 {1 "B"} 300.00
            #PSALDO 0 202401 5410 {6 "P"} 1000.00
            #PSALDO 0 202402 5410 {} 50.00
            #PBUDGET 0 202401 5410 {} 900.00
            #PBUDGET 0 202401 5410 {1 "A"} 900.00
            #PBUDGET 0 202403 5410 {1 "A"} 100.00
            #PBUDGET 0 202403 5410 {1 "B"} 50.00
            #PBUDGET 0 202403 5410 {6 "P"} 140.00
            #RES 0 5410 1050.00

            """);

        Assert.Equal(SieLedgerBasis.PeriodBalances, report.Basis);
        Assert.Equal("totals", report.PeriodBalanceReading);
        var issue = Assert.Single(report.Issues);
        Assert.Equal((SieIssueKind.BalanceMismatch, 13), (issue.Kind, issue.Line));
        Assert.Contains("dimension 1 sum to 150.00 but those of dimension 6 to 140.00", issue.Reason, StringComparison.Ordinal);
        var actual = lines.Where(l => l.Scenario == "actual").Select(l => (l.Period, l.CostCenter, l.Project, l.AmountOre)).ToList();
        Assert.Equal([(1, "A", "", 60000L), (1, "B", "", 30000L), (1, "", "", 10000L), (2, "", "", 5000L)], actual);
        Assert.Equal([(1, "A", 90000L), (3, "A", 10000L), (3, "B", 5000L)], lines.Where(l => l.Scenario == "budget").Select(l => (l.Period, l.CostCenter, l.AmountOre)));
        Assert.Equal(1, report.NotEmitted["#PSALDO breakdown by a dimension other than 1 (its account total is used)"]);
        Assert.Equal(1, report.NotEmitted["#PBUDGET breakdown by a dimension other than 1 (its account total is used)"]);
    }

    [Fact]
    public void Read_EmitsEveryRow_PartitionStylePeriodBalances()
    {
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #SIETYP 3
            #RAR 0 20240101 20241231
            #PSALDO 0 202401 3051 {"7" "1"} -100.00
            #PSALDO 0 202401 3051 {"1" "Nord" "7" "1"} -200.00
            #PSALDO 0 202401 3051 {"1" "Nord" "6" "P"} -50.00
            #PSALDO 0 202401 3051 {} -5.00
            #RES 0 3051 -355.00

            """);

        Assert.Equal("partition", report.PeriodBalanceReading);
        Assert.Empty(report.Issues);
        Assert.Equal([("", "", "7=1", -10000L), ("Nord", "", "7=1", -20000L), ("Nord", "P", "", -5000L), ("", "", "", -500L)],
            lines.Select(l => (l.CostCenter, l.Project, l.OtherDimensions, l.AmountOre)));
    }

    [Fact]
    public void Read_WarnsWhenPeriodsDisagreeWithYearTotal_BalanceFile()
    {
        var (report, _) = SieTestData.Read("""
            #FLAGGA 0
            #SIETYP 2
            #RAR 0 20240101 20241231
            #PSALDO 0 202401 5410 {} 100.00
            #RES 0 5410 150.00

            """);

        var issue = Assert.Single(report.Issues);
        Assert.Equal((SieIssueKind.BalanceMismatch, 5), (issue.Kind, issue.Line));
    }

    [Fact]
    public void Read_PutsYearTotalInLastPeriod_ShortFiscalYear()
    {
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #SIETYP 1
            #RAR 0 20240601 20241231
            #RAR -1 20230601 20240531
            #RES 0 5410 150.00
            #RES -1 5410 99.00

            """);

        Assert.True(report.YearLevel);
        Assert.Equal([(2024, 7, 15000L)], lines.Select(l => (l.FiscalYear, l.Period, l.AmountOre)));
        Assert.Contains(report.Years, y => (y.YearIndex, y.FiscalYear, y.Lines, y.Sent) == (-1, 2024, 1, false));
    }

    [Fact]
    public void Read_PlacesMonths13To18_ExtendedFiscalYear()
    {
        // An extended first fiscal year of 18 months, July 2023 – December 2024: June 2024 is its twelfth month,
        // July 2024 its thirteenth and December 2024 its eighteenth.
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #RAR 0 20230701 20241231
            #VER A 1 20240630 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }
            #VER A 2 20240701 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }
            #VER A 3 20241231 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.Equal([(2024, 12), (2024, 12), (2024, 13), (2024, 13), (2024, 18), (2024, 18)], lines.Select(l => (l.FiscalYear, l.Period)));
        Assert.DoesNotContain(report.Issues, i => i.Kind == SieIssueKind.PeriodOutOfRange);
    }

    [Fact]
    public void Read_RejectsMonthsBeyondEighteen_FiscalYearLongerThanTheLawAllows()
    {
        // A #RAR of 24 months cannot be a fiscal year; its months 19–24 have no ledger period.
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #RAR 0 20230101 20241231
            #VER A 1 20240630 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }
            #VER A 2 20240701 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.Equal([18, 18], lines.Select(l => l.Period));
        Assert.Equal(2, report.Issues.Count(i => i.Kind == SieIssueKind.PeriodOutOfRange && i.Line is 10 or 11));
        Assert.Contains("after the eighteenth month", report.Issues.First(i => i.Kind == SieIssueKind.PeriodOutOfRange).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AssumesCalendarYears_NoFiscalYear()
    {
        var (report, lines) = SieTestData.Read("""
            #FLAGGA 0
            #SIETYP 4
            #RAR 0
            #VER "" "" 20240315 ""
            {
            #TRANS 6250 {} 1.00
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.True(report.CalendarYearAssumed);
        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.MalformedField && i.Line == 3 && i.Column == "start");
        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.MissingFiscalYear);
        Assert.All(lines, l => Assert.Equal((2024, 3), (l.FiscalYear, l.Period)));
    }

    [Fact]
    public void Read_CountsLabelsAndSkipsUnknown_ExtensionRecords()
    {
        var (report, lines) = SieTestData.Read(Header + """
            #SRU 6250 7513
            #XYZ "something new" 1 2
            #XYZ again
            #VER A 1 20240101 "" 20240102 "sign" "extra field"
            {
            #TRANS 6250 {} 1.00 20240101 "t" 3 "sign" "future field"
            #TRANS 1930 {} -1.00
            }

            """);

        Assert.Equal(2, report.UnknownLabels["#XYZ"]);
        Assert.Equal(2, report.RecordCounts["#XYZ"]);
        Assert.Equal(1, report.RecordCounts["#SRU"]);
        Assert.Equal(2, report.RecordCounts["#TRANS"]);
        Assert.False(report.UnknownLabels.ContainsKey("#SRU"));
        Assert.Equal(2, lines.Count);
        Assert.Empty(report.Issues);
    }

    [Fact]
    public void Read_ReportsTruncation_VoucherNotClosed()
    {
        var (report, lines) = SieTestData.Read(Header + "#VER A 1 20240101 \"\"\n{\n#TRANS 6250 {} 1.00\n");

        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.VoucherStructure && i.Line == 17 && i.Reason.Contains("file ends inside it", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.Kind == SieIssueKind.UnbalancedVoucher);
        Assert.Single(lines);
    }

    [Fact]
    public void Read_ParsesWithoutCulture_UnderSwedishAndGermanCultures()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            foreach (var name in new[] { "sv-SE", "de-DE" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(name);
                var (report, lines) = SieTestData.Read(Header + "#VER A 1 20240101 \"\"\n{\n#TRANS 6250 {} 1234.56\n#TRANS 1930 {} -1234.56\n}\n");
                Assert.Equal([123456L, -123456L], lines.Select(l => l.AmountOre));
                Assert.Empty(report.Issues);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Read_HandlesCrLfBomAndLongLines_OddLayout()
    {
        var text = "#FLAGGA 0\r\n#RAR 0 20240101 20241231\r\n#VER A 1 20240101 \"" + new string('x', 200_000) + "\"\r\n{\r\n#TRANS 6250 {} 1.00\r\n#TRANS 1930 {} -1.00\r\n}";
        var (report, lines) = SieTestData.Read(text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var bom = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var sink = new CollectingSink();
        var withBom = SieReader.Read(new MemoryStream(bom), sink);

        Assert.Empty(report.Issues);
        Assert.Equal(200_000, lines[0].Text.Length);
        Assert.Equal("utf-8", withBom.EncodingName);
        Assert.Empty(withBom.Issues);
        Assert.Equal(2, sink.Lines.Count);
    }
}
