using System.Text.Json;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Runs;

/// <summary>The runs store: publishing, the catalogue, final marks, retention and locks, on real folders.</summary>
public sealed class RunStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly SteppingTime _time = new(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private RunStore Store() => new(_temp.Combine("runs"), _time);

    /// <summary>A finished run folder as the engine leaves it (only what the store looks at).</summary>
    private static string FakeRun(RunStore store, string content = "x")
    {
        var work = store.NewWorkFolder();
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "run.json"), content);
        File.WriteAllText(Path.Combine(work, "fees.csv"), "fiscal_year,scenario,tenant,service,cost_pool,amount\n");
        return work;
    }

    [Fact]
    public void Publish_IsIdempotent_ForTheSameRunId()
    {
        var store = Store();
        var (first, isNew) = store.Publish(FakeRun(store, "a"), "FK", "r1", [2025]);
        var second = FakeRun(store, "b");
        var (again, againNew) = store.Publish(second, "FK", "r1", [2025]);

        Assert.True(isNew);
        Assert.False(againNew);
        Assert.Equal(first.PublishedAt, again.PublishedAt);
        Assert.Equal("a", File.ReadAllText(Path.Combine(first.Directory, "run.json"))); // never appended to or replaced
        Assert.False(Directory.Exists(second));
        Assert.Single(store.List("FK"));
    }

    [Fact]
    public void Publish_WithAnAttempt_RecordsTimesInPublicationAndCatalogue()
    {
        var store = Store();
        var attempt = store.BeginAttempt(new AttemptStart("models/FK", "FK", "r1", "nightly"));
        _time.Advance(TimeSpan.FromMinutes(3));
        store.ReportProgress(attempt.Id, "allocate", "allocating step 2");
        Assert.Equal("allocate", store.Attempt(attempt.Id)!.Stage);

        var (run, _) = store.Publish(FakeRun(store), "FK", "r1", [2026, 2025], attempt);

        Assert.Equal(attempt.StartedAt, run.StartedAt);
        Assert.Equal(attempt.StartedAt + TimeSpan.FromMinutes(3), run.FinishedAt);
        Assert.Equal("models/FK", run.Package);
        Assert.Equal([2025, 2026], run.FiscalYears);
        var recorded = store.Attempt(attempt.Id)!;
        Assert.Equal(AttemptStatus.Published, recorded.Status);
        Assert.Equal(run.FinishedAt, recorded.FinishedAt);
        Assert.Equal([2025, 2026], recorded.FiscalYears);
    }

    [Fact]
    public void EndAttempt_RecordsTheError_AndLeavesTheLatestRunAlone()
    {
        var store = Store();
        store.Publish(FakeRun(store), "FK", "r1", [2025]);
        var attempt = store.BeginAttempt(new AttemptStart("FK", "FK", "r2", "nightly"));
        store.EndAttempt(attempt.Id, AttemptStatus.Failed, RunStore.ModelErrorPrefix + ": 1 error(s): ledger.csv:3 amount: not a number");

        Assert.Equal("r1", store.Latest("FK")!.RunId);
        var failed = store.Attempts("FK").First();
        Assert.Equal(AttemptStatus.Failed, failed.Status);
        Assert.Contains("ledger.csv:3", failed.Error, StringComparison.Ordinal);
        Assert.True(store.FailedBefore("FK", "r2"));
        Assert.False(store.FailedBefore("FK", "r1"));
    }

    [Fact]
    public void MarkAbandoned_MarksRunningAttemptsOfThePackageInterrupted()
    {
        var store = Store();
        var dead = store.BeginAttempt(new AttemptStart("FK", "FK", "r2", "nightly"));
        var other = store.BeginAttempt(new AttemptStart("SKV", "SKV", "r3", "nightly"));

        Assert.Equal(1, store.MarkAbandoned("FK", "killed"));
        Assert.Equal(AttemptStatus.Interrupted, store.Attempt(dead.Id)!.Status);
        Assert.Equal("killed", store.Attempt(dead.Id)!.Error);
        Assert.Equal(AttemptStatus.Running, store.Attempt(other.Id)!.Status);
    }

    [Fact]
    public void IsCurrent_IsFalseForAnOlderRun_UntilMakeLatestPointsAtItAgain()
    {
        var store = Store();
        store.Publish(FakeRun(store), "FK", "old", [2024, 2025]);
        _time.Advance(TimeSpan.FromDays(1));
        store.Publish(FakeRun(store), "FK", "new", [2025]);

        Assert.True(store.IsCurrent("FK", "new"));
        Assert.False(store.IsCurrent("FK", "old")); // 2025 points at "new"
        Assert.Equal("old", store.Latest("FK", 2024)!.RunId);
        Assert.False(store.IsCurrent("FK", "missing"));

        store.MakeLatest("FK", "old");
        Assert.True(store.IsCurrent("FK", "old"));
        Assert.Equal("old", store.Latest("FK")!.RunId);
    }

    [Fact]
    public void Prune_KeepsTheNewest_FinalAndLatestRuns()
    {
        var store = Store();
        foreach (var (id, year) in new[] { ("r1", 2022), ("r2", 2023), ("r3", 2024), ("r4", 2025), ("r5", 2025) })
        {
            _time.Advance(TimeSpan.FromDays(1));
            store.Publish(FakeRun(store), "FK", id, [year]);
        }

        store.MarkFinal("FK", "r2", "invoice 2023-12");
        var dry = store.Prune(keep: 1, dryRun: true);
        Assert.Equal(["r4"], dry.Removed.Select(r => r.RunId));
        Assert.True(Directory.Exists(Path.Combine(store.Root, "FK", "r4")));

        var pruned = store.Prune(keep: 1);

        // r5 newest; r2 final; r1 and r3 are the latest for 2022 and 2024; r4 is nothing any more.
        Assert.Equal(["r4"], pruned.Removed.Select(r => r.RunId));
        Assert.Equal(["r1", "r2", "r3", "r5"], store.List("FK").Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(store.Root, "FK", "r4")));
        Assert.Equal("invoice 2023-12", store.Read("FK", "r2")!.Final!.Reason);
    }

    [Fact]
    public void MarkFinal_KeepsTheFirstMark_AndRefusesUnknownRuns()
    {
        var store = Store();
        store.Publish(FakeRun(store), "FK", "r1", [2025]);
        var first = store.MarkFinal("FK", "r1", "invoice 1");
        _time.Advance(TimeSpan.FromDays(1));
        var again = store.MarkFinal("FK", "r1", "invoice 2");

        Assert.Equal(first.Final, again.Final);
        Assert.Throws<TbmException>(() => store.MarkFinal("FK", "nope", null));
        Assert.Throws<TbmException>(() => store.MarkFinal("..", "r1", null));
    }

    [Fact]
    public void Prune_TrimsFailedAttempts_ButKeepsThePublishedHistory()
    {
        var store = new RunStore(_temp.Combine("runs"), _time) { AttemptsKeptPerPackage = 2 };
        var published = store.BeginAttempt(new AttemptStart("FK", "FK", "r1", "nightly"));
        store.Publish(FakeRun(store), "FK", "r1", [2025], published);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            var failed = store.BeginAttempt(new AttemptStart("FK", "FK", "bad", "on-demand"));
            store.EndAttempt(failed.Id, AttemptStatus.Failed, "engine failure: disk full");
        }

        store.Prune(keep: 5);

        var attempts = store.Attempts("FK");
        Assert.Equal(3, attempts.Count);
        Assert.Contains(attempts, a => a.Id == published.Id);
    }

    [Fact]
    public void CleanWorkFolders_RemovesDeadProcessesLeftovers_NotLiveWork()
    {
        var store = Store();
        var live = FakeRun(store);
        var dead = Path.Combine(store.Root, ".work", $"{RunStore.ProcessTag[..RunStore.ProcessTag.LastIndexOf('-')]}-zzzzzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dead); // same machine and pid, another incarnation: a process that is gone

        var removed = store.CleanWorkFolders(TimeSpan.FromDays(2));

        Assert.Equal(1, removed);
        Assert.True(Directory.Exists(live));
        Assert.False(Directory.Exists(dead));
    }

    [Fact]
    public void CleanWorkFolders_LeavesWhatTheStoreDidNotName()
    {
        var store = Store();
        FakeRun(store);
        var foreign = new[] { Path.Combine(store.Root, ".work", "my-project"), Path.Combine(store.Root, ".trash", "holiday") };
        foreach (var folder in foreign)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddDays(-30));
        }

        var trash = Path.Combine(store.Root, ".trash", $"{RunStore.ProcessTag}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(trash);

        Assert.Equal(1, store.CleanWorkFolders(TimeSpan.FromDays(2)));
        Assert.False(Directory.Exists(trash));
        Assert.All(foreign, f => Assert.Equal("mine", File.ReadAllText(Path.Combine(f, "notes.txt"))));
    }

    [Fact]
    public void Prune_OfAFolderTheStoreDidNotCreate_IsRefused_AndRemovesNothing()
    {
        var home = _temp.Combine("home");
        var run = Path.Combine(home, "FK", "r1");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunStore.PublicationFile), """{"runId": "r1", "supplier": "FK", "publishedAt": "2020-01-01T00:00:00+00:00", "fiscalYears": [2020]}""");
        Directory.CreateDirectory(Path.Combine(home, ".trash", $"{RunStore.ProcessTag}-{Guid.NewGuid():N}"));
        var store = new RunStore(home, _time);

        var refused = Assert.Throws<TbmException>(() => store.Prune(keep: 1));
        Assert.Contains("is not a runs store", refused.Message, StringComparison.Ordinal);
        Assert.Throws<TbmException>(() => store.CleanWorkFolders(TimeSpan.Zero));
        Assert.Throws<TbmException>(() => store.NewWorkFolder());
        Assert.True(File.Exists(Path.Combine(run, RunStore.PublicationFile)));
        Assert.Single(Directory.GetDirectories(Path.Combine(home, ".trash")));
        Assert.False(File.Exists(Path.Combine(home, RunStore.StoreMarker)));

        // An empty or missing folder has nothing to prune, and is not marked by looking.
        Assert.Empty(new RunStore(_temp.Combine("nowhere")).Prune(keep: 1).Removed);
        Assert.False(Directory.Exists(_temp.Combine("nowhere")));
    }

    [Fact]
    public void Prune_OfAStoreWrittenBeforeTheMark_AdoptsIt()
    {
        var store = Store();
        _time.Advance(TimeSpan.FromDays(1));
        store.Publish(FakeRun(store), "FK", "r1", [2024]);
        _time.Advance(TimeSpan.FromDays(1));
        store.Publish(FakeRun(store), "FK", "r2", [2024]);
        File.Delete(Path.Combine(store.Root, RunStore.StoreMarker)); // as an engine before the mark left it

        var pruned = new RunStore(store.Root, _time).Prune(keep: 1);

        Assert.Equal(["r1"], pruned.Removed.Select(r => r.RunId));
        Assert.True(File.Exists(Path.Combine(store.Root, RunStore.StoreMarker)));
    }

    [Fact]
    public void Publish_OfInputsPublishedBefore_LeavesAFolderFromOutsideTheStore()
    {
        var store = Store();
        store.Publish(FakeRun(store), "FK", "r1", [2025]);
        var mine = _temp.Combine("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "run.json"), "mine");

        var (_, isNew) = store.Publish(mine, "FK", "r1", [2025]);

        Assert.False(isNew);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(mine, "run.json")));
    }

    [Fact]
    public void LockPackage_IsExclusive_UntilReleased()
    {
        var store = Store();
        var held = store.LockPackage("models/FK", TimeSpan.FromSeconds(1));
        Assert.Throws<TimeoutException>(() => store.LockPackage("models/FK", TimeSpan.FromMilliseconds(300)));
        using (store.LockPackage("models/SKV", TimeSpan.FromSeconds(1)))
        {
            // another package is not blocked
        }

        held.Dispose();
        using var again = store.LockPackage("models/FK", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Fingerprint_NamesTheRunTheEngineWrites_AndChangesWithAnyInput()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var before = PackageFingerprint.Of(model);
        var result = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")));

        Assert.Equal("FK", before.Supplier);
        Assert.Equal(result.RunId, before.RunId);
        File.AppendAllText(Path.Combine(model, "ledger.csv"), "2025,3,4011,KS1,1.00\n");
        Assert.NotEqual(before.RunId, PackageFingerprint.Of(model).RunId);
    }

    [Fact]
    public void Fingerprint_NamesTheRunTheEngineWrites_WithABaselineStore_EvenOfATenantTheModelLacks()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var baselines = new Baselines.BaselineStore(Path.Combine(model, Baselines.BaselineStore.PackageFolder));
        baselines.Record("T-A", [new Baselines.BaselineRow("T-A", 2023, "INF-VM", 50_000, 4, "server", 90)], "test", null, "test");
        baselines.Record("T-GONE", [new Baselines.BaselineRow("T-GONE", 2023, "INF-VM", 10_000, null, null, null)], "test", null, "test");
        var fingerprint = PackageFingerprint.Of(model);
        var result = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")));

        Assert.True(result.Succeeded);
        Assert.Equal(result.RunId, fingerprint.RunId);
        Assert.Equal(result.RunId, PackageFingerprint.Of(model).RunId);
    }

    [Fact]
    public void RunManifest_ReadsWhatTheEngineWrote_AndWritesItBackByteForByte()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var run = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(model, run));
        Assert.True(result.Succeeded);

        var manifest = RunManifest.Read(run);
        Assert.Equal(result.RunId, manifest.RunId);
        Assert.Equal("FK", manifest.Model.Supplier.Id);
        Assert.Contains(manifest.Inputs, i => i.File == "ledger.csv" && i.Sha256.Length == 64);
        Assert.Equal(result.Ledger!.Lines, manifest.Ledger.Lines);
        Assert.Null(manifest.Options);

        var again = _temp.Combine("again");
        Directory.CreateDirectory(again);
        manifest.Write(again);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "run.json")), File.ReadAllBytes(Path.Combine(again, "run.json")));
        Assert.Equal(TbmErrorKind.NotFound, Assert.Throws<TbmException>(() => RunManifest.Read(_temp.Combine("nothing"))).Kind);
    }

    [Fact]
    public void Publish_OfIdenticalInputs_GivesByteIdenticalRunJson()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var a = new RunStore(_temp.Combine("a"), _time);
        var b = new RunStore(_temp.Combine("b"), _time);
        foreach (var store in new[] { a, b })
        {
            var work = store.NewWorkFolder();
            var result = TbmEngine.Run(new RunOptions(model, work));
            store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
            _time.Advance(TimeSpan.FromHours(5));
        }

        var runA = a.Latest("FK")!;
        var runB = b.Latest("FK")!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(runA.Directory, "run.json")), File.ReadAllBytes(Path.Combine(runB.Directory, "run.json")));
        Assert.NotEqual(runA.PublishedAt, runB.PublishedAt);
        using var publication = JsonDocument.Parse(File.ReadAllText(Path.Combine(runA.Directory, RunStore.PublicationFile)));
        Assert.Equal("published", publication.RootElement.GetProperty("status").GetString());
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class SteppingTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
