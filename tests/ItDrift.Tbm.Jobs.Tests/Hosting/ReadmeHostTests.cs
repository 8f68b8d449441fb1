using System.Text.RegularExpressions;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>The README's nightly-recalculation commands work as written, through the real <c>./tbm</c> script.</summary>
public sealed partial class ReadmeHostTests
{
    [GeneratedRegex(@"^(\./tbm (?:host|status|runs)[^#\n]*?)\s*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex HostCommand();

    [Fact]
    public void Readme_HostOnceStatusAndRunsList_PublishAndShowTheDemo()
    {
        var root = Repository.Root;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("## Nightly recalculation", StringComparison.Ordinal)..];
        var commands = HostCommand().Matches(section).Select(m => m.Groups[1].Value).ToList();
        var once = Assert.Single(commands, c => c.Contains("--once", StringComparison.Ordinal));
        Assert.Contains("./tbm status", commands);
        Assert.Contains("./tbm runs list", commands);

        var output = Path.Combine(Path.GetTempPath(), "tbm-readme-host-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // The README's commands with the demo's and the store's folders moved out of the working tree.
            var runs = Path.Combine(output, "runs");
            var demo = ReadmeCommandsTests.Shell(root, $"./tbm demo --lines 6000 --out {output}");
            Assert.True(demo.Code == 0, demo.Stderr);
            foreach (var command in new[] { once, once, "./tbm status", "./tbm runs list" })
            {
                var line = command.Replace("out/demo/model", Path.Combine(output, "model"), StringComparison.Ordinal) + $" --runs {runs}"
                    + (command == "./tbm status" ? " --host http://127.0.0.1:9" : "");
                var (code, stdout, stderr) = ReadmeCommandsTests.Shell(root, line);
                Assert.True(code == 0, $"{line}: exit {code}\n{stdout}\n{stderr}");
            }

            var store = new Runs.RunStore(runs);
            var run = store.Latest("FK");
            Assert.NotNull(run);
            Assert.Single(store.Attempts()); // the second pass found nothing changed
            var status = ReadmeCommandsTests.Shell(root, $"./tbm status --runs {runs} --host http://127.0.0.1:9");
            Assert.Contains(run.RunId, status.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
