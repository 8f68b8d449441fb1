using ItDrift.Tbm.Jobs.Cli;

namespace ItDrift.Tbm.Tests;

public sealed class CommandLineTests
{
    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Run_ExitsWith2_AndSaysWhy_WhenAnOptionIsMissing()
    {
        var (code, _, err) = Tbm("run", "--model", "x");
        Assert.Equal(2, code);
        Assert.Contains("option --out is required", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_ExitsWith2()
    {
        var (code, _, err) = Tbm("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExitsWith2_WithTheErrorReport_OnAModelError()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tbm-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "model"));
            File.WriteAllText(Path.Combine(folder, "model", "model.json"), "{}");
            var (code, _, err) = Tbm("run", "--model", Path.Combine(folder, "model"), "--out", Path.Combine(folder, "run"));
            Assert.Equal(2, code);
            Assert.Contains("model.json:1 [supplier]: is required", err, StringComparison.Ordinal);
            Assert.Contains("required table 'ledger' is missing", err, StringComparison.Ordinal);
            Assert.Equal([".tbm-output", "errors.csv"], Directory.GetFiles(Path.Combine(folder, "run")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Demo_GeneratesRunsAndSummarises_InProcess()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tbm-demo-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (code, stdout, err) = Tbm("demo", "--lines", "20000", "--out", folder);
            Assert.True(code == 0, err);
            Assert.Contains("Largest fees", stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "run", "run.json")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Demo_ExitsWith2_WhenTooFewLinesAreAsked()
    {
        var (code, _, err) = Tbm("demo", "--lines", "10", "--out", Path.Combine(Path.GetTempPath(), "tbm-demo-small-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Equal(2, code);
        Assert.Contains("lines", err, StringComparison.Ordinal);
    }
}
