using System.CommandLine;
using System.CommandLine.Help;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// Every command of <c>tbm</c>, its options and what each defaults to, defined once: the parser, every
/// <c>--help</c> and the shell's completion (the <c>[suggest]</c> directive) are made from these definitions.
/// Each action only reads the typed values and hands them to its command class (<c>RunCommand</c> …).
/// </summary>
internal static class CommandTree
{
    /// <summary>The program's name, in help and messages (in tests the process is another).</summary>
    public const string Name = "tbm";

    /// <summary>The scenarios of a ledger.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["actual", "budget", "forecast"];

    /// <summary>The command line, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public static RootCommand Create(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "TBM cost allocation and fees for coordinated state IT operations.\n"
            + "Exit codes: 0 done; 2 a model error (errors.csv), an --out that may not be replaced, or a wrong command line; 1 an internal failure.\n"
            + "'tbm COMMAND --help' lists a command's options. Formats and arithmetic: docs/model-format.md.")
        {
            HelpName = Name,
        };

        // -h and --help only (not -? and /?), so that completion offers what the documentation shows.
        foreach (var help in root.Options.OfType<HelpOption>().ToList())
        {
            root.Options.Remove(help);
        }

        root.Options.Add(new HelpOption("--help", "-h"));

        // --version says whose version it is: tbm and the build's informational version (with its commit).
        foreach (var version in root.Options.OfType<VersionOption>().ToList())
        {
            root.Options.Remove(version);
        }

        var versionFlag = CliOptions.Flag("--version", "The version of tbm (and its engine), then exit");
        root.Options.Add(versionFlag);
        root.SetAction(r => r.GetValue(versionFlag) ? CommandLine.PrintVersion(stdout) : CommandLine.RootWithoutCommand(r));

        Command[] commands =
        [
            Run(stdout, stderr), Validate(stdout, stderr), Quote(stdout, stderr), Explain(stdout), Changes(stdout), Simulate(stdout),
            Demo(stdout, stderr), Generate(stdout, stderr), ImportSie(stdout, stderr),
            Serve(stdout, stderr), Keys(stdout, stderr), Export(stdout), Focus(stdout), Invoice(stdout, stderr),
            Host(stdout, stderr), Runs(stdout, stderr), Status(stdout),
            Baseline(stdout, stderr), Report(stdout, stderr), Completion(stdout),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static Command Run(TextWriter stdout, TextWriter stderr)
    {
        var model = CliOptions.Folder("--model", "The model package: a folder of tables (docs/model-format.md)", required: true);
        var output = CliOptions.Folder("--out", "The run folder to write (fees.csv, prices.csv, run.json …); replaced only when it is empty or the engine's own output");
        var publish = CliOptions.Flag("--publish", "Publish the run into the runs store instead: --runs/<supplier>/<runId>/, latest.json per supplier");
        var runs = CliOptions.Folder("--runs", "The runs store to publish into (with --publish)", fallback: "runs");
        var previous = CliOptions.Folder("--previous-run", "The run folder of the years before: its closing balances carry forward");
        var command = new Command("run", "Run a model package into a run folder (--out), or publish it (--publish)");
        Add(command, model, output, publish, runs, previous);
        var engine = new EngineOptions(command);
        var sie = new SieOptions(command);
        command.Validators.Add(r =>
        {
            r.Exclusive(output, publish, ": a published run goes into --runs");
            if (!r.Given(output) && !r.Given(publish))
            {
                r.AddError("option --out is required (or --publish, to publish into --runs)");
            }

            if (r.Given(runs) && !r.Given(publish))
            {
                r.AddError("--runs goes with --publish");
            }
        });
        command.SetAction(r => RunCommand.Execute(r.RequiredPath(model), r.PathOf(output), r.RequiredPath(runs), r.PathOf(previous), engine.Settings(r), sie.Acceptance(r), stdout, stderr));
        return command;
    }

    private static Command Validate(TextWriter stdout, TextWriter stderr)
    {
        var model = CliOptions.Folder("--model", "The model package to check", required: true);
        var command = new Command("validate", "Check a model package: every error with file, line, column and reason; writes nothing");
        Add(command, model);
        var engine = new EngineOptions(command);
        var sie = new SieOptions(command);
        command.SetAction(r => ValidateCommand.Execute(r.RequiredPath(model), engine.Settings(r), sie.Acceptance(r), stdout, stderr));
        return command;
    }

    private static Command Quote(TextWriter stdout, TextWriter stderr)
    {
        var model = CliOptions.Folder("--model", "Quote from this model package (reads the ledger)");
        var run = CliOptions.Folder("--run", "Quote from this published run folder instead (fast: the ledger is not read again)");
        var order = CliOptions.File("--order", "The order, JSON as the read API takes it: {\"tenantId\", \"name\", \"employees\", \"quantities\": {\"SERVICE\": n}} (docs/fees.md)", required: true);
        var year = CliOptions.OptionalNumber("--year", "Y", "The first fiscal year of the order (default: the order's fromYear, else the first year the model has)", 1900, 9999);
        var command = new Command("quote", "What a joining tenant would pay per service and year, its connection cost, and what it does to every other tenant's fee");
        Add(command, model, run, order, year);
        var engine = new EngineOptions(command);
        command.Validators.Add(r =>
        {
            r.Exclusive(model, run);
            if (!r.Given(model) && !r.Given(run))
            {
                r.AddError("give --model DIR or --run DIR");
            }
        });
        command.SetAction(r => QuoteCommand.Execute(r.PathOf(model), r.PathOf(run), r.RequiredPath(order), r.GetValue(year), engine.Settings(r), stdout, stderr));
        return command;
    }

    private static Command Explain(TextWriter stdout)
    {
        var run = CliOptions.Folder("--run", "The run folder (published or not)", required: true);
        var tenant = CliOptions.Text("--tenant", "ID", "The tenant whose fees to explain", required: true);
        var service = CliOptions.Text("--service", "ID", "The service (or tower) of the fee (default: every service the tenant has a fee for in the period)");
        var year = CliOptions.OptionalNumber("--year", "Y", "The fiscal year (default: the latest with a fee)", 1900, 9999);
        var scenario = CliOptions.Choice("--scenario", "The scenario (default: the best-known: actual, else forecast, else budget)", Scenarios);
        var view = CliOptions.Choice("--as", "Whose view: the supplier's full one, or the tenant's, where figures the disclosure policy hides show as –", ExplainCommand.Views, fallback: "supplier");
        var json = CliOptions.Flag("--json", "The read API's JSON instead of text (an array of explanations without --service)");
        var command = new Command("explain", "How a tenant's fee came about: by cost pool, each allocation step, back to ledger accounts and cost centres");
        Add(command, run, tenant, service, year, scenario, view, json);
        command.SetAction(r => ExplainCommand.Execute(
            r.RequiredPath(run), r.GetRequiredValue(tenant), r.GetValue(service), r.GetValue(year), r.GetValue(scenario), r.GetValue(view) == "tenant", r.GetValue(json), stdout));
        return command;
    }

    private static Command Changes(TextWriter stdout)
    {
        var from = CliOptions.Text("--from", "RUNDIR[:YEAR[:SCENARIO]]", "The run (and year and scenario) to compare from (default: its latest year, the best-known scenario)", required: true);
        var to = CliOptions.Text("--to", "RUNDIR[:YEAR[:SCENARIO]]", "The run (and year and scenario) to compare to", required: true);
        var workbooks = CliOptions.Flag("--workbooks", "Also write the workbook Avgiftsförändring of every tenant (avgiftsforandring/TENANT.xlsx in the folder)");
        var output = CliOptions.Folder("--out", "The folder for changes.csv, changes_by_pool.csv, changes_by_tower.csv and bridge.json", required: true);
        var command = new Command("changes", "Why fees changed: per tenant and service, the change as a volume effect and a price effect, exact to the öre");
        Add(command, from, to, output, workbooks);
        command.SetAction(r => ChangesCommand.Execute(r.GetRequiredValue(from), r.GetRequiredValue(to), r.RequiredPath(output), r.GetValue(workbooks), stdout));
        return command;
    }

    private static Command Simulate(TextWriter stdout)
    {
        var run = CliOptions.Folder("--run", "The published run folder to simulate from", required: true);
        var changes = CliOptions.File("--changes", "The changes, JSON as the read API takes it: {\"year\": Y, \"changes\": [{\"type\": \"cost\" | \"volume\" | \"key\" | \"leave\" | \"join\", …}]} (docs/changes.md)", required: true);
        var year = CliOptions.OptionalNumber("--year", "Y", "The fiscal year to simulate, in its best-known scenario (default: the file's year, else the first year without an actual outcome, else the last)", 1900, 9999);
        var output = CliOptions.Folder("--out", "The folder for changes.csv, changes_by_pool.csv, changes_by_tower.csv, fees.csv, prices.csv, unallocated.csv and simulation.json", required: true);
        var command = new Command("simulate", "Every tenant's fees after changes to cost, driver volumes, a rule's key or tenants, and the fee bridge against the run");
        Add(command, run, changes, year, output);
        var engine = new EngineOptions(command);
        command.SetAction(r => SimulateCommand.Execute(r.RequiredPath(run), r.RequiredPath(changes), r.GetValue(year), r.RequiredPath(output), engine.Settings(r), stdout));
        return command;
    }

    private static Command Demo(TextWriter stdout, TextWriter stderr)
    {
        var lines = CliOptions.Number("--lines", "N", "Ledger lines to generate", 200_000, min: 0);
        var seed = CliOptions.Number("--seed", "S", "The generator's seed (the same seed gives the same package)", 2026);
        var output = CliOptions.Folder("--out", "Where the package (model/) and its run (run/) go", fallback: Path.Combine("out", "demo"));
        var command = new Command("demo", "Generate a realistic demo package, run it and show a summary");
        Add(command, lines, seed, output);
        var engine = new EngineOptions(command);
        command.SetAction(r => DemoCommand.Execute(r.GetValue(lines), r.GetValue(seed), r.RequiredPath(output), engine.Settings(r), stdout, stderr));
        return command;
    }

    private static Command Generate(TextWriter stdout, TextWriter stderr)
    {
        var scale = CliOptions.OptionalNumber("--scale", "N", "About N million ledger lines (50: a national shared-service centre)", 1, Datasets.DemoModelOptions.MaxScale, required: true);
        var seed = CliOptions.Number("--seed", "S", "The generator's seed", 2026);
        var output = CliOptions.Folder("--out", "The package folder to write", required: true);
        var format = CliOptions.Choice("--format", "The ledger's format: typed Parquet, CSV, or the Swedish spreadsheet export (; and decimal comma)", GenerateCommand.Formats, fallback: "parquet");
        var years = CliOptions.OptionalNumber("--years", "N", "Fiscal years from 2024 that the lines are spread over (default: the scale's own)", 1, 20);
        var command = new Command("generate", "A synthetic package of about N million ledger lines, for measuring the engine at volume");
        Add(command, scale, seed, output, format, years);
        command.SetAction(r => GenerateCommand.Execute(r.GetValue(scale)!.Value, r.GetValue(seed), r.RequiredPath(output), r.GetRequiredValue(format), r.GetValue(years), stdout, stderr));
        return command;
    }

    private static Command ImportSie(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The SIE 4 file (*.se, *.si, *.sie)" };
        var output = CliOptions.Folder("--out", "The folder for ledger.csv, ledger.parquet and ingest-report.json", required: true);
        var command = new Command("import-sie", "A SIE 4 file's current-year ledger as a package's ledger table");
        command.Arguments.Add(file);
        Add(command, output);
        var sie = new SieOptions(command);
        var engine = new EngineOptions(command);
        command.SetAction(r => ImportSieCommand.Execute(r.GetRequiredValue(file).ToString(), r.RequiredPath(output), sie.Acceptance(r), engine.Settings(r), stdout, stderr));
        return command;
    }

    private static Command Serve(TextWriter stdout, TextWriter stderr)
    {
        var urls = CliOptions.Text("--urls", "URL", "Where to listen (default: http://127.0.0.1:5080)");
        var runs = CliOptions.Folder("--runs", "The runs store (default: runs)");
        var keys = CliOptions.File("--keys", "The API keys file (default: keys.json)");
        var command = new Command("serve", "The read API over the runs store; API reference at /scalar, OpenAPI at /openapi/v1.json");
        Add(command, urls, runs, keys);
        command.SetAction(r => ServeCommand.Execute(r.GetValue(urls), r.PathOf(runs), r.PathOf(keys), stdout, stderr));
        return command;
    }

    private static Command Keys(TextWriter stdout, TextWriter stderr)
    {
        static Option<FileInfo> KeysFile() => CliOptions.File("--keys", "The API keys file", fallback: ApiKeyStore.DefaultFile);

        var addKeys = KeysFile();
        var role = CliOptions.Choice("--role", "What the key reads: tenant (its own rows; needs --tenant and --supplier), supplier (needs --supplier), coordinator or esv (everything)", AccessGrant.RoleNames);
        role.Required = true;
        var tenant = CliOptions.Text("--tenant", "ID", "The tenant a tenant key reads");
        var supplier = CliOptions.Text("--supplier", "ID", "The supplier whose runs the key reads");
        var name = CliOptions.Text("--name", "TEXT", "Whose key it is, for the listing");
        var add = new Command("add", "Make an API key: printed once, only its hash is stored");
        Add(add, role, tenant, supplier, name, addKeys);
        add.SetAction(r => KeysCommand.Execute("add", new KeysOptions(r.PathOf(addKeys), r.GetRequiredValue(role), r.GetValue(tenant), r.GetValue(supplier), r.GetValue(name)), stdout, stderr));

        var listKeys = KeysFile();
        var list = new Command("list", "The keys: ids, roles, what they are bound to (never the keys)");
        Add(list, listKeys);
        list.SetAction(r => KeysCommand.Execute("list", new KeysOptions(r.PathOf(listKeys)), stdout, stderr));

        var revokeKeys = KeysFile();
        var id = CliOptions.Text("--id", "ID", "The key's id (tbm keys list)", required: true);
        var revoke = new Command("revoke", "Refuse a key from now on");
        Add(revoke, id, revokeKeys);
        revoke.SetAction(r => KeysCommand.Execute("revoke", new KeysOptions(r.PathOf(revokeKeys), Id: r.GetRequiredValue(id)), stdout, stderr));

        return Group("keys", "The read API's keys", stderr, add, list, revoke);
    }

    private static Command Invoice(TextWriter stdout, TextWriter stderr)
    {
        var run = CliOptions.Folder("--run", "The run folder (published or not)", required: true);
        var year = CliOptions.OptionalNumber("--year", "Y", "The fiscal year to invoice: its preliminary fees and instalments, and the year before's true-up", 1900, 2999, required: true);
        var output = CliOptions.Folder("--out", "The folder for invoice_lines.csv and bookings.si; replaced only when it is empty or the engine's own output", required: true);
        var command = new Command("invoice", "The year's invoice lines and their bookings (SIE 4I) from a run folder");
        Add(command, run, year, output);
        command.SetAction(r => InvoiceCommand.Execute(r.RequiredPath(run), r.GetValue(year)!.Value, r.RequiredPath(output), stdout, stderr));
        return command;
    }

    private static Command Export(TextWriter stdout)
    {
        var run = CliOptions.Folder("--run", "The run folder (published or not)", required: true);
        var output = CliOptions.Folder("--out", "The folder for the workbooks; replaced only when it is empty or an earlier export", required: true);
        var workbook = CliOptions.Choice("--workbook", "Only this workbook (default: all of them)", ExportCommand.WorkbookNames);
        var tenant = CliOptions.Text("--tenant", "ID", "Only this tenant's fee specification and true-up (default: every tenant's)");
        var year = CliOptions.OptionalNumber("--year", "Y", "The fiscal year (default: each workbook's own, the latest)", 1900, 9999);
        var scenario = CliOptions.Choice(
            "--scenario",
            "The price list's prices and the fee table's rows of this scenario (default: the year's basis, and every scenario). The fee specification stays the fee model's and says so; the balance and true-up are actual only: refused for another scenario, left out of 'all'",
            Scenarios);
        var command = new Command("export", "The read API's Excel workbooks of a run folder");
        Add(command, run, output, workbook, tenant, year, scenario);
        command.SetAction(r => ExportCommand.Execute(r.RequiredPath(run), r.RequiredPath(output), r.GetValue(workbook), r.GetValue(tenant), r.GetValue(year), stdout, r.GetValue(scenario)));
        return command;
    }

    private static Command Focus(TextWriter stdout)
    {
        var run = CliOptions.Folder("--run", "The run folder (published or not)", required: true);
        var output = CliOptions.File("--out", "The Parquet file to write (default focus.parquet); never replaces a file", fallback: "focus.parquet");
        var scenario = CliOptions.Choice("--scenario", "The scenario whose allocated costs are exported", Scenarios, fallback: "actual");
        var command = new Command("focus", "A run's allocated costs as a FOCUS 1.2 dataset for FinOps tools: one row per tenant, service, cost pool and year (docs/focus.md)");
        Add(command, run, output, scenario);
        command.SetAction(r =>
        {
            var result = Output.FocusExport.Write(r.RequiredPath(run), r.RequiredPath(output), r.GetRequiredValue(scenario));
            stdout.WriteLine(System.FormattableString.Invariant($"{result.Path}: {result.Rows} rows, BilledCost {Model.Money.Format(result.Total)} SEK"));
            return 0;
        });
        return command;
    }

    private static Command Host(TextWriter stdout, TextWriter stderr)
    {
        var defaults = HostCommand.Defaults;
        var models = CliOptions.Folder("--models", "A model package, or a folder of them (found up to three levels down)", fallback: defaults.ModelsDirectory);
        var runs = CliOptions.Folder("--runs", "The runs store to publish into; the API's --runs must be the same folder", fallback: defaults.RunsDirectory);
        var once = CliOptions.Flag("--once", "One pass over the packages, then exit (exit 2 if a package has model errors)");
        var urls = CliOptions.Text("--urls", "URL", "The dashboard (/hangfire), /health and /recalculate", fallback: defaults.Urls);
        var cron = CliOptions.Text("--cron", "CRON", "When the nightly recalculation runs", fallback: defaults.Cron);
        var timeZone = CliOptions.Text("--time-zone", "TZ", "The time zone of --cron", fallback: defaults.TimeZone);
        var queue = CliOptions.Text("--queue", "NAME", "The job queue this host works and puts its packages on (docs/operations.md)", fallback: defaults.Queue);
        var workers = CliOptions.Number("--workers", "N", "Recalculations at a time on this host", defaults.Workers, min: 1);
        var keep = CliOptions.Number("--keep", "N", "Runs kept per supplier after each nightly pass, besides final and latest ones (0: all)", defaults.Keep, min: 0);
        var keys = CliOptions.File("--keys", "The API keys file, for the dashboard", fallback: defaults.KeysFile);
        var log = CliOptions.Choice("--log", "text, or json: one JSON object per event", HostCommand.LogFormats, fallback: "text");
        var command = new Command(
            "host",
            "The jobs host: nightly recalculation of the packages whose inputs changed, published into the runs store; "
            + "the queue in memory, or in PostgreSQL when TBM_JOBS_POSTGRES is set (docs/operations.md)");
        Add(command, models, runs, once, urls, cron, timeZone, queue, workers, keep, keys, log);
        var engine = new EngineOptions(command);
        command.SetAction(r =>
        {
            var settings = new HostSettings(r.RequiredPath(models), r.RequiredPath(runs))
            {
                Urls = r.GetRequiredValue(urls),
                Cron = r.GetRequiredValue(cron),
                TimeZone = r.GetRequiredValue(timeZone),
                Queue = r.GetRequiredValue(queue),
                Workers = r.GetValue(workers),
                Keep = r.GetValue(keep),
                KeysFile = r.RequiredPath(keys),
                Engine = engine.Settings(r),
            };
            return HostCommand.Execute(settings, r.GetRequiredValue(log), r.GetValue(once), stdout, stderr);
        });
        return command;
    }

    private static Command Runs(TextWriter stdout, TextWriter stderr)
    {
        static Option<DirectoryInfo> Store() => CliOptions.Folder("--runs", "The runs store", fallback: "runs");
        static Option<string> Supplier(string description) => CliOptions.Text("--supplier", "S", description);
        static Option<string> RunId() => CliOptions.Text("--run", "ID", "The run's id", required: true);

        var listStore = Store();
        var listSupplier = Supplier("Only this supplier's runs");
        var attempts = CliOptions.OptionalNumber("--attempts", "N", "Also the N latest recalculation attempts, with their errors");
        var list = new Command("list", "Published runs, newest first (latest and final marked)");
        Add(list, listStore, listSupplier, attempts);
        list.SetAction(r => RunsCommand.List(new RunStore(r.RequiredPath(listStore)), r.GetValue(listSupplier), r.GetValue(attempts), stdout));

        var showStore = Store();
        var showRun = RunId();
        var showSupplier = Supplier("The run's supplier, when several have a run of that id");
        var show = new Command("show", "A run's publication, inputs (SHA-256), row counts and attempts");
        Add(show, showRun, showSupplier, showStore);
        show.SetAction(r => RunsCommand.Show(new RunStore(r.RequiredPath(showStore)), r.GetRequiredValue(showRun), r.GetValue(showSupplier), stdout));

        var finalStore = Store();
        var finalRun = RunId();
        var finalSupplier = Supplier("The run's supplier, when several have a run of that id");
        var reason = CliOptions.Text("--reason", "TEXT", "Why, e.g. the invoice it was based on");
        var markFinal = new Command("mark-final", "Keep a run for ever (e.g. the one an invoice was based on)");
        Add(markFinal, finalRun, finalSupplier, reason, finalStore);
        markFinal.SetAction(r => RunsCommand.MarkFinal(new RunStore(r.RequiredPath(finalStore)), r.GetRequiredValue(finalRun), r.GetValue(finalSupplier), r.GetValue(reason), stdout));

        var pruneStore = Store();
        var keep = CliOptions.Number("--keep", "N", "Runs kept per supplier, besides final runs and those latest.json names", 20, min: 1);
        var dryRun = CliOptions.Flag("--dry-run", "Only say what would be removed");
        var pruneSupplier = Supplier("Only this supplier's runs");
        var prune = new Command("prune", "Remove all but the newest runs per supplier, always keeping final runs and those latest.json names");
        Add(prune, keep, dryRun, pruneSupplier, pruneStore);
        prune.SetAction(r => RunsCommand.Prune(new RunStore(r.RequiredPath(pruneStore)), r.GetValue(keep), r.GetValue(dryRun), r.GetValue(pruneSupplier), stdout));

        return Group("runs", "The runs store: published runs, final runs, retention", stderr, list, show, markFinal, prune);
    }

    private static Command Status(TextWriter stdout)
    {
        var runs = CliOptions.Folder("--runs", "The runs store", fallback: "runs");
        var host = CliOptions.Text("--host", "URL", "The jobs host whose /health tells the queue (default: http://127.0.0.1:5090, or the PostgreSQL queue when TBM_JOBS_POSTGRES is set)");
        var command = new Command("status", "The latest run per supplier and year, running and failed recalculations, the job queue");
        Add(command, runs, host);
        command.SetAction(r => StatusCommand.Execute(r.RequiredPath(runs), r.GetValue(host), stdout));
        return command;
    }

    private static Command Baseline(TextWriter stdout, TextWriter stderr)
    {
        static Option<DirectoryInfo> Model(string description, bool required = false) => CliOptions.Folder("--model", description, required);
        static Option<DirectoryInfo> Store() => CliOptions.Folder("--store", "The baseline store, when not MODEL/baselines");

        var templateModel = Model("The model package whose services and units the workbook lists", required: true);
        var templateOut = CliOptions.File("--out", "The workbook to write (never replaces a file)", fallback: BaselineCommand.TemplateFile);
        var templateTenant = CliOptions.Text("--tenant", "ID", "Fill in the tenant's id (default: left for the tenant to fill in)");
        var templateYear = CliOptions.OptionalNumber("--year", "Y", "The baseline's fiscal year (default: left to fill in)", 1900, 9999);
        var template = new Command("template", "The baseline (nolläge) workbook to fill in: the model's services and units, instructions in Swedish");
        Add(template, templateModel, templateOut, templateTenant, templateYear);
        template.SetAction(r => BaselineCommand.Template(r.RequiredPath(templateModel), r.RequiredPath(templateOut), r.GetValue(templateTenant), r.GetValue(templateYear), stdout, stderr));

        var file = new Argument<FileInfo>("FILE") { Description = "The filled-in workbook (.xlsx) or CSV", Arity = ArgumentArity.ZeroOrOne };
        var fileOption = new Option<FileInfo>("--file") { Hidden = true };
        var importModel = Model("The model package: its services and units are checked; its store is MODEL/baselines");
        var importStore = Store();
        var by = CliOptions.Text("--by", "NAME", "Who records it (default: the user's login name)");
        var reason = CliOptions.Text("--reason", "TEXT", "Why: required for a correction of a recorded baseline");
        var import = new Command("import", "Check every cell of a filled-in baseline and record a new version per tenant in the store");
        import.Arguments.Add(file);
        Add(import, fileOption, importModel, importStore, by, reason);
        import.Validators.Add(r =>
        {
            if ((r.GetValue(file) is null) == (r.GetValue(fileOption) is null))
            {
                r.AddError("give the file to read once: tbm baseline import FILE --model DIR");
            }

            if (!r.Given(importModel) && !r.Given(importStore))
            {
                r.AddError("give --model DIR (its store is DIR/baselines) or --store DIR");
            }
        });
        import.SetAction(r => BaselineCommand.Import(
            (r.GetValue(file) ?? r.GetRequiredValue(fileOption)).ToString(), r.PathOf(importModel), r.PathOf(importStore), r.GetValue(by), r.GetValue(reason), stdout, stderr));

        var listModel = Model("The model package whose store (MODEL/baselines) to list");
        var listStore = Store();
        var listTenant = CliOptions.Text("--tenant", "ID", "Only this tenant's versions (default: every tenant's)");
        var list = new Command("list", "The recorded versions: who, when, why");
        Add(list, listModel, listStore, listTenant);
        list.Validators.Add(r =>
        {
            if (!r.Given(listModel) && !r.Given(listStore))
            {
                r.AddError("give --model DIR (its store is DIR/baselines) or --store DIR");
            }
        });
        list.SetAction(r => BaselineCommand.List(r.PathOf(listModel), r.PathOf(listStore), r.GetValue(listTenant), stdout));

        return Group("baseline", "The tenants' baselines (nolläge): the workbook, recording it, the versions", stderr, template, import, list);
    }

    private static Command Report(TextWriter stdout, TextWriter stderr)
    {
        var year = CliOptions.OptionalNumber("--year", "Y", "The fiscal year", 1900, 9999, required: true);
        var runs = CliOptions.Folder("--runs", "The runs store: the latest published run of every supplier is read", required: true);
        var output = CliOptions.File("--out", "The workbook to write (default: statusrapport-YEAR[-TENANT].xlsx; never replaces a file)");
        var tenant = CliOptions.Text("--tenant", "ID", "That tenant's own edition (default: the coordinator's and ESV's, over every tenant)");
        var scenario = CliOptions.Choice("--scenario", "The scenario reported", Scenarios, fallback: "actual");
        var status = new Command("status", "The yearly status report over every supplier's published runs (.xlsx, Swedish headings; docs/indicators.md)");
        Add(status, year, runs, output, tenant, scenario);
        status.SetAction(r => ReportCommand.Status(r.GetValue(year)!.Value, r.RequiredPath(runs), r.PathOf(output), r.GetValue(tenant), r.GetRequiredValue(scenario), stdout, stderr));

        var tariffYear = CliOptions.OptionalNumber("--year", "Y", "The fiscal year", 1900, 9999, required: true);
        var tariffRuns = CliOptions.Folder("--runs", "The runs store: the latest published run of every supplier is read", required: true);
        var tariffOutput = CliOptions.File("--out", "The file to write: .xlsx (default tariffer-YEAR.xlsx) or .csv; never replaces a file");
        var tariffScenario = CliOptions.Choice("--scenario", "The scenario compared", Scenarios, fallback: "actual");
        var register = CliOptions.Flag("--register", "With a .csv --out: the register of services (which supplier delivers which catalogue service) instead of the tariffs");
        var tariffs = new Command("tariffs", "Unit prices per catalogue service and supplier, and the register of services (docs/catalogue.md)");
        Add(tariffs, tariffYear, tariffRuns, tariffOutput, tariffScenario, register);
        tariffs.SetAction(r => ReportCommand.Tariffs(r.GetValue(tariffYear)!.Value, r.RequiredPath(tariffRuns), r.PathOf(tariffOutput), r.GetRequiredValue(tariffScenario),
            r.GetValue(register), stdout, stderr));
        return Group("report", "Reports over the published runs", stderr, status, tariffs);
    }

    private static Command Completion(TextWriter stdout)
    {
        var shell = CliOptions.ChoiceArgument("SHELL", "bash or zsh", CompletionCommand.Shells);
        var command = new Command("completion", "Tab completion for bash or zsh: source <(tbm completion bash)");
        command.Arguments.Add(shell);
        command.SetAction(r => CompletionCommand.Execute(r.GetRequiredValue(shell), stdout));
        return command;
    }

    /// <summary>A command that holds others; alone, it says which.</summary>
    private static Command Group(string name, string description, TextWriter stderr, params Command[] subcommands)
    {
        var command = new Command(name, description);
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        command.SetAction(r => CommandLine.NeedsCommand(r, stderr));
        return command;
    }

    private static void Add(Command command, params Option[] options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }
}
