using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>portal-load [--clients 64] [--seconds 20] [--warmup 5] [--tenants 16] [--store DIR] [--out FILE]</c>: the
/// portal's pages under concurrency (issue 16: p99 ≤ 50 ms at 64 concurrent clients over a published scale-50
/// run). The scale-50 package (<see cref="BenchData.Package"/>, read only) is published once into a runs store
/// of its own (<c>--store</c>, default <c>benchmarks/.data/portal-store</c>), so the package folder is never written.
/// </summary>
/// <remarks>
/// A closed loop, as <see cref="ApiLoad"/>: each client is an <see cref="HttpClient"/> with its own cookie jar and one
/// keep-alive connection, signed in once through the sign-in form (anti-forgery token, then <c>POST /login</c>)
/// and then asking for its page again as soon as it has read the whole answer; every answer is checked (200, and
/// the page's own mark: the link to the tenant's own workbook, the table of changes, the quote form). Two passes: every client a tenant
/// on its own fee page (fees per service and year, both charts, true-up and the quote form); and a mix in which
/// client <c>i</c> opens, by <c>i mod 4</c>, a tenant's fee page, the supplier's run page, the largest fee changes,
/// or a prospect's quote page. Each pass with one client, then the chosen number. Server and clients share the
/// cores in one process: the figures are a floor on what a server alone would do.
/// </remarks>
internal static partial class PortalLoad
{
    public static int Run(string[] args)
    {
        string? Option(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var clients = Number("--clients", 64);
        var seconds = Number("--seconds", 20);
        var warmup = Number("--warmup", 5);
        var tenantCount = Number("--tenants", 16);
        var store = Path.GetFullPath(Option("--store") ?? Path.Combine(BenchData.RepositoryRoot(), "benchmarks", ".data", "portal-store"));
        var output = Option("--out") ?? Path.Combine(BenchData.RepositoryRoot(), "benchmarks", "BenchmarkDotNet.Artifacts", "results", "portal-load.md");

        var (runs, runId, publishSeconds) = Publish(store);
        var folder = RunFolder.Open(Directory.GetDirectories(runs).Select(d => Path.Combine(d, runId)).First(Directory.Exists));
        var tenants = folder.Tenants.Keys.Order(StringComparer.Ordinal).Take(tenantCount).ToList();
        var keysFile = Path.Combine(store, string.Create(CultureInfo.InvariantCulture, $"keys-{Environment.ProcessId}.json"));
        var keys = new ApiKeyStore(keysFile);
        var tenantKeys = tenants.ToDictionary(t => t, t => keys.Add(AccessGrant.Create(Role.Tenant, t, folder.SupplierId), "benchmark").Key, StringComparer.Ordinal);
        var supplierKey = keys.Add(AccessGrant.Create(Role.Supplier, null, folder.SupplierId), "benchmark").Key;
        var prospectKey = keys.Add(AccessGrant.Create(Role.Tenant, "T-PROSPECT-BENCH", folder.SupplierId), "benchmark").Key;
        var cache = Path.Combine(store, string.Create(CultureInfo.InvariantCulture, $"cache-{Environment.ProcessId}"));

        var before = LoadAverage();
        var results = new List<Result>();
        var app = ApiHost.Create(["--urls", "http://127.0.0.1:0", "--runs", runs, "--keys", keysFile, "--ResponseCache:Folder", cache, "--Logging:LogLevel:Default", "Warning"]);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var tenantPage = (string t) => new Page($"/portal/runs/{runId}/tenants/{t}", tenantKeys[t], $"/tenants/{t}/fees/export.xlsx");
            var pages = new Dictionary<string, Func<int, Page>>(StringComparer.Ordinal)
            {
                ["tenant fee page"] = i => tenantPage(tenants[i % tenants.Count]),
                ["mix: tenant, supplier, largest changes, prospect"] = i => (i % 4) switch
                {
                    0 => tenantPage(tenants[i / 4 % tenants.Count]),
                    1 => new Page($"/portal/runs/{runId}/leverantor", supplierKey, "id=\"balance\""),
                    2 => new Page($"/portal/runs/{runId}/storsta-forandringar", supplierKey, "id=\"largest-changes\""),
                    _ => new Page($"/portal/runs/{runId}/anslutning", prospectKey, "id=\"q-"),
                },
            };

            foreach (var (name, page) in pages)
            {
                // Every page once first: the first request of a run loads its tables (and computes its fee bridge), which is not what is measured.
                foreach (var i in Enumerable.Range(0, Math.Max(4, tenants.Count)))
                {
                    using var client = SignIn(address, page(i).Key);
                    Check(client, page(i));
                }

                foreach (var n in new[] { 1, clients }.Distinct())
                {
                    var result = Measure(address, page, n, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds)) with { Pages = name };
                    Console.Error.WriteLine("// " + result.Row());
                    results.Add(result);
                }
            }
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
            File.Delete(keysFile);
            File.Delete(keysFile + ".lock"); // the key store's lock file beside it
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }

        var after = LoadAverage();
        var report = Report(results, folder, clients, seconds, warmup, tenants.Count, publishSeconds, before, after);
        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.Error.WriteLine($"// wrote {output}");
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <summary>A page to ask for, as whom, and a mark its answer must hold.</summary>
    private sealed record Page(string Path, string Key, string Mark);

    /// <summary>The published scale-50 run in <paramref name="store"/> (published from the package the first time) and how long publishing took (0 when reused).</summary>
    private static (string Runs, string RunId, double Seconds) Publish(string store)
    {
        var runs = Path.Combine(store, "runs");
        var published = Path.Combine(store, ".published");
        if (File.Exists(published))
        {
            return (runs, File.ReadAllText(published).Trim(), 0);
        }

        var package = BenchData.Package(50);
        Console.Error.WriteLine($"// publishing {package} into {runs} (once; kept for later runs)");
        var clock = Stopwatch.StartNew();
        var run = Path.GetFileName(EndToEndBenchmarks.Publish(package, runs));
        File.WriteAllText(published, run);
        return (runs, run, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A client signed in through the portal's own form, as a browser would be.</summary>
    private static HttpClient SignIn(Uri address, string key)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 1 }) { BaseAddress = address };
        var html = client.GetStringAsync(new Uri("/", UriKind.Relative)).GetAwaiter().GetResult();
        var token = Token().Match(html);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal) { ["key"] = key, [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) });
        using var response = client.PostAsync(new Uri("/login", UriKind.Relative), form).GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode}");
        }

        return client;
    }

    private static void Check(HttpClient client, Page page)
    {
        using var response = client.GetAsync(new Uri(page.Path, UriKind.Relative)).GetAwaiter().GetResult();
        var html = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (response.StatusCode != HttpStatusCode.OK || !html.Contains(page.Mark, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{page.Path}: {(int)response.StatusCode}, mark '{page.Mark}' {(html.Contains(page.Mark, StringComparison.Ordinal) ? "found" : "missing")}");
        }
    }

    private static Result Measure(Uri address, Func<int, Page> pages, int clients, TimeSpan warmup, TimeSpan duration)
    {
        var http = Enumerable.Range(0, clients).Select(i => SignIn(address, pages(i).Key)).ToList();
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(1 << 14)).ToList();
        var errors = new int[clients];
        var bytes = new long[clients];
        var measuring = 0;
        var stop = 0;

        async Task Client(int i)
        {
            var page = pages(i);
            var url = new Uri(page.Path, UriKind.Relative);
            var mark = Encoding.UTF8.GetBytes(page.Mark);
            var buffer = new byte[1 << 20];
            while (Volatile.Read(ref stop) == 0)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                var length = 0;
                try
                {
                    using var response = await http[i].GetAsync(url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    int read;
                    while ((read = await body.ReadAsync(buffer.AsMemory(Math.Min(length, buffer.Length - 1))).ConfigureAwait(false)) > 0)
                    {
                        length = Math.Min(length + read, buffer.Length - 1);
                    }

                    ok = response.StatusCode == HttpStatusCode.OK && buffer.AsSpan(0, length).IndexOf(mark) >= 0;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                var ended = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref measuring) == 1)
                {
                    latencies[i].Add(ended - started);
                    bytes[i] += length;
                    if (!ok)
                    {
                        errors[i]++;
                    }
                }
            }
        }

        var tasks = Enumerable.Range(0, clients).Select(i => Task.Run(() => Client(i))).ToArray();
        Thread.Sleep(warmup);
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        Thread.Sleep(duration);
        Volatile.Write(ref measuring, 0);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var gc = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
        Volatile.Write(ref stop, 1);
        Task.WaitAll(tasks);
        foreach (var client in http)
        {
            client.Dispose();
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p / 100 * all.Length) - 1)]);
        return new Result(
            "", clients, all.Length, all.Length / elapsed.TotalSeconds, all.Length == 0 ? 0 : bytes.Sum() / all.Length, all.Length == 0 ? double.NaN : all.Average(Ms),
            Percentile(50), Percentile(90), Percentile(99), Percentile(99.9), all.Length == 0 ? double.NaN : Ms(all[^1]),
            errors.Sum(), cpu.TotalSeconds / elapsed.TotalSeconds, gc);
    }

    private static string Report(List<Result> results, RunFolder folder, int clients, int seconds, int warmup, int tenants, double publishSeconds, string before, string after)
    {
        var text = new StringBuilder();
        text.AppendLine("# The portal's pages under load");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"`benchmarks/run.sh portal-load` (`PortalLoad.cs`): server-rendered portal pages over the published scale-50 run ({folder.Tenants.Count} tenants, {folder.Objects.Values.Count(o => o.Kind == "service")} services; the package `scale50-parquet`, 50 M ledger lines, years 2024–2026), {tenants} tenants each with its own key, a supplier key and a prospect key; every client signed in through the sign-in form with its own session cookie; closed loop, each client one HttpClient with one keep-alive connection; {warmup} s warm-up, then {seconds} s measured; every answer checked (200 and the page's own mark). Server and clients in one process on the same cores (the real host on loopback, {(GCSettings.IsServerGC ? "server" : "workstation")} GC)."));
        if (publishSeconds > 0)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Publishing the run first took {publishSeconds:0} s (not part of the figures)."));
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) before: {before}; after: {after}.");
        text.AppendLine();
        text.AppendLine("| pages | clients | requests | requests/s | page (KiB) | mean (ms) | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors | process CPU (cores) | GCs (0/1/2) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            text.AppendLine(r.Row());
        }

        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Target (issue 16): page responses p99 ≤ 50 ms with {clients} concurrent clients."));
        return text.ToString();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex Token();

    private sealed record Result(
        string Pages, int Clients, int Requests, double PerSecond, long PageBytes, double Mean, double P50, double P90, double P99, double P999, double Max, int Errors,
        double Cores, (int Gen0, int Gen1, int Gen2) Gcs)
    {
        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Pages} | {Clients} | {Requests:N0} | {PerSecond:N0} | {PageBytes / 1024.0:0} | {Mean:0.00} | {P50:0.00} | {P90:0.00} | {P99:0.00} | {P999:0.00} | {Max:0.00} | {Errors} | {Cores:0.00} | {Gcs.Gen0}/{Gcs.Gen1}/{Gcs.Gen2} |");
    }
}
