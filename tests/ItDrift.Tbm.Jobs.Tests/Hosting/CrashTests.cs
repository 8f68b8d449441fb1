using System.Net;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>
/// A real <c>tbm host</c> process killed with SIGKILL in the middle of a recalculation: readers stay on the
/// previous run, whole and unchanged, and the next pass (here a manual one) completes the new run.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void SigKill_MidRecalculation_LeavesThePreviousRunLatestAndIntact_AndTheNextPassCompletesIt()
    {
        var (package, previous, snapshot) = PublishThenChange();
        using (var host = new HostProcess(_workspace, postgres: null))
        {
            KillMidRun(host, package);
        }

        AssertReadersStillOnThePreviousRun(previous, snapshot);

        // The manual trigger: one pass, as cron or an operator would run it.
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(["host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        AssertCompletedAfterTheCrash(previous);
    }

    [PostgresFact]
    public void SigKill_OfOneHost_MidRecalculation_AnotherHostOnTheSameDatabaseCompletesIt()
    {
        using var database = new PostgresDatabase();
        var (package, previous, snapshot) = PublishThenChange();
        using (var first = new HostProcess(_workspace, database.ConnectionString))
        {
            KillMidRun(first, package);
        }

        AssertReadersStillOnThePreviousRun(previous, snapshot);

        // A second host on the same queue and store: its catch-up pass at start finds the package changed.
        using var second = new HostProcess(_workspace, database.ConnectionString);
        using var http = new HttpClient();
        second.WaitHealthy(http);
        var store = _workspace.Store();
        Wait.Until(() => store.Attempts("FK").FirstOrDefault() is { Status: AttemptStatus.Published } a && a.RunId != previous.RunId, TimeSpan.FromMinutes(3), "the second host to publish the new run", () => second.Output);
        second.Stop();
        AssertCompletedAfterTheCrash(previous);
    }

    private (string Package, PublishedRun Previous, Dictionary<string, string> Snapshot) PublishThenChange()
    {
        // Large enough that a run takes seconds, so the kill lands in the middle of one.
        var package = _workspace.Package("FK", ledgerLines: 150_000);
        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            Assert.Equal(0, CommandLine.Run(["host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once"], stdout, stderr));
        }

        var previous = _workspace.Store().Latest("FK")!;
        var snapshot = Workspace.Snapshot(previous.Directory);
        Workspace.Change(package);
        return (package, previous, snapshot);
    }

    private void KillMidRun(HostProcess host, string package)
    {
        var store = _workspace.Store();
        var changed = PackageFingerprint.Of(package).RunId;

        // Killed while the engine works: after reading, before the run is published.
        Wait.Until(
            () => store.Attempts("FK").FirstOrDefault() is { Status: AttemptStatus.Running, Stage: "check" or "map" or "allocate" or "fees" } a && a.RunId == changed,
            TimeSpan.FromMinutes(2), "the host to be in the middle of the recalculation", () => host.Output);
        host.Kill();
        Assert.True(host.HasExited);
        Assert.Null(store.Read("FK", changed));
    }

    private void AssertReadersStillOnThePreviousRun(PublishedRun previous, Dictionary<string, string> snapshot)
    {
        var store = _workspace.Store();
        Assert.Equal(previous.RunId, store.Latest("FK")!.RunId);
        foreach (var year in previous.FiscalYears)
        {
            Assert.Equal(previous.RunId, store.Latest("FK", year)!.RunId);
        }

        Assert.Equal(snapshot, Workspace.Snapshot(previous.Directory));
        var folder = Runs.RunFolder.Open(previous.Directory); // readable as the API reads it
        Assert.Equal(previous.RunId, folder.RunId);
        Assert.Single(store.List("FK"));
        var dead = store.Attempts("FK").First();
        Assert.Equal(AttemptStatus.Running, dead.Status); // what the catalogue knew when the process died
    }

    private void AssertCompletedAfterTheCrash(PublishedRun previous)
    {
        var store = _workspace.Store();
        var latest = store.Latest("FK")!;
        Assert.NotEqual(previous.RunId, latest.RunId);
        Assert.True(File.Exists(Path.Combine(latest.Directory, "fees.csv")));
        var attempts = store.Attempts("FK");
        Assert.Equal(AttemptStatus.Published, attempts[0].Status);
        Assert.Equal(latest.RunId, attempts[0].RunId);
        var interrupted = Assert.Single(attempts, a => a.Status == AttemptStatus.Interrupted);
        Assert.Contains("stopped before it finished", interrupted.Error, StringComparison.Ordinal);
        Assert.Equal(2, store.List("FK").Count);
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(_workspace.Runs, ".work")), d => !Path.GetFileName(d).Contains(RunStore.ProcessTag, StringComparison.Ordinal));
    }
}
