using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// The <c>tbm</c> command: its commands and options are defined with System.CommandLine in
/// <see cref="CommandTree"/>, which also makes every <c>--help</c> and the shell completion. Exit codes:
/// 0 success; 2 a model error, a wrong command line, or an output that may not be replaced (the
/// report on stderr); 1 an internal failure.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int ModelError = 2;

    /// <summary>The environment variable that, set to 1, adds the stack trace to an internal failure.</summary>
    public const string DebugVariable = "TBM_DEBUG";

    /// <summary>Parses <paramref name="args"/>, runs the command they name, and maps every outcome to an exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // No response files: an argument starting with @ (a name, a reason, a path) is itself, not a file to read.
        var parsed = CommandTree.Create(stdout, stderr).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            return UsageError(parsed, stderr);
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Exceptions are mapped below; Ctrl+C is the command's own business (the hosts stop gracefully).
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Report(e, stderr);
        }
    }

    /// <summary>
    /// Says in one line on <paramref name="stderr"/> what stopped a command and returns its exit code: 2 for
    /// what the user can put right (a model, an option, a file), 1 for everything else (the stack trace only
    /// with <see cref="DebugVariable"/>=1).
    /// </summary>
    internal static int Report(Exception e, TextWriter stderr)
    {
        switch (e)
        {
            case TbmException:
                stderr.WriteLine($"tbm: {OneLine(e.Message)}");
                return ModelError;
            // The engine's older way of saying that a caller's value does not fit (an id, a folder, a tenant).
            case ArgumentException a when e is not ArgumentNullException:
                stderr.WriteLine($"tbm: {OneLine(WithoutParameter(a))}");
                return ModelError;
            // The environment's refusal (a full disk, a read-only or foreign folder): .NET's message names the path.
            case IOException or UnauthorizedAccessException:
            // DuckDB's own writes and reads (Parquet, spilling) say the same as "IO Error: …".
            case System.Data.Common.DbException when e.Message.StartsWith("IO Error:", StringComparison.Ordinal):
                stderr.WriteLine($"tbm: the file system refused: {FirstLine(e.Message)}");
                return Failure;
            case OperationCanceledException:
                stderr.WriteLine("tbm: cancelled; nothing was written");
                return Failure;
            default:
                var debug = Environment.GetEnvironmentVariable(DebugVariable) == "1";
                stderr.WriteLine($"tbm: internal failure: {e.GetType().Name}: {OneLine(e.Message)}{(debug ? "" : $" ({DebugVariable}=1 shows where)")}");
                if (debug)
                {
                    stderr.WriteLine(e.ToString());
                }

                return Failure;
        }
    }

    /// <summary>
    /// A command line that does not parse: one line per mistake, <c>tbm COMMAND: what is wrong</c>, the last
    /// one saying where the options are listed; exit 2.
    /// </summary>
    private static int UsageError(ParseResult parsed, TextWriter stderr)
    {
        var command = parsed.CommandResult;
        var path = CommandPath(command);
        var lines = new List<string>();

        // The word after an unknown option is most likely its value: the option is the mistake to name.
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var tokens = parsed.Tokens;
        var values = Enumerable.Range(1, Math.Max(0, tokens.Count - 1))
            .Where(i => unmatched.Contains(tokens[i - 1].Value) && tokens[i - 1].Value.StartsWith('-') && unmatched.Contains(tokens[i].Value) && !tokens[i].Value.StartsWith('-'))
            .Select(i => tokens[i].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var error in parsed.Errors)
        {
            // A word the command does not know is said in the terms of what it was taken for.
            var unknown = error.SymbolResult is CommandResult
                ? parsed.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))
                : null;
            if (unknown is not null && values.Contains(unknown))
            {
                continue;
            }

            var line = unknown is null ? OneLine(error.Message) : Unknown(command.Command, unknown);
            if (!lines.Contains(line, StringComparer.Ordinal))
            {
                lines.Add(line);
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].EndsWith('?') ? lines[i] : lines[i].TrimEnd('.') + ".";
            stderr.WriteLine(i == lines.Count - 1 ? $"{path}: {line} See '{path} --help'." : $"{path}: {line}");
        }

        return ModelError;
    }

    /// <summary>A command that only holds others (<c>tbm keys</c>, <c>tbm runs</c> …) given none of them: exit 2.</summary>
    internal static int NeedsCommand(ParseResult parsed, TextWriter stderr)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed.CommandResult);
        stderr.WriteLine($"{path}: needs one of {CliOptions.Either([.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)])}. See '{path} --help'.");
        return ModelError;
    }

    /// <summary><c>tbm --version</c>: <c>tbm</c> and the informational version of this build (version and commit).</summary>
    internal static int PrintVersion(TextWriter stdout)
    {
        var version = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? EngineInfo.Version;
        stdout.WriteLine($"{CommandTree.Name} {version}");
        return Ok;
    }

    /// <summary><c>tbm</c> alone: the help, and exit 2, for it did nothing.</summary>
    internal static int RootWithoutCommand(ParseResult parsed)
    {
        new HelpAction().Invoke(parsed);
        return ModelError;
    }

    private static string Unknown(Command command, string token)
    {
        if (token.StartsWith('-'))
        {
            var names = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive))
                .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            return $"unknown option '{token}'{Suggestion(token, names)}";
        }

        if (command.Subcommands.Count > 0)
        {
            var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            var known = command is RootCommand ? "" : $" ({string.Join(", ", names)})";
            return $"unknown command '{token}'{known}{Suggestion(token, names)}";
        }

        return $"unexpected argument '{token}'";
    }

    /// <summary><c>; did you mean 'x'?</c> when one known name is within two edits of what was typed.</summary>
    private static string Suggestion(string typed, IEnumerable<string> names)
    {
        var close = names.Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Distance: EditDistance(typed, n)))
            .Where(n => n.Distance <= Math.Min(2, Math.Max(1, typed.Length / 3)))
            .OrderBy(n => n.Distance).ThenBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        return close.Count > 0 ? $"; did you mean '{close[0].Name}'?" : "";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary><c>tbm runs prune</c>: the command as typed, from <c>tbm</c> on.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult c; r = r.Parent)
        {
            names.Add(c.Command is RootCommand ? CommandTree.Name : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The message of <paramref name="e"/> without .NET's <c>(Parameter 'x')</c> and <c>Actual value was …</c>, which name code, not options.</summary>
    private static string WithoutParameter(ArgumentException e)
    {
        var text = e.Message;
        var cut = e.ParamName is { } name ? text.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) : -1;
        return cut >= 0 ? text[..cut] : text;
    }

    /// <summary>The first line of a message (what follows may be a trace the runtime added).</summary>
    private static string FirstLine(string text) => text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Prints a model error report: a count, then the first errors in file, line, column order.</summary>
    public static void ReportErrors(RunResult result, TextWriter stderr, string? errorsFile)
    {
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The model has {result.ErrorCount} error{(result.ErrorCount == 1 ? "" : "s")}:"));
        foreach (var e in result.Errors.Take(50))
        {
            var place = e.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.File}:{e.Line}") : e.File;
            var column = e.Column.Length > 0 ? $" [{e.Column}]" : "";
            stderr.WriteLine($"  {place}{column}: {e.Reason}");
        }

        if (result.ErrorCount > 50)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {result.ErrorCount - 50} more"));
        }

        if (errorsFile is not null)
        {
            stderr.WriteLine($"All errors: {errorsFile}");
        }
    }

    /// <summary>How many warnings other than those about money are printed; run.json lists them all.</summary>
    private const int OtherWarningsShown = 20;

    /// <summary>
    /// Every warning about money (the engine lists a bounded number of them, with a summary of the rest), and
    /// the first <see cref="OtherWarningsShown"/> others, in the engine's order.
    /// </summary>
    public static void ReportWarnings(RunResult result, TextWriter stderr)
    {
        if (TerminalProgress.For(stderr) is not null)
        {
            stderr.Write("\r\u001b[K"); // erase the progress line
        }

        var others = 0;
        foreach (var w in result.Warnings)
        {
            if (w.Money is null && others++ >= OtherWarningsShown)
            {
                continue;
            }

            stderr.WriteLine($"warning: {w.File}: {w.Message}");
        }

        if (others > OtherWarningsShown)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: … and {others - OtherWarningsShown} more (a run's run.json lists them all)"));
        }
    }

    /// <summary>
    /// The ledger lines skipped as not costs (outside costAccounts), per account class, on one line:
    /// <c>Skipped, not costs (outside costAccounts): class 3 (revenue) 1 line -150 000.00 kr; …</c>.
    /// Nothing when the result has no ledger counts (a package with errors).
    /// </summary>
    public static void ReportSkipped(RunResult result, TextWriter stdout)
    {
        if (result.Ledger is not { } ledger)
        {
            return;
        }

        var classes = ledger.SkippedByClass.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{AccountClasses.Label(c.AccountClass)} {(c.Lines == 1 ? "1 line" : $"{c.Lines} lines")} {Sek(c.Amount)} kr"));
        stdout.WriteLine($"Skipped, not costs (outside costAccounts): {(ledger.SkippedByClass.Count == 0 ? "none" : string.Join("; ", classes))}");
    }

    /// <summary>The reconciliation per fiscal year and scenario: the ledger against allocated and unallocated money.</summary>
    public static void ReportReconciliation(RunResult result, TextWriter stdout)
    {
        if (result.Reconciliation.Count == 0)
        {
            return;
        }

        stdout.WriteLine("Reconciliation (SEK)");
        stdout.WriteLine($"  {"year",-5} {"scenario",-9} {"ledger",20} {"allocated",20} {"unallocated",18} {"difference",11}");
        foreach (var r in result.Reconciliation)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.FiscalYear,-5} {r.Scenario,-9} {Sek(r.LedgerTotal),20} {Sek(r.AllocatedTotal),20} {Sek(r.UnallocatedTotal),18} {Sek(r.Difference),11}"));
        }
    }

    /// <summary>SEK with a space as thousands separator, for people reading a terminal.</summary>
    public static string Sek(long ore) => Money.FormatGrouped(ore);
}

/// <summary>A wrong command line that only the command itself can tell (the parser tells the rest): exit 2, one line.</summary>
internal sealed class UsageException(string message) : TbmException(TbmErrorKind.Usage, message);
