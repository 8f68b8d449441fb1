using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Fees;

/// <summary>
/// Each fee year's fees under the fee model the supplier chose for it (docs/fees.md): <c>fees_by_model</c>
/// per tenant and service, and <c>fee_differences</c> per service — fees against full cost, so that
/// rounding (price list) and smoothing (three-year) are reported, never hidden.
/// </summary>
/// <remarks>
/// A year's <em>basis</em> is its best-known scenario: actual when the year has actual cost lines, else
/// forecast, else budget. Quantities are the tenants' key volumes of the priced service (its driver
/// rule) in the basis. Unit prices: <c>actual</c> and <c>price-list</c> use the year's price (§3.6);
/// <c>three-year</c> uses Σ cost ÷ Σ units over the window years, each in its own basis. Fees:
/// <c>actual</c> = the allocated amount; the others = quantity × unit price, half away from zero to
/// öre. Services without a unit price (even, fixed and direct rules) are charged their allocated
/// amount under every model, with quantity and unit price left empty.
/// </remarks>
internal static class FeeModels
{
    /// <summary>Each year of <c>periods</c> with its basis scenario and fee model, as the table <c>fee_years</c> and as a list.</summary>
    public static List<(int FiscalYear, string Basis, string FeeModel)> FeeYears(DuckDBConnection connection, ModelManifest manifest)
    {
        connection.Execute("""
            CREATE OR REPLACE TABLE fee_years AS
            SELECT fiscal_year,
                   CASE WHEN bool_or(scenario = 'actual') THEN 'actual' WHEN bool_or(scenario = 'forecast') THEN 'forecast' ELSE 'budget' END AS basis,
                   CAST(NULL AS VARCHAR) AS fee_model
            FROM periods GROUP BY fiscal_year
            """);
        var years = connection.Query("SELECT fiscal_year, basis FROM fee_years ORDER BY 1", r => (FiscalYear: r.GetInt32(0), Basis: r.GetString(1), FeeModel: manifest.FeeModelOf(r.GetInt32(0))));
        foreach (var year in years)
        {
            connection.Execute("UPDATE fee_years SET fee_model = ? WHERE fiscal_year = ?", year.FeeModel, year.FiscalYear);
        }

        return years;
    }

    /// <param name="connection">The run's database.</param>
    /// <param name="manifest">The package's fee models.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="firstFeeYear">The first year charged (a quote's first year; years before it are there only as window years and are not warned of).</param>
    public static void Run(DuckDBConnection connection, ModelManifest manifest, List<ModelWarning> warnings, int firstFeeYear = int.MinValue)
    {
        var years = FeeYears(connection, manifest).Select(y => y.FiscalYear).ToList();

        connection.Execute("CREATE OR REPLACE TEMP TABLE window_offsets (offset_years INTEGER)");
        foreach (var offset in manifest.ThreeYearWindow)
        {
            connection.Execute("INSERT INTO window_offsets VALUES (?)", offset);
        }

        foreach (var year in years.Where(y => y >= firstFeeYear && manifest.FeeModelOf(y) == "three-year"))
        {
            var missing = manifest.ThreeYearWindow.Select(o => year + o).Where(y => !years.Contains(y)).ToList();
            if (missing.Count > 0)
            {
                warnings.Add(new ModelWarning("model.json", string.Create(CultureInfo.InvariantCulture,
                    $"the three-year price of {year} lacks window year{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (no actual, forecast or budget cost lines); the price uses the years present")));
            }
        }

        // Window prices: Σ cost ÷ Σ units over the window, each year in its own basis; half away from zero.
        connection.Execute("""
            CREATE OR REPLACE TABLE window_prices AS
            SELECT y.fiscal_year, p.service, CAST(sum(p.cost) AS BIGINT) AS cost, CAST(sum(p.units) AS BIGINT) AS units,
                   CAST(sign(sum(p.cost)) * ((abs(sum(p.cost)) * 2000000 + sum(p.units)) // (2 * sum(p.units))) AS BIGINT) AS unit_price
            FROM fee_years y CROSS JOIN window_offsets o
            JOIN fee_years wy ON wy.fiscal_year = y.fiscal_year + o.offset_years
            JOIN prices p ON p.fiscal_year = wy.fiscal_year AND p.scenario = wy.basis
            WHERE y.fee_model = 'three-year'
            GROUP BY ALL HAVING sum(p.units) > 0
            """);

        connection.Execute("""
            CREATE OR REPLACE TABLE fees_by_model AS
            WITH quantities AS (
              SELECT w.fiscal_year, w.scenario, w.target AS tenant, w.source AS service, CAST(w.w AS BIGINT) AS quantity
              FROM weights w JOIN rules r ON r.source = w.source AND r.method = 'driver'
              WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = w.target) AND w.w > 0),
            allocated AS (
              SELECT fiscal_year, scenario, tenant, service, CAST(sum(amount) AS BIGINT) AS amount FROM fees GROUP BY ALL),
            base AS (
              SELECT y.fiscal_year, y.fee_model, y.basis, coalesce(q.tenant, a.tenant) AS tenant, coalesce(q.service, a.service) AS service,
                     q.quantity, coalesce(a.amount, 0) AS allocated
              FROM fee_years y
              JOIN (quantities q FULL OUTER JOIN allocated a USING (fiscal_year, scenario, tenant, service))
                ON coalesce(q.fiscal_year, a.fiscal_year) = y.fiscal_year AND coalesce(q.scenario, a.scenario) = y.basis),
            priced AS (
              SELECT b.*, CASE WHEN b.fee_model = 'three-year' THEN wp.unit_price ELSE p.unit_price END AS unit_price
              FROM base b
              LEFT JOIN prices p ON p.fiscal_year = b.fiscal_year AND p.scenario = b.basis AND p.service = b.service
              LEFT JOIN window_prices wp ON wp.fiscal_year = b.fiscal_year AND wp.service = b.service)
            SELECT fiscal_year, fee_model, tenant, service,
                   CASE WHEN unit_price IS NOT NULL THEN coalesce(quantity, 0) END AS quantity,
                   unit_price,
                   CAST(CASE
                     WHEN unit_price IS NULL OR fee_model = 'actual' THEN allocated
                     ELSE sign(coalesce(quantity, 0) * unit_price) * ((abs(CAST(coalesce(quantity, 0) AS HUGEINT) * unit_price) * 2 + 1000000) // 2000000)
                   END AS BIGINT) AS fee,
                   basis, allocated
            FROM priced
            WHERE coalesce(quantity, 0) <> 0 OR allocated <> 0
            """);
        // Instalments: the months of InstalmentMonths, summed per fiscal year.
        connection.Execute($"""
            CREATE OR REPLACE TABLE instalment_fees AS
            SELECT CAST(month // 12 AS INTEGER) AS fiscal_year, tenant, item, kind, CAST(sum(amount) AS BIGINT) AS amount
            FROM ({InstalmentMonths("instalments")}) GROUP BY ALL
            """);
        connection.Execute("""
            INSERT INTO fees_by_model
            SELECT i.fiscal_year, i.kind, i.tenant, i.item, NULL, NULL, i.amount, NULL, 0
            FROM instalment_fees i WHERE i.fiscal_year IN (SELECT fiscal_year FROM fee_years) AND i.amount <> 0
            """);
        connection.Execute("""
            CREATE OR REPLACE TABLE fee_differences AS
            SELECT fiscal_year, fee_model, service, CAST(sum(allocated) AS BIGINT) AS full_cost, CAST(sum(fee) AS BIGINT) AS fees,
                   CAST(sum(fee) - sum(allocated) AS BIGINT) AS difference
            FROM fees_by_model WHERE fee_model NOT IN ('connection', 'asset') GROUP BY ALL
            """);

        if (connection.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'trueup'") > 0)
        {
            connection.Execute("""
                CREATE OR REPLACE TABLE trueup_by_tenant AS
                SELECT fiscal_year, tenant, CAST(sum(final) AS BIGINT) AS final, CAST(sum(invoiced) AS BIGINT) AS invoiced,
                       CAST(sum(trueup) AS BIGINT) AS trueup,
                       CASE WHEN sum(trueup) > 0 THEN 'debit' WHEN sum(trueup) < 0 THEN 'credit' ELSE 'none' END AS direction
                FROM trueup GROUP BY ALL
                """);
        }
    }

    /// <summary>
    /// The instalment plan month by month (docs/fees.md), one definition for the fees and the invoices: a
    /// query over <paramref name="instalments"/> (the <c>instalments</c> table, amounts in öre) giving
    /// <c>tenant, item, kind, month, amount</c>, where <c>month</c> is <c>year·12 + month − 1</c>. The amount is spread
    /// evenly over <c>years·12</c> months from the start month; the öre that do not divide evenly go one each to
    /// the first months.
    /// </summary>
    internal static string InstalmentMonths(string instalments) => $"""
        WITH plan AS (
          SELECT tenant, item, kind, amount, years * 12 AS months, start_year * 12 + coalesce(start_month, 1) - 1 AS first_month
          FROM {instalments}),
        months AS (
          SELECT p.*, m.n AS month_index, p.first_month + m.n AS month
          FROM plan p, LATERAL (SELECT range AS n FROM range(p.months)) m)
        SELECT tenant, item, kind, month,
               sign(amount) * (abs(amount) // months + CASE WHEN month_index < abs(amount) % months THEN 1 ELSE 0 END) AS amount
        FROM months
        """;
}
