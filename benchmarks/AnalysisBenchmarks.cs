using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using ItDrift.Tbm.Analysis;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// An analyst opening the national-size fee table (the API benchmarks' published scale-50 run: about a million
/// fee rows over seven fiscal years; or the run folder in <c>TBM_BENCH_RUN</c>) as a <c>DataFrame</c> and as an Arrow stream, beside DuckDB reading the
/// same Parquet file with every value taken (the floor: what any reader of the file pays). Rows per second is
/// the fee table's rows ÷ the mean; the peak resident memory is in the columns beside it.
/// </summary>
[Config(typeof(ApiBenchConfig))]
public class AnalysisBenchmarks
{
    private RunFolder? _run;
    private double _restingMb;
    private double _peakMb;
    private double _growthMb;

    [GlobalSetup]
    public void Setup()
    {
        // TBM_BENCH_RUN: an already published run folder to read instead of the API benchmarks' own.
        _run = RunFolder.Open(Environment.GetEnvironmentVariable("TBM_BENCH_RUN") is { Length: > 0 } run ? run : ApiServer.RunFolderPath());
        Console.Error.WriteLine($"// fee table: {Floor():N0} rows");
    }

    [IterationSetup]
    public void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        _restingMb = PeakMemory.ResidentMegabytes();
    }

    [IterationCleanup]
    public void RecordPeak()
    {
        var peak = PeakMemory.Megabytes();
        _peakMb = Math.Max(_peakMb, peak);
        _growthMb = Math.Max(_growthMb, peak - _restingMb);
    }

    [GlobalCleanup]
    public void Cleanup() => PeakWorkingSetColumn.Write(typeof(AnalysisBenchmarks), _peakMb, _growthMb);

    [Benchmark(Description = "fee table as a DataFrame (decimal money)")]
    public long DataFrame() => _run!.ToDataFrame("fees").Rows.Count;

    [Benchmark(Description = "fee table as an Arrow stream")]
    public long Arrow()
    {
        using var stream = _run!.ReadArrow("fees");
        long rows = 0;
        while (stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            rows += batch.Length;
            batch.Dispose();
        }

        return rows;
    }

    [Benchmark(Baseline = true, Description = "floor: DuckDB reads the Parquet file, every value taken")]
    public long Floor()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {_run!.Table("fees")} ORDER BY fiscal_year, scenario, tenant, service, cost_pool";
        command.UseStreamingMode = true;
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            _ = reader.GetInt32(0);
            _ = reader.GetString(1);
            _ = reader.GetString(2);
            _ = reader.GetString(3);
            _ = reader.GetString(4);
            _ = reader.GetDecimal(5);
            rows++;
        }

        return rows;
    }
}
