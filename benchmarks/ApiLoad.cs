using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>api-load [--clients 64] [--seconds 20] [--warmup 5] [--tenants 16] [--out FILE]</c>: the tenant fee
/// request under concurrency, which BenchmarkDotNet does not measure (it times one operation after
/// another, and its statistics are of means, not of the tail). A closed loop: each client is an
/// <see cref="HttpClient"/> with one keep-alive connection of its own, calling as one of the tenants
/// (client <c>i</c> is tenant <c>i mod tenants</c>) and sending its next request as soon as it has read
/// the whole answer of the last; every answer is checked (200, the client's own tenant). After a warm-up
/// that is not counted, each request's time from send to the last byte read is recorded, for the
/// percentiles, the maximum and requests per second.
/// </summary>
/// <remarks>
/// The server is the real host in this process (as in <see cref="ApiBenchmarks"/>), so client and server
/// share the two cores, as they would not in production: the figures are a floor on what a server alone
/// would do. Three passes: one client (the latency of a request on an otherwise idle server), the chosen
/// number of clients, and the same again with the server's response cache turned off
/// (<c>ResponseCache:MaxMegabytes = 0</c>), so that every request does the whole work.
/// </remarks>
internal static class ApiLoad
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
        var output = Option("--out") ?? Path.Combine(BenchData.RepositoryRoot(), "benchmarks", "BenchmarkDotNet.Artifacts", "results", "api-load.md");

        var before = LoadAverage();
        var results = new List<Result>();
        foreach (var (name, settings) in new (string, string[])[] { ("response cache on (default)", []), ("response cache off", ["--ResponseCache:MaxMegabytes", "0"]) })
        {
            using var server = ApiServer.Start(tenantCount: tenantCount, settings: settings);
            var path = (string tenant) => $"/v1/runs/{server.RunId}/tenants/{tenant}/fees";
            Console.Error.WriteLine($"// {name}: {server.Tenants.Count} tenants, {clients} clients, {warmup} s warm-up, {seconds} s measured");

            // Every tenant once first: the first request of a run loads its tables, which is not what is measured here.
            foreach (var tenant in server.Tenants)
            {
                using var client = server.Tenant(tenant);
                ApiServer.Get(client, path(tenant));
            }

            foreach (var n in new[] { 1, clients }.Distinct())
            {
                var result = Measure(server, path, n, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds)) with { Setting = name };
                Console.Error.WriteLine("// " + result.Row());
                results.Add(result);
            }
        }

        var after = LoadAverage();
        var report = Report(results, clients, seconds, warmup, tenantCount, before, after);
        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.Error.WriteLine($"// wrote {output}");
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static Result Measure(ApiServer server, Func<string, string> path, int clients, TimeSpan warmup, TimeSpan duration)
    {
        var tenants = server.Tenants;
        var http = Enumerable.Range(0, clients).Select(i => server.Tenant(tenants[i % tenants.Count])).ToList();
        var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(1 << 16)).ToList();
        var errors = new int[clients];
        var measuring = 0;
        var stop = 0;
        var gcBefore = (Gen0: 0, Gen1: 0, Gen2: 0);
        var cpuBefore = TimeSpan.Zero;

        async Task Client(int i)
        {
            var tenant = tenants[i % tenants.Count];
            var url = new Uri(path(tenant), UriKind.Relative);
            var own = Encoding.UTF8.GetBytes($"\"tenant\":\"{tenant}\"");
            var buffer = new byte[1 << 16];
            while (Volatile.Read(ref stop) == 0)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                try
                {
                    using var response = await http[i].GetAsync(url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    var read = await body.ReadAtLeastAsync(buffer, Math.Min(buffer.Length, 512), throwOnEndOfStream: false).ConfigureAwait(false);

                    // Isolation under load: the answer names the client's own tenant near its start.
                    ok = response.IsSuccessStatusCode && buffer.AsSpan(0, read).IndexOf(own) >= 0;
                    while (await body.ReadAsync(buffer).ConfigureAwait(false) > 0)
                    {
                    }
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                var ended = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref measuring) == 1)
                {
                    latencies[i].Add(ended - started);
                    if (!ok)
                    {
                        errors[i]++;
                    }
                }
            }
        }

        var tasks = Enumerable.Range(0, clients).Select(i => Task.Run(() => Client(i))).ToArray();
        Thread.Sleep(warmup);
        gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        Thread.Sleep(duration);
        Volatile.Write(ref measuring, 0);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var gc = (GC.CollectionCount(0) - gcBefore.Gen0, GC.CollectionCount(1) - gcBefore.Gen1, GC.CollectionCount(2) - gcBefore.Gen2);
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
            "", clients, all.Length, all.Length / elapsed.TotalSeconds, all.Length == 0 ? double.NaN : all.Average(Ms),
            Percentile(50), Percentile(90), Percentile(99), Percentile(99.9), all.Length == 0 ? double.NaN : Ms(all[^1]),
            errors.Sum(), cpu.TotalSeconds / elapsed.TotalSeconds, gc);
    }

    private static string Report(List<Result> results, int clients, int seconds, int warmup, int tenants, string before, string after)
    {
        var text = new StringBuilder();
        text.AppendLine("# The tenant fee request under load");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"`benchmarks/run.sh api-load` (`ApiLoad.cs`): `GET /v1/runs/{{run}}/tenants/{{tenant}}/fees` (JSON, first page and totals) over the published scale-50, seven-year run, {tenants} tenants each with its own key; closed loop, each client one HttpClient with one keep-alive connection, calling again as soon as the whole answer is read; {warmup} s warm-up, then {seconds} s measured; every answer checked (200 and the caller's own tenant). Server and clients in one process on the same cores (the real host on loopback, {(GCSettings.IsServerGC ? "server" : "workstation")} GC)."));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) before: {before}; after: {after}.");
        text.AppendLine();
        text.AppendLine("| server | clients | requests | requests/s | mean (ms) | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors | process CPU (cores) | GCs (0/1/2) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            text.AppendLine(r.Row());
        }

        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Target (issue 8): p99 ≤ 10 ms with {clients} concurrent clients."));
        return text.ToString();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private sealed record Result(
        string Setting, int Clients, int Requests, double PerSecond, double Mean, double P50, double P90, double P99, double P999, double Max, int Errors,
        double Cores, (int Gen0, int Gen1, int Gen2) Gcs)
    {
        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Setting} | {Clients} | {Requests:N0} | {PerSecond:N0} | {Mean:0.00} | {P50:0.00} | {P90:0.00} | {P99:0.00} | {P999:0.00} | {Max:0.00} | {Errors} | {Cores:0.00} | {Gcs.Gen0}/{Gcs.Gen1}/{Gcs.Gen2} |");
    }
}
