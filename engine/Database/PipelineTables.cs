namespace ItDrift.Tbm.Database;

/// <summary>
/// The names of the pipeline's DuckDB tables, declared once: a stage's SQL names a table through these
/// rather than in its own string, so a renamed or misspelt table is a compile error, not a failing query.
/// </summary>
/// <remarks>
/// Model tables are named by their <see cref="Model.TableSpec"/> (<c>Tables.Ledger.Name</c> …); their
/// staging tables by <see cref="Ingest.Staging.TableName"/>. So far the ingest (<c>Staging</c>,
/// <c>TypedCsv</c>) and the run folder (<c>RunWriter</c>) name their tables here; the other stages still name
/// them in their SQL (issue 15).
/// </remarks>
internal static class PipelineTables
{
    /// <summary><c>sources(src, file)</c>: each source file of the package, numbered for reports.</summary>
    public const string Sources = "sources";

    /// <summary>The years and scenarios with cost lines.</summary>
    public const string Periods = "periods";

    /// <summary>Each rule's targets.</summary>
    public const string RuleTargets = "rule_targets";

    /// <summary>The ledger mapped to objects and pools (the trail's <c>mapped_lines</c>).</summary>
    public const string MappedLines = "mapped_lines";

    /// <summary>Every part the allocation moved, source to target per pool.</summary>
    public const string Deliveries = "deliveries";

    /// <summary>The tenants' fees.</summary>
    public const string Fees = "fees";

    /// <summary>What stayed unallocated, with its reason.</summary>
    public const string Unallocated = "unallocated";

    /// <summary>Conservation per year and scenario.</summary>
    public const string Reconciliation = "reconciliation";

    /// <summary>Unit prices of the driver rules.</summary>
    public const string Prices = "prices";

    /// <summary>The fee-area balance, as written.</summary>
    public const string BalanceRows = "balance_rows";

    /// <summary>The true-up per tenant and service.</summary>
    public const string Trueup = "trueup";

    /// <summary>The fees as the fee models would charge them.</summary>
    public const string FeesByModel = "fees_by_model";

    /// <summary>Allocated fees against the fee models'.</summary>
    public const string FeeDifferences = "fee_differences";

    /// <summary>The quantities (energy, emissions …) per tenant and service, and what stayed on objects.</summary>
    public const string Footprint = "footprint";

    /// <summary>The expected true-up of a year not yet settled, from its forecast (else budget).</summary>
    public const string TrueupExpected = "trueup_expected";

    /// <summary>The true-up per tenant.</summary>
    public const string TrueupByTenant = "trueup_by_tenant";

    /// <summary>The key indicators.</summary>
    public const string Kpi = "kpi";

    /// <summary>The key indicators' distributions.</summary>
    public const string KpiDistributions = "kpi_distributions";

    /// <summary>The subjects the key indicators name.</summary>
    public const string KpiSubjects = "kpi_subjects";

    /// <summary>A run-folder writer's sorted copy of the table it writes (a temporary table of its own connection).</summary>
    public const string OutputRows = "output_rows";
}
