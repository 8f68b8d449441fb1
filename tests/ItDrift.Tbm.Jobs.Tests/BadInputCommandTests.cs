using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// Command lines a fuzzer and a new user tried (issue 14): each mistake is exit 2 and one line naming the
/// option or the file; a file system that refuses (full, read-only, no permission) is exit 1 and one line
/// naming the path — never a stack trace or a .NET message.
/// </summary>
public sealed class BadInputCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-bad-" + Guid.NewGuid().ToString("N")[..8]);

    public BadInputCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Scenario => Path.Combine(Repository.Root, "datasets", "scenarios", "chain-step-down", "model");

    private string In(string name) => Path.Combine(_root, name);

    private static string OneLine(string err) => Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [Fact]
    public void Export_ToAnExistingFile_ExitsWith2_NamingTheFile()
    {
        var run = In("run");
        Assert.Equal(0, CommandLineTests.Tbm("run", "--model", Scenario, "--out", run).Code);
        var file = In("fees.xlsx");
        File.WriteAllText(file, "mine");

        var (code, _, err) = CommandLineTests.Tbm("export", "--run", run, "--out", file);

        Assert.Equal(2, code);
        Assert.Contains(file, OneLine(err), StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void KeysAdd_WithAFolderForTheKeysFile_ExitsWith2_NamingTheOption()
    {
        var folder = Directory.CreateDirectory(In("keys")).FullName;

        var (code, stdout, err) = CommandLineTests.Tbm("keys", "add", "--role", "coordinator", "--keys", folder);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"tbm keys add: --keys names the folder '{folder}'; it takes a file. See 'tbm keys add --help'.", OneLine(err));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData("report")]
    [InlineData("baseline")]
    public void AWorkbookOut_ThatIsAFolder_ExitsWith2_NamingTheFolder(string command)
    {
        var folder = Directory.CreateDirectory(In("out")).FullName;
        string[] args = command == "report"
            ? ["report", "status", "--year", "2025", "--runs", Directory.CreateDirectory(In("runs")).FullName, "--out", folder]
            : ["baseline", "template", "--model", Scenario, "--out", folder];

        var (code, _, err) = CommandLineTests.Tbm(args);

        Assert.Equal(2, code);
        Assert.Contains($"'{folder}'", OneLine(err), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("1")]
    [InlineData("80%")]
    [InlineData("1MB")]
    public void MemoryLimit_ThatIsNoSizeDuckDbCanWorkIn_ExitsWith2_NamingTheOption(string limit)
    {
        var (code, _, err) = CommandLineTests.Tbm("validate", "--model", Scenario, "--memory-limit", limit);

        Assert.Equal(2, code);
        Assert.Equal($"tbm validate: --memory-limit takes a size of at least 64MB, such as 512MB, 4GB or 2GiB, not '{limit}'. See 'tbm validate --help'.", OneLine(err));
    }

    [Theory]
    [InlineData("64MB")]
    [InlineData("1.5 GB")]
    [InlineData("2gib")]
    public void MemoryLimit_ThatIsASize_IsTaken(string limit)
    {
        var (code, stdout, err) = CommandLineTests.Tbm("validate", "--model", Scenario, "--memory-limit", limit);

        Assert.True(code == 0, err);
        Assert.Contains("The model is valid.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_WithTooFewLines_ExitsWith2_SayingTheRange_NotADotNetMessage()
    {
        var (code, _, err) = CommandLineTests.Tbm("demo", "--lines", "2000", "--out", In("demo"));

        Assert.Equal(2, code);
        Assert.Equal("tbm: --lines takes a whole number ≥ 5274 (a package of 3 fiscal years needs that many ledger lines), not '2000'", OneLine(err));
        Assert.False(Directory.Exists(In("demo")));
    }

    [Fact]
    public void AFileSystemThatRefuses_ExitsWith1_InOneLine_NamingThePath()
    {
        // /sys refuses a new folder even to root: a real permission error, not a simulated one.
        if (!Directory.Exists("/sys/kernel"))
        {
            return; // not Linux
        }

        var (code, _, err) = CommandLineTests.Tbm("run", "--model", Scenario, "--out", "/sys/tbm-run");

        Assert.Equal(1, code);
        var line = OneLine(err);
        Assert.StartsWith("tbm: the file system refused: ", line, StringComparison.Ordinal);
        Assert.Contains("'/sys/", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal failure", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("No space left on device : '/data/runs/.SKV.tmp-1/fees.csv'")]
    [InlineData("Read-only file system : '/data/runs/SKV'")]
    public void DiskFullOrReadOnly_ExitsWith1_InOneLine_NamingThePath(string message)
    {
        using var stderr = new StringWriter();

        Assert.Equal(1, CommandLine.Report(new IOException(message + "\n   at System.IO.FileStream.Write()"), stderr));

        Assert.Equal($"tbm: the file system refused: {message}", OneLine(stderr.ToString()));
    }

    [Fact]
    public void PermissionDenied_ExitsWith1_InOneLine_NamingThePath()
    {
        using var stderr = new StringWriter();

        Assert.Equal(1, CommandLine.Report(new UnauthorizedAccessException("Access to the path '/data/runs' is denied."), stderr));

        Assert.Equal("tbm: the file system refused: Access to the path '/data/runs' is denied.", OneLine(stderr.ToString()));
    }

    [Fact]
    public void DuckDbIoError_ExitsWith1_InOneLine_NamingThePath()
    {
        using var stderr = new StringWriter();

        Assert.Equal(1, CommandLine.Report(new DatabaseError("IO Error: Could not write file \"/data/runs/x/fees.parquet\": No space left on device"), stderr));

        Assert.Equal("tbm: the file system refused: IO Error: Could not write file \"/data/runs/x/fees.parquet\": No space left on device", OneLine(stderr.ToString()));
    }

    private sealed class DatabaseError(string message) : System.Data.Common.DbException(message);
}
