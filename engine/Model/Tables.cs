namespace ItDrift.Tbm.Model;

/// <summary>What a cell must hold. Each kind is checked and typed in exactly one place (<c>Validation/CellRules</c>).</summary>
internal enum CellKind
{
    /// <summary>Letters (any script), digits, <c>_</c>, <c>-</c>, <c>.</c>; compared ordinally.</summary>
    Id,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>A name: any text without control characters (trimmed, as every cell), such as a fee area.</summary>
    Name,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A whole number ≥ 0.</summary>
    Count,

    /// <summary>A four-digit year.</summary>
    Year,

    /// <summary>A ledger period 1–18: months counted from the fiscal year's first; 13–18 only in an extended first or last fiscal year.</summary>
    Period,

    /// <summary>A month number 1–12.</summary>
    Month,

    /// <summary>SEK with at most two decimals; typed as öre (BIGINT).</summary>
    Money,

    /// <summary>A non-negative quantity with at most six decimals; typed as millionths (BIGINT).</summary>
    Quantity,

    /// <summary><c>actual</c>, <c>budget</c> or <c>forecast</c>.</summary>
    Scenario,

    /// <summary><c>tower</c>, <c>service</c> or <c>other</c>.</summary>
    ObjectKind,

    /// <summary><c>driver</c>, <c>even</c>, <c>fixed</c> or <c>direct</c>.</summary>
    Method,
}

/// <summary>One column of a model table.</summary>
/// <param name="Name">Lower-case column name.</param>
/// <param name="Kind">What its cells hold.</param>
/// <param name="Required">Whether the column must be present and every cell filled.</param>
/// <param name="Default">The value of a blank cell in an optional column (<see langword="null"/>: stays empty).</param>
internal sealed record ColumnSpec(string Name, CellKind Kind, bool Required, string? Default = null)
{
    public bool IsNumeric => Kind is CellKind.Integer or CellKind.Count or CellKind.Year or CellKind.Period or CellKind.Month or CellKind.Money or CellKind.Quantity;
}

/// <summary>One table of a model package (docs/model-format.md §1.4).</summary>
internal sealed record TableSpec(string Name, bool Required, IReadOnlyList<ColumnSpec> Columns)
{
    public ColumnSpec? Find(string column) => Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The tables of model package v1.</summary>
internal static class Tables
{
    private static ColumnSpec Req(string name, CellKind kind) => new(name, kind, Required: true);

    private static ColumnSpec Opt(string name, CellKind kind, string? @default = null) => new(name, kind, Required: false, @default);

    public static readonly TableSpec Ledger = new("ledger", true,
    [
        Req("fiscal_year", CellKind.Year), Req("period", CellKind.Period), Opt("scenario", CellKind.Scenario, "actual"),
        Req("account", CellKind.Integer), Opt("cost_center", CellKind.Text, ""), Opt("project", CellKind.Text, ""),
        Req("amount", CellKind.Money), Opt("voucher", CellKind.Text), Opt("text", CellKind.Text),
    ]);

    public static readonly TableSpec CostPools = new("cost_pools", true,
        [Req("account_from", CellKind.Integer), Req("account_to", CellKind.Integer), Req("cost_pool", CellKind.Text)]);

    public static readonly TableSpec Objects = new("objects", true,
    [
        Req("object_id", CellKind.Id), Req("kind", CellKind.ObjectKind), Req("name", CellKind.Text),
        Opt("service_type", CellKind.Text), Opt("area", CellKind.Text), Opt("unit", CellKind.Text), Opt("fee_area", CellKind.Name),
        Opt("catalogue_service", CellKind.Id),
    ]);

    public static readonly TableSpec Tenants = new("tenants", true,
    [
        Req("tenant_id", CellKind.Id), Req("name", CellKind.Text), Opt("org_nr", CellKind.Text), Opt("employees", CellKind.Count),
        Opt("connected_from", CellKind.Year), Opt("sector", CellKind.Text),
    ]);

    public static readonly TableSpec Mapping = new("mapping", true,
    [
        Req("priority", CellKind.Integer), Req("account_from", CellKind.Integer), Req("account_to", CellKind.Integer),
        Req("cost_center", CellKind.Text), Opt("project", CellKind.Text, "*"), Req("object_id", CellKind.Id),
    ]);

    public static readonly TableSpec Rules = new("rules", true,
        [Req("step", CellKind.Integer), Req("source", CellKind.Id), Req("method", CellKind.Method), Opt("driver", CellKind.Id), Opt("targets", CellKind.Text)]);

    public static readonly TableSpec Drivers = new("drivers", false,
    [
        Req("fiscal_year", CellKind.Year), Opt("scenario", CellKind.Scenario, "actual"), Req("driver", CellKind.Id),
        Req("target", CellKind.Id), Req("quantity", CellKind.Quantity),
    ]);

    public static readonly TableSpec Invoiced = new("invoiced", false,
        [Req("fiscal_year", CellKind.Year), Req("tenant", CellKind.Id), Req("service", CellKind.Id), Req("amount", CellKind.Money)]);

    public static readonly TableSpec Revenue = new("revenue", false,
        [Req("fee_area", CellKind.Name), Req("fiscal_year", CellKind.Year), Req("revenue", CellKind.Money)]);

    public static readonly TableSpec Balances = new("balances", false,
        [Req("fee_area", CellKind.Name), Req("fiscal_year", CellKind.Year), Req("opening_balance", CellKind.Money)]);

    public static readonly TableSpec Baseline = new("baseline", false,
    [
        Req("tenant", CellKind.Id), Req("year", CellKind.Year), Req("service", CellKind.Id), Req("cost", CellKind.Money),
        Opt("quantity", CellKind.Quantity), Opt("unit", CellKind.Text), Opt("employees", CellKind.Count),
    ]);

    /// <summary>What connecting to a service costs a new tenant (quotes): a fixed amount plus an amount per employee.</summary>
    public static readonly TableSpec ConnectionCosts = new("connection_costs", false,
        [Req("service", CellKind.Id), Opt("fixed_amount", CellKind.Money), Opt("per_employee", CellKind.Money)]);

    /// <summary>Amounts a tenant pays in instalments: a connection cost spread over years, or an asset recovered as its depreciation.</summary>
    public static readonly TableSpec Instalments = new("instalments", false,
    [
        Req("tenant", CellKind.Id), Req("item", CellKind.Id), Req("kind", CellKind.Text), Req("amount", CellKind.Money),
        Req("years", CellKind.Count), Req("start_year", CellKind.Year), Opt("start_month", CellKind.Month),
    ]);

    /// <summary>The billing plan: how often each tenant is invoiced, from which month, and where (docs/billing.md).</summary>
    public static readonly TableSpec Billing = new("billing", false,
    [
        Req("tenant", CellKind.Id), Req("frequency", CellKind.Text), Opt("first_period", CellKind.Month, "1"),
        Opt("reference", CellKind.Text), Opt("endpoint", CellKind.Text),
    ]);

    /// <summary>Every table, in the order they are loaded and reported.</summary>
    /// <summary>
    /// Quantities other than money (energy in kWh, emissions in kg CO₂e …) booked on objects, allocated through the same
    /// rules and keys as the money (docs/footprint.md).
    /// </summary>
    public static readonly TableSpec Quantities = new("quantities", false,
    [
        Req("fiscal_year", CellKind.Year), Opt("scenario", CellKind.Scenario, "actual"), Req("object", CellKind.Id), Req("kind", CellKind.Id),
        Req("value", CellKind.Quantity),
    ]);

    public static readonly IReadOnlyList<TableSpec> All = [Ledger, CostPools, Objects, Tenants, Mapping, Rules, Drivers, Invoiced, Revenue, Balances, Baseline, ConnectionCosts, Instalments, Quantities, Billing];

    public static TableSpec? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
