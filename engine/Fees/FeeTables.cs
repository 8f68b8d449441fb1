using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Fees;

/// <summary>docs/model-format.md §3.6–3.8 over the allocation's tables: prices, the fee-area balance and the true-up.</summary>
internal static class FeeTables
{
    /// <summary>The single fee area's name when a package names none.</summary>
    public const string DefaultFeeArea = "IT-drift";

    /// <param name="connection">The run's database.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="invoicedGiven">Whether the package has an <c>invoiced</c> table (even an empty one): then the true-up is written.</param>
    public static void Run(DuckDBConnection connection, List<ModelWarning> warnings, bool invoicedGiven)
    {
        connection.Execute("CREATE TABLE IF NOT EXISTS previous_closing (fee_area VARCHAR, fiscal_year INTEGER, closing BIGINT)");
        Prices(connection);
        Balance(connection);

        if (invoicedGiven)
        {
            foreach (var year in connection.Query(
                "SELECT DISTINCT fiscal_year FROM invoiced WHERE fiscal_year NOT IN (SELECT fiscal_year FROM periods WHERE scenario = 'actual') ORDER BY 1",
                r => r.GetInt32(0)))
            {
                warnings.Add(new ModelWarning("invoiced", FormattableString.Invariant($"fiscal year {year} has invoiced fees but no actual ledger yet; its true-up waits for the outcome (trueup_expected: what the forecast, else the budget, says it will be)")));
            }

            ExpectedTrueup(connection);

            connection.Execute("""
                CREATE OR REPLACE TABLE trueup AS
                WITH years AS (
                  SELECT DISTINCT fiscal_year FROM invoiced
                  WHERE fiscal_year IN (SELECT fiscal_year FROM periods WHERE scenario = 'actual')),
                inv AS (SELECT fiscal_year, tenant, service, sum(amount) AS invoiced FROM invoiced WHERE fiscal_year IN (SELECT fiscal_year FROM years) GROUP BY ALL),
                fin AS (SELECT fiscal_year, tenant, service, sum(amount) AS final FROM fees WHERE scenario = 'actual' AND fiscal_year IN (SELECT fiscal_year FROM years) GROUP BY ALL)
                SELECT fiscal_year, tenant, service,
                       CAST(coalesce(fin.final, 0) AS BIGINT) AS final, CAST(coalesce(inv.invoiced, 0) AS BIGINT) AS invoiced,
                       CAST(coalesce(fin.final, 0) - coalesce(inv.invoiced, 0) AS BIGINT) AS trueup
                FROM fin FULL OUTER JOIN inv USING (fiscal_year, tenant, service)
                """);
        }
    }

    /// <summary>
    /// The expected true-up of each year with invoiced fees and no actual outcome yet (<c>trueup_expected</c>): the fee
    /// the year's forecast gives (its budget when it has no forecast) minus what was invoiced, per tenant and service —
    /// what a tenant can expect to be credited or charged when the year is settled. Only made when there is such a year.
    /// </summary>
    private static void ExpectedTrueup(DuckDBConnection connection)
    {
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE expected_years AS
            SELECT fiscal_year, CASE WHEN bool_or(scenario = 'forecast') THEN 'forecast' ELSE 'budget' END AS scenario
            FROM periods
            WHERE scenario IN ('forecast', 'budget')
              AND fiscal_year IN (SELECT fiscal_year FROM invoiced)
              AND fiscal_year NOT IN (SELECT fiscal_year FROM periods WHERE scenario = 'actual')
            GROUP BY fiscal_year
            """);
        if (connection.Scalar<long>("SELECT count(*) FROM expected_years") == 0)
        {
            return;
        }

        connection.Execute("""
            CREATE OR REPLACE TABLE trueup_expected AS
            WITH inv AS (SELECT fiscal_year, tenant, service, sum(amount) AS invoiced FROM invoiced WHERE fiscal_year IN (SELECT fiscal_year FROM expected_years) GROUP BY ALL),
            exp AS (SELECT f.fiscal_year, f.tenant, f.service, sum(f.amount) AS expected FROM fees f JOIN expected_years y USING (fiscal_year, scenario) GROUP BY ALL)
            SELECT fiscal_year, y.scenario, tenant, service,
                   CAST(coalesce(exp.expected, 0) AS BIGINT) AS expected, CAST(coalesce(inv.invoiced, 0) AS BIGINT) AS invoiced,
                   CAST(coalesce(exp.expected, 0) - coalesce(inv.invoiced, 0) AS BIGINT) AS trueup
            FROM exp FULL OUTER JOIN inv USING (fiscal_year, tenant, service) JOIN expected_years y USING (fiscal_year)
            """);
    }

    /// <summary>
    /// The fee area names in use: those of <c>revenue</c>, <c>balances</c> and <c>objects.fee_area</c>.
    /// With at most one name the package has a single area (of that name, else <c>IT-drift</c>) whose cost is
    /// the year's whole actual ledger cost; with several, an area's cost is what its objects delivered to
    /// tenants plus what stayed unallocated on them, objects without an area counting to <c>IT-drift</c>.
    /// </summary>
    /// <summary>§3.6: each service's units, cost and unit price per year and scenario (<c>prices</c>).</summary>
    /// <remarks>Unit price = cost ÷ units, half away from zero to öre: (2·|cost|·10^6 + units) div (2·units), units in millionths.</remarks>
    public static void Prices(DuckDBConnection connection) =>
        connection.Execute("""
            CREATE OR REPLACE TABLE prices AS
            WITH units AS (
              SELECT w.fiscal_year, w.scenario, w.source, sum(w.w) AS units
              FROM weights w JOIN rules r ON r.source = w.source AND r.method = 'driver'
              WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = w.target)
              GROUP BY ALL HAVING sum(w.w) > 0),
            delivered AS (SELECT fiscal_year, scenario, service AS source, sum(amount) AS cost FROM fees GROUP BY ALL)
            SELECT u.fiscal_year, u.scenario, u.source AS service, CAST(u.units AS BIGINT) AS units,
                   CAST(coalesce(d.cost, 0) AS BIGINT) AS cost,
                   CAST(sign(coalesce(d.cost, 0)) * ((abs(coalesce(d.cost, 0)) * 2000000 + u.units) // (2 * u.units)) AS BIGINT) AS unit_price
            FROM units u LEFT JOIN delivered d USING (fiscal_year, scenario, source)
            """);

    private static void Balance(DuckDBConnection connection)
    {
        var names = connection.Query("""
            SELECT fee_area FROM revenue WHERE fee_area IS NOT NULL
            UNION SELECT fee_area FROM balances WHERE fee_area IS NOT NULL
            UNION SELECT fee_area FROM objects WHERE fee_area IS NOT NULL
            ORDER BY 1
            """, r => r.GetString(0));
        var single = names.Count <= 1;
        var singleName = names.Count == 1 ? names[0] : DefaultFeeArea;
        connection.Execute("CREATE OR REPLACE TEMP TABLE area_names (fee_area VARCHAR)");
        connection.Execute("INSERT INTO area_names VALUES (?)", singleName);

        var costSql = single
            ? "SELECT (SELECT fee_area FROM area_names) AS fee_area, fiscal_year, ledger_total AS cost FROM periods WHERE scenario = 'actual'"
            : $"""
              SELECT coalesce(o.fee_area, '{DefaultFeeArea}') AS fee_area, x.fiscal_year, CAST(sum(x.amount) AS BIGINT) AS cost
              FROM (SELECT fiscal_year, service AS object, amount FROM fees WHERE scenario = 'actual'
                    UNION ALL SELECT fiscal_year, object, amount FROM unallocated WHERE scenario = 'actual') x
              LEFT JOIN objects o ON o.object_id = x.object
              GROUP BY ALL
              """;
        var revenueSql = single
            ? "SELECT (SELECT fee_area FROM area_names) AS fee_area, fiscal_year, CAST(sum(amount) AS BIGINT) AS revenue FROM fees WHERE scenario = 'actual' GROUP BY ALL"
            : $"""
              SELECT coalesce(o.fee_area, '{DefaultFeeArea}') AS fee_area, f.fiscal_year, CAST(sum(f.amount) AS BIGINT) AS revenue
              FROM fees f LEFT JOIN objects o ON o.object_id = f.service WHERE f.scenario = 'actual' GROUP BY ALL
              """;
        var areas = single ? "SELECT fee_area FROM area_names" : $"SELECT DISTINCT fee_area FROM ({costSql}) UNION SELECT fee_area FROM revenue WHERE fee_area IS NOT NULL UNION SELECT fee_area FROM balances WHERE fee_area IS NOT NULL";

        // One row per area and year with actual cost lines or booked revenue; balances carry forward in order.
        connection.Execute($"""
            CREATE OR REPLACE TABLE balance_rows AS
            WITH areas AS ({areas}),
            years AS (
              SELECT a.fee_area, p.fiscal_year FROM areas a CROSS JOIN (SELECT fiscal_year FROM periods WHERE scenario = 'actual') p
              UNION SELECT fee_area, fiscal_year FROM revenue WHERE fee_area IN (SELECT fee_area FROM areas)),
            cost AS ({costSql}),
            allocated AS ({revenueSql}),
            flows AS (
              SELECT y.fee_area, y.fiscal_year,
                     CAST(coalesce(r.revenue, al.revenue, 0) AS BIGINT) AS revenue,
                     CAST(coalesce(c.cost, 0) AS BIGINT) AS cost,
                     CAST(coalesce(b.opening_balance, pr.closing, 0) AS BIGINT) AS given_opening,
                     row_number() OVER (PARTITION BY y.fee_area ORDER BY y.fiscal_year) AS nth
              FROM years y
              LEFT JOIN revenue r USING (fee_area, fiscal_year)
              LEFT JOIN allocated al USING (fee_area, fiscal_year)
              LEFT JOIN cost c USING (fee_area, fiscal_year)
              LEFT JOIN balances b USING (fee_area, fiscal_year)
              LEFT JOIN previous_closing pr ON pr.fee_area = y.fee_area AND pr.fiscal_year = y.fiscal_year - 1),
            carried AS (
              SELECT *, CAST(revenue - cost AS BIGINT) AS result,
                     CAST(sum(CASE WHEN nth = 1 THEN given_opening ELSE 0 END) OVER w + sum(revenue - cost) OVER w AS BIGINT) AS closing
              FROM flows WINDOW w AS (PARTITION BY fee_area ORDER BY fiscal_year ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
            SELECT fee_area, fiscal_year, CAST(closing - result AS BIGINT) AS opening, revenue, cost, result, closing,
                   10 * CAST(closing AS HUGEINT) > revenue AS surplus_flag
            FROM carried
            """);
    }

    /// <summary>
    /// Carries the balance across packages of consecutive years: the previous run's closing balance of
    /// each fee area's last year becomes the opening of the next year, unless <c>balances</c> gives one
    /// (which then wins, with a warning when the two differ).
    /// </summary>
    public static void LoadPreviousRun(DuckDBConnection connection, string runFolder, List<ModelWarning> warnings)
    {
        var file = Path.Combine(runFolder, "balance.parquet");
        if (!File.Exists(file))
        {
            throw TbmException.Usage($"'{runFolder}' is not a run folder with balance.parquet");
        }

        connection.Execute($"""
            CREATE OR REPLACE TABLE previous_closing AS
            SELECT fee_area, fiscal_year, CAST(closing * 100 AS BIGINT) AS closing
            FROM read_parquet({Duck.Literal(file)})
            QUALIFY row_number() OVER (PARTITION BY fee_area ORDER BY fiscal_year DESC) = 1
            """);
        foreach (var (area, year, given, carried) in connection.Query("""
            SELECT b.fee_area, b.fiscal_year, b.opening_balance, p.closing FROM balances b
            JOIN previous_closing p ON p.fee_area = b.fee_area AND p.fiscal_year = b.fiscal_year - 1
            WHERE b.opening_balance <> p.closing
            """, r => (r.GetString(0), r.GetInt32(1), r.Int64(2), r.Int64(3))))
        {
            warnings.Add(new ModelWarning("balances", string.Create(CultureInfo.InvariantCulture,
                $"{area} {year}: the opening balance given ({Money.Format(given)}) differs from the previous run's closing balance ({Money.Format(carried)}); the given one is used")));
        }
    }

    /// <summary>
    /// An opening balance is given for an area's first year only (later years carry forward); any other
    /// year is a model error, since the carried balance would silently overrule it.
    /// </summary>
    public static void CheckOpeningBalances(DuckDBConnection connection, ModelManifest manifest, ErrorLog errors)
    {
        var costLine = Validation.ModelChecks.CostAccountPredicate(manifest, "l.account");
        errors.AddQuery($"""
            WITH first_year AS (
              SELECT b.fee_area, least(
                (SELECT min(fiscal_year) FROM ledger l WHERE l.scenario = 'actual' AND ({costLine})),
                (SELECT min(fiscal_year) FROM revenue r WHERE r.fee_area = b.fee_area)) AS year
              FROM (SELECT DISTINCT fee_area FROM balances) b)
            SELECT f.file, b.line, 'fiscal_year',
                   'an opening balance is given for the fee area''s first year only (' || fy.year || '); later years carry the closing balance forward'
            FROM balances b JOIN sources f USING (src) JOIN first_year fy USING (fee_area)
            WHERE fy.year IS NOT NULL AND b.fiscal_year <> fy.year
            """);
    }
}
