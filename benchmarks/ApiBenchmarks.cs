using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The read API on a warm server (<see cref="ApiServer"/>: Kestrel on loopback, the real host of
/// <c>tbm serve</c>) over a published national-size run: scale 50 over seven fiscal years, so that the
/// fee table has about a million rows. A tenant's fee request (the first JSON page with its totals), the
/// explanation of one fee, the tenant's fee-specification workbook, and the whole fee table exported as
/// CSV, as Arrow and as an Excel workbook.
/// </summary>
/// <remarks>
/// The answers the server keeps (<c>ResponseCache</c>: JSON pages and workbooks of immutable runs) are
/// measured twice: as a warm server answers them again, and computed, by a server whose response cache is
/// off (<c>ResponseCache:MaxMegabytes = 0</c>), which is what the first request for each pays. Beside the
/// managed allocations, the process's peak resident memory during an operation and its rise above the
/// process at rest (<see cref="PeakWorkingSetColumn"/>). The tenant fee request under 64 concurrent
/// clients is <see cref="ApiLoad"/>'s.
/// </remarks>
[Config(typeof(ApiBenchConfig))]
public class ApiBenchmarks
{
    private const string Tenant = "T-PM";
    private const string Service = "INF-VM";

    private ApiServer? _server;
    private HttpClient? _tenant;
    private HttpClient? _coordinator;
    private string _run = "";
    private double _restingMb;
    private double _peakMb;
    private double _growthMb;

    /// <summary>Rows of the published fee table.</summary>
    public static long FeeRows { get; private set; }

    [GlobalSetup(Targets = new[] { nameof(TenantFees), nameof(ExplainFee), nameof(FeeSpecificationWorkbook), nameof(FeeTableCsv), nameof(FeeTableArrow), nameof(FeeTableXlsx) })]
    public void Setup()
    {
        Start();

        // Warm: every endpoint once (the server's tables and caches, the JIT, the file cache).
        TenantFees();
        ExplainFee();
        FeeSpecificationWorkbook();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// fee table: {FeeRows:N0} rows, CSV {FeeTableCsv():N0} bytes, Arrow {FeeTableArrow():N0} bytes, xlsx {FeeTableXlsx():N0} bytes"));
    }

    [GlobalSetup(Targets = new[] { nameof(TenantFeesComputed), nameof(FeeSpecificationWorkbookBuilt), nameof(FeeTableXlsxBuilt) })]
    public void SetupWithoutCache()
    {
        Start("--ResponseCache:MaxMegabytes", "0");
        TenantFeesComputed();
        FeeSpecificationWorkbookBuilt();
    }

    /// <summary>
    /// The peak resident memory is measured from here: the high-water mark is reset to what the process holds
    /// now. Not for the answers a warm server keeps, which take a tenth of a millisecond: a full collection
    /// before each would be most of what is timed.
    /// </summary>
    [IterationSetup(Targets = new[] { nameof(TenantFeesComputed), nameof(ExplainFee), nameof(FeeSpecificationWorkbookBuilt), nameof(FeeTableCsv), nameof(FeeTableArrow), nameof(FeeTableXlsx), nameof(FeeTableXlsxBuilt) })]
    public void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        _restingMb = PeakMemory.ResidentMegabytes();
    }

    [IterationCleanup(Targets = new[] { nameof(TenantFeesComputed), nameof(ExplainFee), nameof(FeeSpecificationWorkbookBuilt), nameof(FeeTableCsv), nameof(FeeTableArrow), nameof(FeeTableXlsx), nameof(FeeTableXlsxBuilt) })]
    public void RecordPeak()
    {
        var peak = PeakMemory.Megabytes();
        _peakMb = Math.Max(_peakMb, peak);
        _growthMb = Math.Max(_growthMb, peak - _restingMb);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_peakMb > 0)
        {
            PeakWorkingSetColumn.Write(typeof(ApiBenchmarks), _peakMb, _growthMb);
        }
        _tenant?.Dispose();
        _coordinator?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Description = "tenant's fees (JSON, first page and totals)")]
    public long TenantFees() => ApiServer.Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees");

    [Benchmark(Description = "tenant's fees, computed (response cache off)")]
    public long TenantFeesComputed() => TenantFees();

    [Benchmark(Description = "explain one fee")]
    public long ExplainFee() => ApiServer.Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees/{Service}/explain");

    [Benchmark(Description = "fee-specification workbook (.xlsx)")]
    public long FeeSpecificationWorkbook() => ApiServer.Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees/export.xlsx");

    [Benchmark(Description = "fee-specification workbook, built (cache off)")]
    public long FeeSpecificationWorkbookBuilt() => FeeSpecificationWorkbook();

    [Benchmark(Description = "whole fee table, CSV")]
    public long FeeTableCsv() => ApiServer.Get(_coordinator!, $"/v1/runs/{_run}/fees?format=csv");

    [Benchmark(Description = "whole fee table, Arrow")]
    public long FeeTableArrow() => ApiServer.Get(_coordinator!, $"/v1/runs/{_run}/fees?format=arrow");

    [Benchmark(Description = "whole fee table, .xlsx (SpreadCheetah)")]
    public long FeeTableXlsx() => ApiServer.Get(_coordinator!, $"/v1/runs/{_run}/fees/export.xlsx");

    [Benchmark(Description = "whole fee table, .xlsx, built (cache off)")]
    public long FeeTableXlsxBuilt() => FeeTableXlsx();

    private void Start(params string[] settings)
    {
        _server = ApiServer.Start([Tenant], settings: settings);
        _run = _server.RunId;
        FeeRows = File.ReadLines(Path.Combine(ApiServer.RunFolderPath(), "fees.csv")).LongCount() - 1;
        _tenant = _server.Tenant(Tenant);
        _coordinator = _server.Coordinator();
    }
}
