using DuckDB.NET.Data;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Tests.Performance;

/// <summary>A temporary folder for one test, with the generated packages and run folders the tests compare.</summary>
internal sealed class PerformanceFolder : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tbm-perf-" + Guid.NewGuid().ToString("N")[..8]);

    public string Combine(string name) => Path.Combine(Root, name);

    /// <summary>A package with scale 1's cardinalities and <paramref name="lines"/> ledger lines.</summary>
    public string Package(string name, int lines, LedgerFormat format, int seed = 7) =>
        DemoModelGenerator.Write(Combine(name), new DemoModelOptions(seed, lines) { Scale = 1, LedgerFormat = format }).Directory;

    /// <summary>Replaces a CSV package's <c>ledger.csv</c> with <c>ledger.parquet</c> written by DuckDB from it, with the given column types.</summary>
    public static void ToParquet(string package, string columns)
    {
        var csv = Path.Combine(package, "ledger.csv");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SET threads = 1;
                COPY (SELECT * FROM read_csv('{csv}', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {columns}))
                TO '{Path.Combine(package, "ledger.parquet")}' (FORMAT parquet)
                """;
            command.ExecuteNonQuery();
        }

        File.Delete(csv);
    }

    /// <summary>Every file of a run folder but <c>run.json</c> (which names the inputs), by relative path.</summary>
    public static SortedDictionary<string, byte[]> Outputs(string runFolder) => new(
        Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "run.json")
            .ToDictionary(f => Path.GetRelativePath(runFolder, f), File.ReadAllBytes),
        StringComparer.Ordinal);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
