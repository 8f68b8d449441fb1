using System.Reflection;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// What a new user meets in the first hour (issue 14): <c>tbm run</c> says what came out, <c>./tbm demo</c>
/// never overwrites a package the user edited, and <c>tbm --version</c> says which build this is.
/// </summary>
public sealed class FirstHourCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-first-" + Guid.NewGuid().ToString("N")[..8]);

    public FirstHourCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Scenario => Path.Combine(Repository.Root, "datasets", "scenarios", "chain-step-down", "model");

    [Fact]
    public void Run_PrintsTheReconciliation_AfterWhereTheRunWent_AndNoProgressWhenRedirected()
    {
        var output = Path.Combine(_root, "run");

        var (code, stdout, err) = CommandLineTests.Tbm("run", "--model", Scenario, "--out", output);

        // datasets/scenarios/chain-step-down/README.md: 212 000.00 on the ledger, all of it allocated.
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        var written = lines.FindIndex(l => l.StartsWith("Run ", StringComparison.Ordinal) && l.EndsWith($"written to {Path.GetFullPath(output)}", StringComparison.Ordinal));
        Assert.True(written >= 0, stdout);
        Assert.Equal("Reconciliation (SEK)", lines[written + 1]);
        Assert.Equal("  year  scenario                ledger            allocated        unallocated  difference", lines[written + 2]);
        Assert.Equal("  2025  actual              212 000.00           212 000.00               0.00        0.00", lines[written + 3]);
    }

    [Fact]
    public void Demo_Again_AfterTheUserEditedThePackage_RefusesInOneLine_AndKeepsTheEdit()
    {
        var output = Path.Combine(_root, "demo");
        var first = CommandLineTests.Tbm("demo", "--lines", "6000", "--out", output);
        Assert.True(first.Code == 0, first.Err);

        // Unchanged, it is the engine's own output and is replaced.
        var again = CommandLineTests.Tbm("demo", "--lines", "6000", "--out", output);
        Assert.True(again.Code == 0, again.Err);

        var model = Path.Combine(output, "model");
        var tenants = Path.Combine(model, "tenants.csv");
        File.AppendAllText(tenants, "T-MINE,Min egen myndighet,202100-5521,10\n");
        var edited = File.ReadAllText(tenants);

        var (code, stdout, err) = CommandLineTests.Tbm("demo", "--lines", "6000", "--out", output);

        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"tbm: '{model}' holds files changed since ItDrift.Tbm wrote them (tenants.csv)", line, StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(tenants));
        Assert.DoesNotContain("Generated", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTbmAndTheInformationalVersion()
    {
        var version = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var (code, stdout, err) = CommandLineTests.Tbm("--version");

        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal($"tbm {version}", stdout.Trim());
        Assert.Contains("--version", CommandLineTests.Tbm("--help").Out, StringComparison.Ordinal);
    }
}
