namespace ItDrift.Tbm.Runs;

/// <summary>How a column of a run table is typed: its text in the CSV file and its type in the Parquet file (docs/model-format.md §4.1).</summary>
public enum RunColumnType
{
    /// <summary>A whole number (<c>INTEGER</c>/<c>BIGINT</c>).</summary>
    Integer,

    /// <summary>Text as it is.</summary>
    Text,

    /// <summary>Money: öre in the engine; <c>-1234.50</c> in CSV; <c>DECIMAL(18,2)</c> in Parquet.</summary>
    Money,

    /// <summary>A quantity: millionths in the engine; its shortest exact form in CSV (<c>242.5</c>); <c>DECIMAL(18,6)</c> in Parquet.</summary>
    Quantity,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Flag,

    /// <summary>An exact decimal as DuckDB prints it (<c>DECIMAL(38,6)</c>: the key indicators).</summary>
    Decimal,
}

/// <summary>A column of a run table.</summary>
/// <param name="Name">Its name, snake_case, as in the files.</param>
/// <param name="Type">Its type.</param>
/// <param name="Key">Part of the table's key: rows are sorted by the key columns, in order.</param>
public sealed record RunColumn(string Name, RunColumnType Type, bool Key = false);

/// <summary>A table of a run folder: <c>NAME.csv</c> and <c>NAME.parquet</c>.</summary>
/// <param name="Name">Its name in the folder (<c>fees</c>, <c>trail/deliveries</c>).</param>
/// <param name="Columns">Its columns, in order.</param>
/// <param name="Optional">Written only when the run has it (the true-up tables need <c>invoiced</c>).</param>
/// <param name="ParquetOnly">The audit trail: large, for machines (the explanation of fees), not for reading as text.</param>
public sealed record RunTable(string Name, IReadOnlyList<RunColumn> Columns, bool Optional = false, bool ParquetOnly = false)
{
    /// <summary>The key columns, in sort order.</summary>
    public IReadOnlyList<string> Key => [.. Columns.Where(c => c.Key).Select(c => c.Name)];

    /// <summary>Whether the table has a column.</summary>
    public bool Has(string column) => Columns.Any(c => c.Name == column);
}

/// <summary>
/// The output schema of a run folder, declared once: the engine writes these tables, and the read API, the
/// exports and the workbooks read them by these names, columns, types and keys (docs/model-format.md §4.2).
/// </summary>
public static class RunSchema
{
    /// <summary><c>fees</c>: each tenant's amount per service (or tower charging it directly) and cost pool, non-zero rows.</summary>
    public static readonly RunTable Fees = new("fees",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("tenant", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("cost_pool", RunColumnType.Text, true),
        new("amount", RunColumnType.Money),
    ]);
    /// <summary><c>unallocated</c>: money left on objects, with the reason.</summary>
    public static readonly RunTable Unallocated = new("unallocated",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("object", RunColumnType.Text, true),
        new("cost_pool", RunColumnType.Text, true),
        new("reason", RunColumnType.Text, true),
        new("amount", RunColumnType.Money),
    ]);
    /// <summary><c>reconciliation</c>: the ledger against allocated and unallocated money per fiscal year and scenario.</summary>
    public static readonly RunTable Reconciliation = new("reconciliation",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("ledger_total", RunColumnType.Money),
        new("allocated_total", RunColumnType.Money),
        new("unallocated_total", RunColumnType.Money),
        new("difference", RunColumnType.Money),
    ]);
    /// <summary><c>prices</c>: units, cost and unit price per priced service.</summary>
    public static readonly RunTable Prices = new("prices",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("units", RunColumnType.Quantity),
        new("cost", RunColumnType.Money),
        new("unit_price", RunColumnType.Money),
    ]);
    /// <summary><c>balance</c>: the fee-area result and balance per year.</summary>
    public static readonly RunTable Balance = new("balance",
    [
        new("fee_area", RunColumnType.Text, true),
        new("fiscal_year", RunColumnType.Integer, true),
        new("opening", RunColumnType.Money),
        new("revenue", RunColumnType.Money),
        new("cost", RunColumnType.Money),
        new("result", RunColumnType.Money),
        new("closing", RunColumnType.Money),
        new("surplus_flag", RunColumnType.Flag),
    ]);
    /// <summary><c>trueup</c>: final fee against invoiced per tenant and service (with <c>invoiced</c>).</summary>
    public static readonly RunTable Trueup = new("trueup",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("tenant", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("final", RunColumnType.Money),
        new("invoiced", RunColumnType.Money),
        new("trueup", RunColumnType.Money),
    ], Optional: true);
    /// <summary><c>fees_by_model</c>: quantity × unit price per tenant and service under the year's fee model.</summary>
    public static readonly RunTable FeesByModel = new("fees_by_model",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("fee_model", RunColumnType.Text, true),
        new("tenant", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("quantity", RunColumnType.Quantity),
        new("unit_price", RunColumnType.Money),
        new("fee", RunColumnType.Money),
    ]);
    /// <summary><c>fee_differences</c>: fees against full cost per service (rounding and smoothing).</summary>
    public static readonly RunTable FeeDifferences = new("fee_differences",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("fee_model", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("full_cost", RunColumnType.Money),
        new("fees", RunColumnType.Money),
        new("difference", RunColumnType.Money),
    ]);
    /// <summary>
    /// <c>trueup_expected</c>: for a year with invoiced fees and no actual outcome yet, the fee its forecast (else its budget)
    /// gives against what was invoiced, per tenant and service: the true-up to expect (with <c>invoiced</c>, when there is such a year).
    /// </summary>
    public static readonly RunTable TrueupExpected = new("trueup_expected",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("tenant", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("expected", RunColumnType.Money),
        new("invoiced", RunColumnType.Money),
        new("trueup", RunColumnType.Money),
    ], Optional: true);

    /// <summary>
    /// <c>footprint</c>: the package's quantities (energy, emissions …) per tenant and service, allocated by the same rules and
    /// keys as the money; a quantity that reached no tenant has no tenant, the object it stayed on as service and its reason
    /// (with <c>quantities</c>).
    /// </summary>
    public static readonly RunTable Footprint = new("footprint",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("kind", RunColumnType.Text, true),
        new("tenant", RunColumnType.Text, true),
        new("service", RunColumnType.Text, true),
        new("value", RunColumnType.Quantity),
        new("reason", RunColumnType.Text),
    ], Optional: true);

    /// <summary><c>trueup_by_tenant</c>: the true-up per tenant, debit or credit (with <c>invoiced</c>).</summary>
    public static readonly RunTable TrueupByTenant = new("trueup_by_tenant",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("tenant", RunColumnType.Text, true),
        new("final", RunColumnType.Money),
        new("invoiced", RunColumnType.Money),
        new("trueup", RunColumnType.Money),
        new("direction", RunColumnType.Text),
    ], Optional: true);
    /// <summary><c>trail/mapped_lines</c>: the ledger aggregated and mapped to objects (the audit trail).</summary>
    public static readonly RunTable TrailMappedLines = new("trail/mapped_lines",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("account", RunColumnType.Integer, true),
        new("cost_center", RunColumnType.Text, true),
        new("project", RunColumnType.Text, true),
        new("object", RunColumnType.Text),
        new("cost_pool", RunColumnType.Text),
        new("amount", RunColumnType.Money),
    ], ParquetOnly: true);
    /// <summary><c>trail/deliveries</c>: every move of every rule (the audit trail; disclosure is decided from it).</summary>
    public static readonly RunTable TrailDeliveries = new("trail/deliveries",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("source", RunColumnType.Text, true),
        new("target", RunColumnType.Text, true),
        new("cost_pool", RunColumnType.Text, true),
        new("amount", RunColumnType.Money),
    ], ParquetOnly: true);
    /// <summary><c>kpi</c>: the key indicators, long format.</summary>
    public static readonly RunTable Kpi = new("kpi",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("scope", RunColumnType.Text, true),
        new("subject", RunColumnType.Text, true),
        new("indicator", RunColumnType.Text, true),
        new("value", RunColumnType.Decimal),
        new("unit", RunColumnType.Text),
        new("baseline_version", RunColumnType.Text),
    ]);
    /// <summary><c>kpi_distributions</c>: the indicators' distributions over tenants.</summary>
    public static readonly RunTable KpiDistributions = new("kpi_distributions",
    [
        new("fiscal_year", RunColumnType.Integer, true),
        new("scenario", RunColumnType.Text, true),
        new("population", RunColumnType.Text, true),
        new("indicator", RunColumnType.Text, true),
        new("subject", RunColumnType.Text, true),
        new("members", RunColumnType.Integer),
        new("min", RunColumnType.Decimal),
        new("q1", RunColumnType.Decimal),
        new("median", RunColumnType.Decimal),
        new("q3", RunColumnType.Decimal),
        new("max", RunColumnType.Decimal),
        new("suppressed", RunColumnType.Flag),
        new("unit", RunColumnType.Text),
    ]);
    /// <summary><c>kpi_subjects</c>: names of the indicators' subjects.</summary>
    public static readonly RunTable KpiSubjects = new("kpi_subjects",
    [
        new("scope", RunColumnType.Text, true),
        new("subject", RunColumnType.Text, true),
        new("name", RunColumnType.Text),
        new("kind", RunColumnType.Text),
        new("unit", RunColumnType.Text),
        new("area", RunColumnType.Text),
        new("org_nr", RunColumnType.Text),
        new("catalogue_service", RunColumnType.Text),
        new("service_type", RunColumnType.Text),
    ]);

    /// <summary>
    /// <c>invoice_lines</c>: the invoice lines of a fiscal year (docs/billing.md). Not in <see cref="All"/>: not written
    /// into the run folder but computed from it by <c>tbm invoice</c> and the read API, with these columns.
    /// </summary>
    public static readonly RunTable InvoiceLines = new("invoice_lines",
    [
        new("tenant", RunColumnType.Text, true),
        new("invoice_number", RunColumnType.Text, true),
        new("invoice_period", RunColumnType.Integer),
        new("issue_date", RunColumnType.Text),
        new("due_date", RunColumnType.Text),
        new("service", RunColumnType.Text),
        new("kind", RunColumnType.Text),
        new("fiscal_year", RunColumnType.Integer),
        new("amount", RunColumnType.Money),
    ]);

    /// <summary>Every table, in the order the engine writes them.</summary>
    public static IReadOnlyList<RunTable> All { get; } = [Fees, Unallocated, Reconciliation, Prices, Balance, Trueup, FeesByModel, FeeDifferences, TrueupByTenant, TrueupExpected, Footprint, TrailMappedLines, TrailDeliveries, Kpi, KpiDistributions, KpiSubjects];

    /// <summary>The table of that name, or <see langword="null"/>.</summary>
    public static RunTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
