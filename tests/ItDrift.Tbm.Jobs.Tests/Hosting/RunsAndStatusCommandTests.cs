using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary><c>tbm host --once</c>, <c>tbm runs …</c> and <c>tbm status</c> as a user types them.</summary>
public sealed class RunsAndStatusCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void HostOnce_RunsAndStatus_ShowPublishMarkAndPrune()
    {
        var fk = _workspace.Package("FK");
        _workspace.Package("SKV");
        var runs = _workspace.Runs;

        var once = Tbm("host", "--models", _workspace.Models, "--runs", runs, "--once");
        Assert.True(once.Code == 0, once.Err);
        Assert.Contains("FK: published run", once.Out, StringComparison.Ordinal);
        Assert.Contains("SKV: published run", once.Out, StringComparison.Ordinal);
        var first = _workspace.Store().Latest("FK")!;

        Workspace.Change(fk);
        Assert.Equal(0, Tbm("host", "--models", _workspace.Models, "--runs", runs, "--once").Code);
        var second = _workspace.Store().Latest("FK")!;
        Assert.NotEqual(first.RunId, second.RunId);

        var list = Tbm("runs", "list", "--runs", runs, "--attempts", "10");
        Assert.Equal(0, list.Code);
        Assert.Contains(first.RunId, list.Out, StringComparison.Ordinal);
        Assert.Contains($"{second.RunId} ", list.Out, StringComparison.Ordinal);
        Assert.Contains("latest", list.Out, StringComparison.Ordinal);
        Assert.Contains("published", list.Out, StringComparison.Ordinal);

        var show = Tbm("runs", "show", "--runs", runs, "--run", first.RunId);
        Assert.Equal(0, show.Code);
        Assert.Contains("ledger.csv", show.Out, StringComparison.Ordinal);
        Assert.Contains("latest for: no year", show.Out, StringComparison.Ordinal);

        var mark = Tbm("runs", "mark-final", "--runs", runs, "--run", first.RunId, "--reason", "invoice 2025-17");
        Assert.Equal(0, mark.Code);
        Assert.Contains("never pruned", mark.Out, StringComparison.Ordinal);
        var prune = Tbm("runs", "prune", "--runs", runs, "--keep", "1");
        Assert.Equal(0, prune.Code);
        Assert.Contains("0 run(s) removed", prune.Out, StringComparison.Ordinal); // first is final, second latest
        Assert.Equal("invoice 2025-17", _workspace.Store().Read("FK", first.RunId)!.Final!.Reason);

        var status = Tbm("status", "--runs", runs, "--host", "http://127.0.0.1:9");
        Assert.Equal(0, status.Code);
        Assert.Contains($"FK           2025  {second.RunId}", status.Out, StringComparison.Ordinal);
        Assert.Contains("Running: none", status.Out, StringComparison.Ordinal);
        Assert.Contains("Failures: none", status.Out, StringComparison.Ordinal);
        Assert.Contains("no jobs host answered", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RunPublish_RecordsItsAttempt_AndAnotherPreviousRunIsAnotherRun()
    {
        var fk = _workspace.Package("FK");
        var runs = _workspace.Runs;

        var first = Tbm("run", "--model", fk, "--publish", "--runs", runs);
        Assert.True(first.Code == 0, first.Err);
        var published = _workspace.Store().Latest("FK")!;
        Assert.Contains($"Published run {published.RunId} of FK", first.Out, StringComparison.Ordinal);
        var attempt = Assert.Single(_workspace.Store().Attempts("FK"));
        Assert.Equal(("FK", "cli", AttemptStatus.Published, published.RunId), (attempt.Package, attempt.Trigger, attempt.Status, attempt.RunId));

        // The same inputs and options: nothing run again, no second attempt.
        var again = Tbm("run", "--model", fk, "--publish", "--runs", runs);
        Assert.Equal(0, again.Code);
        Assert.Contains($"Run {published.RunId} of FK was already published (same inputs and options)", again.Out, StringComparison.Ordinal);
        Assert.Single(_workspace.Store().Attempts("FK"));

        // The same inputs after a previous run carry its balances forward: another output, so another run.
        var after = Tbm("run", "--model", fk, "--publish", "--runs", runs, "--previous-run", published.Directory);
        Assert.True(after.Code == 0, after.Err);
        Assert.NotEqual(published.RunId, _workspace.Store().Latest("FK")!.RunId);
        Assert.Equal(2, _workspace.Store().Attempts("FK").Count);
    }

    [Fact]
    public void RunPublish_OfAModelFolderThatDoesNotExist_ExitsWith2_InOneLine()
    {
        var missing = Path.Combine(_workspace.Root, "no-such-model");
        var (code, _, err) = Tbm("run", "--model", missing, "--publish", "--runs", _workspace.Runs);
        Assert.Equal(2, code);
        Assert.Equal($"tbm: the model folder '{missing}' does not exist; nothing was published", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Status_ShowsAFailedPackage_WithItsError()
    {
        var fk = _workspace.Package("FK");
        File.AppendAllText(Path.Combine(fk, "ledger.csv"), "2025,1,4011,KS1,not-money\n");

        var once = Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once");

        Assert.Equal(2, once.Code);
        Assert.Contains("not published: model error", once.Out, StringComparison.Ordinal);
        var status = Tbm("status", "--runs", _workspace.Runs, "--host", "http://127.0.0.1:9");
        Assert.Contains("nothing published yet", status.Out, StringComparison.Ordinal);
        Assert.Contains("FK (FK) failed", status.Out, StringComparison.Ordinal);
        Assert.Contains("ledger.csv", status.Out, StringComparison.Ordinal);
        Assert.Equal(AttemptStatus.Failed, _workspace.Store().Attempts().Single().Status);
    }

    [Fact]
    public void Runs_And_Host_ExplainWrongUsage()
    {
        Assert.Equal(2, Tbm("runs").Code);
        Assert.Contains("list, show, mark-final, prune", Tbm("runs", "frob").Err, StringComparison.Ordinal);
        Assert.Contains("no published run", Tbm("runs", "show", "--runs", _workspace.Runs, "--run", "abc").Err, StringComparison.Ordinal);
        Assert.Contains("does not exist", Tbm("host", "--models", Path.Combine(_workspace.Root, "none"), "--once").Err, StringComparison.Ordinal);
        Assert.Contains("--log takes text or json", Tbm("host", "--log", "xml", "--once").Err, StringComparison.Ordinal);
        Assert.Contains("unknown time zone", Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--time-zone", "Mars/Olympus", "--urls", "http://127.0.0.1:0").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void HostOnce_ExitsWith2_WhileAPackageStillFails_EvenWhenItsInputsFailedBefore()
    {
        var fk = _workspace.Package("FK");
        File.AppendAllText(Path.Combine(fk, "ledger.csv"), "2025,1,4011,KS1,not-money\n");
        Assert.Equal(2, Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once").Code);

        // The same inputs again: not recalculated, but still failing, which cron must hear about.
        var again = Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once");

        Assert.Equal(2, again.Code);
        Assert.Contains("FK: not published: these inputs failed before: model error", again.Out, StringComparison.Ordinal);
        Assert.Single(_workspace.Store().Attempts());
    }

    [Fact]
    public void Status_ShowsAPackageCurrent_AfterItsInputIsRevertedToThePublishedVersion()
    {
        var fk = _workspace.Package("FK");
        var ledger = Path.Combine(fk, "ledger.csv");
        var published = File.ReadAllText(ledger);
        Assert.Equal(0, Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once").Code);
        var run = _workspace.Store().Latest("FK")!.RunId;
        File.AppendAllText(ledger, "2025,1,4011,KS1,not-money\n");
        Assert.Equal(2, Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once").Code);
        Assert.Contains("FK (FK) failed", Tbm("status", "--runs", _workspace.Runs, "--host", "http://127.0.0.1:9").Out, StringComparison.Ordinal);

        File.WriteAllText(ledger, published);
        var once = Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--once");

        Assert.True(once.Code == 0, once.Out + once.Err);
        Assert.Contains($"FK: its inputs are those of run {run} again; it is current", once.Out, StringComparison.Ordinal);
        var status = Tbm("status", "--runs", _workspace.Runs, "--host", "http://127.0.0.1:9");
        Assert.Contains("Failures: none", status.Out, StringComparison.Ordinal);
        Assert.Contains($"FK           2025  {run}", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_OfAStoreThatDoesNotExist_ExitsWith2_SayingSo()
    {
        var missing = Path.Combine(_workspace.Root, "nonexistent");

        var (code, stdout, err) = Tbm("status", "--runs", missing, "--host", "http://127.0.0.1:9");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"tbm: the runs store '{missing}' does not exist (--runs names the folder runs are published into)", err.Trim());
    }

    [Fact]
    public async Task Host_WithACronThatIsNoCron_RefusesToStart_ExitsWith2_InOneLine()
    {
        var host = Task.Run(() => Tbm("host", "--models", _workspace.Models, "--runs", _workspace.Runs, "--cron", "bogus", "--urls", "http://127.0.0.1:0"));

        // Before the fix the host ran on with no schedule: this waits, not for ever.
        var (code, stdout, err) = await host.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("tbm: --cron 'bogus' is not a cron expression (five fields: minute hour day month weekday, e.g. '0 2 * * *')", err.Trim());
    }
}
