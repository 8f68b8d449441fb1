using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Indicators;

/// <summary>A published run a combined view read, for one supplier and fiscal year.</summary>
/// <param name="Supplier">The supplier.</param>
/// <param name="SupplierName">Its name, from the run.</param>
/// <param name="FiscalYear">The fiscal year read from the run.</param>
/// <param name="RunId">The run.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="HasIndicators">Whether the run has <c>kpi.parquet</c> with rows for the year and scenario.</param>
public sealed record ViewSource(string Supplier, string SupplierName, int FiscalYear, string RunId, DateTimeOffset PublishedAt, bool HasIndicators);

/// <summary>One indicator value of a combined view.</summary>
/// <param name="Group">A supplier's id, or <c>*</c> for all suppliers together.</param>
/// <param name="FiscalYear">The year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Scope">service, tenant, tenant_service, baseline, supplier, quality or key.</param>
/// <param name="Subject">The service, tenant, <c>tenant/service</c>, <c>tenant/line</c>, supplier or key.</param>
/// <param name="Indicator">The indicator's id.</param>
/// <param name="Value">The value in the indicator's unit.</param>
/// <param name="Unit">The unit.</param>
/// <param name="BaselineVersion">The baseline version(s) used, for baseline indicators.</param>
/// <param name="Runs">The run ids the value comes from, <c>;</c>-separated.</param>
public sealed record ViewValue(string Group, int FiscalYear, string Scenario, string Scope, string Subject, string Indicator, decimal Value, string Unit, string? BaselineVersion, string Runs);

/// <summary>A distribution of one indicator over tenants or suppliers.</summary>
/// <param name="Group">Tenants: a supplier's or <c>*</c> (all suppliers, each tenant once); suppliers: <c>*</c>.</param>
/// <param name="FiscalYear">The year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Population"><c>tenants</c> or <c>suppliers</c>.</param>
/// <param name="Indicator">The indicator's id.</param>
/// <param name="Subject">The service for service indicators over suppliers; else empty.</param>
/// <param name="Members">How many values.</param>
/// <param name="Suppressed">Fewer than three members: no statistics are given.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Q1">First quartile.</param>
/// <param name="Median">Median.</param>
/// <param name="Q3">Third quartile.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Unit">The unit.</param>
public sealed record ViewDistribution(string Group, int FiscalYear, string Scenario, string Population, string Indicator, string Subject, long Members, bool Suppressed,
    decimal? Min, decimal? Q1, decimal? Median, decimal? Q3, decimal? Max, string Unit);

/// <summary>Names of services, tenants and suppliers, from the runs.</summary>
public sealed record ViewSubject(string Scope, string Subject, string Name, string? Unit, string? Area);

/// <summary>The coordinator's view of one fiscal year over every supplier's published runs.</summary>
/// <remarks><c>Notes</c>: what the view lacks (a supplier without the year, a run without indicators), in English for the command line; <see cref="NotesSv"/> the same in Swedish.</remarks>
public sealed record CombinedView(int FiscalYear, string Scenario, IReadOnlyList<ViewSource> Sources, IReadOnlyList<ViewValue> Values,
    IReadOnlyList<ViewDistribution> Distributions, IReadOnlyList<ViewSubject> Subjects, IReadOnlyList<string> Notes)
{
    /// <summary>The same notes in Swedish, one for one, for the status report.</summary>
    public IReadOnlyList<string> NotesSv { get; init; } = [];
}

/// <summary>
/// Reads the published runs of several suppliers (each its own package and run) and computes the key
/// indicators per supplier and across them, with the same SQL as a run (<see cref="KpiSql"/>).
/// </summary>
/// <remarks>
/// For each supplier and each fiscal year up to the report's year (and at most <see cref="HistoryYears"/>
/// years back), the supplier's latest run for that year is read: only the rows of that year and
/// scenario, and only the facts (<see cref="Indicator.Fact"/>); every other indicator is computed again,
/// so year-over-year changes can span two runs and combined values are computed, never summed from
/// ratios.
/// </remarks>
public static class CombinedIndicators
{
    /// <summary>How many years of history a view reads, the report's year included.</summary>
    public const int HistoryYears = 5;

    /// <summary>Computes the view for <paramref name="fiscalYear"/> from the runs store at <paramref name="runsDirectory"/>.</summary>
    public static CombinedView Compute(string runsDirectory, int fiscalYear, string scenario = "actual")
    {
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        var (sources, notes, notesSv) = Load(connection, runsDirectory, fiscalYear, scenario);
        KpiSql.Combine(connection);
        KpiSql.Compute(connection, overSuppliers: true);
        return Read(connection, fiscalYear, scenario, sources, notes) with { NotesSv = notesSv };
    }

    private static (List<ViewSource> Sources, List<string> Notes, List<string> NotesSv) Load(DuckDBConnection connection, string runsDirectory, int fiscalYear, string scenario)
    {
        KpiSql.CreateFactTables(connection);
        connection.Execute("""
            CREATE TABLE src_kpi (supplier VARCHAR, run_id VARCHAR, fiscal_year INTEGER, scenario VARCHAR, scope VARCHAR, subject VARCHAR,
              indicator VARCHAR, v HUGEINT, unit VARCHAR, baseline_version VARCHAR)
            """);
        connection.Execute("""
            CREATE TABLE src_subjects (supplier VARCHAR, scope VARCHAR, subject VARCHAR, name VARCHAR, kind VARCHAR, unit VARCHAR, area VARCHAR, org_nr VARCHAR,
              catalogue_service VARCHAR, service_type VARCHAR)
            """);
        connection.Execute("CREATE TABLE report_runs (supplier VARCHAR, fiscal_year INTEGER, run_id VARCHAR)");

        var store = new RunStore(runsDirectory);
        var sources = new List<ViewSource>();
        var notes = new List<string>();
        var notesSv = new List<string>();
        if (!Directory.Exists(store.Root))
        {
            throw TbmException.NotFound($"the runs folder {store.Root} does not exist");
        }

        var runs = store.List();
        var facts = string.Join(", ", IndicatorCatalogue.All.Where(i => i.Fact).Select(i => "'" + i.Id + "'"));
        foreach (var supplier in runs.Select(r => r.Supplier).Distinct().Order(StringComparer.Ordinal))
        {
            var years = runs.Where(r => r.Supplier == supplier).SelectMany(r => r.FiscalYears)
                .Where(y => y <= fiscalYear && y > fiscalYear - HistoryYears).Distinct().Order().ToList();
            if (!years.Contains(fiscalYear))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{supplier}: no published run has fiscal year {fiscalYear}"));
                notesSv.Add(string.Create(CultureInfo.InvariantCulture, $"{supplier}: ingen publicerad körning har räkenskapsåret {fiscalYear}"));
            }

            var named = false;
            foreach (var year in years.OrderDescending())
            {
                if (store.Latest(supplier, year) is not { } run)
                {
                    continue;
                }

                var kpi = Path.Combine(run.Directory, "kpi.parquet");
                var subjects = Path.Combine(run.Directory, "kpi_subjects.parquet");
                var hasKpi = File.Exists(kpi) && File.Exists(subjects);
                long rows = 0;
                if (hasKpi)
                {
                    connection.Execute($"""
                        INSERT INTO src_kpi
                        SELECT ?, ?, fiscal_year, scenario, scope, subject, indicator, CAST(CAST(value AS DECIMAL(38,6)) * 1000000 AS HUGEINT), unit, baseline_version
                        FROM read_parquet({Duck.Literal(kpi)}) WHERE fiscal_year = ? AND scenario = ? AND indicator IN ({facts})
                        """, supplier, run.RunId, year, scenario);
                    rows = connection.Scalar<long>("SELECT count(*) FROM src_kpi WHERE supplier = ? AND fiscal_year = ?", supplier, year);
                    if (!named)
                    {
                        // A run written before the catalogue has no classification columns: its services are unclassified.
                        var classified = connection.Scalar<long>("SELECT count(*) FROM parquet_schema(?) WHERE name = 'catalogue_service'", subjects) > 0;
                        var classification = classified ? "catalogue_service, service_type" : "NULL, NULL";
                        connection.Execute($"""
                            INSERT INTO src_subjects SELECT ?, scope, subject, name, kind, unit, area, org_nr, {classification} FROM read_parquet({Duck.Literal(subjects)})
                            """, supplier);
                        named = true;
                    }
                }

                if (!hasKpi)
                {
                    notes.Add($"{supplier}: run {run.RunId} has no indicators (published before they were computed); run the package again to include it");
                    notesSv.Add($"{supplier}: körningen {run.RunId} saknar nyckeltal (publicerad innan de beräknades); kör paketet igen för att ta med den");
                }
                else if (rows == 0)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"{supplier}: run {run.RunId} has no '{scenario}' figures for {year}"));
                    notesSv.Add(string.Create(CultureInfo.InvariantCulture, $"{supplier}: körningen {run.RunId} saknar siffror för {ScenarioSv(scenario)} {year}"));
                }

                if (rows > 0)
                {
                    connection.Execute("INSERT INTO report_runs VALUES (?, ?, ?)", supplier, year, run.RunId);
                }

                var name = hasKpi ? connection.Scalar<string>("SELECT name FROM src_subjects WHERE supplier = ? AND scope = 'supplier' LIMIT 1", supplier) : null;
                sources.Add(new ViewSource(supplier, name ?? supplier, year, run.RunId, run.PublishedAt, rows > 0));
            }
        }

        Rebuild(connection);
        return (sources.OrderBy(s => s.Supplier, StringComparer.Ordinal).ThenByDescending(s => s.FiscalYear).ToList(), notes, notesSv);
    }

    /// <summary>The fact tables again from the runs' fact rows: the inverse of what a run writes.</summary>
    private static void Rebuild(DuckDBConnection connection)
    {
        connection.Execute("""
            INSERT INTO kf_fee SELECT supplier, fiscal_year, scenario, split_part(subject, '/', 1), split_part(subject, '/', 2), CAST(v // 10000 AS BIGINT)
            FROM src_kpi WHERE indicator = 'tenant_service.fee'
            """);
        connection.Execute("""
            INSERT INTO kf_qty SELECT supplier, fiscal_year, scenario, split_part(subject, '/', 1), split_part(subject, '/', 2), CAST(v AS BIGINT)
            FROM src_kpi WHERE indicator = 'tenant_service.quantity'
            """);
        connection.Execute("""
            INSERT INTO kf_tenant
            SELECT supplier, fiscal_year, scenario, subject,
                   CAST(max(CASE WHEN indicator = 'tenant.employees' THEN v // 1000000 END) AS BIGINT),
                   CAST(max(CASE WHEN indicator = 'tenant.users' THEN v END) AS BIGINT),
                   CAST(max(CASE WHEN indicator = 'tenant.workstations' THEN v END) AS BIGINT)
            FROM src_kpi WHERE indicator IN ('tenant.employees', 'tenant.users', 'tenant.workstations') GROUP BY ALL
            """);
        connection.Execute("INSERT INTO kf_service SELECT supplier, subject, name, kind, unit, area, catalogue_service, service_type FROM src_subjects WHERE scope = 'service'");
        connection.Execute("INSERT INTO kf_subject SELECT supplier, scope, subject, name, org_nr FROM src_subjects WHERE scope IN ('tenant', 'supplier')");
        connection.Execute("""
            INSERT INTO kf_baseline
            SELECT c.supplier, c.fiscal_year, c.scenario, split_part(c.subject, '/', 1), split_part(c.subject, '/', 2),
                   CAST(c.v // 10000 AS BIGINT), CAST(q.v AS BIGINT), q.unit, CAST(y.v // 1000000 AS INTEGER), c.baseline_version
            FROM src_kpi c
            LEFT JOIN src_kpi q ON q.indicator = 'baseline.quantity' AND q.supplier = c.supplier AND q.fiscal_year = c.fiscal_year AND q.scenario = c.scenario AND q.subject = c.subject
            LEFT JOIN src_kpi y ON y.indicator = 'tenant.baseline_year' AND y.supplier = c.supplier AND y.fiscal_year = c.fiscal_year AND y.scenario = c.scenario
                                AND y.subject = split_part(c.subject, '/', 1)
            WHERE c.indicator = 'baseline.cost'
            """);
        connection.Execute("""
            INSERT INTO kf_supplier
            SELECT supplier, fiscal_year, scenario,
                   CAST(sum(CASE WHEN indicator = 'supplier.cost' THEN v // 10000 ELSE 0 END) AS BIGINT),
                   CAST(sum(CASE WHEN indicator = 'supplier.unallocated' THEN v // 10000 ELSE 0 END) AS BIGINT),
                   CAST(sum(CASE WHEN indicator = 'supplier.unmapped' THEN v // 10000 ELSE 0 END) AS BIGINT)
            FROM src_kpi WHERE indicator IN ('supplier.cost', 'supplier.unallocated', 'supplier.unmapped') GROUP BY ALL
            """);
        connection.Execute("""
            INSERT INTO kf_key
            SELECT supplier, fiscal_year, scenario, subject,
                   CAST(sum(CASE WHEN indicator = 'key.missing_targets' THEN v // 1000000 ELSE 0 END) AS BIGINT),
                   CAST(sum(CASE WHEN indicator = 'key.no_volume' THEN v // 10000 ELSE 0 END) AS BIGINT),
                   bool_or(indicator = 'key.missing_volumes' AND v > 0)
            FROM src_kpi WHERE indicator IN ('key.missing_targets', 'key.no_volume', 'key.missing_volumes') GROUP BY ALL
            """);
    }

    private static string ScenarioSv(string scenario) => scenario switch { "actual" => "utfall", "budget" => "budget", "forecast" => "prognos", _ => scenario };

    private static CombinedView Read(DuckDBConnection connection, int fiscalYear, string scenario, List<ViewSource> sources, List<string> notes)
    {
        // Every value names its runs: a supplier's run of the year (and of the year before, for changes);
        // combined, the runs of the suppliers that serve the tenant, or all runs of the year.
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE k_runs AS
            WITH year_runs AS (SELECT fiscal_year, string_agg(run_id, ';' ORDER BY supplier, run_id) AS runs FROM report_runs GROUP BY ALL),
            tenant_runs AS (
              SELECT p.fiscal_year, p.tenant, string_agg(DISTINCT r.run_id, ';' ORDER BY r.run_id) AS runs
              FROM k_pop p JOIN report_runs r ON r.supplier = p.grp AND r.fiscal_year = p.fiscal_year
              WHERE p.grp <> '{KpiSql.Combined}' GROUP BY ALL)
            SELECT a.*,
                   CASE WHEN a.grp <> '{KpiSql.Combined}' THEN r.run_id
                        WHEN a.scope IN ('tenant', 'tenant_service', 'baseline') THEN coalesce(tr.runs, yr.runs)
                        ELSE yr.runs END AS runs,
                   CASE WHEN a.indicator LIKE '%\_change%' ESCAPE '\' AND a.scope = 'service'
                        THEN CASE WHEN a.grp <> '{KpiSql.Combined}' THEN pr.run_id ELSE pyr.runs END END AS previous_runs
            FROM k_all a
            LEFT JOIN report_runs r ON r.supplier = a.grp AND r.fiscal_year = a.fiscal_year
            LEFT JOIN report_runs pr ON pr.supplier = a.grp AND pr.fiscal_year = a.fiscal_year - 1
            LEFT JOIN year_runs yr ON yr.fiscal_year = a.fiscal_year
            LEFT JOIN year_runs pyr ON pyr.fiscal_year = a.fiscal_year - 1
            LEFT JOIN tenant_runs tr ON tr.fiscal_year = a.fiscal_year AND tr.tenant = split_part(a.subject, '/', 1)
            """);
        var values = connection.Query($"""
            SELECT grp, fiscal_year, scenario, scope, subject, indicator, {KpiSql.Decimal("v")}, unit, baseline_version,
                   coalesce(runs, '') || CASE WHEN previous_runs IS NOT NULL AND previous_runs <> coalesce(runs, '') THEN ';' || previous_runs ELSE '' END
            FROM k_runs ORDER BY grp, fiscal_year, scope, subject, indicator
            """, r => new ViewValue(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetDecimal(6),
                r.NullableString(7) ?? "", r.NullableString(8), r.GetString(9)));
        var distributions = connection.Query($"""
            SELECT grp, fiscal_year, scenario, population, indicator, subject, members, suppressed,
                   {KpiSql.Decimal("min_v")}, {KpiSql.Decimal("q1_v")}, {KpiSql.Decimal("median_v")}, {KpiSql.Decimal("q3_v")}, {KpiSql.Decimal("max_v")}, unit
            FROM k_dist ORDER BY fiscal_year, population, grp, indicator, subject
            """, r => new ViewDistribution(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.Int64(6), r.GetBoolean(7),
                NullableDecimal(r, 8), NullableDecimal(r, 9), NullableDecimal(r, 10), NullableDecimal(r, 11), NullableDecimal(r, 12), r.GetString(13)));
        var subjects = connection.Query("""
            SELECT scope, subject, arg_min(name, supplier), arg_min(unit, supplier), arg_min(area, supplier)
            FROM src_subjects GROUP BY scope, subject ORDER BY scope, subject
            """, r => new ViewSubject(r.GetString(0), r.GetString(1), r.NullableString(2) ?? r.GetString(1), r.NullableString(3), r.NullableString(4)));

        // A service the suppliers meet in only by its catalogue id is named as the state service map names it.
        var named = subjects.Where(s => s.Scope == "service").Select(s => s.Subject).ToHashSet(StringComparer.Ordinal);
        var catalogue = connection.Query($"SELECT DISTINCT service, area FROM kf_service WHERE grp = '{KpiSql.Combined}' AND catalogue = service ORDER BY 1",
                r => (Id: r.GetString(0), Area: r.NullableString(1)))
            .Where(c => !named.Contains(c.Id) && Catalogue.TbmCatalogue.Service(c.Id) is not null)
            .Select(c => Catalogue.TbmCatalogue.Service(c.Id)!)
            .Select(c => new ViewSubject("service", c.Id, c.NameSv, c.DefaultUnit, c.AreaSv));
        subjects = [.. subjects.Concat(catalogue).OrderBy(s => s.Scope, StringComparer.Ordinal).ThenBy(s => s.Subject, StringComparer.Ordinal)];
        return new CombinedView(fiscalYear, scenario, sources, values, distributions, subjects, notes);
    }

    private static decimal? NullableDecimal(DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
