using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm status</c>: the latest run per supplier and fiscal year, recalculations in progress, recent
/// failures, and the job queue (from PostgreSQL when configured, else from the host's health endpoint).
/// </summary>
internal static class StatusCommand
{
    public static int Execute(string runs, string? host, TextWriter stdout)
    {
        if (!Directory.Exists(runs))
        {
            throw TbmException.NotFound($"the runs store '{runs}' does not exist (--runs names the folder runs are published into)");
        }

        var store = new RunStore(runs);
        stdout.WriteLine($"Runs store: {store.Root}");
        var latest = store.Suppliers().SelectMany(s => store.LatestByYear(s).Select(y => (Supplier: s, Year: y.Key, Run: y.Value))).ToList();
        if (latest.Count == 0)
        {
            stdout.WriteLine("  nothing published yet");
        }
        else
        {
            stdout.WriteLine($"  {"supplier",-12} {"year",-5} {"run",-16} {"published (UTC)",-20} {"package",-20} final");
            foreach (var (supplier, year, run) in latest)
            {
                stdout.WriteLine($"  {supplier,-12} {year,-5} {run.RunId,-16} {RunsCommand.Time(run.PublishedAt),-20} {run.Package ?? "",-20} {(run.Final is null ? "" : "final")}".TrimEnd());
            }
        }

        var attempts = store.Attempts();
        var running = attempts.Where(a => a.Status == AttemptStatus.Running).ToList();
        stdout.WriteLine();
        stdout.WriteLine(running.Count == 0 ? "Running: none" : "Running:");
        foreach (var a in running)
        {
            stdout.WriteLine($"  {a.Package} ({a.Supplier ?? "?"}) since {RunsCommand.Time(a.StartedAt)} UTC on {a.Process}: {a.Stage ?? "starting"}{(a.Message is null ? "" : " — " + a.Message)}");
        }

        // The latest attempt per package, when it did not publish: what needs someone's attention.
        var failing = attempts.GroupBy(a => a.Package, StringComparer.Ordinal).Select(g => g.First())
            .Where(a => a.Status is AttemptStatus.Failed or AttemptStatus.Interrupted or AttemptStatus.Cancelled).ToList();
        stdout.WriteLine(failing.Count == 0 ? "Failures: none (every package's latest attempt published)" : "Failures (the latest attempt of these packages did not publish):");
        foreach (var a in failing)
        {
            stdout.WriteLine($"  {a.Package} ({a.Supplier ?? "?"}) {a.Status.ToString().ToLowerInvariant()} at {RunsCommand.Time(a.FinishedAt ?? a.StartedAt)} UTC: {a.Error}");
        }

        stdout.WriteLine();
        stdout.WriteLine(Queue(host));
        return CommandLine.Ok;
    }

    private static string Queue(string? hostUrl)
    {
        var postgres = HostSettings.PostgresFrom(HostSettings.LoadConfiguration());
        if (postgres is not null && hostUrl is null)
        {
            try
            {
                var settings = new HostSettings("models", "runs") { Postgres = postgres };
                var storage = JobsHost.CreateStorage(settings, prepareSchema: false);
                return Describe(HostStatus.Queue(storage, settings.StorageDescription));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"Queue: the database {HostSettings.Describe(postgres)} cannot be read: {e.GetType().Name}: {e.Message}";
            }
        }

        var url = (hostUrl ?? new HostSettings("models", "runs").Urls).TrimEnd('/') + "/health";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var health = http.GetFromJsonAsync<JsonDocument>(url).GetAwaiter().GetResult();
            var queue = health!.RootElement.GetProperty("queue").Deserialize<QueueStatus>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            return Describe(queue) + $"\n  (from {url})";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"Queue: no jobs host answered at {url} ({e.Message}); the embedded in-memory queue lives inside the host. Set {HostSettings.PostgresVariable} to read a PostgreSQL queue directly.";
        }
    }

    private static string Describe(QueueStatus q) => string.Create(CultureInfo.InvariantCulture,
        $"Queue ({q.Storage}): {q.Enqueued} enqueued, {q.Processing} processing, {q.Scheduled} scheduled, {q.Retries} awaiting retry, {q.Failed} failed; {q.Servers} server(s), {q.Recurring} recurring job(s)");
}
