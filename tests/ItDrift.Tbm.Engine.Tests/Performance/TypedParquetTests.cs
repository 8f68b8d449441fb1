using System.Text;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Tests.Performance;

/// <summary>
/// The typed fast path for a Parquet ledger (engine/Ingest/TypedParquet) gives exactly what the ordinary
/// way gives for the same ledger as CSV: the same run folder, byte for byte, and the same errors.
/// </summary>
public sealed class TypedParquetTests : IDisposable
{
    private const string Typed = "{'fiscal_year': 'SMALLINT', 'period': 'TINYINT', 'scenario': 'VARCHAR', 'account': 'INTEGER', 'cost_center': 'VARCHAR', 'project': 'VARCHAR', 'amount': 'DECIMAL(18,4)', 'voucher': 'VARCHAR', 'text': 'VARCHAR'}";

    private readonly PerformanceFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_GivesTheSameRunFolder_FromGeneratedParquetAndCsv()
    {
        var csv = _folder.Package("csv", 60_000, LedgerFormat.Csv);
        var parquet = _folder.Package("parquet", 60_000, LedgerFormat.Parquet);

        var expected = Run(csv);
        var actual = Run(parquet);

        Assert.True(expected.Count > 20);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs");
        }
    }

    [Fact]
    public void Run_GivesTheSameRunFolder_WhenTextNeedsTrimmingAndAmountsHaveFourDecimals()
    {
        var csv = _folder.Package("csv", 30_000, LedgerFormat.Csv);
        Rewrite(csv, (line, n) => n % 7 != 0 ? line : line
            .Replace(",actual,", ",Actual,", StringComparison.Ordinal)
            .Replace(",budget,", ", BUDGET ,", StringComparison.Ordinal)
            .Replace(",KS-", ",  KS-", StringComparison.Ordinal));
        var parquet = _folder.Combine("parquet");
        CopyPackage(csv, parquet);
        PerformanceFolder.ToParquet(parquet, Typed);

        var expected = Run(csv);
        var actual = Run(parquet);

        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs");
        }
    }

    [Fact]
    public void Run_GivesTheSameRunFolder_WhenOptionalColumnsAreAbsent()
    {
        var csv = _folder.Package("csv", 30_000, LedgerFormat.Csv);
        Rewrite(csv, (line, _) =>
        {
            var f = line.Split(',', 8);
            return string.Join(',', f[0], f[1], f[3], f[4], f[6]);
        });
        var path = Path.Combine(csv, "ledger.csv");
        var lines = File.ReadAllLines(path);
        lines[0] = "fiscal_year,period,account,cost_center,amount";
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        var parquet = _folder.Combine("parquet");
        CopyPackage(csv, parquet);
        PerformanceFolder.ToParquet(parquet, "{'fiscal_year': 'INTEGER', 'period': 'INTEGER', 'account': 'BIGINT', 'cost_center': 'VARCHAR', 'amount': 'DECIMAL(18,2)'}");

        var expected = Run(csv);
        var actual = Run(parquet);

        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (file, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs");
        }
    }

    [Fact]
    public void Run_ReportsTheSameErrors_FromTypedParquetAndCsv()
    {
        var csv = _folder.Package("csv", 30_000, LedgerFormat.Csv);
        Rewrite(csv, (line, n) => n switch
        {
            10 => Replace(line, 0, "1800"),          // not a year
            20 => Replace(line, 1, "13"),            // not a period
            30 => Replace(line, 6, ""),              // a required amount missing
            40 => Replace(line, 6, "1.2345"),        // more than two decimals
            50 => Replace(line, 2, "actuals"),       // not a scenario
            60 => Replace(line, 3, "1000000000"),    // more than nine digits
            70 => Replace(line, 0, ""),              // a required year missing
            _ => line,
        });
        var parquet = _folder.Combine("parquet");
        CopyPackage(csv, parquet);
        PerformanceFolder.ToParquet(parquet, Typed);

        var expected = Errors(csv).Replace("ledger.csv", "LEDGER", StringComparison.Ordinal);
        var actual = Errors(parquet).Replace("ledger.parquet", "LEDGER", StringComparison.Ordinal);

        Assert.Contains("'1800' is not a year", expected, StringComparison.Ordinal);
        Assert.Contains("has more than two decimals", expected, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    private SortedDictionary<string, byte[]> Run(string package)
    {
        var output = _folder.Combine("run-" + Path.GetFileName(package));
        var result = TbmEngine.Run(new RunOptions(package, output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return PerformanceFolder.Outputs(output);
    }

    private string Errors(string package)
    {
        var output = _folder.Combine("run-" + Path.GetFileName(package));
        var result = TbmEngine.Run(new RunOptions(package, output));
        Assert.False(result.Succeeded);
        return File.ReadAllText(Path.Combine(output, "errors.csv"));
    }

    /// <summary>Rewrites data lines (numbered from 1 after the header) of a package's <c>ledger.csv</c>.</summary>
    private static void Rewrite(string package, Func<string, int, string> change)
    {
        var path = Path.Combine(package, "ledger.csv");
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        for (var i = 1; i < lines.Length; i++)
        {
            lines[i] = change(lines[i], i);
        }

        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
    }

    /// <summary>Replaces field <paramref name="index"/> of a line whose first seven fields are unquoted.</summary>
    private static string Replace(string line, int index, string value)
    {
        var fields = line.Split(',', 8);
        fields[index] = value;
        return string.Join(',', fields);
    }

    private static void CopyPackage(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
