using BenchmarkDotNet.Attributes;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// Ingest of one million ledger lines: the file read, every cell checked and typed into the <c>ledger</c>
/// table (<c>Staging</c> + <c>CellRules</c>), for each form a ledger comes in: canonical CSV, the Swedish
/// spreadsheet CSV, Parquet, and SIE 4 (<see cref="SieLedger"/>: 500 000 balanced vouchers of two rows).
/// Targets: Parquet ≥ 2 million lines a second, SIE ≥ 500 000. (A typed Parquet ledger that passes every check becomes a view over the file: its
/// columns are decoded again by each later query that needs them, and those scans count in the run.)
/// </summary>
[Config(typeof(BenchConfig))]
public class IngestBenchmarks
{
    private string _package = "";

    [Params("csv", "swedish-csv", "parquet", "sie")]
    public string Format { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _package = Format switch
    {
        "csv" => BenchData.Package(1, LedgerFormat.Csv),
        "swedish-csv" => BenchData.Package(1, LedgerFormat.SwedishCsv),
        "sie" => SieLedger.Package(),
        _ => BenchData.Package(1, LedgerFormat.Parquet),
    };

    [Benchmark(Description = "ingest: file → checked, typed ledger")]
    [LedgerLines(1_000_000)]
    public long Ingest() => EngineHarness.IngestLedger(_package, EngineSettings.Default);
}
