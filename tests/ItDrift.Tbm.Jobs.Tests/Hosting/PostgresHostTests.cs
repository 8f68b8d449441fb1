using System.Net;
using System.Text.Json;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;
using Npgsql;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>PostgreSQL as the queue: real servers, real host processes on loopback.</summary>
public sealed class PostgresHostTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [PostgresFact]
    public void TwoHosts_ShareTheQueue_AndRecalculateEachChangeExactlyOnce()
    {
        using var database = new PostgresDatabase();
        string[] suppliers = ["FK", "SKV", "LM", "TRV"];
        foreach (var s in suppliers)
        {
            _workspace.Package(s, ledgerLines: 8_000);
        }

        var (_, key) = new ApiKeyStore(_workspace.Keys).Add(AccessGrant.Create(Role.Coordinator, null, null));
        using var a = new HostProcess(_workspace, database.ConnectionString);
        using var b = new HostProcess(_workspace, database.ConnectionString);
        using var http = new HttpClient();
        a.WaitHealthy(http);
        b.WaitHealthy(http);
        var store = _workspace.Store();

        // Both hosts run the catch-up scan at start, so every package is queued twice; each is computed once.
        Wait.Until(() => suppliers.All(s => store.Latest(s) is not null) && Idle(http, a), TimeSpan.FromMinutes(3), "all packages published and the queue idle", () => a.Output + b.Output);
        var attempts = store.Attempts();
        Assert.Equal(suppliers.Length, attempts.Count);
        Assert.All(attempts, x => Assert.Equal(AttemptStatus.Published, x.Status));
        Assert.Equal(suppliers.Order(StringComparer.Ordinal), attempts.Select(x => x.Package).Order(StringComparer.Ordinal));
        using (var health = JsonDocument.Parse(http.GetStringAsync(a.Url + "/health").GetAwaiter().GetResult()))
        {
            Assert.Equal(2, health.RootElement.GetProperty("queue").GetProperty("servers").GetInt64());
            Assert.StartsWith("postgresql 127.0.0.1", health.RootElement.GetProperty("queue").GetProperty("storage").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("password", health.RootElement.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        // One change, asked for on both hosts at once: one more engine run, not two.
        Workspace.Change(Path.Combine(_workspace.Models, "SKV"));
        foreach (var host in new[] { a, b })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, host.Url + "/recalculate/SKV");
            request.Headers.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.Accepted, http.Send(request).StatusCode);
        }

        Wait.Until(() => store.Attempts("SKV").Count >= 2 && Idle(http, a), TimeSpan.FromMinutes(3), "the on-demand recalculation", () => a.Output + b.Output);
        Thread.Sleep(1000);
        var skv = store.Attempts("SKV");
        Assert.Equal(2, skv.Count);
        Assert.All(skv, x => Assert.Equal(AttemptStatus.Published, x.Status));
        Assert.Equal(skv[0].RunId, store.Latest("SKV")!.RunId);
        Assert.Contains("is unchanged", a.Output + b.Output, StringComparison.Ordinal);

        a.Stop();
        b.Stop();
    }

    [PostgresFact]
    public void PackageLock_IsExclusiveAcrossConnections_AndFreedWhenItsSessionDies()
    {
        using var database = new PostgresDatabase();
        var store = _workspace.Store();
        var locks = new PostgresPackageLocks(database.ConnectionString, store);
        var other = new PostgresPackageLocks(database.ConnectionString, new RunStore(_workspace.Runs + "-elsewhere"));

        using (locks.Acquire("FK", TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            // Another host with its own store folder is still kept out by the database.
            Assert.Throws<TimeoutException>(() => other.Acquire("FK", TimeSpan.FromSeconds(2), CancellationToken.None));
            using (other.Acquire("SKV", TimeSpan.FromSeconds(5), CancellationToken.None))
            {
            }
        }

        using (other.Acquire("FK", TimeSpan.FromSeconds(5), CancellationToken.None))
        {
        }

        // A holder that dies: its session ends and PostgreSQL frees the lock at once, no expiry to wait for.
        var held = other.Acquire("LM", TimeSpan.FromSeconds(5), CancellationToken.None);
        using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            admin.Open();
            using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'tbm package lock' AND datname = current_database()", admin);
            Assert.Equal(1L, kill.ExecuteScalar());
        }

        Wait.Until(() =>
        {
            try
            {
                using var again = new PostgresPackageLocks(database.ConnectionString, new RunStore(_workspace.Runs + "-third")).Acquire("LM", TimeSpan.FromMilliseconds(500), CancellationToken.None);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the dead session's lock to be free");
        held.Dispose(); // releasing a lock whose session is gone is harmless
    }

    [PostgresFact]
    public void Storage_CreatesItsSchema_AndCountsTheQueue()
    {
        using var database = new PostgresDatabase();
        var settings = new HostSettings(_workspace.Models, _workspace.Runs) { Postgres = database.ConnectionString };
        var storage = JobsHost.CreateStorage(settings);
        var client = new Hangfire.BackgroundJobClient(storage);
        client.Create(Hangfire.Common.Job.FromExpression<RecalculationJobs>(j => j.RecalculatePackage("FK", "on-demand", null, CancellationToken.None)), new Hangfire.States.EnqueuedState("default"));

        var queue = HostStatus.Queue(storage, settings.StorageDescription);

        Assert.Equal(1, queue.Enqueued);
        Assert.Equal(0, queue.Failed);
        Assert.DoesNotContain("Password", settings.StorageDescription, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(database.Name, settings.StorageDescription, StringComparison.Ordinal);
    }

    private static bool Idle(HttpClient http, HostProcess host)
    {
        using var health = JsonDocument.Parse(http.GetStringAsync(host.Url + "/health").GetAwaiter().GetResult());
        var queue = health.RootElement.GetProperty("queue");
        return queue.GetProperty("enqueued").GetInt64() == 0 && queue.GetProperty("processing").GetInt64() == 0 && health.RootElement.GetProperty("running").GetInt64() == 0;
    }
}
