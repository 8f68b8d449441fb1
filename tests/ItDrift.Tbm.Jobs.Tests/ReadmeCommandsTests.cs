using System.Diagnostics;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>The README's first commands work as written, from the repository root, through the real script.</summary>
public sealed partial class ReadmeCommandsTests
{
    [GeneratedRegex(@"^(\./tbm demo|dotnet test[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex QuickStartCommand();

    [Fact]
    public void Readme_ShowsTheDemoAndTheTestCommand()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var commands = QuickStartCommand().Matches(readme).Select(m => m.Value).ToList();
        Assert.Contains("./tbm demo", commands);
        Assert.Contains(commands, c => c.StartsWith("dotnet test", StringComparison.Ordinal));
        Assert.Contains("dotnet test ItDrift.Tbm.sln", File.ReadAllText(Path.Combine(Repository.Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void TbmDemo_RunsFromTheReadme_AndReconciles()
    {
        var root = Repository.Root;
        var output = Path.Combine(Path.GetTempPath(), "tbm-readme-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // The README's command, with only the output folder moved out of the working tree.
            var (code, stdout, stderr) = Shell(root, $"./tbm demo --out {output}");
            Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Contains("Reconciliation (SEK)", stdout, StringComparison.Ordinal);
            var reconciliation = File.ReadAllLines(Path.Combine(output, "run", "reconciliation.csv"));
            Assert.True(reconciliation.Length > 1);
            Assert.All(reconciliation.Skip(1), line => Assert.EndsWith(",0.00", line, StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(output, "run", "fees.parquet")));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void TbmHelp_ListsTheCommands()
    {
        var (code, stdout, _) = Shell(Repository.Root, "./tbm --help");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^\s+run\s+Run a model package", stdout);
        Assert.Matches(@"(?m)^\s+validate\s", stdout);
        Assert.Matches(@"(?m)^\s+demo\s", stdout);

        (code, stdout, _) = Shell(Repository.Root, "./tbm run --help");
        Assert.Equal(0, code);
        Assert.Contains("--model <DIR> (REQUIRED)", stdout, StringComparison.Ordinal);
    }

    internal static (int Code, string Stdout, string Stderr) Shell(string workingDirectory, string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
