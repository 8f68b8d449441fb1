using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Runs;

/// <summary>A tenant as the run's model named it.</summary>
/// <param name="Id">Tenant id.</param>
/// <param name="Name">Name (the id when the run folder predates <c>model/tenants.parquet</c>).</param>
/// <param name="OrgNr">Organisation number, when the model gave one.</param>
public sealed record TenantInfo(string Id, string Name, string? OrgNr);

/// <summary>An object (tower, service, other) as the run's model named it.</summary>
/// <param name="Id">Object id.</param>
/// <param name="Kind"><c>tower</c>, <c>service</c> or <c>other</c>.</param>
/// <param name="Name">Name (the id when unknown).</param>
/// <param name="Area">Service area, when given.</param>
/// <param name="Unit">Unit of the service's key, when given.</param>
public sealed record ObjectInfo(string Id, string Kind, string Name, string? Area, string? Unit);

/// <summary>An allocation rule as the run's model gave it (without its targets).</summary>
/// <param name="Step">Step.</param>
/// <param name="Source">The object it empties.</param>
/// <param name="Method"><c>driver</c>, <c>even</c>, <c>fixed</c> or <c>direct</c>.</param>
/// <param name="Driver">The key, for a driver rule.</param>
public sealed record RuleInfo(int Step, string Source, string Method, string? Driver);

/// <summary>A warning about money from <c>run.json</c>'s <c>moneyWarnings</c>: what it concerns, and its text.</summary>
/// <param name="Kind"><c>skipped-account</c>, <c>unmapped</c> or <c>missing-driver-row</c> (see <see cref="Model.MoneyWarning"/>).</param>
/// <param name="Periods">The fiscal years and scenarios it concerns, with the amount of each in SEK where there is one.</param>
/// <param name="Tenant">The tenant it names, if any.</param>
/// <param name="Summary">It sums up the warnings of its kind that are not listed one by one.</param>
/// <param name="Text">The warning as <c>run.json</c>'s <c>warnings</c> lists it.</param>
public sealed record RunMoneyWarning(string Kind, IReadOnlyList<(int FiscalYear, string Scenario, decimal? Amount)> Periods, string? Tenant, bool Summary, string Text)
{
    /// <summary>What the warning is about, typed; <see langword="null"/> for a run folder written before <c>run.json</c> had them.</summary>
    public Model.MoneyWarningArguments? Arguments { get; init; }
}

/// <summary>The ledger lines of one account class, fiscal year and scenario that were skipped as not costs (from <c>run.json</c>).</summary>
/// <param name="AccountClass">The BAS account class (<c>1</c>–<c>9</c>, or <c>other</c>).</param>
/// <param name="Name">What the class holds.</param>
/// <param name="Expected">Skipping the class is expected (balance sheet, revenue).</param>
/// <param name="FiscalYear">Fiscal year.</param>
/// <param name="Scenario">Scenario.</param>
/// <param name="Lines">Ledger lines.</param>
/// <param name="Amount">Their sum, in SEK.</param>
public sealed record RunSkippedLines(string AccountClass, string Name, bool Expected, int FiscalYear, string Scenario, long Lines, decimal Amount);

/// <summary>
/// A finished run folder (docs/model-format.md §4), read-only: its identity from <c>run.json</c> (and
/// <c>publication.json</c> when published), and its typed Parquet tables for DuckDB to read.
/// </summary>
/// <remarks>
/// Runs are immutable, so everything read here may be cached by the caller for as long as it likes.
/// The model's reference tables (<c>model/tenants</c>, <c>model/objects</c>, <c>model/rules</c>) were added
/// to the run folder for names, organisation numbers and the explanation of fees; a run folder written
/// before them still reads, with ids standing in for names.
/// </remarks>
public sealed class RunFolder
{
    private readonly Lazy<IReadOnlyDictionary<string, TenantInfo>> _tenants;
    private readonly Lazy<IReadOnlyDictionary<string, ObjectInfo>> _objects;
    private readonly Lazy<IReadOnlyDictionary<string, RuleInfo>> _rules;
    private readonly Lazy<IReadOnlyList<(int FiscalYear, string Scenario)>> _periods;
    private readonly Lazy<Access.RunDisclosure> _disclosure;

    private RunFolder(string directory, Runs.RunManifest run, DateTimeOffset? publishedAt)
    {
        Directory = directory;
        Manifest = run;
        RunId = run.RunId;
        EngineVersion = run.EngineVersion;
        ModelName = run.Model.Name;
        SupplierId = run.Model.Supplier.Id;
        SupplierName = run.Model.Supplier.Name;
        SupplierOrgNr = run.Model.Supplier.OrgNr;
        PublishedAt = publishedAt;
        Warnings = run.Warnings;
        MoneyWarnings = [.. run.MoneyWarnings.Select(w => new RunMoneyWarning(w.Kind,
            [.. w.Periods.Select(p => (p.FiscalYear, p.Scenario, p.Amount is { } amount ? Sek(amount) : (decimal?)null))], w.Tenant, w.Summary, w.Warning)
            {
                Arguments = w.Arguments,
            })];
        SkippedLines = [.. run.Ledger.SkippedByClass.SelectMany(c => c.Periods.Select(p =>
            new RunSkippedLines(c.Class, c.Name, c.Expected, p.FiscalYear, p.Scenario, p.Lines, Sek(p.Amount))))];
        _tenants = new(LoadTenants);
        _objects = new(LoadObjects);
        _rules = new(LoadRules);
        _disclosure = new(() => Access.RunDisclosure.Decide(this));
        _periods = new(() => Query(
            $"SELECT DISTINCT fiscal_year, scenario FROM {Table("reconciliation")} ORDER BY 1, 2",
            r => (r.GetInt32(0), r.GetString(1))));
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Its <c>run.json</c>.</summary>
    public Runs.RunManifest Manifest { get; }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The engine version that wrote it.</summary>
    public string EngineVersion { get; }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The supplier's id.</summary>
    public string SupplierId { get; }

    /// <summary>The supplier's name.</summary>
    public string SupplierName { get; }

    /// <summary>The supplier's organisation number.</summary>
    public string? SupplierOrgNr { get; }

    /// <summary>When it was published (absent for a run folder outside the store).</summary>
    public DateTimeOffset? PublishedAt { get; }

    /// <summary>The run's warnings, as <c>run.json</c> lists them.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The run's warnings about money, with what each concerns (empty for a run written before they were recorded).</summary>
    public IReadOnlyList<RunMoneyWarning> MoneyWarnings { get; }

    /// <summary>The ledger lines skipped as not costs, per account class, fiscal year and scenario (empty for a run written before they were recorded).</summary>
    public IReadOnlyList<RunSkippedLines> SkippedLines { get; }

    /// <summary>Tenants by id.</summary>
    public IReadOnlyDictionary<string, TenantInfo> Tenants => _tenants.Value;

    /// <summary>Objects by id.</summary>
    public IReadOnlyDictionary<string, ObjectInfo> Objects => _objects.Value;

    /// <summary>Rules by source.</summary>
    public IReadOnlyDictionary<string, RuleInfo> Rules => _rules.Value;

    /// <summary>The fiscal years and scenarios that have cost lines.</summary>
    public IReadOnlyList<(int FiscalYear, string Scenario)> Periods => _periods.Value;

    /// <summary>What a tenant may see of the run's figures that are not its own (decided on first use).</summary>
    public Access.RunDisclosure Disclosure => _disclosure.Value;

    /// <summary>The fiscal years that have cost lines, ascending.</summary>
    public IReadOnlyList<int> FiscalYears => [.. Periods.Select(p => p.FiscalYear).Distinct().Order()];

    /// <summary>Opens a run folder (it must hold <c>run.json</c>).</summary>
    /// <exception cref="TbmException">There is no run there (<see cref="TbmErrorKind.NotFound"/>).</exception>
    public static RunFolder Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(full, "run.json")))
        {
            throw TbmException.NotFound($"'{directory}' is not a run folder (no run.json)");
        }

        var run = Runs.RunManifest.Read(full);
        DateTimeOffset? publishedAt = null;
        var publication = Path.Combine(full, RunStore.PublicationFile);
        if (File.Exists(publication))
        {
            using var published = JsonDocument.Parse(File.ReadAllBytes(publication));
            if (published.RootElement.TryGetProperty("publishedAt", out var at) && at.TryGetDateTimeOffset(out var when))
            {
                publishedAt = when;
            }
        }

        return new RunFolder(full, run, publishedAt);
    }

    /// <summary>The Parquet file of a table (<c>fees</c>, <c>trail/deliveries</c>, <c>model/tenants</c> …), or <see langword="null"/> when the run has none.</summary>
    public string? ParquetPath(string table)
    {
        var path = Path.Combine(Directory, table.Replace('/', Path.DirectorySeparatorChar) + ".parquet");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Whether the run has a table (true-up tables exist only when the model had <c>invoiced</c>).</summary>
    public bool Has(string table) => ParquetPath(table) is not null;

    /// <summary>A DuckDB table expression reading a table of the run.</summary>
    /// <exception cref="FileNotFoundException">The run has no such table.</exception>
    public string Table(string table) =>
        "read_parquet(" + Duck.Literal(ParquetPath(table) ?? throw new FileNotFoundException($"run {RunId} has no table {table}")) + ")";

    /// <summary>The scenario a fiscal year's fees are based on: actual when it has an outcome, else forecast, else budget (as the engine's fee models choose).</summary>
    public string? BasisOf(int fiscalYear)
    {
        var scenarios = Periods.Where(p => p.FiscalYear == fiscalYear).Select(p => p.Scenario).ToList();
        return new[] { "actual", "forecast", "budget" }.FirstOrDefault(s => scenarios.Contains(s, StringComparer.Ordinal));
    }

    /// <summary>A tenant's name and organisation number (the id when the run does not know it).</summary>
    public TenantInfo Tenant(string id) => Tenants.TryGetValue(id, out var t) ? t : new TenantInfo(id, id, null);

    /// <summary>An object's name, area and unit (the id when the run does not know it).</summary>
    public ObjectInfo Object(string id) => Objects.TryGetValue(id, out var o) ? o : new ObjectInfo(id, "other", id, null, null);

    /// <summary>Runs a small query over the run's tables on a private in-memory DuckDB connection.</summary>
    internal List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters)
    {
        using var connection = Duck.OpenInMemory(EngineSettings.Default with { Threads = 1 });
        return connection.Query(sql, map, parameters);
    }

    private static decimal Sek(string amount) =>
        decimal.Parse(amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private Dictionary<string, TenantInfo> LoadTenants()
    {
        if (Has("model/tenants"))
        {
            return Query($"SELECT tenant_id, name, org_nr FROM {Table("model/tenants")}", r => new TenantInfo(r.GetString(0), r.GetString(1), r.NullableString(2)))
                .ToDictionary(t => t.Id, StringComparer.Ordinal);
        }

        return Query($"SELECT DISTINCT tenant FROM {Table("fees")}", r => r.GetString(0))
            .ToDictionary(t => t, t => new TenantInfo(t, t, null), StringComparer.Ordinal);
    }

    private Dictionary<string, ObjectInfo> LoadObjects() => !Has("model/objects")
        ? new Dictionary<string, ObjectInfo>(StringComparer.Ordinal)
        : Query($"SELECT object_id, kind, name, area, unit FROM {Table("model/objects")}",
                r => new ObjectInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.NullableString(4)))
            .ToDictionary(o => o.Id, StringComparer.Ordinal);

    private Dictionary<string, RuleInfo> LoadRules() => !Has("model/rules")
        ? new Dictionary<string, RuleInfo>(StringComparer.Ordinal)
        : Query($"SELECT step, source, method, driver FROM {Table("model/rules")}",
                r => new RuleInfo(Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), r.NullableString(3)))
            .ToDictionary(o => o.Source, StringComparer.Ordinal);
}
