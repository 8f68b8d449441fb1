using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A whole run of the demo package (files → run folder) against the floor: DuckDB reading the same
/// ledger file and grouping it by account and cost centre, the least work any engine must do.
/// </summary>
[MemoryDiagnoser]
public class RunBenchmarks
{
    private string _folder = "";

    [Params(200_000)]
    public int LedgerLines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tbm-bench-" + LedgerLines.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!File.Exists(Path.Combine(_folder, "model", "ledger.csv")))
        {
            DemoModelGenerator.Write(Path.Combine(_folder, "model"), new DemoModelOptions(LedgerLines: LedgerLines));
        }
    }

    [Benchmark(Baseline = true, Description = "floor: DuckDB read_csv + GROUP BY")]
    public long Floor()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var ledger = Path.Combine(_folder, "model", "ledger.csv").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"SELECT count(*) FROM (SELECT account, cost_center, sum(amount) FROM read_csv('{ledger}') GROUP BY ALL)";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Benchmark(Description = "engine: files → run folder")]
    public bool EndToEnd()
    {
        var output = Path.Combine(_folder, "run");
        return TbmEngine.Run(new RunOptions(Path.Combine(_folder, "model"), output)).Succeeded;
    }
}
