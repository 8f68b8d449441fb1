using System.Collections.Concurrent;
using System.Net;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// The response cache: an answer kept for one caller is only ever served to a caller allowed to read
/// exactly that resource, and every answer is the same, byte for byte (workbooks cell for cell), with the
/// cache on and off.
/// </summary>
[Collection("api")]
public sealed class ResponseCacheTests(ApiFixture api)
{
    private string Run => $"/v1/runs/{api.Store.FkRun}";

    [Fact]
    public async Task CachedAnswer_OfOneTenant_IsNeverServedToAnother()
    {
        // The supplier reads T-B's fees first, so T-B's answer is in the cache.
        using var supplier = api.Client("supplier FK");
        var theirs = await supplier.GetStringAsync(new Uri($"{Run}/tenants/T-B/fees?fiscalYear=2025", UriKind.Relative));
        Assert.Contains("\"tenant\":\"T-B\"", theirs, StringComparison.Ordinal);

        using var tenantA = api.Client("tenant T-A");
        using var denied = await tenantA.GetAsync(new Uri($"{Run}/tenants/T-B/fees?fiscalYear=2025", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
        var own = await tenantA.GetStringAsync(new Uri($"{Run}/tenants/T-A/fees?fiscalYear=2025", UriKind.Relative));
        Assert.Contains("\"tenant\":\"T-A\"", own, StringComparison.Ordinal);
        Assert.DoesNotContain("T-B", own, StringComparison.Ordinal);

        // A tenant's query string cannot reach another tenant's entry either.
        var smuggled = await tenantA.GetStringAsync(new Uri($"{Run}/tenants/T-A/fees?fiscalYear=2025&tenant=T-B", UriKind.Relative));
        Assert.DoesNotContain("T-B", smuggled, StringComparison.Ordinal);

        using var tenantB = api.Client("tenant T-B");
        Assert.Equal(theirs, await tenantB.GetStringAsync(new Uri($"{Run}/tenants/T-B/fees?fiscalYear=2025", UriKind.Relative)));
    }

    [Fact]
    public async Task PriceList_CachedForTheSupplier_IsStillSuppressedForATenant()
    {
        using var supplier = api.Client("supplier FK");
        using var tenant = api.Client("tenant T-A");
        var url = new Uri($"{Run}/prices?fiscalYear=2025&scenario=actual", UriKind.Relative);
        var full = await supplier.GetStringAsync(url);
        var suppressed = await tenant.GetStringAsync(url);
        Assert.NotEqual(full, suppressed);
        Assert.Equal(suppressed, await tenant.GetStringAsync(url));
        Assert.Equal(full, await supplier.GetStringAsync(url));
    }

    [Theory]
    [InlineData("tenant T-A", "/tenants/T-A/fees")]
    [InlineData("tenant T-A", "/tenants/T-A/fees?fiscalYear=2025&scenario=actual&page=2&pageSize=2")]
    [InlineData("tenant T-A", "/tenants/T-A/fees?service=INF-VM")]
    [InlineData("supplier FK", "/tenants/T-B/fees?costPool=Internal%20Labor")]
    [InlineData("tenant T-A", "/tenants/T-A/trueup")]
    [InlineData("tenant T-A", "/prices")]
    [InlineData("supplier FK", "/prices")]
    [InlineData("coordinator", "/fees?tenant=T-A&pageSize=50")]
    [InlineData("coordinator", "/unallocated")]
    [InlineData("esv", "/reconciliation")]
    [InlineData("esv", "/balance")]
    public async Task JsonAnswer_WithTheCacheOnAndOff_IsTheSameBytes(string caller, string path)
    {
        using var uncached = new ApiFactory(api.Store, new ConcurrentQueue<(string, string)>(), new Dictionary<string, string> { ["ResponseCache:MaxMegabytes"] = "0" });
        using var cachedClient = api.Client(caller);
        using var uncachedClient = uncached.Client(caller);
        var url = new Uri(Run + path, UriKind.Relative);
        var first = await cachedClient.GetByteArrayAsync(url);
        var again = await cachedClient.GetByteArrayAsync(url);
        var computed = await uncachedClient.GetByteArrayAsync(url);
        Assert.Equal(computed, first);
        Assert.Equal(computed, again);
    }

    [Theory]
    [InlineData("tenant T-A", "/tenants/T-A/fees/export.xlsx?fiscalYear=2025")]
    [InlineData("tenant T-A", "/tenants/T-A/trueup/export.xlsx")]
    [InlineData("tenant T-A", "/prices/export.xlsx")]
    [InlineData("supplier FK", "/prices/export.xlsx")]
    [InlineData("coordinator", "/balance/export.xlsx")]
    [InlineData("coordinator", "/fees/export.xlsx")]
    public async Task Workbook_WithTheCacheOnAndOff_HasTheSameCells(string caller, string path)
    {
        using var uncached = new ApiFactory(api.Store, new ConcurrentQueue<(string, string)>(), new Dictionary<string, string> { ["ResponseCache:MaxMegabytes"] = "0" });
        using var cachedClient = api.Client(caller);
        using var uncachedClient = uncached.Client(caller);
        var url = new Uri(Run + path, UriKind.Relative);
        var computed = Cells(await uncachedClient.GetByteArrayAsync(url));
        Assert.Equal(computed, Cells(await cachedClient.GetByteArrayAsync(url)));
        Assert.Equal(computed, Cells(await cachedClient.GetByteArrayAsync(url)));
    }

    [Fact]
    public async Task FeeTableWorkbook_IsWrittenOnce_AsAFile()
    {
        using var factory = new ApiFactory(api.Store, new ConcurrentQueue<(string, string)>());
        var cache = factory.Services.GetRequiredService<ResponseCache>();
        using var client = factory.Client("coordinator");
        var first = await client.GetByteArrayAsync(new Uri($"{Run}/fees/export.xlsx", UriKind.Relative));
        var written = Directory.GetFiles(cache.Folder, "*.xlsx").Single();
        var at = File.GetLastWriteTimeUtc(written);
        using var esv = factory.Client("esv");
        Assert.Equal(first, await esv.GetByteArrayAsync(new Uri($"{Run}/fees/export.xlsx", UriKind.Relative)));
        Assert.Equal(written, Directory.GetFiles(cache.Folder, "*.xlsx").Single());
        Assert.Equal(at, File.GetLastWriteTimeUtc(written));
        Assert.Empty(Directory.GetFiles(cache.Folder, "*.tmp-*"));
    }

    [Fact]
    public void Variant_OfDifferentParameters_IsDifferent()
    {
        Assert.NotEqual(ResponseVariant.Of("a;b", "c"), ResponseVariant.Of("a", "b;c"));
        Assert.NotEqual(ResponseVariant.Of(null, "x"), ResponseVariant.Of("x", null));
        Assert.NotEqual(ResponseVariant.Of("-"), ResponseVariant.Of((object?)null));
        Assert.Equal(ResponseVariant.Of(2025, "actual", 1, 100), ResponseVariant.Of(2025, "actual", 1, 100));
    }

    [Fact]
    public void GetOrAdd_OverItsBudget_DropsTheLeastRecentlyUsed()
    {
        var cache = NewCache(maxMegabytes: "0.01"); // 10 KiB; nothing above 640 bytes is kept
        var builds = 0;
        byte[] Build()
        {
            builds++;
            return new byte[600];
        }

        for (var i = 0; i < 40; i++)
        {
            cache.GetOrAdd(Key("T-" + i), Build);
            cache.GetOrAdd(Key("T-0"), Build); // kept in use
        }

        Assert.True(cache.Bytes <= cache.MaxBytes, $"{cache.Bytes} bytes held");
        var before = builds;
        cache.GetOrAdd(Key("T-0"), Build);
        Assert.Equal(before, builds);
        cache.GetOrAdd(Key("T-1"), Build);
        Assert.Equal(before + 1, builds);

        cache.GetOrAdd(Key("large"), () => new byte[5000]);
        Assert.True(cache.Bytes <= cache.MaxBytes);
    }

    [Fact]
    public void GetOrAdd_WhenTheBuildFails_KeepsNothing()
    {
        var cache = NewCache();
        Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd(Key("T-A"), () => throw new InvalidOperationException("broken")));
        Assert.Equal([1, 2], cache.GetOrAdd(Key("T-A"), () => [1, 2]));
    }

    [Fact]
    public async Task GetOrAdd_AskedAtOnce_BuildsOnce()
    {
        var cache = NewCache();
        var builds = 0;
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.GetOrAdd(Key("T-A"), () =>
        {
            Interlocked.Increment(ref builds);
            gate.Wait(TimeSpan.FromSeconds(5));
            return [42];
        }))).ToList();
        await Task.Delay(100);
        gate.Set();
        Assert.All(await Task.WhenAll(tasks), b => Assert.Equal([42], b));
        Assert.Equal(1, builds);
    }

    [Fact]
    public void GetOrAdd_WithTheCacheOff_BuildsEveryTime()
    {
        var cache = NewCache(maxMegabytes: "0");
        var builds = 0;
        cache.GetOrAdd(Key("T-A"), () => [(byte)++builds]);
        cache.GetOrAdd(Key("T-A"), () => [(byte)++builds]);
        Assert.Equal(2, builds);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public async Task FileCache_RefusesAFolderOthersMayWrite_AndNeverServesWhatIsPlantedThere()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Path.Combine(api.Store.Root, "shared-cache-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111); // as if someone else made it, world-writable
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ResponseCache:MaxMegabytes"] = "1",
            ["ResponseCache:Folder"] = folder,
        }).Build();
        var cache = new ResponseCache(configuration, new RunStore(api.Store.Runs), new Lifetime(), NullLogger<ResponseCache>.Instance);
        var written = false;

        var path = await cache.FileAsync(Key("T-A"), ".xlsx", (stream, _) =>
        {
            written = true;
            return Task.CompletedTask;
        });

        Assert.Null(path); // the caller builds the answer itself
        Assert.False(written);
        Assert.Empty(Directory.GetFiles(folder));

        // A private folder is used, and made private when the cache creates it.
        var own = Path.Combine(api.Store.Root, "own-cache-" + Guid.NewGuid().ToString("N")[..8], "nested");
        var privateCache = new ResponseCache(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ResponseCache:MaxMegabytes"] = "1",
            ["ResponseCache:Folder"] = own,
        }).Build(), new RunStore(api.Store.Runs), new Lifetime(), NullLogger<ResponseCache>.Instance);
        var kept = await privateCache.FileAsync(Key("T-A"), ".xlsx", (stream, _) => stream.WriteAsync(new byte[] { 1, 2, 3 }).AsTask());
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(kept!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(own));
    }

    [Fact]
    public async Task FileCache_Trimming_LeavesFilesItDidNotWrite()
    {
        var folder = Path.Combine(api.Store.Root, "mixed-cache-" + Guid.NewGuid().ToString("N")[..8]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var notes = Path.Combine(folder, "notes.txt");
        await File.WriteAllTextAsync(notes, "not the cache's");
        File.SetLastWriteTimeUtc(notes, DateTime.UtcNow.AddDays(-1)); // the oldest file there
        var cache = new ResponseCache(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ResponseCache:MaxMegabytes"] = "1",
            ["ResponseCache:MaxFiles"] = "1",
            ["ResponseCache:Folder"] = folder,
        }).Build(), new RunStore(api.Store.Runs), new Lifetime(), NullLogger<ResponseCache>.Instance);

        var first = await cache.FileAsync(Key("T-A"), ".xlsx", (stream, _) => stream.WriteAsync(new byte[] { 1 }).AsTask());
        File.SetLastWriteTimeUtc(first!, DateTime.UtcNow.AddHours(-1));
        var second = await cache.FileAsync(Key("T-B"), ".xlsx", (stream, _) => stream.WriteAsync(new byte[] { 2 }).AsTask());

        Assert.False(File.Exists(first));
        Assert.Equal([2], await File.ReadAllBytesAsync(second!));
        Assert.Equal("not the cache's", await File.ReadAllTextAsync(notes));
    }

    private static ResponseKey Key(string tenant) => new("FK", "run1", "tenant-fees.json", tenant, true, ResponseVariant.Of(1, 100));

    private ResponseCache NewCache(string maxMegabytes = "1")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ResponseCache:MaxMegabytes"] = maxMegabytes,
            ["ResponseCache:Folder"] = Path.Combine(api.Store.Root, "unit-cache-" + Guid.NewGuid().ToString("N")[..8]),
        }).Build();
        return new ResponseCache(configuration, new RunStore(api.Store.Runs), new Lifetime(), NullLogger<ResponseCache>.Instance);
    }

    /// <summary>Every cell of every sheet: address, value and formula.</summary>
    private static List<string> Cells(byte[] workbook)
    {
        var book = Xlsx.Read(workbook);
        return [.. book.SheetNames.SelectMany(n => book[n].Cells.Values.Select(c => $"{n}!{c.Address}={c.Value}|{c.Formula}")).Order(StringComparer.Ordinal)];
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
