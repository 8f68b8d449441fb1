using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The packages the benchmarks read, generated once per scale, seed and format and kept between runs
/// (scale 50 takes a few minutes to write). The folder is <c>TBM_BENCH_DATA</c>, else <c>benchmarks/.data</c>.
/// </summary>
internal static class BenchData
{
    public const int Seed = 2026;

    /// <summary>The scales of the scaled benchmarks: <c>TBM_BENCH_SCALES</c> (e.g. <c>1,10</c>), else 1, 10 and 50.</summary>
    public static IReadOnlyList<int> Scales { get; } = Environment.GetEnvironmentVariable("TBM_BENCH_SCALES") is { Length: > 0 } scales
        ? [.. scales.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
        : [1, 10, 50];

    public static string Root { get; } = Path.GetFullPath(Environment.GetEnvironmentVariable("TBM_BENCH_DATA") is { Length: > 0 } root
        ? root
        : Path.Combine(RepositoryRoot(), "benchmarks", ".data"));

    /// <summary>A scale package (<c>tbm generate --scale</c>) with its ledger in <paramref name="format"/>.</summary>
    public static string Package(int scale, LedgerFormat format = LedgerFormat.Parquet) =>
        Generate($"scale{scale}-{Name(format)}", DemoModelOptions.ForScale(scale, Seed, format));

    /// <summary>A package of <paramref name="lines"/> ledger lines with scale 1's cardinalities (for the smoke run).</summary>
    public static string Small(int lines, LedgerFormat format) =>
        Generate(string.Create(CultureInfo.InvariantCulture, $"small{lines}-{Name(format)}"), new DemoModelOptions(Seed, lines) { Scale = 1, LedgerFormat = format });

    /// <summary>
    /// The package's model loaded, typed and checked, with the ledger stored in a DuckDB database file
    /// (compressed, as DuckDB keeps a table): the input of the "already in DuckDB" benchmarks.
    /// </summary>
    public static string LedgerDatabase(string package)
    {
        var file = Path.Combine(Root, Path.GetFileName(package) + "-ledger.duckdb");
        if (File.Exists(file))
        {
            return file;
        }

        var temporary = file + ".tmp";
        File.Delete(temporary);
        using (var connection = EngineHarness.Load(package, EngineSettings.Default))
        {
            connection.Connection.Execute($"ATTACH {Literal(temporary)} AS input");
            connection.Connection.Execute("CREATE TABLE input.ledger AS SELECT * FROM ledger");
            connection.Connection.Execute("DETACH input");
        }

        File.Move(temporary, file);
        return file;
    }

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static void Execute(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() switch
        {
            System.Numerics.BigInteger big => (long)big,
            decimal d => (long)d,
            var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The repository's root: the folder with <c>ItDrift.Tbm.sln</c> above the running program.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ItDrift.Tbm.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string Name(LedgerFormat format) => format switch
    {
        LedgerFormat.Csv => "csv",
        LedgerFormat.SwedishCsv => "swedish",
        _ => "parquet",
    };

    public static string Generate(string name, DemoModelOptions options)
    {
        var folder = Path.Combine(Root, name);
        var marker = Path.Combine(folder, ".complete");
        if (File.Exists(marker))
        {
            return folder;
        }

        Console.Error.WriteLine($"// generating {folder} (once; kept for later runs)");
        DemoModelGenerator.Write(folder, options);
        File.WriteAllText(marker, "");
        return folder;
    }
}
