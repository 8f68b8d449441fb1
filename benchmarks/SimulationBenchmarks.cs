using System.Text;
using BenchmarkDotNet.Attributes;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A simulation at national size (issue 17: "in under a second"): a published scale-50 run (50 M ledger lines,
/// 58 services, 300 tenants, three years), simulated as the read API does it (<see cref="Simulation.Lines"/>: the
/// ledger is not read again, only the simulated year's basis scenario is allocated again, and the bridge is made
/// against the run). One typical change of each kind, and none (the floor: loading the run, one allocation, the bridge).
/// </summary>
/// <remarks>
/// The run is published once into <c>TBM_BENCH_RUNS</c> (default <c>simulation-store</c> under <c>TBM_BENCH_DATA</c>),
/// so the package folder itself may be read-only.
/// </remarks>
[Config(typeof(BenchConfig))]
public class SimulationBenchmarks
{
    private RunFolder _run = null!;

    /// <summary>The change simulated.</summary>
    [Params("none", "cost pool +8 %", "account range +1 MSEK", "tenant volume", "rule key", "tenant leaves", "tenant joins")]
    public string Change { get; set; } = "none";

    private SimulationChanges _changes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _run = RunFolder.Open(Published());
        var tenant = _run.Tenants.Keys.Order(StringComparer.Ordinal).First();
        var json = Change switch
        {
            "cost pool +8 %" => """{"type": "cost", "costPool": "Software", "percent": 8}""",
            "account range +1 MSEK" => """{"type": "cost", "accounts": {"from": 545000, "to": 549999}, "amount": 1000000}""",
            "tenant volume" => $$"""{"type": "volume", "driver": "virtual_servers", "target": "{{tenant}}", "quantity": 250}""",
            "rule key" => """{"type": "key", "rule": "TWR-DC", "driver": "compute_hosts"}""",
            "tenant leaves" => $$"""{"type": "leave", "tenant": "{{tenant}}"}""",
            "tenant joins" => """{"type": "join", "tenant": "T-NEW", "name": "Nya myndigheten", "quantities": {"INF-VM": 3, "END-OFF": 40, "INF-STO": 2}}""",
            _ => null,
        };
        _changes = SimulationJson.Read(Encoding.UTF8.GetBytes($$"""{"changes": [{{json}}]}"""), "benchmark");
    }

    [Benchmark(Description = "simulate from a published scale-50 run")]
    public long Simulate() => Simulation.Lines(_run, _changes, tenant: null).Result.FeeTo;

    /// <summary>The scale-50 package's run, published once.</summary>
    private static string Published()
    {
        var root = Environment.GetEnvironmentVariable("TBM_BENCH_RUNS") is { Length: > 0 } given ? Path.GetFullPath(given) : Path.Combine(BenchData.Root, "simulation-store");
        var marker = Path.Combine(root, ".published");
        if (!File.Exists(marker))
        {
            var runs = Path.Combine(root, "runs");
            Directory.CreateDirectory(root);
            File.WriteAllText(marker, EndToEndBenchmarks.Publish(BenchData.Package(50), runs));
        }

        return File.ReadAllText(marker).Trim();
    }
}
