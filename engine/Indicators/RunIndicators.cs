using System.Security.Cryptography;
using DuckDB.NET.Data;
using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Indicators;

/// <summary>
/// A run's key indicators (docs/indicators.md): the facts are taken from the allocation's tables, the indicators
/// computed by <see cref="KpiSql"/>, and three tables are left for the run folder: <c>kpi</c> (long
/// format, one row per year, scenario, subject and indicator), <c>kpi_distributions</c> (over the
/// run's tenants) and <c>kpi_subjects</c> (the names and units of services, tenants and the supplier).
/// </summary>
/// <remarks>
/// The baseline a tenant is compared with is its latest version in the package's baseline store
/// (<c>MODEL/baselines/</c>, see <see cref="BaselineStore"/>), else its rows of the package's
/// <c>baseline</c> table. The store versions used become inputs of the run (hashed into <c>run.json</c>
/// and the run id), so recording a correction gives a new run rather than silently a different one.
/// </remarks>
internal static class RunIndicators
{
    private const string StoreFolder = BaselineStore.PackageFolder;

    public static void Run(DuckDBConnection connection, ModelManifest manifest, ModelPackage package, List<ModelWarning> warnings)
    {
        KpiSql.CreateFactTables(connection);
        connection.Execute("CREATE OR REPLACE TEMP TABLE kpi_run (grp VARCHAR)");
        connection.Execute("INSERT INTO kpi_run VALUES (?)", manifest.Supplier.Id);
        Facts(connection);
        BaselineFacts(connection, package, warnings);
        connection.Execute("INSERT INTO kf_subject SELECT (SELECT grp FROM kpi_run), 'tenant', tenant_id, name, org_nr FROM tenants WHERE tenant_id IS NOT NULL");
        connection.Execute("INSERT INTO kf_subject VALUES (?, 'supplier', ?, ?, ?)", manifest.Supplier.Id, manifest.Supplier.Id, manifest.Supplier.Name, manifest.Supplier.OrgNr);

        KpiSql.Compute(connection, overSuppliers: false);

        connection.Execute($"""
            CREATE OR REPLACE TABLE kpi AS
            SELECT fiscal_year, scenario, scope, subject, indicator, {KpiSql.Decimal("v")} AS value, unit, baseline_version FROM k_all
            """);
        connection.Execute($"""
            CREATE OR REPLACE TABLE kpi_distributions AS
            SELECT fiscal_year, scenario, population, indicator, nullif(subject, '') AS subject, members,
                   {KpiSql.Decimal("min_v")} AS min, {KpiSql.Decimal("q1_v")} AS q1, {KpiSql.Decimal("median_v")} AS median,
                   {KpiSql.Decimal("q3_v")} AS q3, {KpiSql.Decimal("max_v")} AS max, suppressed, unit
            FROM k_dist
            """);
        connection.Execute("""
            CREATE OR REPLACE TABLE kpi_subjects AS
            SELECT 'service' AS scope, service AS subject, name, kind, unit, area, CAST(NULL AS VARCHAR) AS org_nr,
                   catalogue AS catalogue_service, service_type FROM kf_service
            UNION ALL
            SELECT scope, subject, name, NULL, NULL, NULL, org_nr, NULL, NULL FROM kf_subject
            """);
    }

    private static void Facts(DuckDBConnection connection)
    {
        const string Grp = "(SELECT grp FROM kpi_run)";
        connection.Execute($"""
            INSERT INTO kf_fee
            SELECT {Grp}, fiscal_year, scenario, tenant, service, CAST(sum(amount) AS BIGINT) FROM fees GROUP BY ALL HAVING sum(amount) <> 0
            """);

        // A tenant's volume of a service: its weight in the service's driver rule (as prices.csv counts units).
        connection.Execute($"""
            INSERT INTO kf_qty
            SELECT {Grp}, w.fiscal_year, w.scenario, w.target, w.source, CAST(sum(w.w) AS BIGINT)
            FROM weights w JOIN rules r ON r.source = w.source AND r.method = 'driver'
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = w.target)
            GROUP BY ALL HAVING sum(w.w) > 0
            """);
        connection.Execute($"""
            INSERT INTO kf_tenant
            SELECT {Grp}, p.fiscal_year, p.scenario, p.tenant, t.employees, u.quantity, ws.quantity
            FROM (SELECT DISTINCT fiscal_year, scenario, tenant FROM kf_fee UNION SELECT fiscal_year, scenario, tenant FROM kf_qty) p
            JOIN tenants t ON t.tenant_id = p.tenant
            LEFT JOIN drivers u ON u.driver = '{IndicatorCatalogue.UsersKey}' AND u.target = p.tenant AND u.fiscal_year = p.fiscal_year AND u.scenario = p.scenario
            LEFT JOIN drivers ws ON ws.driver = '{IndicatorCatalogue.WorkstationsKey}' AND ws.target = p.tenant AND ws.fiscal_year = p.fiscal_year AND ws.scenario = p.scenario
            """);
        connection.Execute($"""
            INSERT INTO kf_service
            SELECT {Grp}, o.object_id, o.name, o.kind, o.unit, o.area, o.catalogue_service, o.service_type FROM objects o
            WHERE o.kind = 'service' OR o.object_id IN (SELECT service FROM kf_fee UNION SELECT service FROM kf_qty)
            """);
        connection.Execute($"""
            INSERT INTO kf_supplier
            SELECT {Grp}, r.fiscal_year, r.scenario, r.ledger_total, r.unallocated_total, CAST(coalesce(u.amount, 0) AS BIGINT)
            FROM reconciliation r
            LEFT JOIN (SELECT fiscal_year, scenario, sum(amount) AS amount FROM unallocated WHERE reason = 'unmapped' GROUP BY ALL) u USING (fiscal_year, scenario)
            """);

        // Keys: listed targets without a drivers row; money left without volume on the key's sources;
        // missing when either, or when a rule of the key has a zero total volume.
        connection.Execute($"""
            INSERT INTO kf_key
            WITH keys AS (SELECT r.source, r.driver AS key FROM rules r WHERE r.method = 'driver' AND r.driver IS NOT NULL),
            missing AS (
              SELECT p.fiscal_year, p.scenario, k.key, count(DISTINCT t.target) AS n
              FROM periods p CROSS JOIN keys k JOIN rule_targets t ON t.source = k.source
              WHERE NOT EXISTS (SELECT 1 FROM drivers d WHERE d.fiscal_year = p.fiscal_year AND d.scenario = p.scenario AND d.driver = k.key AND d.target = t.target)
              GROUP BY ALL),
            novolume AS (
              SELECT u.fiscal_year, u.scenario, k.key, sum(u.amount) AS amount
              FROM unallocated u JOIN keys k ON k.source = u.object WHERE u.reason = 'no-volume' GROUP BY ALL),
            empty AS (
              SELECT p.fiscal_year, p.scenario, k.key, bool_or(coalesce(w.total, 0) = 0) AS zero
              FROM periods p CROSS JOIN keys k
              LEFT JOIN weight_totals w ON w.fiscal_year = p.fiscal_year AND w.scenario = p.scenario AND w.source = k.source
              GROUP BY ALL)
            SELECT {Grp}, e.fiscal_year, e.scenario, e.key, coalesce(m.n, 0), CAST(coalesce(nv.amount, 0) AS BIGINT), e.zero OR coalesce(m.n, 0) > 0
            FROM empty e
            LEFT JOIN missing m USING (fiscal_year, scenario, key)
            LEFT JOIN novolume nv USING (fiscal_year, scenario, key)
            """);
    }

    /// <summary>
    /// The baseline rows per tenant (store version, else the package table) and, for each year and
    /// scenario, the lines of each tenant of the year from its latest baseline year not after it.
    /// </summary>
    private static void BaselineFacts(DuckDBConnection connection, ModelPackage package, List<ModelWarning> warnings)
    {
        connection.Execute("CREATE OR REPLACE TEMP TABLE kpi_baseline_rows (tenant VARCHAR, year INTEGER, line VARCHAR, cost BIGINT, quantity BIGINT, unit VARCHAR, version VARCHAR)");

        var storeFolder = Path.Combine(package.Directory, StoreFolder);
        var storeTenants = new List<string>();
        if (Directory.Exists(storeFolder))
        {
            var store = new BaselineStore(storeFolder);
            foreach (var version in store.LatestVersions(warnings))
            {
                // Every latest version is an input, used or not, so the run id is what PackageFingerprint finds without running.
                package.InputFiles.Add(version.CsvPath);
                package.InputFiles.Add(version.MetadataPath);
                var known = connection.Scalar<long>("SELECT count(*) FROM tenants WHERE tenant_id = ?", version.Tenant) > 0;
                if (!known)
                {
                    warnings.Add(new ModelWarning($"{StoreFolder}/{version.Tenant}", $"the baseline store has {version.Label} of '{version.Tenant}', which is not a tenant of this model; it is not used"));
                    continue;
                }

                storeTenants.Add(version.Tenant);
                BaselineStore.LoadRows(connection, "kpi_baseline_rows", version);
            }
        }

        connection.Execute("CREATE OR REPLACE TEMP TABLE kpi_store_tenants (tenant VARCHAR)");
        foreach (var tenant in storeTenants)
        {
            connection.Execute("INSERT INTO kpi_store_tenants VALUES (?)", tenant);
        }

        var tableSource = package.SourcesOf(Tables.Baseline).FirstOrDefault();
        if (tableSource is not null)
        {
            foreach (var tenant in connection.Query(
                "SELECT DISTINCT tenant FROM baseline WHERE tenant IN (SELECT tenant FROM kpi_store_tenants) ORDER BY 1", r => r.GetString(0)))
            {
                warnings.Add(new ModelWarning(tableSource.Name, $"the baseline rows of '{tenant}' are superseded by its version in the baseline store"));
            }

            connection.Execute("""
                INSERT INTO kpi_baseline_rows
                SELECT tenant, year, service, cost, quantity, unit, ? FROM baseline
                WHERE tenant NOT IN (SELECT tenant FROM kpi_store_tenants)
                """, TableVersion(tableSource.Path));
        }

        foreach (var (tenant, line) in connection.Query("""
            SELECT DISTINCT b.tenant, b.line FROM kpi_baseline_rows b
            WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = b.line)
              AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.area = b.line)
            ORDER BY 1, 2
            """, r => (r.GetString(0), r.GetString(1))))
        {
            warnings.Add(new ModelWarning("baseline", $"the baseline of '{tenant}' names '{line}', which is neither a service nor a service area of this model; no fees are matched to that line"));
        }

        connection.Execute("""
            INSERT INTO kf_baseline
            WITH pop AS (SELECT DISTINCT fiscal_year, scenario, tenant FROM (SELECT fiscal_year, scenario, tenant FROM kf_fee UNION ALL SELECT fiscal_year, scenario, tenant FROM kf_qty)),
            applies AS (
              SELECT p.fiscal_year, p.scenario, p.tenant, max(b.year) AS year
              FROM pop p JOIN kpi_baseline_rows b ON b.tenant = p.tenant AND b.year <= p.fiscal_year GROUP BY ALL)
            SELECT (SELECT grp FROM kpi_run), a.fiscal_year, a.scenario, a.tenant, b.line, CAST(sum(b.cost) AS BIGINT), CAST(sum(b.quantity) AS BIGINT),
                   min(b.unit), b.year, b.version
            FROM applies a JOIN kpi_baseline_rows b ON b.tenant = a.tenant AND b.year = a.year
            GROUP BY a.fiscal_year, a.scenario, a.tenant, b.line, b.year, b.version
            """);
    }

    /// <summary>The version of a baseline given as a package table: <c>model:</c> and the first 12 hex digits of its file's SHA-256 (as in <c>run.json</c>).</summary>
    private static string TableVersion(string path)
    {
        using var stream = File.OpenRead(path);
        return "model:" + Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }
}
