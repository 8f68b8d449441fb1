using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Access;

/// <summary>
/// Who may read a table of a run folder, and how a tenant's view of it is cut (docs/disclosure.md): the one
/// declaration the read API and the analysts' DataFrames both follow, so no route shows a tenant more than
/// another.
/// </summary>
/// <param name="Table">The run table.</param>
/// <param name="TenantColumn">For a table of tenants' own rows: the column naming the tenant; a tenant reads only its own rows.</param>
/// <param name="StaffOnly">Only the supplier's staff, the coordinator and ESV read it; for a tenant it does not exist.</param>
/// <param name="ObjectColumn">For a table of aggregates over tenants: the column naming the object the aggregate is of.</param>
/// <param name="Aggregates">The columns that are sums over tenants: a tenant sees them only where the disclosure policy shows the object in the period.</param>
public sealed record TableAccess(RunTable Table, string? TenantColumn, bool StaffOnly, string? ObjectColumn = null, IReadOnlyList<string>? Aggregates = null)
{
    /// <summary><c>fees</c>: a tenant reads its own rows.</summary>
    public static readonly TableAccess Fees = new(RunSchema.Fees, "tenant", StaffOnly: false);

    /// <summary><c>trueup</c>: a tenant reads its own rows.</summary>
    public static readonly TableAccess Trueup = new(RunSchema.Trueup, "tenant", StaffOnly: false);

    /// <summary><c>fees_by_model</c>: a tenant reads its own rows.</summary>
    public static readonly TableAccess FeesByModel = new(RunSchema.FeesByModel, "tenant", StaffOnly: false);

    /// <summary><c>trueup_by_tenant</c>: a tenant reads its own rows.</summary>
    public static readonly TableAccess TrueupByTenant = new(RunSchema.TrueupByTenant, "tenant", StaffOnly: false);

    /// <summary><c>trueup_expected</c>: a tenant reads its own rows.</summary>
    public static readonly TableAccess TrueupExpected = new(RunSchema.TrueupExpected, "tenant", StaffOnly: false);

    /// <summary><c>footprint</c>: a tenant reads its own rows (not what stayed on objects, which have no tenant).</summary>
    public static readonly TableAccess Footprint = new(RunSchema.Footprint, "tenant", StaffOnly: false);

    /// <summary>
    /// <c>prices</c>: the price list, for everyone; a service's <c>units</c> and <c>cost</c> are sums over its
    /// tenants, so a tenant sees them only where the disclosure policy shows the service (the unit price is public).
    /// </summary>
    public static readonly TableAccess Prices = new(RunSchema.Prices, null, StaffOnly: false, "service", ["units", "cost"]);

    /// <summary>
    /// The invoice lines of a year (docs/billing.md): not a file of the run folder but computed from it on request
    /// (<c>tbm invoice</c>, the read API); a tenant reads its own rows.
    /// </summary>
    public static readonly TableAccess InvoiceLines = new(RunSchema.InvoiceLines, "tenant", StaffOnly: false);

    /// <summary>Whether the caller may see a row of <paramref name="tenant"/> in the table: the supplier's staff, the coordinator and ESV every row; a tenant only its own rows of a table of tenants' own rows.</summary>
    public bool MaySeeRowOf(AccessGrant grant, string tenant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return MayRead(grant) && (grant.Role != Role.Tenant || (TenantColumn is not null && string.Equals(grant.Tenant, tenant, StringComparison.Ordinal)));
    }

    /// <summary>Every table a run folder has, with its access: what is not a tenant's own or the price list is staff-only.</summary>
    public static IReadOnlyList<TableAccess> All { get; } =
    [
        Fees, Trueup, FeesByModel, TrueupByTenant, TrueupExpected, Footprint, Prices,
        .. RunSchema.All.Where(t => t.Name is not ("fees" or "trueup" or "fees_by_model" or "trueup_by_tenant" or "trueup_expected" or "footprint" or "prices"))
            .Select(t => new TableAccess(t, null, StaffOnly: true)),
    ];

    /// <summary>The access of a run table by its name in the folder, or <see langword="null"/> for a name the run folder does not declare.</summary>
    public static TableAccess? Of(string table) => All.FirstOrDefault(a => a.Table.Name == table);

    /// <summary>Whether the caller may read the table at all.</summary>
    public bool MayRead(AccessGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.Role != Role.Tenant || !StaffOnly;
    }

    /// <summary>
    /// The table as the caller may see it, as a DuckDB query over <paramref name="source"/> (a table expression
    /// of the run's table): a tenant's own rows, aggregates left out (NULL) where the disclosure policy hides the
    /// object; for other roles the table whole. The columns are the table's, in order.
    /// </summary>
    /// <param name="grant">The caller.</param>
    /// <param name="source">A DuckDB table expression of the run table.</param>
    /// <param name="hidden">A DuckDB table expression of the objects hidden per period (<c>fiscal_year, scenario, object</c>: <see cref="RunDisclosure.Hidden"/>); needed for tables with aggregates.</param>
    /// <exception cref="TbmException">The caller may not read the table.</exception>
    public string Sql(AccessGrant grant, string source, string? hidden)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(source);
        if (!MayRead(grant))
        {
            throw TbmException.NotFound($"a tenant does not read the run's {Table.Name} table");
        }

        var columns = Table.Columns.Select(c => c.Name).ToList();
        if (grant.Role != Role.Tenant)
        {
            return $"(SELECT {string.Join(", ", columns)} FROM {source})";
        }

        if (TenantColumn is not null)
        {
            return $"(SELECT {string.Join(", ", columns)} FROM {source} WHERE {TenantColumn} = {Quote(grant.Tenant!)})";
        }

        if (Aggregates is { Count: > 0 } aggregates && ObjectColumn is not null)
        {
            if (hidden is null)
            {
                throw new ArgumentNullException(nameof(hidden), $"the {Table.Name} table needs the hidden objects for a tenant's view");
            }

            var shaped = columns.Select(c => aggregates.Contains(c) ? $"CASE WHEN h.object IS NULL THEN p.{c} END AS {c}" : "p." + c);
            return $"""
                (SELECT {string.Join(", ", shaped)}
                 FROM {source} p
                 LEFT JOIN {hidden} h ON h.fiscal_year = p.fiscal_year AND h.scenario = p.scenario AND h.object = p.{ObjectColumn})
                """;
        }

        return $"(SELECT {string.Join(", ", columns)} FROM {source})";
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
