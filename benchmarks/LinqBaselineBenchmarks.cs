using System.Reflection;
using BenchmarkDotNet.Attributes;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Tests.Reference;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The naive baseline at scale 1 (one million lines): <c>ReferenceEngine</c>, a plain row-object LINQ
/// implementation of the same arithmetic written from the spec for the tests (linked from
/// <c>tests/ItDrift.Tbm.Engine.Tests/Reference</c>), against the engine, twice: the whole run from the same
/// canonical CSV package, and the allocation alone from tables already in memory. Ratio = engine ÷ LINQ
/// (target: LINQ ÷ engine ≥ 20).
/// </summary>
[Config(typeof(BenchConfig))]
public class LinqBaselineBenchmarks
{
    private static readonly Type Reference = typeof(ReferenceEngine);
    private static readonly MethodInfo LoadModel = Reference.GetMethod("Load", BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo Compute = Reference.GetMethod("Compute", BindingFlags.NonPublic | BindingFlags.Static)!;

    private string _csv = "";
    private string _runs = "";
    private object? _model;
    private AllocationFixture? _fixture;

    [GlobalSetup]
    public void Setup()
    {
        _csv = BenchData.Package(1, LedgerFormat.Csv);
        _runs = Path.Combine(Path.GetTempPath(), $"tbm-bench-linq-{Environment.ProcessId}");
        _model = LoadModel.Invoke(null, [_csv]);
        _fixture = new AllocationFixture(BenchData.Package(1));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture?.Dispose();
        _fixture = null;
        Reset();
    }

    [IterationSetup]
    public void Reset()
    {
        _fixture?.Reset();
        if (Directory.Exists(_runs))
        {
            Directory.Delete(_runs, recursive: true);
        }
    }

    [Benchmark(Baseline = true, Description = "LINQ: CSV files → results")]
    [LedgerLines(1_000_000)]
    public int LinqWhole() => ReferenceEngine.Run(_csv).Count;

    [Benchmark(Description = "engine: CSV files → published run")]
    [LedgerLines(1_000_000)]
    public string EngineWhole() => EndToEndBenchmarks.Publish(_csv, _runs);

    [Benchmark(Description = "LINQ: allocation of rows in memory")]
    [LedgerLines(1_000_000)]
    public object LinqAllocation() => Compute.Invoke(null, [_model])!;

    [Benchmark(Description = "engine: map + allocate + fees in DuckDB")]
    [LedgerLines(1_000_000)]
    public void EngineAllocation() => _fixture!.Harness.MapAllocateFees();
}
