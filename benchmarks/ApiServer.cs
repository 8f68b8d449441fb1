using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Workbooks;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The read API as <c>tbm serve</c> runs it (Kestrel on loopback, in this process) over a published
/// national-size run: scale 50 over seven fiscal years, so that the fee table has about a million rows.
/// The run is published once under <see cref="BenchData.Root"/> and reused; each server gets a keys file
/// of its own, with a key for a coordinator and one per tenant asked for.
/// </summary>
internal sealed class ApiServer : IDisposable
{
    private readonly WebApplication _app;
    private readonly string _keysFile;
    private readonly Dictionary<string, string> _tenantKeys;
    private readonly string _coordinatorKey;

    private readonly string _cacheFolder;

    private ApiServer(WebApplication app, string keysFile, string cacheFolder, Dictionary<string, string> tenantKeys, string coordinatorKey, string runId, Uri address)
    {
        _app = app;
        _keysFile = keysFile;
        _cacheFolder = cacheFolder;
        _tenantKeys = tenantKeys;
        _coordinatorKey = coordinatorKey;
        RunId = runId;
        Address = address;
    }

    /// <summary>The published run's id.</summary>
    public string RunId { get; }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>The tenants with a key, in the order asked for.</summary>
    public IReadOnlyList<string> Tenants => [.. _tenantKeys.Keys];

    /// <summary>The runs store with the published scale-50, seven-year run (generated and published the first time).</summary>
    public static (string Runs, string RunId) Fixture()
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

        return (runs, File.ReadAllText(published).Trim());
    }

    /// <summary>The published run's folder.</summary>
    public static string RunFolderPath()
    {
        var (runs, run) = Fixture();
        return Path.Combine(runs, DemoData.SupplierId, run);
    }

    /// <summary>
    /// Starts a server with keys for the coordinator and for <paramref name="tenants"/> (or for the first
    /// <paramref name="tenantCount"/> tenants of the run, by id), with any further configuration
    /// (<c>--name value</c>) in <paramref name="settings"/>.
    /// </summary>
    public static ApiServer Start(IReadOnlyList<string>? tenants = null, int tenantCount = 1, params string[] settings)
    {
        var (runs, runId) = Fixture();
        tenants ??= [.. RunFolder.Open(RunFolderPath()).Tenants.Keys.Order(StringComparer.Ordinal).Take(tenantCount)];
        var keysFile = Path.Combine(BenchData.Root, "api-store", string.Create(CultureInfo.InvariantCulture, $"keys-{Environment.ProcessId}-{Guid.NewGuid():N}.json"));
        var keys = new ApiKeyStore(keysFile);
        var tenantKeys = tenants.ToDictionary(t => t, t => keys.Add(AccessGrant.Create(Role.Tenant, t, DemoData.SupplierId), "benchmark").Key, StringComparer.Ordinal);
        var coordinatorKey = keys.Add(AccessGrant.Create(Role.Coordinator, null, null), "benchmark").Key;

        // A response cache folder of its own (removed with the server), so every server starts without cached files.
        var cacheFolder = Path.ChangeExtension(keysFile, null) + "-cache";

        // Warnings only: the access log's line per request would otherwise be part of what is measured.
        var app = ApiHost.Create(["--urls", "http://127.0.0.1:0", "--runs", runs, "--keys", keysFile, "--ResponseCache:Folder", cacheFolder, "--Logging:LogLevel:Default", "Warning", .. settings]);
        app.StartAsync().GetAwaiter().GetResult();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ApiServer(app, keysFile, cacheFolder, tenantKeys, coordinatorKey, runId, address);
    }

    /// <summary>A client calling as the tenant (one connection of its own).</summary>
    public HttpClient Tenant(string tenant) => Client(_tenantKeys[tenant]);

    /// <summary>A client calling as the coordinator.</summary>
    public HttpClient Coordinator() => Client(_coordinatorKey);

    /// <summary>The whole response, read to the end; its length.</summary>
    public static long Get(HttpClient client, string path)
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

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        (_app as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        File.Delete(_keysFile);
        File.Delete(_keysFile + ".lock");
        if (Directory.Exists(_cacheFolder))
        {
            Directory.Delete(_cacheFolder, recursive: true);
        }
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 1 })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
