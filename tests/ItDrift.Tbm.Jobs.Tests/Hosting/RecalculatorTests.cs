using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.Extensions.Logging.Abstractions;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>The unit of work of every job: one package, recalculated only when its inputs changed, published safely.</summary>
public sealed class RecalculatorTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private Recalculator Recalculator()
    {
        var store = _workspace.Store();
        return new Recalculator(new HostSettings(_workspace.Models, _workspace.Runs), store, new StorePackageLocks(store), NullLogger<Recalculator>.Instance);
    }

    [Fact]
    public void Recalculate_PublishesOnce_ThenFindsThePackageUnchanged()
    {
        _workspace.Package("FK");
        var recalculator = Recalculator();
        var package = Assert.Single(recalculator.Packages.Discover());

        var first = recalculator.Recalculate(package, "once", retryModelErrors: false, progress: null, CancellationToken.None);
        var second = recalculator.Recalculate(package, "once", retryModelErrors: false, progress: null, CancellationToken.None);

        Assert.Equal(RecalculationOutcome.Published, first.Outcome);
        Assert.Equal(RecalculationOutcome.Unchanged, second.Outcome);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Empty(recalculator.Changed([package], includeKnownFailures: false));
        var attempt = Assert.Single(recalculator.Store.Attempts());
        Assert.Equal(AttemptStatus.Published, attempt.Status);
        Assert.Equal(first.RunId, recalculator.Store.Latest("FK", 2025)!.RunId);
    }

    [Fact]
    public void Recalculate_RunsOnceOnly_WhenTwoWorkersTakeTheSamePackageAtOnce()
    {
        _workspace.Package("FK", ledgerLines: 20_000);
        var recalculator = Recalculator();
        var package = Assert.Single(recalculator.Packages.Discover());

        var results = new RecalculationResult[2];
        Parallel.For(0, 2, i => results[i] = Recalculator().Recalculate(package, "nightly", false, null, CancellationToken.None));

        Assert.Equal([RecalculationOutcome.Published, RecalculationOutcome.Unchanged], results.Select(r => r.Outcome).Order());
        Assert.Single(recalculator.Store.Attempts());
        Assert.Single(recalculator.Store.List("FK"));
    }

    [Fact]
    public void Recalculate_RecordsModelErrors_AndLeavesThePreviousRunTheLatest()
    {
        var folder = _workspace.Package("FK");
        var recalculator = Recalculator();
        var package = Assert.Single(recalculator.Packages.Discover());
        var good = recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None);
        var before = Workspace.Snapshot(recalculator.Store.Latest("FK")!.Directory);

        File.AppendAllText(Path.Combine(folder, "ledger.csv"), "2025,19,4011,KS1,12.345\n");
        var bad = recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None);

        Assert.Equal(RecalculationOutcome.ModelError, bad.Outcome);
        Assert.Contains("model error", bad.Error, StringComparison.Ordinal);
        Assert.Equal(good.RunId, recalculator.Store.Latest("FK")!.RunId);
        Assert.Equal(before, Workspace.Snapshot(recalculator.Store.Latest("FK")!.Directory));
        var failed = recalculator.Store.Attempts().First();
        Assert.Equal(AttemptStatus.Failed, failed.Status);
        Assert.Contains("ledger.csv", failed.Error, StringComparison.Ordinal);

        // The nightly pass does not try the same broken inputs again; an on-demand run does.
        Assert.Empty(recalculator.Changed([package], includeKnownFailures: false));
        Assert.Equal(RecalculationOutcome.KnownFailure, recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None).Outcome);
        Assert.Equal(RecalculationOutcome.ModelError, recalculator.Recalculate(package, "on-demand", true, null, CancellationToken.None).Outcome);
        Assert.Equal(3, recalculator.Store.Attempts().Count);
    }

    [Fact]
    public void Recalculate_PointsLatestBack_WhenInputsReturnToAPublishedRun()
    {
        var folder = _workspace.Package("FK");
        var recalculator = Recalculator();
        var package = Assert.Single(recalculator.Packages.Discover());
        var ledger = Path.Combine(folder, "ledger.csv");
        var original = File.ReadAllBytes(ledger);
        var first = recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None);
        Workspace.Change(folder);
        var second = recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None);
        File.WriteAllBytes(ledger, original);

        var third = recalculator.Recalculate(package, "nightly", false, null, CancellationToken.None);

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(RecalculationOutcome.Repointed, third.Outcome);
        Assert.Equal(first.RunId, recalculator.Store.Latest("FK")!.RunId);
        Assert.Equal(2, recalculator.Store.Attempts().Count); // no third engine run
    }

    [Fact]
    public void Recalculate_WhenCancelled_PublishesNothing_AndRecordsIt()
    {
        _workspace.Package("FK");
        var recalculator = Recalculator();
        var package = Assert.Single(recalculator.Packages.Discover());
        using var cancelled = new CancellationTokenSource();
        var progress = new CancelOnStage("map", cancelled);

        Assert.ThrowsAny<OperationCanceledException>(() => recalculator.Recalculate(package, "on-demand", true, progress, cancelled.Token));

        Assert.Empty(recalculator.Store.List());
        Assert.Null(recalculator.Store.Latest("FK"));
        Assert.Equal(AttemptStatus.Cancelled, Assert.Single(recalculator.Store.Attempts()).Status);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_workspace.Runs, ".work")));
    }

    [Fact]
    public void Discover_FindsPackagesBelowTheModelsFolder_OrTheFolderItself()
    {
        var fk = _workspace.Package("FK");
        Directory.CreateDirectory(Path.Combine(_workspace.Models, "SKV", "2026"));
        foreach (var file in Directory.GetFiles(fk))
        {
            File.Copy(file, Path.Combine(_workspace.Models, "SKV", "2026", Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(_workspace.Models, ".hidden", "x"));

        Assert.Equal(["FK", "SKV/2026"], new ModelPackages(_workspace.Models).Discover().Select(p => p.Key));
        Assert.Equal(["FK"], new ModelPackages(fk).Discover().Select(p => p.Key));
        Assert.Empty(new ModelPackages(Path.Combine(_workspace.Root, "missing")).Discover());
    }

    private sealed class CancelOnStage(string stage, CancellationTokenSource source) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.StartsWith(stage, StringComparison.Ordinal))
            {
                source.Cancel();
            }
        }
    }
}
