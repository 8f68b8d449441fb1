using Hangfire;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Http;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>The job queue's counts, as the health endpoint and <c>tbm status</c> show them.</summary>
/// <param name="Storage">in-memory, or postgresql host:port/database (never a password).</param>
/// <param name="Enqueued">Jobs waiting in the queues.</param>
/// <param name="Processing">Jobs a worker is running.</param>
/// <param name="Scheduled">Jobs due later (delayed or retrying after a wait).</param>
/// <param name="Failed">Jobs that failed for good (out of retries).</param>
/// <param name="Retries">Jobs in Hangfire's retries set.</param>
/// <param name="Servers">Hangfire servers (hosts) alive on the storage.</param>
/// <param name="Recurring">Recurring jobs registered.</param>
internal sealed record QueueStatus(string Storage, long Enqueued, long Processing, long Scheduled, long Failed, long Retries, long Servers, long Recurring);

/// <summary>What the health endpoint answers: counts only — no supplier, package, path or fee data — so it needs no authentication.</summary>
internal static class HostStatus
{
    public static QueueStatus Queue(JobStorage storage, string description)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        return new QueueStatus(description, statistics.Enqueued, statistics.Processing, statistics.Scheduled, statistics.Failed, statistics.Retries ?? 0, statistics.Servers, statistics.Recurring);
    }

    public static IResult Health(JobStorage storage, HostSettings settings, RunStore store)
    {
        try
        {
            var queue = Queue(storage, settings.StorageDescription);
            // Counts only: which supplier's package is being recalculated, and how far, is for signed-in readers (the Runs page).
            var running = store.Attempts().Count(a => a.Status == AttemptStatus.Running);
            return Results.Ok(new
            {
                status = "ok",
                engine = EngineInfo.Version,
                server = RunStore.ProcessTag,
                queue,
                running,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The storage is unreachable (the database is down): say so, without the connection string.
            return Results.Json(new { status = "unhealthy", engine = EngineInfo.Version, server = RunStore.ProcessTag, error = e.GetType().Name }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
