using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// The checks of docs/model-format.md §2 that span rows and tables, run after every cell is typed. The
/// large tables (ledger, drivers, invoiced) are checked in SQL; the small configuration tables also,
/// except the rule graph, which <see cref="RuleGraph"/> walks in memory.
/// </summary>
internal static class ModelChecks
{
    /// <summary>The most distinct rule steps (docs/model-format.md §3.2).</summary>
    public const int MaxSteps = 200;

    public static void Run(DuckDBConnection connection, ModelManifest manifest, ErrorLog errors, List<ModelWarning> warnings)
    {
        var costLine = CostAccountPredicate(manifest, "l.account");

        errors.AddQuery(Duplicates("objects", "object_id", "id"));
        errors.AddQuery(Duplicates("tenants", "tenant_id", "id"));
        errors.AddQuery(Duplicates("mapping", "priority", "priority"));
        errors.AddQuery(Duplicates("rules", "source", "source (a source has one rule)"));
        errors.AddQuery(Duplicates("revenue", "fee_area, fiscal_year", "fee area and year"));
        errors.AddQuery(Duplicates("balances", "fee_area, fiscal_year", "fee area and year"));
        errors.AddQuery(Duplicates("drivers", "fiscal_year, scenario, driver, target", "(fiscal_year, scenario, driver, target)", reportColumn: "target"));

        errors.AddQuery("""
            SELECT f.file, o.line, 'object_id', '''UNMAPPED'' is reserved for money no mapping row matches; choose another id'
            FROM objects o JOIN sources f USING (src) WHERE o.object_id = 'UNMAPPED'
            UNION ALL
            SELECT f.file, t.line, 'tenant_id', '''UNMAPPED'' is reserved for money no mapping row matches; choose another id'
            FROM tenants t JOIN sources f USING (src) WHERE t.tenant_id = 'UNMAPPED'
            UNION ALL
            SELECT f.file, t.line, 'tenant_id', '''' || t.tenant_id || ''' names an object already (objects, line ' || o.line || '); an id names one thing'
            FROM tenants t JOIN sources f USING (src) JOIN objects o ON o.object_id = t.tenant_id
            """);

        // Ranges: well-formed, and cost pools must not overlap.
        foreach (var table in new[] { "cost_pools", "mapping" })
        {
            errors.AddQuery($"""
                SELECT f.file, x.line, 'account_to', 'account_to ' || x.account_to || ' is less than account_from ' || x.account_from
                FROM {table} x JOIN sources f USING (src) WHERE x.account_to < x.account_from
                """);
        }

        errors.AddQuery("""
            SELECT f.file, a.line, 'account_from', 'range ' || a.account_from || '–' || a.account_to || ' overlaps range '
                   || b.account_from || '–' || b.account_to || ' (line ' || b.line || ', ' || b.cost_pool || ')'
            FROM cost_pools a JOIN cost_pools b ON a.line > b.line AND a.account_from <= b.account_to AND b.account_from <= a.account_to
            JOIN sources f ON f.src = a.src
            """);

        // The distinct accounts first (a few thousand), then only the lines of those without a pool: the
        // same errors, without holding every ledger line's account and line number (1.8 GB at scale 50).
        errors.AddQuery($"""
            WITH accounts AS (SELECT DISTINCT account FROM ledger l WHERE l.account IS NOT NULL AND ({costLine})),
            missing AS (
              SELECT a.account FROM accounts a
              WHERE NOT EXISTS (SELECT 1 FROM cost_pools p WHERE a.account BETWEEN p.account_from AND p.account_to))
            SELECT f.file, l.line, 'account', 'cost account ' || l.account || ' has no cost pool: add a range to cost_pools'
            FROM ledger l JOIN missing m ON l.account = m.account JOIN sources f USING (src)
            """);

        // References.
        errors.AddQuery("""
            SELECT f.file, m.line, 'object_id',
                   CASE WHEN t.tenant_id IS NOT NULL THEN 'mapping names tenant ''' || m.object_id || '''; map to a tower, service or other object'
                        ELSE 'unknown object ''' || m.object_id || '''' END
            FROM mapping m JOIN sources f USING (src)
            LEFT JOIN objects o ON o.object_id = m.object_id LEFT JOIN tenants t ON t.tenant_id = m.object_id
            WHERE m.object_id IS NOT NULL AND m.object_id <> 'UNMAPPED' AND o.object_id IS NULL
            """);
        errors.AddQuery("""
            SELECT f.file, d.line, 'target', 'unknown object or tenant ''' || d.target || ''''
            FROM drivers d JOIN sources f USING (src)
            WHERE d.target IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = d.target)
              AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = d.target)
            """);
        errors.AddQuery("""
            SELECT f.file, i.line, 'tenant', 'unknown tenant ''' || i.tenant || ''''
            FROM invoiced i JOIN sources f USING (src)
            WHERE i.tenant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = i.tenant)
            UNION ALL
            SELECT f.file, i.line, 'service', 'unknown service ''' || i.service || ''''
            FROM invoiced i JOIN sources f USING (src)
            WHERE i.service IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = i.service)
            UNION ALL
            SELECT f.file, b.line, 'tenant', 'unknown tenant ''' || b.tenant || ''''
            FROM baseline b JOIN sources f USING (src)
            WHERE b.tenant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = b.tenant)
            UNION ALL
            SELECT f.file, c.line, 'service', 'unknown service ''' || c.service || ''''
            FROM connection_costs c JOIN sources f USING (src)
            WHERE c.service IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = c.service)
            UNION ALL
            SELECT f.file, i.line, 'tenant', 'unknown tenant ''' || i.tenant || ''''
            FROM instalments i JOIN sources f USING (src)
            WHERE i.tenant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = i.tenant)
            UNION ALL
            SELECT f.file, i.line, 'kind', '''' || i.kind || ''' is not an instalment kind (connection, asset)'
            FROM instalments i JOIN sources f USING (src) WHERE i.kind NOT IN ('connection', 'asset')
            UNION ALL
            SELECT f.file, i.line, 'years', 'an instalment plan runs at least one year'
            FROM instalments i JOIN sources f USING (src) WHERE i.years = 0
            """);
        errors.AddQuery("""
            SELECT f.file, q.line, 'object',
                   CASE WHEN EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = q.object)
                        THEN '''' || q.object || ''' is a tenant: book a quantity on the tower, service or other object it arises at'
                        ELSE 'unknown object ''' || q.object || '''' END
            FROM quantities q JOIN sources f USING (src)
            WHERE q.object IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = q.object)
            UNION ALL
            SELECT f.file, min(q.line), 'value', 'the quantities of ''' || q.kind || ''' in ' || q.fiscal_year || ' (' || q.scenario || ') sum to more than 1 000 000 000 000'
            FROM quantities q JOIN sources f USING (src)
            WHERE q.kind IS NOT NULL
            GROUP BY f.file, q.fiscal_year, q.scenario, q.kind HAVING sum(q.value) > 1000000000000000000
            """);
        // The billing plan (docs/billing.md): a tenant's row, a frequency of the four, a Peppol endpoint 'scheme:id'.
        errors.AddQuery($"""
            SELECT f.file, b.line, 'tenant', 'unknown tenant ''' || b.tenant || ''''
            FROM billing b JOIN sources f USING (src)
            WHERE b.tenant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = b.tenant)
            UNION ALL
            SELECT f.file, b.line, 'frequency', '''' || b.frequency || ''' is not a billing frequency ({ItDrift.Tbm.Billing.BillingPeriods.Choices})'
            FROM billing b JOIN sources f USING (src)
            WHERE b.frequency IS NOT NULL AND lower(b.frequency) NOT IN ({ItDrift.Tbm.Billing.BillingPeriods.SqlList})
            UNION ALL
            SELECT f.file, b.line, 'endpoint', '''' || b.endpoint || ''' is not a Peppol endpoint id: a four-digit scheme, '':'' and the id (at most 50 letters, digits, ''.'', ''-'', ''_''), e.g. 0007:2021005489'
            FROM billing b JOIN sources f USING (src)
            WHERE b.endpoint IS NOT NULL AND NOT regexp_full_match(b.endpoint, '{ItDrift.Tbm.Billing.BillingPeriods.EndpointPattern}')
            """);
        errors.AddQuery(Duplicates("billing", "tenant", "tenant (a tenant has one billing plan)"));
        errors.AddQuery(Duplicates("connection_costs", "service", "service"));
        errors.AddQuery(Duplicates("instalments", "tenant, item", "(tenant, item)", reportColumn: "item"));

        // Organisation numbers are few; their check digit is checked in one place (OrgNr).
        foreach (var (file, line, orgNr) in connection.Query(
            "SELECT f.file, t.line, t.org_nr FROM tenants t JOIN sources f USING (src) WHERE t.org_nr IS NOT NULL",
            r => (r.GetString(0), r.GetInt32(1), r.GetString(2))))
        {
            if (!OrgNr.TryParse(orgNr, out _, out var reason))
            {
                errors.Add(new ModelError(file, line, "org_nr", reason));
            }
        }

        // One statement a step (§3.2): a bound, so a long chain is a clear error rather than minutes.
        errors.AddQuery($"""
            WITH s AS (SELECT step, min(src) AS src, min(line) AS line, row_number() OVER (ORDER BY step) AS nth,
                              count(*) OVER () AS steps FROM rules WHERE step IS NOT NULL GROUP BY step)
            SELECT f.file, s.line, 'step', 'the rules have ' || s.steps || ' distinct steps; the engine allocates at most {MaxSteps}, one statement a step: give rules that do not feed each other the same step'
            FROM s JOIN sources f USING (src) WHERE s.nth = {MaxSteps + 1}
            """);
        Catalogue.CatalogueChecks.Run(connection, manifest, errors, warnings);
        RuleGraph.Check(connection, errors, warnings, manifest.Reciprocal);
        LimitChecks.Run(errors);
    }

    /// <summary>The SQL predicate that a ledger account is a cost account (docs/model-format.md §1.5).</summary>
    public static string CostAccountPredicate(ModelManifest manifest, string account) =>
        string.Join(" OR ", manifest.CostAccounts.Select(r => FormattableString.Invariant($"{account} BETWEEN {r.From} AND {r.To}")));

    private static string Duplicates(string table, string key, string what, string? reportColumn = null)
    {
        var keyColumns = key.Split(", ");
        var column = reportColumn ?? keyColumns[0];
        var notNull = string.Join(" AND ", keyColumns.Select(k => $"{k} IS NOT NULL"));
        var shown = string.Join(" || ', ' || ", keyColumns.Select(k => $"CAST({k} AS VARCHAR)"));
        return $"""
            SELECT f.file, d.line, '{column}', 'duplicate {what} ' || {shown} || ' (first at line ' || d.first || ')'
            FROM (SELECT src, line, {key}, min(line) OVER (PARTITION BY {key}) AS first FROM {table} WHERE {notNull}) d
            JOIN sources f USING (src) WHERE d.line > d.first
            """;
    }
}
