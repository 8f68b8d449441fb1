using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Api.Tables;

/// <summary>A column of a run table as the API serves it.</summary>
/// <param name="Name">The column's name in the run folder (snake_case, as in the CSV files).</param>
/// <param name="Type">Its type (<see cref="RunColumnType"/>).</param>
/// <param name="Total">Whether the JSON page carries its sum over every matching row.</param>
internal sealed record TableColumn(string Name, RunColumnType Type, bool Total = false);

/// <summary>
/// A table of a run folder that the API serves: the engine's declaration of it (<see cref="RunSchema"/>: columns,
/// types, key), which columns the JSON page totals, and the column that says whose row it is (so a tenant's view
/// is filtered by it).
/// </summary>
internal sealed record TableSpec
{
    private TableSpec(TableAccess access, string[] totals)
    {
        Access = access;
        Name = access.Table.Name;
        Columns = [.. access.Table.Columns.Select(c => new TableColumn(c.Name, c.Type, totals.Contains(c.Name)))];
        Order = access.Table.Key;
        TenantColumn = access.TenantColumn;
    }

    /// <summary>Who may read the table and how a tenant's view is cut: the engine's one declaration (<see cref="TableAccess"/>).</summary>
    public TableAccess Access { get; }

    /// <summary>The table's name in the run folder.</summary>
    public string Name { get; }

    /// <summary>Its columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>Its sort key.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The column naming the tenant a row belongs to, for tables a tenant reads its own rows of.</summary>
    public string? TenantColumn { get; }

    public static readonly TableSpec Fees = new(TableAccess.Of(RunSchema.Fees.Name)!, ["amount"]);

    public static readonly TableSpec TrueUp = new(TableAccess.Of(RunSchema.Trueup.Name)!, ["final", "invoiced", "trueup"]);

    /// <summary>The true-up to expect for a year not yet settled: its forecast's (else budget's) fee against what was invoiced.</summary>
    public static readonly TableSpec TrueUpExpected = new(TableAccess.Of(RunSchema.TrueupExpected.Name)!, ["expected", "invoiced", "trueup"]);

    /// <summary>A tenant's footprint: the quantities (energy, emissions …) allocated to it; no totals, since kinds do not add up.</summary>
    public static readonly TableSpec Footprint = new(TableAccess.Of(RunSchema.Footprint.Name)!, []);

    public static readonly TableSpec Prices = new(TableAccess.Of(RunSchema.Prices.Name)!, ["cost"]);

    public static readonly TableSpec Unallocated = new(TableAccess.Of(RunSchema.Unallocated.Name)!, ["amount"]);

    public static readonly TableSpec Reconciliation = new(TableAccess.Of(RunSchema.Reconciliation.Name)!, ["ledger_total", "allocated_total", "unallocated_total", "difference"]);

    public static readonly TableSpec Balance = new(TableAccess.Of(RunSchema.Balance.Name)!, ["revenue", "cost", "result"]);

    /// <summary>The key indicators (docs/indicators.md), long format: every subject's, so for the supplier, the coordinator and ESV.</summary>
    public static readonly TableSpec Kpi = new(TableAccess.Of(RunSchema.Kpi.Name)!, []);

    /// <summary>The indicators' distributions over tenants: minimum, quartiles, median, maximum (order statistics: never for a tenant).</summary>
    public static readonly TableSpec KpiDistributions = new(TableAccess.Of(RunSchema.KpiDistributions.Name)!, []);

    /// <summary>The tables served, by run-folder name.</summary>
    public static IReadOnlyList<TableSpec> All { get; } = [Fees, TrueUp, TrueUpExpected, Footprint, Prices, Unallocated, Reconciliation, Balance, Kpi, KpiDistributions];

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
