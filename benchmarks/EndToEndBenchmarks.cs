using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A whole run from the package's files to a published run (read, check, map, allocate, fees, write the
/// run folder, publish it into a runs store), against the floor: DuckDB reading the same ledger file and
/// summing it per account and cost centre. The ledger is <c>ledger.parquet</c>, as a national-scale
/// package would give it (target at scale 50: under 60 s, peak memory under 6 GB; memory is measured by
/// <c>run.sh scale</c>, which runs each in a process of its own).
/// </summary>
[Config(typeof(BenchConfig))]
public class EndToEndBenchmarks
{
    private string _package = "";
    private string _store = "";

    [ParamsSource(nameof(Scales))]
    public int Scale { get; set; }

    public static IEnumerable<int> Scales => BenchData.Scales;

    [GlobalSetup]
    public void Setup()
    {
        _package = BenchData.Package(Scale);
        _store = Path.Combine(Path.GetTempPath(), $"tbm-bench-runs-{Environment.ProcessId}");
    }

    [IterationSetup]
    public void Reset()
    {
        if (Directory.Exists(_store))
        {
            Directory.Delete(_store, recursive: true);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Reset();

    [Benchmark(Baseline = true, Description = "floor: read_parquet + GROUP BY account, cost_center")]
    public long Floor()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection.Scalar($"SELECT CAST(sum(s) AS BIGINT) FROM (SELECT account, cost_center, sum(amount) AS s FROM read_parquet({BenchData.Literal(Path.Combine(_package, "ledger.parquet"))}) GROUP BY ALL)");
    }

    [Benchmark(Description = "engine: files → published run")]
    public string Published() => Publish(_package, _store);

    /// <summary>What <c>tbm run --publish</c> does.</summary>
    public static string Publish(string package, string storeRoot, EngineSettings? settings = null)
    {
        var store = new RunStore(storeRoot);
        var work = store.NewWorkFolder();
        var result = TbmEngine.Run(new RunOptions(package, work) { Settings = settings ?? EngineSettings.Default });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("the benchmark package has model errors: " + string.Join("; ", result.Errors.Take(5)));
        }

        return store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears).Run.Directory;
    }
}
