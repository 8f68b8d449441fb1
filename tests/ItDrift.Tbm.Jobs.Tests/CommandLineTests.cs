using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

public sealed partial class CommandLineTests
{
    internal static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData("run", "--model --out --publish --runs --previous-run --memory-limit --temp-dir --accept-unbalanced --accept-checksum --accept-unknown-accounts")]
    [InlineData("validate", "--model --memory-limit --temp-dir --accept-unbalanced --accept-checksum --accept-unknown-accounts")]
    [InlineData("quote", "--model --run --order --year --memory-limit --temp-dir")]
    [InlineData("simulate", "--run --changes --year --out --memory-limit --temp-dir")]
    [InlineData("serve", "--urls --runs --keys")]
    [InlineData("keys add", "--role --tenant --supplier --name --keys")]
    [InlineData("host", "--models --runs --once --urls --cron --time-zone --queue --workers --keep --keys --log --memory-limit --temp-dir")]
    [InlineData("export", "--run --out --workbook --tenant --year")]
    [InlineData("invoice", "--run --year --out")]
    [InlineData("import-sie", "<FILE> --out --accept-unbalanced --accept-checksum --accept-unknown-accounts --memory-limit --temp-dir")]
    [InlineData("explain", "--run --tenant --service --year --scenario --as --json")]
    [InlineData("report status", "--year --runs --out --tenant --scenario")]
    [InlineData("runs prune", "--keep --dry-run --supplier --runs")]
    public void Help_ExitsWith0_AndNamesEveryOptionOfTheCommand(string command, string options)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (code, stdout, stderr) = Tbm([.. command.Split(' '), help]);
            Assert.True(code == 0, stderr);
            Assert.Equal("", stderr);
            Assert.Contains($"tbm {command}", stdout, StringComparison.Ordinal);
            foreach (var option in options.Split(' '))
            {
                Assert.Matches(new Regex($@"^\s+(-\w, )?{Regex.Escape(option)}\s", RegexOptions.Multiline), stdout);
            }
        }
    }

    [Fact]
    public void Help_ListsEveryOptionThatIsDefined_ForEveryCommand()
    {
        // The usage is made from the definitions: whatever a command takes, its --help says.
        foreach (var command in Commands(CommandTree.Create(TextWriter.Null, TextWriter.Null)))
        {
            var path = string.Join(' ', command.Path);
            var (code, stdout, _) = Tbm([.. command.Path, "--help"]);
            Assert.True(code == 0, path);
            foreach (var option in command.Command.Options.Where(o => !o.Hidden))
            {
                Assert.True(stdout.Contains(option.Name, StringComparison.Ordinal), $"tbm {path} --help does not name {option.Name}");
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"tbm {path} {option.Name} has no description");
            }
        }
    }

    [Fact]
    public void Help_OfTbm_ListsEveryCommand_AndExitsWith0()
    {
        var (code, stdout, _) = Tbm("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "run", "validate", "quote", "explain", "changes", "simulate", "serve", "keys", "host", "export", "import-sie", "demo", "generate", "baseline", "report", "runs", "status", "completion" })
        {
            Assert.Matches(new Regex($@"^\s+{Regex.Escape(command)}\s", RegexOptions.Multiline), stdout);
        }

        // Without a command: the same help, but it did nothing, so exit 2.
        var (bare, bareOut, _) = Tbm();
        Assert.Equal(2, bare);
        Assert.Equal(stdout, bareOut);
    }

    [Fact]
    public void Run_ExitsWith2_AndSaysWhy_WhenAnOptionIsMissing()
    {
        var (code, _, err) = Tbm("run", "--model", "x");
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(err));
        Assert.StartsWith("tbm run: option --out is required", line, StringComparison.Ordinal);
        Assert.EndsWith("See 'tbm run --help'.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "validate", "--model", "x", "--bogus")]
    [InlineData("unknown option '--modle'; did you mean '--model'?", "validate", "--model", "x", "--modle", "y")]
    [InlineData("--lines takes a whole number ≥ 0, not 'many'", "demo", "--lines", "many")]
    [InlineData("--format takes parquet, csv or swedish, not 'xml'", "generate", "--scale", "1", "--out", "x", "--format", "xml")]
    [InlineData("--scale takes a whole number from 1 to 1000, not '0'", "generate", "--scale", "0", "--out", "x")]
    [InlineData("Option '--tenant' is required", "explain", "--run", "x")]
    [InlineData("--as takes supplier or tenant, not 'esv'", "explain", "--run", "x", "--tenant", "T-A", "--as", "esv")]
    [InlineData("--model and --run exclude each other", "quote", "--model", "x", "--run", "y", "--order", "o.json")]
    [InlineData("Required argument 'FILE' missing", "import-sie", "--out", "x")]
    [InlineData("needs one of add, list or revoke", "keys")]
    [InlineData("unknown command 'frob' (list, show, mark-final, prune)", "runs", "frob")]
    public void UsageError_ExitsWith2_WithOneLine(string message, params string[] args)
    {
        var (code, stdout, err) = Tbm(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(err));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Matches(@"^tbm( [a-z-]+)*: .* See 'tbm( [a-z-]+)* --help'\.$", line);
    }

    [Fact]
    public void Unknown_ExitsWith2()
    {
        var (code, _, err) = Tbm("frobnicate");
        Assert.Equal(2, code);
        Assert.Equal("tbm: unknown command 'frobnicate'. See 'tbm --help'.", Assert.Single(Lines(err)));
        Assert.Contains("did you mean 'validate'?", Tbm("valdate").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArgumentStartingWithAt_IsTheArgument_NotAResponseFileToRead()
    {
        var keys = Path.Combine(Path.GetTempPath(), "tbm-keys-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        try
        {
            var (code, _, err) = Tbm("keys", "add", "--role", "coordinator", "--name", "@anna", "--keys", keys);
            Assert.True(code == 0, err);
            Assert.Contains("@anna", Tbm("keys", "list", "--keys", keys).Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    [Fact]
    public void UnexpectedFailure_ExitsWith1_WithOneLine_AndNoStackTrace()
    {
        // Nothing the user typed is wrong: an exception the engine does not expect, its message on two lines.
        using var stderr = new StringWriter();
        Assert.Equal(1, CommandLine.Report(new InvalidOperationException("the table is gone\nsecond line"), stderr));
        var line = Assert.Single(Lines(stderr.ToString()));
        Assert.StartsWith("tbm: internal failure: InvalidOperationException: the table is gone", line, StringComparison.Ordinal);
        Assert.Contains("TBM_DEBUG=1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedRunManifest_ExitsWith2_NamingTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tbm-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "run.json"), "{\"runId\": ");
            var (code, _, err) = Tbm("explain", "--run", folder, "--tenant", "T-A");
            Assert.Equal(2, code);
            var line = Assert.Single(Lines(err));
            Assert.StartsWith($"tbm: '{Path.Combine(folder, "run.json")}' is not a run manifest: ", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void EveryInvocationInTheDocumentation_Parses()
    {
        // Each `./tbm …` or `tbm …` line of README.md and docs/*.md, with [optional] parts taken and
        // placeholders for numbers filled in, parses without an error (none is run).
        var root = Repository.Root;
        var files = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Prepend(Path.Combine(root, "README.md"));
        var tree = CommandTree.Create(TextWriter.Null, TextWriter.Null);
        var checkedLines = 0;
        foreach (var file in files)
        {
            foreach (Match m in DocumentedInvocation().Matches(File.ReadAllText(file)))
            {
                var line = m.Groups[1].Value.Trim();
                if (line.Contains('…', StringComparison.Ordinal) || line.Contains('|', StringComparison.Ordinal) || line.Contains('<', StringComparison.Ordinal))
                {
                    continue;
                }

                line = line.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
                line = Placeholder().Replace(YearPlaceholder().Replace(line, "2025"), "1");
                var parsed = tree.Parse(line);
                Assert.True(parsed.Errors.Count == 0, $"{Path.GetFileName(file)}: tbm {line}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
                checkedLines++;
            }
        }

        Assert.True(checkedLines >= 25, $"only {checkedLines} documented invocations found");
    }

    [Fact]
    public void Completion_PrintsScriptsThatAskTbm_AndTheSuggestDirectiveAnswers()
    {
        var bash = Tbm("completion", "bash");
        Assert.Equal(0, bash.Code);
        Assert.Contains("[suggest:${COMP_POINT}]", bash.Out, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _tbm_complete tbm ./tbm", bash.Out, StringComparison.Ordinal);
        var zsh = Tbm("completion", "zsh");
        Assert.Equal(0, zsh.Code);
        Assert.StartsWith("#compdef tbm", zsh.Out, StringComparison.Ordinal);

        // What the scripts ask: the options of a command, the values of a choice, the commands of a group.
        Assert.Equal(["--as", "--help", "--json", "--run", "--scenario", "--service", "--tenant", "--year"], Lines(Tbm("[suggest:14]", "tbm explain --").Out));
        Assert.Equal(["actual", "budget", "forecast"], Lines(Tbm("[suggest:23]", "tbm explain --scenario ").Out));
        Assert.Equal(["mark-final"], Lines(Tbm("[suggest:11]", "tbm runs ma").Out));
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
    public void Run_ExitsWith2_OnAReciprocalCycleThatNothingLeaves()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tbm-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var model = Path.Combine(folder, "model");
            Directory.CreateDirectory(model);
            foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "datasets", "scenarios", "reciprocal-services", "model")))
            {
                File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
            }

            // The service desk and the network now serve only each other.
            File.WriteAllText(Path.Combine(model, "rules.csv"),
                "step,source,method,driver,targets\n1,TWR-DC,fixed,,SVC-HOST:3;SVC-NET:1\n2,SVC-DESK,direct,,SVC-NET\n2,SVC-NET,direct,,SVC-DESK\n2,SVC-HOST,driver,servers,\n");
            var (code, _, err) = Tbm("run", "--model", model, "--out", Path.Combine(folder, "run"));
            Assert.Equal(2, code);
            Assert.Contains("rules.csv:3 [targets]: SVC-DESK, SVC-NET send money only to one another (a cycle SVC-DESK → SVC-NET → SVC-DESK that nothing leaves)", err, StringComparison.Ordinal);
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
            Assert.Contains("Open it in the web portal", stdout, StringComparison.Ordinal);
            Assert.Contains($"./tbm serve --runs {Path.Combine(folder, "runs")} --keys {Path.Combine(folder, "keys.json")}", stdout, StringComparison.Ordinal);
            Assert.Contains("then open http://127.0.0.1:5080/", stdout, StringComparison.Ordinal);
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

    /// <summary>Every command that does something (not only holds others), with its path from <c>tbm</c>.</summary>
    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[]? path = null)
    {
        path ??= [];
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var found in Commands(sub, [.. path, sub.Name]))
            {
                yield return found;
            }
        }
    }

    [GeneratedRegex(@"^\s*(?:\./)?tbm ([a-z][^#\n`]*?)\s*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex DocumentedInvocation();

    [GeneratedRegex(@"(?<=--year )[A-Z]\b")]
    private static partial Regex YearPlaceholder();

    [GeneratedRegex(@"(?<=--(?:scale|keep|attempts|lines|seed|workers|years) )[A-Z]\b")]
    private static partial Regex Placeholder();
}
