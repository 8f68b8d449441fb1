using System.Text.Json;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// No silent loss: every command that writes where it is told (<c>--out</c>, <c>--runs</c>) replaces only
/// what the engine wrote there, and refuses anything else with exit 2 and one line naming the place.
/// </summary>
public sealed class OutputFolderCommandTests : IDisposable
{
    private const string Marker = ".tbm-output";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-out-" + Guid.NewGuid().ToString("N")[..8]);

    public OutputFolderCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Scenario => Path.Combine(Repository.Root, "datasets", "scenarios", "chain-step-down", "model");

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string In(params string[] parts) => Path.Combine([_root, .. parts]);

    /// <summary>Every file below a folder (relative, with /) and its text.</summary>
    private static SortedDictionary<string, string> Contents(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText),
        StringComparer.Ordinal);

    private static string UsersFolder(string folder, params (string Name, string Text)[] files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, name))!);
            File.WriteAllText(Path.Combine(folder, name), text);
        }

        return folder;
    }

    /// <summary>The one line a refusal prints: the folder named, and what to do.</summary>
    private static void AssertRefused(string err, string place, string advice)
    {
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"tbm: '{place}'", line, StringComparison.Ordinal);
        Assert.Contains(advice, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_IntoAUsersFolderHoldingErrorsCsv_ExitsWith2_AndDeletesNothing()
    {
        var folder = UsersFolder(In("mine"), ("errors.csv", "my own list of errors\n"), ("notes.txt", "my notes\n"));

        var (code, _, err) = Tbm("run", "--model", Scenario, "--out", folder);

        Assert.Equal(2, code);
        AssertRefused(err, folder, "choose an empty or new folder, or remove it yourself");
        Assert.Contains($"was not written by ItDrift.Tbm (it has no {Marker})", err, StringComparison.Ordinal);
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["errors.csv"] = "my own list of errors\n", ["notes.txt"] = "my notes\n" }, Contents(folder));
        Assert.Equal(["mine"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName)); // no temporary sibling left
    }

    [Fact]
    public void Run_IntoAFolderItWroteBefore_ReplacesIt_AndTheMarkerListsExactlyItsFiles()
    {
        var folder = In("run");
        var broken = UsersFolder(In("broken"), ("model.json", "{}"));
        Assert.Equal(2, Tbm("run", "--model", broken, "--out", folder).Code);
        Assert.Equal([Marker, "errors.csv"], Contents(folder).Keys);

        var (code, _, err) = Tbm("run", "--model", Scenario, "--out", folder);
        Assert.True(code == 0, err);
        var first = Contents(folder);
        Assert.DoesNotContain("errors.csv", first.Keys);
        Assert.Contains("run.json", first.Keys);
        Assert.Contains("trail/deliveries.parquet", first.Keys);
        using (var marker = JsonDocument.Parse(first[Marker]))
        {
            Assert.Equal("run folder", marker.RootElement.GetProperty("content").GetString());
            Assert.StartsWith("ItDrift.Tbm ", marker.RootElement.GetProperty("writtenBy").GetString(), StringComparison.Ordinal);
            Assert.Equal(first.Keys.Where(f => f != Marker), marker.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        }

        // A run folder replaced by the same run: byte for byte the same, marker included.
        (code, _, err) = Tbm("run", "--model", Scenario, "--out", folder);
        Assert.True(code == 0, err);
        Assert.Equal(first, Contents(folder));
        Assert.Equal(["broken", "run"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_IntoItsOwnFolderWithAFileAdded_ExitsWith2_NamingTheFile()
    {
        var folder = In("run");
        Assert.Equal(0, Tbm("run", "--model", Scenario, "--out", folder).Code);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "kept\n");
        Directory.CreateDirectory(Path.Combine(folder, "trail", "mine"));
        var before = Contents(folder);

        var (code, _, err) = Tbm("run", "--model", Scenario, "--out", folder);

        Assert.Equal(2, code);
        AssertRefused(err, folder, "choose an empty or new folder, or remove it yourself");
        Assert.Contains("holds files ItDrift.Tbm did not write (notes.txt, trail/mine/)", err, StringComparison.Ordinal);
        Assert.Equal(before, Contents(folder));
        Assert.True(Directory.Exists(Path.Combine(folder, "trail", "mine")));
    }

    [Fact]
    public void Run_IntoAnEmptyFolder_UsesIt()
    {
        var folder = Directory.CreateDirectory(In("empty")).FullName;
        var (code, _, err) = Tbm("run", "--model", Scenario, "--out", folder);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(folder, "fees.csv")));
    }

    [Fact]
    public void ImportSie_IntoAUsersFolderHoldingAnIngestReport_ExitsWith2_AndDeletesNothing()
    {
        var sie = Path.Combine(Repository.Root, "datasets", "sie-public", "BL0001_typ4.SE");
        Assert.True(File.Exists(sie), sie);
        var folder = UsersFolder(In("ledger"), ("ingest-report.json", "{}"), ("notes.txt", "my notes\n"));

        var (code, _, err) = Tbm("import-sie", sie, "--out", folder);

        Assert.Equal(2, code);
        AssertRefused(err, folder, "choose an empty or new folder, or remove it yourself");
        Assert.Equal(["ingest-report.json", "notes.txt"], Contents(folder).Keys);
    }

    [Fact]
    public void Export_IntoAUsersFolder_ExitsWith2_AndIntoItsEarlierExport_ReplacesIt()
    {
        var run = In("run");
        Assert.Equal(0, Tbm("run", "--model", Scenario, "--out", run).Code);
        var desktop = UsersFolder(In("desktop"), ("budget.xlsx", "mine"));

        var (code, _, err) = Tbm("export", "--run", run, "--out", desktop);
        Assert.Equal(2, code);
        AssertRefused(err, desktop, "choose an empty or new folder, or remove it yourself");
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["budget.xlsx"] = "mine" }, Contents(desktop));

        var export = In("export");
        (code, _, err) = Tbm("export", "--run", run, "--out", export);
        Assert.True(code == 0, err);
        var workbooks = Contents(export).Keys.Where(f => f != Marker).ToList();
        Assert.Contains(workbooks, f => f.EndsWith(".xlsx", StringComparison.Ordinal));

        // One workbook into the same folder: the earlier export is replaced as a whole.
        (code, _, err) = Tbm("export", "--run", run, "--out", export, "--workbook", "balance");
        Assert.True(code == 0, err);
        var balance = Assert.Single(Contents(export).Keys, f => f != Marker);
        Assert.Contains(balance, workbooks);

        (code, _, _) = Tbm("export", "--run", run, "--out", run);
        Assert.Equal(2, code);
        Assert.True(File.Exists(Path.Combine(run, "run.json")));
    }

    [Fact]
    public void Demo_WithAUsersModelFolderInItsOutput_ExitsWith2_AndDeletesNothing()
    {
        var demo = In("demo");
        var model = UsersFolder(Path.Combine(demo, "model"), ("ledger.csv", "my ledger\n"), ("notes.txt", "my notes\n"));

        var (code, _, err) = Tbm("demo", "--lines", "20000", "--out", demo);

        Assert.Equal(2, code);
        AssertRefused(err, model, "choose an empty or new folder, or remove it yourself");
        Assert.Equal(["ledger.csv", "notes.txt"], Contents(model).Keys);
        Assert.Equal(["model"], Directory.GetFileSystemEntries(demo).Select(Path.GetFileName));
    }

    [Fact]
    public void BaselineTemplate_OverAnExistingFile_ExitsWith2_AndKeepsIt()
    {
        var filledIn = In("nollage-mall.xlsx");
        File.WriteAllText(filledIn, "a template with our figures in it");

        var (code, _, err) = Tbm("baseline", "template", "--model", Scenario, "--out", filledIn);

        Assert.Equal(2, code);
        AssertRefused(err, filledIn, "Choose another file name (--out), or remove it yourself");
        Assert.Equal("a template with our figures in it", File.ReadAllText(filledIn));
        Assert.Equal(["nollage-mall.xlsx"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void RunsPrune_OnAFolderThatIsNotAStore_ExitsWith2_AndRemovesNothing()
    {
        var home = UsersFolder(In("home"), ("notes.txt", "my notes\n"), (".trash/holiday/photo.jpg", "a photo"), (".work/report/draft.txt", "a draft"));
        Directory.SetLastWriteTimeUtc(Path.Combine(home, ".work", "report"), DateTime.UtcNow.AddDays(-30));
        var before = Contents(home);

        var (code, _, err) = Tbm("runs", "prune", "--runs", home, "--keep", "1");

        Assert.Equal(2, code);
        AssertRefused(err, home, "is not a runs store");
        Assert.Equal(before, Contents(home));
        Assert.False(File.Exists(Path.Combine(home, ".tbm-store")));
    }
}
