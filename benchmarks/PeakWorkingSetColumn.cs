using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ItDrift.Tbm.Benchmarks;

/// <summary><see cref="BenchConfig"/> with the peak resident memory of each operation beside the managed allocations.</summary>
internal sealed class ApiBenchConfig : BenchConfig
{
    public ApiBenchConfig()
    {
        AddColumn(new PeakWorkingSetColumn(growth: false), new PeakWorkingSetColumn(growth: true));
    }
}

/// <summary>
/// The process's peak resident memory while a benchmark's operation ran (DuckDB's native memory included,
/// which the allocation column cannot see), and how far above the resting process it went. The benchmark
/// process resets the kernel's high-water mark before each iteration (<see cref="PeakMemory.Reset"/>),
/// reads it after, and writes the largest to a file that this column reads in the host process.
/// </summary>
internal sealed class PeakWorkingSetColumn(bool growth) : IColumn
{
    public string Id => nameof(PeakWorkingSetColumn) + (growth ? "Growth" : "");

    public string ColumnName => growth ? "Peak - resting" : "Peak RSS";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Metric;

    public int PriorityInCategory => growth ? 11 : 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => growth
        ? "The largest rise of the resident memory during an operation above the process at rest before it"
        : "The process's peak resident memory during an operation (server, client and DuckDB together)";

    /// <summary>In the benchmark process: the measurements of a benchmark's run.</summary>
    public static void Write(Type type, double peakMb, double growthMb)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, $"{type.Name}.{CurrentMethod()}.txt"), string.Create(CultureInfo.InvariantCulture, $"{peakMb:0} {growthMb:0}"));
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        // Only what this run's benchmark processes wrote, which started after this one.
        var file = Path.Combine(Folder, $"{benchmarkCase.Descriptor.Type.Name}.{benchmarkCase.Descriptor.WorkloadMethod.Name}.txt");
        using var host = Process.GetCurrentProcess();
        if (!File.Exists(file) || File.GetLastWriteTimeUtc(file) < host.StartTime.ToUniversalTime())
        {
            return "-";
        }

        var parts = File.ReadAllText(file).Split(' ');
        return parts[growth ? 1 : 0] + " MB";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static string Folder => Path.Combine(BenchData.Root, "peak-memory");

    /// <summary>The benchmark method this process runs: BenchmarkDotNet runs one case per process and names it on the command line.</summary>
    private static string CurrentMethod() =>
        Environment.GetCommandLineArgs().SkipWhile(a => a != "--benchmarkName").Skip(1).FirstOrDefault()?.Trim('"').Split('.')[^1] ?? "unknown";
}
