using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// How every benchmark here runs: one invocation per iteration (the operations take 0.1–60 s, so there is
/// no point in BenchmarkDotNet's pilot stage), in-process state kept between iterations, the managed
/// allocations, and ledger lines per second beside the time.
/// </summary>
internal class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(Iterations())
            .WithId("tbm"));
        AddColumn(new LinesPerSecondColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
    }

    /// <summary><c>TBM_BENCH_ITERATIONS</c>, else 5: enough for a stable median of second-long operations on a shared machine.</summary>
    private static int Iterations() =>
        int.TryParse(Environment.GetEnvironmentVariable("TBM_BENCH_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5;
}

/// <summary>
/// Ledger lines per second: the benchmark's ledger size (its <c>Scale</c> parameter in millions, else the
/// <see cref="LedgerLinesAttribute"/> on its method) divided by the mean time.
/// </summary>
internal sealed class LinesPerSecondColumn : IColumn
{
    public string Id => nameof(LinesPerSecondColumn);

    public string ColumnName => "Lines/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Ledger lines per second (lines ÷ mean time)";

    public static long Lines(BenchmarkCase benchmarkCase)
    {
        var scale = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Scale")?.Value;
        if (scale is int s)
        {
            return s * 1_000_000L;
        }

        var attribute = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(LedgerLinesAttribute), inherit: false).OfType<LedgerLinesAttribute>().FirstOrDefault();
        return attribute?.Lines ?? 0;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var lines = Lines(benchmarkCase);
        if (report?.ResultStatistics is not { } statistics || lines == 0)
        {
            return "-";
        }

        var perSecond = lines / (statistics.Mean / 1e9);
        return perSecond >= 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:0.00} M") : string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e3:0} k");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>How many ledger lines a benchmark method works through, for <see cref="LinesPerSecondColumn"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class LedgerLinesAttribute(long lines) : Attribute
{
    public long Lines { get; } = lines;
}
