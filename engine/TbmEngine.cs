using DuckDB.NET.Data;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Fees;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm;

/// <summary>What to run.</summary>
/// <param name="ModelDirectory">The model package folder.</param>
/// <param name="OutputDirectory">The run folder to write. It must not exist, be empty, or be an earlier run folder (which is replaced).</param>
public sealed record RunOptions(string ModelDirectory, string OutputDirectory)
{
    /// <summary>How the engine may use the machine.</summary>
    public EngineSettings Settings { get; init; } = EngineSettings.Default;

    /// <summary>The run folder of the previous package (the years before), whose closing balances carry forward; optional.</summary>
    public string? PreviousRun { get; init; }

    /// <summary>What the user accepts in SIE files instead of a model error (nothing, by default).</summary>
    public SieAcceptance Sie { get; init; } = SieAcceptance.None;
}

/// <summary>Where a run is.</summary>
/// <param name="Stage">read, check, map, allocate, fees, write.</param>
/// <param name="Message">For people.</param>
public sealed record RunProgress(string Stage, string Message);

/// <summary>A tenant's total for a fiscal year and scenario, for summaries.</summary>
public sealed record TenantTotal(int FiscalYear, string Scenario, string Tenant, long Amount);

/// <summary>One row of <c>reconciliation.csv</c>, in öre.</summary>
public sealed record ReconciliationRow(int FiscalYear, string Scenario, long LedgerTotal, long AllocatedTotal, long UnallocatedTotal, long Difference);

/// <summary>The outcome of a run or a validation.</summary>
public sealed record RunResult
{
    /// <summary>No model error: the run folder holds the results (for a validation: the package is valid).</summary>
    public bool Succeeded => ErrorCount == 0;

    /// <summary>The first errors in report order (file, line, column); all of them are in <c>errors.csv</c>.</summary>
    public IReadOnlyList<ModelError> Errors { get; init; } = [];

    /// <summary>How many model errors there are in all.</summary>
    public long ErrorCount { get; init; }

    /// <summary>Warnings that did not stop the run.</summary>
    public IReadOnlyList<ModelWarning> Warnings { get; init; } = [];

    /// <summary>The run folder written (absent for a validation).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The run's id: a hash of the engine version, the inputs and the options that change the output.</summary>
    public string? RunId { get; init; }

    /// <summary>Ledger line counts.</summary>
    public LedgerCounts? Ledger { get; init; }

    /// <summary>The supplier's id from <c>model.json</c>.</summary>
    public string? Supplier { get; init; }

    /// <summary>The fiscal years with cost lines.</summary>
    public IReadOnlyList<int> FiscalYears { get; init; } = [];

    /// <summary>The reconciliation per fiscal year and scenario.</summary>
    public IReadOnlyList<ReconciliationRow> Reconciliation { get; init; } = [];

    /// <summary>Each tenant's total per fiscal year and scenario.</summary>
    public IReadOnlyList<TenantTotal> TenantTotals { get; init; } = [];
}

/// <summary>
/// The engine's front door: read a model package into DuckDB, check it, allocate, compute fees and
/// write the run folder. One in-memory DuckDB database per call; nothing is shared between calls.
/// </summary>
public static class TbmEngine
{
    /// <summary>How many errors a result carries; <c>errors.csv</c> has all of them.</summary>
    public const int ReportedErrors = 200;

    /// <summary>Runs a model package into a run folder (docs/model-format.md §4).</summary>
    /// <exception cref="TbmException">The output folder exists and may not be replaced (kind conflict) (see <see cref="OutputFolder"/>).</exception>
    public static RunResult Run(RunOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = Path.GetFullPath(options.OutputDirectory);
        var temporary = OutputFolder.Prepare(output);
        try
        {
            using var connection = Duck.OpenInMemory(options.Settings);
            var (loaded, errors, warnings) = Load(connection, options.ModelDirectory, progress, cancellationToken, options.Sie);
            if (errors.Count > 0 || loaded is null)
            {
                return Failed();
            }

            cancellationToken.ThrowIfCancellationRequested();
            Allocator.Map(connection, loaded.Manifest, progress);
            Allocator.Weigh(connection);
            LimitChecks.Priced(errors, loaded.Manifest);
            if (loaded.Manifest.Reciprocal)
            {
                CycleChecks.Run(connection, errors);
            }

            if (errors.Count > 0)
            {
                return Failed();
            }

            var ledger = MoneyChecks.Run(connection, loaded.Manifest, warnings);
            cancellationToken.ThrowIfCancellationRequested();
            Allocator.Move(connection, loaded.Manifest.Reciprocal, progress, cancellationToken);
            if (options.PreviousRun is { } previous)
            {
                FeeTables.LoadPreviousRun(connection, previous, warnings);
            }

            FeeTables.Run(connection, warnings, loaded.Package.SourcesOf(Tables.Invoiced).Any());
            FeeModels.Run(connection, loaded.Manifest, warnings);
            Indicators.RunIndicators.Run(connection, loaded.Manifest, loaded.Package, warnings);
            if (loaded.Package.SourcesOf(Tables.Quantities).Any())
            {
                QuantityAllocation.Run(connection, loaded.Manifest.Reciprocal, warnings, cancellationToken);
            }

            progress?.Report(new RunProgress("write", "writing the run folder"));
            var rows = RunWriter.WriteTables(connection, temporary);
            RunWriter.WriteSnapshot(connection, temporary, loaded.Package.ManifestPath);
            var inputs = RunWriter.HashInputs(loaded.Package.Directory, loaded.Package.InputFiles);
            var runOptions = RunOption.Of(options.PreviousRun, options.Sie, inputs.Any(i => Ingest.ModelPackage.IsSieFile(i.Name)));
            var runId = RunWriter.RunId(inputs, runOptions);
            RunWriter.WriteManifest(temporary, new RunRecord(runId, loaded.Manifest, inputs, ledger, rows, warnings) { Options = runOptions });
            var result = new RunResult
            {
                Warnings = warnings,
                OutputDirectory = output,
                RunId = runId,
                Ledger = ledger,
                Supplier = loaded.Manifest.Supplier.Id,
                FiscalYears = connection.Query("SELECT DISTINCT fiscal_year FROM periods ORDER BY 1", r => r.GetInt32(0)),
                Reconciliation = connection.Query(
                    "SELECT fiscal_year, scenario, ledger_total, allocated_total, unallocated_total, difference FROM reconciliation ORDER BY 1, 2",
                    r => new ReconciliationRow(r.GetInt32(0), r.GetString(1), r.Int64(2), r.Int64(3), r.Int64(4), r.Int64(5))),
                TenantTotals = connection.Query(
                    "SELECT fiscal_year, scenario, tenant, CAST(sum(amount) AS BIGINT) FROM fees GROUP BY ALL ORDER BY 1, 2, 3",
                    r => new TenantTotal(r.GetInt32(0), r.GetString(1), r.GetString(2), r.Int64(3))),
            };
            cancellationToken.ThrowIfCancellationRequested();
            OutputFolder.MoveIntoPlace(temporary, output, "run folder");
            return result;

            RunResult Failed()
            {
                errors.WriteCsv(Path.Combine(temporary, "errors.csv"));
                var failed = new RunResult { Errors = errors.First(ReportedErrors), ErrorCount = errors.Count, Warnings = warnings, OutputDirectory = output };
                OutputFolder.MoveIntoPlace(temporary, output, "the errors of a run");
                return failed;
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>
    /// Checks a model package without running it; writes nothing. A valid package's ledger keys are also mapped
    /// and its allocation keys weighed, so that the result has the same ledger counts (skipped lines per account class) and the same
    /// warnings about money (skipped accounts, unmapped money, missing driver rows) as a run of it.
    /// </summary>
    public static RunResult Validate(string modelDirectory, EngineSettings? settings = null, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default, SieAcceptance? sie = null)
    {
        using var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
        var (loaded, errors, warnings) = Load(connection, modelDirectory, progress, cancellationToken, sie ?? SieAcceptance.None);
        LedgerCounts? ledger = null;
        if (errors.Count == 0 && loaded is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Allocator.MapKeys(connection, loaded.Manifest, progress);
            Allocator.Weigh(connection);
            LimitChecks.Priced(errors, loaded.Manifest);
            if (loaded.Manifest.Reciprocal)
            {
                CycleChecks.Run(connection, errors);
            }

            ledger = MoneyChecks.Run(connection, loaded.Manifest, warnings);
        }

        return new RunResult { Errors = errors.First(ReportedErrors), ErrorCount = errors.Count, Warnings = warnings, Ledger = ledger, Supplier = loaded?.Manifest.Supplier.Id };
    }

    /// <summary>Quotes what a prospective tenant would pay, and what its joining does to every existing tenant's fee.</summary>
    /// <exception cref="ModelException">The package has model errors.</exception>
    /// <exception cref="TbmException">The order does not fit the package (<see cref="TbmErrorKind.Usage"/>).</exception>
    public static Quotes.QuoteResult Quote(string modelDirectory, Quotes.QuoteOrder order, EngineSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
        var (loaded, errors, warnings) = Load(connection, modelDirectory, progress: null, cancellationToken, SieAcceptance.None);
        if (errors.Count > 0 || loaded is null)
        {
            throw new ModelException(new RunResult { Errors = errors.First(ReportedErrors), ErrorCount = errors.Count, Warnings = warnings });
        }

        return Quotes.QuoteEngine.Quote(connection, loaded.Manifest, order, warnings, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Quotes from a published run folder instead of the package: allocation starts from the run's mapped
    /// balances, so the ledger is neither read nor mapped again (fast for a national-size package).
    /// </summary>
    /// <exception cref="TbmException">The folder is not a run folder with a model snapshot (<see cref="TbmErrorKind.NotFound"/>), or the order does not fit it (<see cref="TbmErrorKind.Usage"/>).</exception>
    public static Quotes.QuoteResult QuoteFromRun(string runDirectory, Quotes.QuoteOrder order, EngineSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
        var manifest = Quotes.QuoteEngine.LoadRun(connection, runDirectory);
        return Quotes.QuoteEngine.Quote(connection, manifest, order, [], runDirectory, cancellationToken);
    }

    /// <summary>Reads a SIE file's current-year ledger into a folder as <c>ledger.csv</c>, <c>ledger.parquet</c> and <c>ingest-report.json</c>.</summary>
    /// <exception cref="ArgumentException">The file does not exist, or the output folder is not replaceable.</exception>
    public static RunResult ImportSie(string file, string outputDirectory, SieAcceptance? accept = null, EngineSettings? settings = null) =>
        SieImport.Import(file, outputDirectory, accept ?? SieAcceptance.None, settings ?? EngineSettings.Default);

    private sealed record Loaded(ModelPackage Package, ModelManifest Manifest);

    /// <summary>Discovers, stages, types and checks a package (docs/model-format.md §1–2).</summary>
    private static (Loaded? Loaded, ErrorLog Errors, List<ModelWarning> Warnings) Load(DuckDBConnection connection, string modelDirectory, IProgress<RunProgress>? progress, CancellationToken cancellationToken, SieAcceptance sie)
    {
        var errors = new ErrorLog(connection);
        var warnings = new List<ModelWarning>();
        var early = new List<ModelError>();
        var package = ModelPackage.Discover(modelDirectory, early, warnings);
        var manifest = File.Exists(package.ManifestPath) ? ModelManifest.Read(package.ManifestPath, Path.GetFileName(package.Directory), early) : null;
        errors.AddRange(early);
        if (!Directory.Exists(package.Directory))
        {
            return (null, errors, warnings);
        }

        Staging.Load(connection, package, errors, warnings, progress, sie, manifest);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new RunProgress("check", "checking the model"));
        foreach (var table in Tables.All)
        {
            CellRules.Type(connection, table, errors);
        }

        if (manifest is not null)
        {
            ModelChecks.Run(connection, manifest, errors, warnings);
            FeeTables.CheckOpeningBalances(connection, manifest, errors);
        }

        return (manifest is null ? null : new Loaded(package, manifest), errors, warnings);
    }
}
