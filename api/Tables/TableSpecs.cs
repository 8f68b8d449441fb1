using ItDrift.Tbm.Api.Access;

namespace ItDrift.Tbm.Api.Tables;

/// <summary>How a column is typed in the run's Parquet files, and so how it is written as CSV.</summary>
internal enum ColumnType
{
    Integer,
    Text,
    Money,
    Quantity,
    Flag,
}

/// <summary>A column of a run table.</summary>
/// <param name="Name">The column's name in the run folder (snake_case, as in the CSV files).</param>
/// <param name="Type">Its type.</param>
/// <param name="Total">Whether the JSON page carries its sum over every matching row.</param>
internal sealed record TableColumn(string Name, ColumnType Type, bool Total = false);

/// <summary>
/// A table of a run folder that the API serves: its columns, sort key, the column that says whose row
/// it is (so a tenant's view is filtered by it), and the query-string filters it takes.
/// </summary>
internal sealed record TableSpec(string Name, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> Order, string? TenantColumn = null)
{
    public static readonly TableSpec Fees = new("fees",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("tenant", ColumnType.Text), new("service", ColumnType.Text), new("cost_pool", ColumnType.Text), new("amount", ColumnType.Money, true)],
        ["fiscal_year", "scenario", "tenant", "service", "cost_pool"], TenantColumn: "tenant");

    public static readonly TableSpec TrueUp = new("trueup",
        [new("fiscal_year", ColumnType.Integer), new("tenant", ColumnType.Text), new("service", ColumnType.Text), new("final", ColumnType.Money, true), new("invoiced", ColumnType.Money, true), new("trueup", ColumnType.Money, true)],
        ["fiscal_year", "tenant", "service"], TenantColumn: "tenant");

    public static readonly TableSpec Prices = new("prices",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("service", ColumnType.Text), new("units", ColumnType.Quantity), new("cost", ColumnType.Money, true), new("unit_price", ColumnType.Money)],
        ["fiscal_year", "scenario", "service"]);

    public static readonly TableSpec Unallocated = new("unallocated",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("object", ColumnType.Text), new("cost_pool", ColumnType.Text), new("reason", ColumnType.Text), new("amount", ColumnType.Money, true)],
        ["fiscal_year", "scenario", "object", "cost_pool", "reason"]);

    public static readonly TableSpec Reconciliation = new("reconciliation",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("ledger_total", ColumnType.Money, true), new("allocated_total", ColumnType.Money, true), new("unallocated_total", ColumnType.Money, true), new("difference", ColumnType.Money, true)],
        ["fiscal_year", "scenario"]);

    public static readonly TableSpec Balance = new("balance",
        [new("fee_area", ColumnType.Text), new("fiscal_year", ColumnType.Integer), new("opening", ColumnType.Money), new("revenue", ColumnType.Money, true), new("cost", ColumnType.Money, true), new("result", ColumnType.Money, true), new("closing", ColumnType.Money), new("surplus_flag", ColumnType.Flag)],
        ["fee_area", "fiscal_year"]);

    /// <summary>The key indicators (docs/indicators.md), long format: every subject's, so for the supplier, the coordinator and ESV.</summary>
    public static readonly TableSpec Kpi = new("kpi",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("scope", ColumnType.Text), new("subject", ColumnType.Text), new("indicator", ColumnType.Text),
         new("value", ColumnType.Quantity), new("unit", ColumnType.Text), new("baseline_version", ColumnType.Text)],
        ["fiscal_year", "scenario", "scope", "subject", "indicator"]);

    /// <summary>The indicators' distributions over tenants: minimum, quartiles, median, maximum (order statistics: never for a tenant).</summary>
    public static readonly TableSpec KpiDistributions = new("kpi_distributions",
        [new("fiscal_year", ColumnType.Integer), new("scenario", ColumnType.Text), new("population", ColumnType.Text), new("indicator", ColumnType.Text), new("subject", ColumnType.Text),
         new("members", ColumnType.Integer), new("min", ColumnType.Quantity), new("q1", ColumnType.Quantity), new("median", ColumnType.Quantity), new("q3", ColumnType.Quantity),
         new("max", ColumnType.Quantity), new("suppressed", ColumnType.Flag), new("unit", ColumnType.Text)],
        ["fiscal_year", "scenario", "population", "indicator", "subject"]);

    /// <summary>The tables served, by run-folder name.</summary>
    public static IReadOnlyList<TableSpec> All { get; } = [Fees, TrueUp, Prices, Unallocated, Reconciliation, Balance, Kpi, KpiDistributions];

    public bool Has(string column) => Columns.Any(c => c.Name == column);

    /// <summary>The spec of a run-folder table, or <see langword="null"/> for a table that is read but not served as such (the trail, the model).</summary>
    public static TableSpec? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}

/// <summary>The query-string filters of the table endpoints (all optional).</summary>
/// <param name="FiscalYear">Only this fiscal year.</param>
/// <param name="Scenario">Only this scenario (<c>actual</c>, <c>budget</c>, <c>forecast</c>).</param>
/// <param name="Tenant">Only this tenant (tables of all tenants).</param>
/// <param name="Service">Only this service.</param>
/// <param name="CostPool">Only this cost pool.</param>
internal sealed record TableFilter(int? FiscalYear, string? Scenario, string? Tenant, string? Service, string? CostPool)
{
    /// <summary>The SQL conditions and their parameters for a table; the tenant of a tenant-bound route always applies.</summary>
    public (string Where, List<object?> Parameters) Sql(TableSpec spec, RunScope scope)
    {
        var conditions = new List<string>();
        var parameters = new List<object?>();
        void Add(string column, object? value)
        {
            if (value is not null && spec.Has(column))
            {
                conditions.Add(column + " = ?");
                parameters.Add(value);
            }
        }

        Add("fiscal_year", FiscalYear);
        Add("scenario", Scenario);
        Add("service", Service);
        Add("cost_pool", CostPool);
        if (spec.TenantColumn is { } tenantColumn)
        {
            // A tenant's own id whenever the caller is a tenant, whatever the route or the query string say.
            Add(tenantColumn, scope.TenantReader ? scope.Grant.Tenant : scope.Tenant ?? Tenant);
        }

        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), parameters);
    }
}
