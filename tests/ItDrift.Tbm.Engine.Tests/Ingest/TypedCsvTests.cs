using System.Text;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>
/// A CSV ledger read typed (<see cref="TypedCsv"/>) gives the same typed ledger as the ordinary way (every
/// cell as text, typed and checked by <see cref="CellRules"/>), and a file with anything the fast path does
/// not accept is read the ordinary way, with the same errors.
/// </summary>
public sealed class TypedCsvTests : IDisposable
{
    private const string Header = "fiscal_year,period,scenario,account,cost_center,project,amount,voucher,text";
    private const string SwedishHeader = "fiscal_year;period;scenario;account;cost_center;project;amount;voucher;text";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> CleanFiles => new()
    {
        { "plain", Header + "\n2024,1,actual,401121,KS-4010-01,,2064.84,LON2401-000001,Lön\n2025,12,BUDGET,-5,,P-1,-0.5,,\n" },
        { "signs and zeros", Header + "\r\n2024,01,Forecast,+12,a,b,+7,v,t\r\n2024,9,,000000001,,,-0.50000,,\r\n2999,12,actual,-999999999,x,,999999999999999.99,,\r\n1900,1,actual,0,,,-0,,\r\n" },
        { "quotes", Header + "\n2024,1,actual,1,\"K,S\",,\"1.5\",\"a \"\"b\"\"\",\"two\nlines\"\n\n  ,,,,,,,,\n2024,2,actual,2, KS ,,  3 ,,\" spaced \"\n2024,3,actual,3,K\"S\",,1,\"\",\"last\"\n" },
        { "bom and blank lines", "\uFEFF\n\n" + Header + "\n\n2024,3,actual,7,c,p,10,,\n   \n2024,4,actual,8,c,p,10.1,,\n" },
        { "no rows", Header + "\n" },
        { "missing optional columns", "fiscal_year,period,account,amount\n2024,5,3,1.25\n" },
        { "swedish", SwedishHeader + "\n2024;1;actual;1;KS;;1 234,50;v;Lön, januari\n2024;2;actual;2;KS;;(12,5);;\n2024;3;actual;3;KS;;\u22127;;\n2024;4;actual;4;KS;;-1\u00A0000\u00A0000;;\n2024;5;actual;5;KS;;+3,1;;\n;;;;;;;;\n" },
        { "cr line ends", Header + "\r2024,1,actual,1,,,1,,\r2024,2,actual,2,,,2,,\r" },
    };

    public static TheoryData<string, string> DirtyFiles => new()
    {
        { "bad amount", Header + "\n2024,1,actual,1,,,1.234,,\n2024,2,actual,2,,,abc,,\n" },
        { "bad year", Header + "\n24,1,actual,1,,,1,,\n" },
        { "bad period", Header + "\n2024,19,actual,1,,,1,,\n" },
        { "bad scenario", Header + "\n2024,1,actuals,1,,,1,,\n" },
        { "missing amount", Header + "\n2024,1,actual,1,,,,,\n" },
        { "field count", Header + "\n2024,1,actual,1,,,1,\n" },
        { "unclosed quote", Header + "\n2024,1,actual,1,,,1,,\"open\n" },
        { "big account", Header + "\n2024,1,actual,1234567890,,,1,,\n" },
        { "swedish point", SwedishHeader + "\n2024;1;actual;1;;;1.5;;\n" },
        { "swedish groups", SwedishHeader + "\n2024;1;actual;1;;;12 34;;\n" },
        { "swedish sign and parentheses", SwedishHeader + "\n2024;1;actual;1;;;(-5);;\n" },
        { "non-ascii digits", Header + "\n2024,1,actual,\u0661,,,1,,\n" },
    };

    [Theory]
    [MemberData(nameof(CleanFiles))]
    public void Load_GivesTheOrdinaryLedger_WhenTheFileIsClean(string name, string content)
    {
        var file = Write(name, content, Encoding.UTF8);
        var (typed, typedErrors, viewCount) = Read(file, sole: true);
        var (ordinary, ordinaryErrors, _) = Read(file, sole: false);
        Assert.Equal(1, viewCount);
        Assert.Empty(typedErrors);
        Assert.Empty(ordinaryErrors);
        Assert.Equal(ordinary, typed);
    }

    [Theory]
    [MemberData(nameof(DirtyFiles))]
    public void Load_ReadsTheOrdinaryWay_WhenACellDoesNotPass(string name, string content)
    {
        var file = Write(name, content, Encoding.UTF8);
        var (typed, typedErrors, viewCount) = Read(file, sole: true);
        var (ordinary, ordinaryErrors, _) = Read(file, sole: false);
        Assert.Equal(0, viewCount);
        Assert.NotEmpty(ordinaryErrors);
        Assert.Equal(ordinaryErrors, typedErrors);
        Assert.Equal(ordinary, typed);
    }

    [Fact]
    public void Load_GivesTheOrdinaryLedger_FromWindows1252()
    {
        var file = Write("cp1252", Header + "\n2024,1,actual,1,Kö,,1,,Lön – €\n", Encoding.GetEncoding(1252));
        var (typed, _, viewCount) = Read(file, sole: true);
        var (ordinary, _, _) = Read(file, sole: false);
        Assert.Equal(1, viewCount);
        Assert.Equal(ordinary, typed);
        Assert.Contains("Lön – €", typed[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsTheOrdinaryWay_WhenUtf8BreaksOffMidFile()
    {
        var head = Encoding.UTF8.GetBytes(Header + "\n" + string.Concat(Enumerable.Repeat("2024,1,actual,1,Kö,,1,,Lön\n", 4000)));
        var file = _temp.Combine("mixed.csv");
        File.WriteAllBytes(file, [.. head, .. Encoding.GetEncoding(1252).GetBytes("2024,1,actual,1,Kö,,1,,\n")]);
        var (typed, typedErrors, viewCount) = Read(file, sole: true);
        var (ordinary, ordinaryErrors, _) = Read(file, sole: false);
        Assert.Equal(0, viewCount);
        Assert.Single(ordinaryErrors);
        Assert.Equal(ordinaryErrors, typedErrors);
        Assert.Equal(ordinary, typed);
    }

    private string Write(string name, string content, Encoding encoding)
    {
        var file = _temp.Combine(name.Replace(' ', '-') + "-ledger.csv");
        File.WriteAllBytes(file, encoding.GetBytes(content));
        return file;
    }

    /// <summary>The typed ledger as text rows, the errors, and how many typed views the read left.</summary>
    private static (List<string> Rows, List<string> Errors, int Views) Read(string file, bool sole)
    {
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        var errors = new ErrorLog(connection);
        var warnings = new List<ModelWarning>();
        var stage = Staging.TableName(Tables.Ledger);
        connection.Execute("CREATE TABLE sources (src SMALLINT, file VARCHAR)");
        connection.Execute("INSERT INTO sources VALUES (1, 'ledger.csv')");
        connection.Execute($"CREATE TABLE {stage} (src SMALLINT, line INTEGER, {string.Join(", ", Tables.Ledger.Columns.Select(c => $"{Duck.Ident(c.Name)} VARCHAR"))})");
        CsvTableReader.Load(connection, new TableSource(Tables.Ledger, file, "ledger.csv", SourceFormat.Csv), 1, stage, errors, warnings, sole);
        var views = connection.Query("SELECT view_name FROM duckdb_views() WHERE NOT internal AND starts_with(view_name, ?)", r => r.GetString(0), TypedParquet.ViewPrefix(Tables.Ledger)).Count;
        CellRules.Type(connection, Tables.Ledger, errors);
        var rows = connection.Query(
            "SELECT CAST(row(src, line, fiscal_year, period, scenario, account, cost_center, project, amount, voucher, text) AS VARCHAR) || ' ' || typeof(src) || typeof(line) || typeof(fiscal_year) || typeof(period) || typeof(scenario) || typeof(account) || typeof(amount) FROM ledger ORDER BY line",
            r => r.GetString(0));
        var reported = errors.First(100).Select(e => e.ToString()).ToList();
        return (rows, reported, views);
    }
}
