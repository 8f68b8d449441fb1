using System.Globalization;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// The <c>tbm</c> command. Exit codes: 0 success, 2 a model error or a wrong command line (the report
/// on stderr), 1 an internal failure.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int ModelError = 2;

    public const string Usage = """
        tbm — TBM cost allocation and fees for coordinated state IT operations

        Usage:
          tbm run --model DIR --out DIR   run a model package; write the run folder (fees.csv, prices.csv, …)
          tbm run --model DIR --publish [--runs DIR]
                                          run and publish into the runs store (default ./runs):
                                          runs/<supplier>/<runId>/, latest.json per supplier
          tbm validate --model DIR        check a model package; print every error, write nothing
          tbm quote --model DIR|--run RUNDIR --order FILE [--year Y]
                                          what a prospective tenant would pay per service and year,
                                          its connection cost, and the change for every existing tenant
          tbm demo [--lines N] [--seed S] [--out DIR]
                                          generate a realistic demo package (default 200 000 ledger lines),
                                          run it and show a summary (default folder: out/demo)
          tbm generate --scale N --out DIR [--seed S] [--format parquet|csv|swedish] [--years Y]
                                          a synthetic package of about N million ledger lines for measuring at
                                          volume (scale 50: national size; default seed 2026, ledger.parquet)
          tbm serve [--urls URL] [--runs DIR] [--keys FILE]
                                          the read API over the runs store (default http://127.0.0.1:5080,
                                          ./runs, ./keys.json); API reference at /scalar
          tbm keys add --role ROLE [--tenant ID] [--supplier ID] [--name TEXT] [--keys FILE]
                                          make an API key (roles: tenant (--tenant and --supplier),
                                          supplier (--supplier), coordinator, esv);
                                          prints it once, stores only its hash
          tbm keys list [--keys FILE]     the keys (ids, roles, what they are bound to; never the keys)
          tbm keys revoke --id ID [--keys FILE]
                                          refuse a key from now on
          tbm export --run DIR --out DIR [--workbook NAME] [--tenant ID] [--year Y]
                                          the Excel workbooks of a run folder (fee-specification, price-list,
                                          trueup, balance, fee-table; default all of them)
          tbm host [--models DIR] [--runs DIR] [--once] [--urls URL] [--cron CRON] [--queue NAME]
                                          the jobs host: nightly recalculation (02:00 Europe/Stockholm) of the
                                          packages under --models (default ./models) whose inputs changed,
                                          published into --runs (default ./runs); dashboard and /health on
                                          http://127.0.0.1:5090; --once: one pass, then exit. Queue in memory,
                                          or in PostgreSQL when TBM_JOBS_POSTGRES is set (see docs/operations.md)
          tbm runs list [--runs DIR] [--supplier S] [--attempts N]
                                          published runs, newest first (latest and final marked); with
                                          --attempts, the N latest recalculation attempts and their errors
          tbm runs show --run ID [--supplier S] [--runs DIR]
                                          a run's publication, inputs (SHA-256), row counts and attempts
          tbm runs mark-final --run ID [--supplier S] [--reason TEXT] [--runs DIR]
                                          keep a run for ever (e.g. the one an invoice was based on)
          tbm runs prune [--keep N] [--dry-run] [--supplier S] [--runs DIR]
                                          remove all but the N newest runs per supplier (default 20),
                                          always keeping final runs and those latest.json names
          tbm status [--runs DIR] [--host URL]
                                          latest run per supplier and year, running and failed
                                          recalculations, the job queue
          tbm baseline template --model DIR [--out FILE] [--tenant ID] [--year Y]
                                          the baseline (nolläge) workbook to fill in: the model's services
                                          and units, instructions in Swedish (default nollage-mall.xlsx)
          tbm baseline import FILE [--model DIR | --store DIR] [--by NAME] [--reason TEXT]
                                          check every cell of a filled-in baseline and record a new version
                                          per tenant in the store (default MODEL/baselines); a correction
                                          needs --reason
          tbm baseline list [--model DIR | --store DIR] [--tenant ID]
                                          the recorded versions: who, when, why
          tbm report status --year Y --runs DIR [--out FILE] [--tenant ID] [--scenario S]
                                          the yearly status report over every supplier's published runs
                                          (.xlsx; --tenant: that tenant's own edition)
          tbm --help                      this text

          tbm import-sie FILE --out DIR    a SIE 4 file's current-year ledger as ledger.csv + ledger.parquet
                                          with ingest-report.json (SIE files may also sit in a model package)

        Options for run and validate:
          --previous-run DIR    (run) the run folder of the years before: its closing balances carry forward
          --memory-limit SIZE   DuckDB memory limit, e.g. 4GB (default: DuckDB's, 80 % of RAM)
          --temp-dir DIR        where DuckDB spills when memory runs short
          --accept-unbalanced, --accept-checksum, --accept-unknown-accounts
                                (SIE) read vouchers that do not balance, a wrong #KSUMMA, or accounts
                                the file does not declare, as warnings instead of model errors

        Output: an existing --out folder is replaced only when it is empty or holds nothing but what the engine
        wrote there (its .tbm-output marker lists it); an --out file is never replaced. Anything else: exit 2.

        Exit codes: 0 done, 2 model error (errors.csv in the run folder), an --out that may not be replaced,
        or wrong usage; 1 internal failure.
        Formats and arithmetic: docs/model-format.md; how the code fits together: docs/architecture.md.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? ModelError : Ok;
        }

        try
        {
            // `tbm keys add|list|revoke`: the action is a word before the options.
            var action = args[0] is "keys" or "runs" or "baseline" or "report" && args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
            // `tbm baseline import FILE`, `tbm import-sie FILE`: the file is the word after the command (and action).
            var fileAt = action is null ? 1 : 2;
            var file = (args[0] is "import-sie" || (args[0] is "baseline" && action == "import")) && args.Length > fileAt && !args[fileAt].StartsWith("--", StringComparison.Ordinal) ? args[fileAt] : null;
            var options = Options.Parse(args.AsSpan(fileAt + (file is null ? 0 : 1)));
            return args[0] switch
            {
                "serve" => ServeCommand.Execute(options, stdout, stderr),
                "keys" => KeysCommand.Execute(action, options, stdout, stderr),
                "export" => ExportCommand.Execute(options, stdout),
                "run" => RunCommand.Execute(options, stdout, stderr),
                "validate" => ValidateCommand.Execute(options, stdout, stderr),
                "demo" => DemoCommand.Execute(options, stdout, stderr),
                "generate" => GenerateCommand.Execute(options, stdout, stderr),
                "quote" => QuoteCommand.Execute(options, stdout, stderr),
                "import-sie" => ImportSieCommand.Execute(file, options, stdout, stderr),
                "baseline" => BaselineCommand.Execute(action, file, options, stdout, stderr),
                "report" => ReportCommand.Execute(action, options, stdout, stderr),
                "host" => HostCommand.Execute(options, stdout, stderr),
                "runs" => RunsCommand.Execute(action, options, stdout),
                "status" => StatusCommand.Execute(options, stdout, stderr),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"tbm: {e.Message}");
            stderr.WriteLine("Run 'tbm --help' for usage.");
            return ModelError;
        }
        catch (TbmException e)
        {
            stderr.WriteLine($"tbm: {e.Message}");
            return ModelError;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"tbm: {e.Message}");
            return ModelError;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("tbm: cancelled; nothing was written");
            return Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"tbm: internal failure: {e.Message}");
            stderr.WriteLine(e.ToString());
            return Failure;
        }
    }

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

    /// <summary>SEK with a space as thousands separator, for people reading a terminal.</summary>
    public static string Sek(long ore) => Money.FormatGrouped(ore);
}

/// <summary>A wrong command line.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Parsed <c>--name value</c> options.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{name}'");
            }

            if (Flags.Contains(name[2..]))
            {
                if (!options._values.TryAdd(name[2..], "true"))
                {
                    throw new UsageException($"option {name} is given twice");
                }

                continue;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"option {name} needs a value");
            }

            if (!options._values.TryAdd(name[2..], args[++i]))
            {
                throw new UsageException($"option {name} is given twice");
            }
        }

        return options;
    }

    /// <summary>Options that take no value.</summary>
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "publish", "once", "dry-run", "accept-unbalanced", "accept-checksum", "accept-unknown-accounts" };

    public bool Flag(string name) => _values.ContainsKey(name);

    public string Required(string name) => _values.TryGetValue(name, out var v) ? v : throw new UsageException($"option --{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Integer(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new UsageException($"option --{name} takes a whole number ≥ 0, not '{v}'");
    }

    public EngineSettings Settings() => new(Optional("memory-limit"), Optional("temp-dir"));

    public Ingest.SieAcceptance Sie() => new(Flag("accept-unbalanced"), Flag("accept-checksum"), Flag("accept-unknown-accounts"));

    public void AllowOnly(params string[] names)
    {
        foreach (var key in _values.Keys)
        {
            if (!names.Contains(key, StringComparer.Ordinal))
            {
                throw new UsageException($"unknown option --{key}");
            }
        }
    }
}
