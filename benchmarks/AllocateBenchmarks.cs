using BenchmarkDotNet.Attributes;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// Map + allocate + fees (docs/model-format.md §3, the whole of <c>Allocator</c>, <c>FeeTables</c> and <c>FeeModels</c>)
/// with the model already in DuckDB, against the floor: DuckDB summing the same ledger per account and
/// cost centre, the least any engine must do. Ratio = engine ÷ floor (target: at most 3 at every scale).
/// </summary>
[Config(typeof(BenchConfig))]
public class AllocateBenchmarks
{
    private AllocationFixture? _fixture;

    [ParamsSource(nameof(Scales))]
    public int Scale { get; set; }

    public static IEnumerable<int> Scales => BenchData.Scales;

    [GlobalSetup]
    public void Setup() => _fixture = new AllocationFixture(BenchData.Package(Scale));

    [GlobalCleanup]
    public void Cleanup() => _fixture?.Dispose();

    [IterationSetup]
    public void Reset() => _fixture!.Reset();

    [Benchmark(Baseline = true, Description = "floor: SELECT account, cost_center, sum(amount) … GROUP BY ALL")]
    public long Floor() => _fixture!.Floor();

    [Benchmark(Description = "engine: map + allocate + fees")]
    public void MapAllocateFees() => _fixture!.Harness.MapAllocateFees();
}
