using System.Globalization;
using BenchmarkDotNet.Attributes;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The read API on a warm server (Kestrel on loopback, the real host of <c>tbm serve</c>) over a published
/// national-size run: scale 50 over seven fiscal years, so that the fee table has about a million rows.
/// A tenant's fee request (the first JSON page with its totals), the explanation of one fee, the tenant's
/// fee-specification workbook, and the whole fee table exported as CSV and as Arrow.
/// </summary>
[Config(typeof(BenchConfig))]
public class ApiBenchmarks
{
    private const string Tenant = "T-PM";
    private const string Service = "INF-VM";

    private WebApplication? _app;
    private HttpClient? _tenant;
    private HttpClient? _coordinator;
    private string _run = "";

    /// <summary>Rows of the published fee table.</summary>
    public static long FeeRows { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.Combine(BenchData.Root, "api-store");
        var runs = Path.Combine(root, "runs");
        var published = Path.Combine(root, ".published");
        if (!File.Exists(published))
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            var package = BenchData.Generate("scale50-7years-parquet", DemoModelOptions.ForScale(50, BenchData.Seed) with { Years = 7 });
            Directory.CreateDirectory(root);
            File.WriteAllText(published, Path.GetFileName(EndToEndBenchmarks.Publish(package, runs)));
        }

        _run = File.ReadAllText(published).Trim();
        FeeRows = File.ReadLines(Path.Combine(runs, DemoData.SupplierId, _run, "fees.csv")).LongCount() - 1;
        var keysFile = Path.Combine(root, "keys.json");
        File.Delete(keysFile);
        var keys = new ApiKeyStore(keysFile);
        var tenantKey = keys.Add(AccessGrant.Create(Role.Tenant, Tenant, DemoData.SupplierId), "benchmark").Key;
        var coordinatorKey = keys.Add(AccessGrant.Create(Role.Coordinator, null, null), "benchmark").Key;

        // Warnings only: the access log's line per request would otherwise be part of what is measured.
        _app = ApiHost.Create(["--urls", "http://127.0.0.1:0", "--runs", runs, "--keys", keysFile, "--Logging:LogLevel:Default", "Warning"]);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _tenant = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        _tenant.DefaultRequestHeaders.Add("X-Api-Key", tenantKey);
        _coordinator = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        _coordinator.DefaultRequestHeaders.Add("X-Api-Key", coordinatorKey);

        // Warm: every endpoint once (the server's caches, the JIT, the file cache).
        TenantFees();
        ExplainFee();
        FeeSpecificationWorkbook();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// fee table: {FeeRows:N0} rows, CSV {FeeTableCsv():N0} bytes"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tenant?.Dispose();
        _coordinator?.Dispose();
        _app?.StopAsync().GetAwaiter().GetResult();
        (_app as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "tenant's fees (JSON, first page and totals)")]
    public long TenantFees() => Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees");

    [Benchmark(Description = "explain one fee")]
    public long ExplainFee() => Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees/{Service}/explain");

    [Benchmark(Description = "fee-specification workbook (.xlsx)")]
    public long FeeSpecificationWorkbook() => Get(_tenant!, $"/v1/runs/{_run}/tenants/{Tenant}/fees/export.xlsx");

    [Benchmark(Description = "whole fee table, CSV")]
    public long FeeTableCsv() => Get(_coordinator!, $"/v1/runs/{_run}/fees?format=csv");

    [Benchmark(Description = "whole fee table, Arrow")]
    public long FeeTableArrow() => Get(_coordinator!, $"/v1/runs/{_run}/fees?format=arrow");

    /// <summary>The whole response, read to the end; its length.</summary>
    private static long Get(HttpClient client, string path)
    {
        using var response = client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var body = response.Content.ReadAsStream();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
