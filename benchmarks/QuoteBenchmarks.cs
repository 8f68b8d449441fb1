using BenchmarkDotNet.Attributes;
using ItDrift.Tbm.Quotes;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A small agency's quote at national size (issue 4: "well under a second"): a published scale-50 run over
/// seven fiscal years (50 M ledger lines, 58 services, 300 tenants), three services ordered. From the run
/// folder, as <c>tbm quote --run</c> and the API do: the ledger is not read again, and only the periods
/// the quoted years depend on are allocated. Quoted from the first year without an actual outcome (the
/// default: one year) and from the first year (all seven).
/// </summary>
[Config(typeof(BenchConfig))]
public class QuoteBenchmarks
{
    private static readonly QuoteOrder Order = new("T-NEW", "Nya myndigheten", 40, "202100-5521",
        new Dictionary<string, decimal> { ["INF-VM"] = 3, ["END-OFF"] = 40, ["INF-STO"] = 2 });

    private string _run = "";

    [GlobalSetup]
    public void Setup() => _run = ApiServer.RunFolderPath(); // the API benchmarks' published run

    [Benchmark(Description = "quote from a published scale-50 run, the coming year")]
    public long ComingYear() => TbmEngine.QuoteFromRun(_run, Order).Lines.Sum(l => l.Fee);

    [Benchmark(Description = "quote from a published scale-50 run, all seven years")]
    public long AllYears() => TbmEngine.QuoteFromRun(_run, Order with { FromYear = 2024 }).Lines.Sum(l => l.Fee);
}
