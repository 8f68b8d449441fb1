using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Indicators;

/// <summary>
/// The key indicators as SQL over a handful of fact tables (<c>kf_*</c>), the same statements for one
/// run and for the coordinator's combination of many. Every fact row carries a group, <c>grp</c>: a
/// supplier's id, or <see cref="Combined"/> for the sum over suppliers, in which a tenant that buys from
/// several suppliers is one tenant with its total.
/// </summary>
/// <remarks>
/// Values are kept as integers in millionths of their unit (<c>v</c>, HUGEINT) until the very end, so
/// that money stays exact in öre, quartiles interpolate exactly and every ratio is one integer division
/// rounded half away from zero (<c>kpi_div</c>). Fact tables:
/// <list type="bullet">
/// <item><c>kf_fee</c>: fee per tenant and service (öre, non-zero);</item>
/// <item><c>kf_qty</c>: the tenant's positive volume of the service's key (millionths);</item>
/// <item><c>kf_tenant</c>: employees, users and workstations of the tenants of the year;</item>
/// <item><c>kf_service</c>: each service's name, kind, unit and area, and its classification: the state service map's id and the TBM service type (no year);</item>
/// <item><c>kf_baseline</c>: the baseline lines that apply to the year (the tenant's latest baseline year ≤ the fee year);</item>
/// <item><c>kf_supplier</c>: the ledger's cost total, unallocated and unmapped money;</item>
/// <item><c>kf_key</c>: per key, listed targets without volume, money left without volume, and whether volumes are missing.</item>
/// </list>
/// </remarks>
internal static class KpiSql
{
    /// <summary>The group of the combination over all suppliers.</summary>
    public const string Combined = "*";

    /// <summary>The line of a tenant's fees for services its baseline does not cover.</summary>
    public const string OtherLine = "*";

    /// <summary>A distribution over fewer members than this is suppressed.</summary>
    public const int MinimumGroup = Access.Disclosure.MinimumTenants;

    public static void CreateFactTables(DuckDBConnection connection)
    {
        // a / b rounded half away from zero, exactly, in 128 bits; NULL when b is 0 or either side is missing.
        connection.Execute("""
            CREATE OR REPLACE MACRO kpi_div(n, d) AS
              CASE WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
                   ELSE sign(n) * sign(d) * ((abs(CAST(n AS HUGEINT)) * 2 + abs(CAST(d AS HUGEINT))) // (2 * abs(CAST(d AS HUGEINT)))) END
            """);
        connection.Execute("CREATE OR REPLACE TABLE kf_fee (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, tenant VARCHAR, service VARCHAR, fee BIGINT)");
        connection.Execute("CREATE OR REPLACE TABLE kf_qty (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, tenant VARCHAR, service VARCHAR, quantity BIGINT)");
        connection.Execute("CREATE OR REPLACE TABLE kf_tenant (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, tenant VARCHAR, employees BIGINT, users BIGINT, workstations BIGINT)");
        connection.Execute("CREATE OR REPLACE TABLE kf_service (grp VARCHAR, service VARCHAR, name VARCHAR, kind VARCHAR, unit VARCHAR, area VARCHAR, catalogue VARCHAR, service_type VARCHAR)");
        connection.Execute("""
            CREATE OR REPLACE TABLE kf_baseline (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, tenant VARCHAR, line VARCHAR,
              cost BIGINT, quantity BIGINT, unit VARCHAR, baseline_year INTEGER, version VARCHAR)
            """);
        connection.Execute("CREATE OR REPLACE TABLE kf_supplier (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, cost BIGINT, unallocated BIGINT, unmapped BIGINT)");
        connection.Execute("CREATE OR REPLACE TABLE kf_key (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, key VARCHAR, missing_targets BIGINT, no_volume BIGINT, missing BOOLEAN)");
        connection.Execute("CREATE OR REPLACE TABLE kf_subject (grp VARCHAR, scope VARCHAR, subject VARCHAR, name VARCHAR, org_nr VARCHAR)");

        // The taxonomy's service types, so that 'end user' and 'End User' are one type (docs/catalogue.md).
        connection.Execute("CREATE OR REPLACE TABLE kpi_service_types (id VARCHAR)");
        using (var types = connection.CreateAppender("kpi_service_types"))
        {
            foreach (var type in Catalogue.TbmCatalogue.Find(Catalogue.TbmCatalogue.DefaultTaxonomy)?.ServiceTypes ?? [])
            {
                types.CreateRow().AppendValue(type.Id).EndRow();
            }
        }

        connection.Execute("CREATE OR REPLACE TABLE kpi_catalogue (id VARCHAR, scope VARCHAR, name_sv VARCHAR, name_en VARCHAR, unit VARCHAR, measure VARCHAR, fact BOOLEAN, distributed BOOLEAN, ord INTEGER)");
        using var appender = connection.CreateAppender("kpi_catalogue");
        var ord = 0;
        foreach (var i in IndicatorCatalogue.All)
        {
            appender.CreateRow().AppendValue(i.Id).AppendValue(i.Scope).AppendValue(i.NameSv).AppendValue(i.NameEn).AppendValue(i.Unit)
                .AppendValue(i.Measure.ToString()).AppendValue(i.Fact).AppendValue(i.Distributed).AppendValue(ord++).EndRow();
        }
    }

    /// <summary>
    /// Adds the <see cref="Combined"/> group: fees and volumes summed per tenant and service over the
    /// suppliers; a tenant's employees, users and workstations the largest any supplier reports; each
    /// baseline line from the first supplier (ordinal) that has it, its version prefixed by that supplier.
    /// </summary>
    /// <remarks>
    /// Suppliers meet by the state service map (docs/catalogue.md): a service classified with a
    /// <c>catalogue_service</c> counts under that id in the combined group (FK's <c>INF-VM</c> and SKV's
    /// <c>VS-01</c>, both classified <c>INF-VM</c>, are one service), and so do baseline lines naming it; an
    /// unclassified service keeps its own id, so suppliers meet only where they use the same one.
    /// </remarks>
    public static void Combine(DuckDBConnection connection)
    {
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_classified AS
            SELECT grp, service, catalogue FROM kf_service WHERE grp <> '{Combined}' AND catalogue IS NOT NULL
            """);
        connection.Execute($"""
            INSERT INTO kf_fee SELECT '{Combined}', f.fiscal_year, f.scenario, f.tenant, coalesce(c.catalogue, f.service) AS service, CAST(sum(f.fee) AS BIGINT)
            FROM kf_fee f LEFT JOIN k_classified c ON c.grp = f.grp AND c.service = f.service
            WHERE f.grp <> '{Combined}' GROUP BY ALL HAVING sum(f.fee) <> 0
            """);
        connection.Execute($"""
            INSERT INTO kf_qty SELECT '{Combined}', q.fiscal_year, q.scenario, q.tenant, coalesce(c.catalogue, q.service) AS service, CAST(sum(q.quantity) AS BIGINT)
            FROM kf_qty q LEFT JOIN k_classified c ON c.grp = q.grp AND c.service = q.service
            WHERE q.grp <> '{Combined}' GROUP BY ALL
            """);
        connection.Execute($"""
            INSERT INTO kf_tenant SELECT '{Combined}', fiscal_year, scenario, tenant, max(employees), max(users), max(workstations)
            FROM kf_tenant WHERE grp <> '{Combined}' GROUP BY ALL
            """);
        connection.Execute($"""
            INSERT INTO kf_service SELECT '{Combined}', coalesce(catalogue, service), arg_min(name, grp), arg_min(kind, grp), arg_min(unit, grp), arg_min(area, grp),
                   arg_min(catalogue, grp), arg_min(service_type, grp)
            FROM kf_service WHERE grp <> '{Combined}' GROUP BY coalesce(catalogue, service)
            """);
        connection.Execute($"""
            INSERT INTO kf_subject SELECT '{Combined}', scope, subject, arg_min(name, grp), arg_min(org_nr, grp)
            FROM kf_subject WHERE grp <> '{Combined}' GROUP BY scope, subject
            """);
        connection.Execute($"""
            INSERT INTO kf_baseline
            SELECT '{Combined}', b.fiscal_year, b.scenario, b.tenant, coalesce(c.catalogue, b.line),
                   arg_min(b.cost, b.grp), arg_min(b.quantity, b.grp), arg_min(b.unit, b.grp), arg_min(b.baseline_year, b.grp), arg_min(b.grp || ':' || b.version, b.grp)
            FROM kf_baseline b LEFT JOIN k_classified c ON c.grp = b.grp AND c.service = b.line
            WHERE b.grp <> '{Combined}' GROUP BY b.fiscal_year, b.scenario, b.tenant, coalesce(c.catalogue, b.line)
            """);
        connection.Execute($"""
            INSERT INTO kf_supplier SELECT '{Combined}', fiscal_year, scenario, CAST(sum(cost) AS BIGINT), CAST(sum(unallocated) AS BIGINT), CAST(sum(unmapped) AS BIGINT)
            FROM kf_supplier WHERE grp <> '{Combined}' GROUP BY ALL
            """);
    }

    /// <summary>
    /// Computes <c>k_all(grp, fiscal_year, scenario, scope, subject, indicator, v, unit, baseline_version)</c>
    /// with <c>v</c> in millionths of the unit, and <c>k_dist</c>, the distributions: over the tenants of
    /// each group, and (<paramref name="overSuppliers"/>) over the suppliers.
    /// </summary>
    public static void Compute(DuckDBConnection connection, bool overSuppliers)
    {
        connection.Execute("""
            CREATE OR REPLACE TABLE k_all (grp VARCHAR, fiscal_year INTEGER, scenario VARCHAR, scope VARCHAR, subject VARCHAR,
              indicator VARCHAR, v HUGEINT, unit VARCHAR, baseline_version VARCHAR)
            """);

        // The tenants of a year: any fee or volume.
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE k_pop AS
            SELECT DISTINCT grp, fiscal_year, scenario, tenant FROM (
              SELECT grp, fiscal_year, scenario, tenant FROM kf_fee UNION ALL SELECT grp, fiscal_year, scenario, tenant FROM kf_qty)
            """);

        Services(connection);
        Tenants(connection);
        Baselines(connection);
        Suppliers(connection);
        connection.Execute("DELETE FROM k_all WHERE v IS NULL");
        Distributions(connection, overSuppliers);
    }

    private static void Emit(DuckDBConnection connection, string select) =>
        connection.Execute($"INSERT INTO k_all (grp, fiscal_year, scenario, scope, subject, indicator, v, unit, baseline_version) {select}");

    private static void Services(DuckDBConnection connection)
    {
        // Priced cost: the cost of a service where it has units. Combined, it is the sum over the
        // suppliers that price it, so one supplier's unpriced charges do not distort the unit cost.
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_svc AS
            WITH c AS (SELECT grp, fiscal_year, scenario, service, sum(fee) AS cost FROM kf_fee GROUP BY ALL),
            u AS (SELECT grp, fiscal_year, scenario, service, sum(quantity) AS units FROM kf_qty GROUP BY ALL),
            t AS (SELECT grp, fiscal_year, scenario, service, count(DISTINCT tenant) AS tenants
                  FROM (SELECT grp, fiscal_year, scenario, service, tenant FROM kf_fee UNION ALL SELECT grp, fiscal_year, scenario, service, tenant FROM kf_qty)
                  GROUP BY ALL)
            SELECT grp, fiscal_year, scenario, service, CAST(coalesce(c.cost, 0) AS HUGEINT) AS cost, CAST(u.units AS HUGEINT) AS units,
                   CAST(CASE WHEN u.units > 0 THEN coalesce(c.cost, 0) END AS HUGEINT) AS priced_cost, t.tenants
            FROM t LEFT JOIN c USING (grp, fiscal_year, scenario, service) LEFT JOIN u USING (grp, fiscal_year, scenario, service)
            """);
        connection.Execute($"""
            UPDATE k_svc SET priced_cost = x.priced_cost, units = x.units
            FROM (SELECT s.fiscal_year, s.scenario, coalesce(o.catalogue, s.service) AS service, sum(s.priced_cost) AS priced_cost,
                         sum(CASE WHEN s.priced_cost IS NOT NULL THEN s.units END) AS units
                  FROM k_svc s LEFT JOIN kf_service o ON o.grp = s.grp AND o.service = s.service WHERE s.grp <> '{Combined}' GROUP BY ALL) x
            WHERE k_svc.grp = '{Combined}' AND k_svc.fiscal_year = x.fiscal_year AND k_svc.scenario = x.scenario AND k_svc.service = x.service
            """);
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE k_svc_year AS
            SELECT s.*, kpi_div(s.priced_cost * 1000000, s.units) AS unit_cost,
                   (SELECT count(*) FROM k_pop p WHERE p.grp = s.grp AND p.fiscal_year = s.fiscal_year AND p.scenario = s.scenario) AS population
            FROM k_svc s
            """);

        Emit(connection, "SELECT grp, fiscal_year, scenario, 'service', service, 'service.units', units, NULL, NULL FROM k_svc_year WHERE units > 0");
        Emit(connection, "SELECT grp, fiscal_year, scenario, 'service', service, 'service.cost', cost * 10000, 'SEK', NULL FROM k_svc_year");
        Emit(connection, "SELECT grp, fiscal_year, scenario, 'service', service, 'service.unit_cost', unit_cost * 10000, 'SEK/unit', NULL FROM k_svc_year");
        Emit(connection, "SELECT grp, fiscal_year, scenario, 'service', service, 'service.tenants', tenants * 1000000, 'count', NULL FROM k_svc_year");
        Emit(connection, "SELECT grp, fiscal_year, scenario, 'service', service, 'service.tenant_share', kpi_div(tenants * 10000, population) * 10000, '%', NULL FROM k_svc_year");
        Emit(connection, """
            SELECT s.grp, s.fiscal_year, s.scenario, 'service', s.service, x.indicator, x.v, x.unit, NULL
            FROM k_svc_year s JOIN k_svc_year p ON p.grp = s.grp AND p.fiscal_year = s.fiscal_year - 1 AND p.scenario = s.scenario AND p.service = s.service,
            LATERAL (VALUES
              ('service.unit_cost_change', (s.unit_cost - p.unit_cost) * 10000, 'SEK/unit'),
              ('service.unit_cost_change_pct', kpi_div((s.unit_cost - p.unit_cost) * 10000, p.unit_cost) * 10000, '%'),
              ('service.cost_change', (s.cost - p.cost) * 10000, 'SEK'),
              ('service.cost_change_pct', kpi_div((s.cost - p.cost) * 10000, p.cost) * 10000, '%')) x(indicator, v, unit)
            """);
        // Per TBM service type, by each supplier's own classification; all suppliers together is their sum.
        Emit(connection, $"""
            WITH typed AS (
              SELECT f.grp, f.fiscal_year, f.scenario, coalesce(t.id, trim(o.service_type)) AS service_type, f.fee
              FROM kf_fee f JOIN kf_service o ON o.grp = f.grp AND o.service = f.service
              LEFT JOIN kpi_service_types t ON lower(t.id) = lower(trim(o.service_type))
              WHERE f.grp <> '{Combined}' AND o.service_type IS NOT NULL)
            SELECT grp, fiscal_year, scenario, 'service_type', service_type, 'service_type.cost', CAST(sum(fee) AS HUGEINT) * 10000, 'SEK', NULL FROM typed GROUP BY ALL
            UNION ALL
            SELECT '{Combined}', fiscal_year, scenario, 'service_type', service_type, 'service_type.cost', CAST(sum(fee) AS HUGEINT) * 10000, 'SEK', NULL FROM typed
            WHERE EXISTS (SELECT 1 FROM kf_fee WHERE grp = '{Combined}') GROUP BY ALL
            """);

        // A service's own unit (objects.unit) names what its units count.
        connection.Execute("""
            UPDATE k_all SET unit = coalesce(s.unit, 'unit') FROM kf_service s
            WHERE k_all.indicator = 'service.units' AND s.grp = k_all.grp AND s.service = k_all.subject
            """);
        connection.Execute("UPDATE k_all SET unit = 'unit' WHERE indicator = 'service.units' AND unit IS NULL");
    }

    private static void Tenants(DuckDBConnection connection)
    {
        Emit(connection, "SELECT grp, fiscal_year, scenario, 'tenant_service', tenant || '/' || service, 'tenant_service.fee', CAST(fee AS HUGEINT) * 10000, 'SEK', NULL FROM kf_fee");
        Emit(connection, """
            SELECT q.grp, q.fiscal_year, q.scenario, 'tenant_service', q.tenant || '/' || q.service, 'tenant_service.quantity', q.quantity, coalesce(s.unit, 'unit'), NULL
            FROM kf_qty q LEFT JOIN kf_service s ON s.grp = q.grp AND s.service = q.service
            """);
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE k_tenant AS
            SELECT p.grp, p.fiscal_year, p.scenario, p.tenant, CAST(coalesce(f.fee, 0) AS HUGEINT) AS fee, t.employees, t.users, t.workstations
            FROM k_pop p
            LEFT JOIN (SELECT grp, fiscal_year, scenario, tenant, sum(fee) AS fee FROM kf_fee GROUP BY ALL) f USING (grp, fiscal_year, scenario, tenant)
            LEFT JOIN kf_tenant t USING (grp, fiscal_year, scenario, tenant)
            """);
        Emit(connection, """
            SELECT grp, fiscal_year, scenario, 'tenant', tenant, x.indicator, x.v, x.unit, NULL
            FROM k_tenant, LATERAL (VALUES
              ('tenant.fee', fee * 10000, 'SEK'),
              ('tenant.employees', employees * 1000000, 'count'),
              ('tenant.users', users, 'users'),
              ('tenant.workstations', workstations, 'workstations'),
              ('tenant.fee_per_employee', kpi_div(fee, employees) * 10000, 'SEK/employee'),
              ('tenant.fee_per_user', kpi_div(fee * 1000000, users) * 10000, 'SEK/user'),
              ('tenant.fee_per_workstation', kpi_div(fee * 1000000, workstations) * 10000, 'SEK/workstation')) x(indicator, v, unit)
            """);
    }

    /// <summary>
    /// Each fee goes to the most specific line of the tenant's baseline: its service, else its service
    /// area, else <see cref="OtherLine"/>. A line is split into a volume and a unit-cost effect when both
    /// quantities are known and their units agree: V = c0·(q1 − q0)/q0, U = (c1 − c0) − V.
    /// </summary>
    private static void Baselines(DuckDBConnection connection)
    {
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_line_fee AS
            SELECT f.grp, f.fiscal_year, f.scenario, f.tenant,
                   CASE WHEN bs.line IS NOT NULL THEN bs.line WHEN ba.line IS NOT NULL THEN ba.line ELSE '{OtherLine}' END AS line,
                   f.fee
            FROM kf_fee f
            JOIN (SELECT DISTINCT grp, fiscal_year, scenario, tenant FROM kf_baseline) bt USING (grp, fiscal_year, scenario, tenant)
            LEFT JOIN kf_service s ON s.grp = f.grp AND s.service = f.service
            LEFT JOIN kf_baseline bs ON bs.grp = f.grp AND bs.fiscal_year = f.fiscal_year AND bs.scenario = f.scenario AND bs.tenant = f.tenant AND bs.line = f.service
            LEFT JOIN kf_baseline ba ON ba.grp = f.grp AND ba.fiscal_year = f.fiscal_year AND ba.scenario = f.scenario AND ba.tenant = f.tenant AND ba.line = s.area
            """);
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_tenant_baseline AS
            SELECT grp, fiscal_year, scenario, tenant, string_agg(DISTINCT version, ';' ORDER BY version) AS version, min(baseline_year) AS baseline_year
            FROM kf_baseline GROUP BY ALL
            """);
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_lines AS
            WITH fees AS (SELECT grp, fiscal_year, scenario, tenant, line, CAST(sum(fee) AS HUGEINT) AS c1 FROM k_line_fee GROUP BY ALL),
            joined AS (
              SELECT grp, fiscal_year, scenario, tenant, line, CAST(coalesce(b.cost, 0) AS HUGEINT) AS c0, CAST(b.quantity AS HUGEINT) AS q0, b.unit,
                     coalesce(f.c1, 0) AS c1, coalesce(b.version, tb.version) AS version
              FROM (SELECT * FROM kf_baseline) b
              FULL OUTER JOIN fees f USING (grp, fiscal_year, scenario, tenant, line)
              JOIN k_tenant_baseline tb USING (grp, fiscal_year, scenario, tenant)),
            measured AS (
              SELECT j.*, CASE WHEN sv.units > 0 THEN CAST(coalesce(q.quantity, 0) AS HUGEINT) END AS q1, s.unit AS service_unit
              FROM joined j
              LEFT JOIN k_svc sv ON sv.grp = j.grp AND sv.fiscal_year = j.fiscal_year AND sv.scenario = j.scenario AND sv.service = j.line
              LEFT JOIN kf_qty q ON q.grp = j.grp AND q.fiscal_year = j.fiscal_year AND q.scenario = j.scenario AND q.tenant = j.tenant AND q.service = j.line
              LEFT JOIN kf_service s ON s.grp = j.grp AND s.service = j.line),
            split AS (
              SELECT *, coalesce(q0 > 0 AND q1 IS NOT NULL
                        AND (unit IS NULL OR service_unit IS NULL OR lower(trim(unit)) = lower(trim(service_unit))), false) AS is_split
              FROM measured)
            SELECT *, CASE WHEN is_split THEN kpi_div(c0 * (q1 - q0), q0) ELSE 0 END AS volume_effect,
                   CASE WHEN is_split THEN c1 - c0 - kpi_div(c0 * (q1 - q0), q0) ELSE 0 END AS unit_cost_effect,
                   CASE WHEN is_split THEN 0 ELSE c1 - c0 END AS unsplit_change
            FROM split
            """);

        Emit(connection, """
            SELECT grp, fiscal_year, scenario, 'baseline', tenant || '/' || line, x.indicator, x.v, x.unit, version
            FROM k_lines, LATERAL (VALUES
              ('baseline.cost', c0 * 10000, 'SEK'),
              ('baseline.quantity', q0, unit),
              ('baseline.fee', c1 * 10000, 'SEK'),
              ('baseline.current_quantity', q1, coalesce(service_unit, 'unit')),
              ('baseline.change', (c1 - c0) * 10000, 'SEK'),
              ('baseline.volume_effect', volume_effect * 10000, 'SEK'),
              ('baseline.unit_cost_effect', unit_cost_effect * 10000, 'SEK'),
              ('baseline.unsplit_change', unsplit_change * 10000, 'SEK')) x(indicator, v, unit)
            WHERE x.indicator <> 'baseline.cost' OR line <> '*'
            """);
        Emit(connection, """
            SELECT l.grp, l.fiscal_year, l.scenario, 'tenant', l.tenant, x.indicator, x.v, x.unit, tb.version
            FROM (SELECT grp, fiscal_year, scenario, tenant, sum(c0) AS b, sum(c1) AS f, sum(volume_effect) AS ve, sum(unit_cost_effect) AS ue, sum(unsplit_change) AS un
                  FROM k_lines GROUP BY ALL) l
            JOIN k_tenant_baseline tb USING (grp, fiscal_year, scenario, tenant),
            LATERAL (VALUES
              ('tenant.baseline_year', CAST(tb.baseline_year AS HUGEINT) * 1000000, 'year'),
              ('tenant.baseline_age', CAST(l.fiscal_year - tb.baseline_year AS HUGEINT) * 1000000, 'years'),
              ('tenant.baseline_cost', l.b * 10000, 'SEK'),
              ('tenant.baseline_change', (l.f - l.b) * 10000, 'SEK'),
              ('tenant.baseline_change_pct', kpi_div((l.f - l.b) * 10000, l.b) * 10000, '%'),
              ('tenant.volume_effect', l.ve * 10000, 'SEK'),
              ('tenant.unit_cost_effect', l.ue * 10000, 'SEK'),
              ('tenant.unsplit_change', l.un * 10000, 'SEK')) x(indicator, v, unit)
            """);
    }

    private static void Suppliers(DuckDBConnection connection)
    {
        Emit(connection, $"""
            SELECT s.grp, s.fiscal_year, s.scenario, 'supplier', s.grp, x.indicator, x.v, x.unit, NULL
            FROM kf_supplier s
            LEFT JOIN (SELECT grp, fiscal_year, scenario, sum(fee) AS allocated FROM kf_fee GROUP BY ALL) f USING (grp, fiscal_year, scenario)
            LEFT JOIN (SELECT grp, fiscal_year, scenario, count(*) AS tenants FROM k_pop GROUP BY ALL) t USING (grp, fiscal_year, scenario)
            LEFT JOIN (SELECT v.grp, v.fiscal_year, v.scenario, count(*) AS services FROM k_svc v JOIN kf_service o ON o.grp = v.grp AND o.service = v.service
                       WHERE o.kind = 'service' AND (v.cost <> 0 OR v.units > 0) GROUP BY ALL) sv USING (grp, fiscal_year, scenario)
            LEFT JOIN (SELECT grp, fiscal_year, scenario, count(DISTINCT tenant) AS with_baseline FROM kf_baseline GROUP BY ALL) b USING (grp, fiscal_year, scenario)
            LEFT JOIN (SELECT f.grp, f.fiscal_year, f.scenario, sum(f.fee) AS fees FROM kf_fee f LEFT JOIN kf_service o ON o.grp = f.grp AND o.service = f.service
                       WHERE o.catalogue IS NULL GROUP BY ALL) uc USING (grp, fiscal_year, scenario),
            LATERAL (VALUES
              ('supplier.cost', CAST(s.cost AS HUGEINT) * 10000, 'SEK'),
              ('supplier.allocated', CAST(coalesce(f.allocated, 0) AS HUGEINT) * 10000, 'SEK'),
              ('supplier.unallocated', CAST(s.unallocated AS HUGEINT) * 10000, 'SEK'),
              ('supplier.unmapped', CAST(s.unmapped AS HUGEINT) * 10000, 'SEK'),
              ('supplier.unallocated_share', kpi_div(CAST(s.unallocated AS HUGEINT) * 10000, s.cost) * 10000, '%'),
              ('supplier.unmapped_share', kpi_div(CAST(s.unmapped AS HUGEINT) * 10000, s.cost) * 10000, '%'),
              ('supplier.tenants', CAST(coalesce(t.tenants, 0) AS HUGEINT) * 1000000, 'count'),
              ('supplier.services', CAST(coalesce(sv.services, 0) AS HUGEINT) * 1000000, 'count'),
              ('quality.unclassified_fees', CAST(coalesce(uc.fees, 0) AS HUGEINT) * 10000, 'SEK'),
              ('quality.unclassified_share', kpi_div(CAST(coalesce(uc.fees, 0) AS HUGEINT) * 10000, f.allocated) * 10000, '%'),
              ('quality.tenants_without_baseline', CAST(coalesce(t.tenants, 0) - coalesce(b.with_baseline, 0) AS HUGEINT) * 1000000, 'count'),
              ('quality.keys_missing_volumes',
               CAST((SELECT count(*) FROM kf_key k WHERE (k.grp = s.grp OR s.grp = '{Combined}') AND k.grp <> '{Combined}'
                       AND k.fiscal_year = s.fiscal_year AND k.scenario = s.scenario AND k.missing) AS HUGEINT) * 1000000, 'count')) x(indicator, v, unit)
            """);
        connection.Execute("UPDATE k_all SET scope = 'quality' WHERE indicator LIKE 'quality.%'");
        Emit(connection, $"""
            SELECT grp, fiscal_year, scenario, 'key', key, x.indicator, x.v, x.unit, NULL
            FROM kf_key, LATERAL (VALUES
              ('key.missing_targets', CAST(missing_targets AS HUGEINT) * 1000000, 'count'),
              ('key.no_volume', CAST(no_volume AS HUGEINT) * 10000, 'SEK'),
              ('key.missing_volumes', CAST(CASE WHEN missing THEN 1 ELSE 0 END AS HUGEINT) * 1000000, 'count')) x(indicator, v, unit)
            WHERE grp <> '{Combined}'
            """);
    }

    /// <summary>
    /// min, quartiles (linear interpolation between order statistics, as Excel's QUARTILE.INC), median
    /// and max per group; a group of fewer than <see cref="MinimumGroup"/> members shows its count only.
    /// </summary>
    private static void Distributions(DuckDBConnection connection, bool overSuppliers)
    {
        var suppliers = overSuppliers
            ? $"""
              UNION ALL
              SELECT '{Combined}', a.fiscal_year, a.scenario, 'suppliers', a.indicator, '', a.v
              FROM k_all a JOIN kpi_catalogue c ON c.id = a.indicator AND c.distributed
              WHERE a.grp <> '{Combined}' AND a.scope = 'supplier'
              UNION ALL
              SELECT '{Combined}', a.fiscal_year, a.scenario, 'suppliers', a.indicator, coalesce(o.catalogue, a.subject), a.v
              FROM k_all a JOIN kpi_catalogue c ON c.id = a.indicator AND c.distributed
              LEFT JOIN kf_service o ON o.grp = a.grp AND o.service = a.subject
              WHERE a.grp <> '{Combined}' AND a.scope = 'service'
              """
            : "";
        connection.Execute($"""
            CREATE OR REPLACE TABLE k_dist AS
            WITH members AS (
              SELECT a.grp, a.fiscal_year, a.scenario, 'tenants' AS population, a.indicator, '' AS subject, a.v
              FROM k_all a JOIN kpi_catalogue c ON c.id = a.indicator AND c.distributed
              WHERE a.scope = 'tenant'
              {suppliers}),
            ranked AS (
              SELECT *, row_number() OVER (PARTITION BY grp, fiscal_year, scenario, population, indicator, subject ORDER BY v) - 1 AS i,
                     count(*) OVER (PARTITION BY grp, fiscal_year, scenario, population, indicator, subject) AS n
              FROM members),
            stats AS (
              SELECT grp, fiscal_year, scenario, population, indicator, subject, n, min(v) AS lo, max(v) AS hi,
                     max(CASE WHEN i = (n - 1) // 4 THEN v END) AS a1, max(CASE WHEN i = (n - 1) // 4 + 1 THEN v END) AS b1,
                     max(CASE WHEN i = (n - 1) * 2 // 4 THEN v END) AS a2, max(CASE WHEN i = (n - 1) * 2 // 4 + 1 THEN v END) AS b2,
                     max(CASE WHEN i = (n - 1) * 3 // 4 THEN v END) AS a3, max(CASE WHEN i = (n - 1) * 3 // 4 + 1 THEN v END) AS b3
              FROM ranked GROUP BY ALL)
            SELECT s.grp, s.fiscal_year, s.scenario, s.population, s.indicator, s.subject, s.n AS members,
                   s.n < {MinimumGroup.ToString(CultureInfo.InvariantCulture)} AS suppressed,
                   CASE WHEN NOT suppressed THEN s.lo END AS min_v,
                   CASE WHEN NOT suppressed THEN kpi_div(4 * s.a1 + ((s.n - 1) % 4) * (coalesce(s.b1, s.a1) - s.a1), 4) END AS q1_v,
                   CASE WHEN NOT suppressed THEN kpi_div(4 * s.a2 + ((s.n - 1) * 2 % 4) * (coalesce(s.b2, s.a2) - s.a2), 4) END AS median_v,
                   CASE WHEN NOT suppressed THEN kpi_div(4 * s.a3 + ((s.n - 1) * 3 % 4) * (coalesce(s.b3, s.a3) - s.a3), 4) END AS q3_v,
                   CASE WHEN NOT suppressed THEN s.hi END AS max_v,
                   c.unit
            FROM stats s JOIN kpi_catalogue c ON c.id = s.indicator
            """);
    }

    /// <summary>
    /// A value in millionths as an exact DECIMAL(38,6), for the run folder: wide enough for any ratio
    /// (a percentage of a tiny baseline can be very large), so an indicator can never fail a run.
    /// </summary>
    public static string Decimal(string column) => $"CAST(CAST({column} AS DECIMAL(38,0)) * CAST(0.000001 AS DECIMAL(7,6)) AS DECIMAL(38,6))";
}
