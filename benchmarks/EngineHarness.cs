using DuckDB.NET.Data;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Fees;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// The engine's stages one at a time, on one in-memory DuckDB database, for the benchmarks that measure a
/// stage rather than a whole run. The steps are those of <c>TbmEngine.Run</c> (which keeps them private).
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    private EngineHarness(DuckDBConnection connection, ModelPackage package, ModelManifest? manifest)
    {
        Connection = connection;
        Package = package;
        Manifest = manifest;
    }

    public DuckDBConnection Connection { get; }

    public ModelPackage Package { get; }

    public ModelManifest? Manifest { get; }

    public List<ModelWarning> Warnings { get; } = [];

    /// <summary>Opens a database the way a run does.</summary>
    public static DuckDBConnection Open(EngineSettings settings) => Database.Duck.OpenInMemory(settings);

    /// <summary>Discovers, stages, types and checks the whole package (docs/model-format.md §1–2); throws on a model error.</summary>
    public static EngineHarness Load(string modelDirectory, EngineSettings settings)
    {
        var harness = Stage(modelDirectory, settings, _ => true, out var errors);
        foreach (var table in Tables.All)
        {
            CellRules.Type(harness.Connection, table, errors);
        }

        ModelChecks.Run(harness.Connection, harness.Manifest!, errors, harness.Warnings);
        FeeTables.CheckOpeningBalances(harness.Connection, harness.Manifest!, errors);
        ThrowOnErrors(errors);
        return harness;
    }

    /// <summary>Ingest of the ledger alone: its files read, every cell checked and typed into <c>ledger</c>.</summary>
    public static long IngestLedger(string modelDirectory, EngineSettings settings)
    {
        using var harness = Stage(modelDirectory, settings, t => ReferenceEquals(t, Tables.Ledger), out var errors);
        CellRules.Type(harness.Connection, Tables.Ledger, errors);
        ThrowOnErrors(errors);
        return harness.Connection.Scalar("SELECT count(*) FROM ledger");
    }

    /// <summary>Map, allocate and compute fees (docs/model-format.md §3) from the loaded tables.</summary>
    public void MapAllocateFees()
    {
        Allocator.Run(Connection, Manifest!, progress: null, CancellationToken.None);
        FeeTables.Run(Connection, Warnings, Package.SourcesOf(Tables.Invoiced).Any());
        FeeModels.Run(Connection, Manifest!, Warnings);
    }

    public void Dispose() => Connection.Dispose();

    private static EngineHarness Stage(string modelDirectory, EngineSettings settings, Func<TableSpec, bool> tables, out ErrorLog errors)
    {
        var connection = Open(settings);
        errors = new ErrorLog(connection);
        var early = new List<ModelError>();
        var warnings = new List<ModelWarning>();
        var package = ModelPackage.Discover(modelDirectory, early, warnings);
        package.Sources.RemoveAll(s => !tables(s.Table));
        var manifest = ModelManifest.Read(package.ManifestPath, Path.GetFileName(package.Directory), early);
        errors.AddRange(early);
        var harness = new EngineHarness(connection, package, manifest);
        Staging.Load(connection, package, errors, harness.Warnings, progress: null, SieAcceptance.None, manifest);
        return harness;
    }

    private static void ThrowOnErrors(ErrorLog errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the benchmark package has model errors: " + string.Join("; ", errors.First(5)));
        }
    }
}
