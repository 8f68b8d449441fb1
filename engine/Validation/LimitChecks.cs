using System.Globalization;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// The totals the arithmetic needs (docs/model-format.md §3.9): every cell may be valid while a sum of
/// them does not fit the engine's integers. Every money value a run computes is a signed sum of the
/// package's amounts, and every key's total a sum of its quantities, so bounding the sums of absolute
/// values bounds every result; products <c>|b|·w</c> of two such bounded values fit in 128 bits.
/// </summary>
internal static class LimitChecks
{
    /// <summary>The largest sum of amounts, in öre: what <c>DECIMAL(18,2)</c> holds (9 999 999 999 999 999.99 SEK).</summary>
    public const long MaxOre = 999_999_999_999_999_999;

    /// <summary>The largest sum of quantities or weights, in millionths: what <c>DECIMAL(18,6)</c> holds (999 999 999 999.999999).</summary>
    public const long MaxMillionths = 999_999_999_999_999_999;

    private const string Reference = "docs/model-format.md §3.9";

    /// <summary>The tables with money, the column, and the group whose sum §3 computes (its key, and how a report names it).</summary>
    private static readonly (string Table, string Column, string Key, string Group)[] MoneyGroups =
    [
        ("ledger", "amount", "fiscal_year, scenario", "'fiscal year ' || fiscal_year || ', scenario ' || scenario"),
        ("invoiced", "amount", "fiscal_year", "'fiscal year ' || fiscal_year"),
        ("revenue", "revenue", "fee_area", "'fee area ' || fee_area"),
        ("balances", "opening_balance", "fee_area", "'fee area ' || fee_area"),
        ("instalments", "amount", "tenant", "'tenant ' || tenant"),
    ];

    public static void Run(ErrorLog errors)
    {
        // A group beyond the limit is named; when no group is, the package's total over every money table
        // still must fit (balances carry results over years; a true-up subtracts invoices from fees).
        var groups = string.Join("\nUNION ALL\n", MoneyGroups.Select(g => $"""
            SELECT '{g.Table}' AS tab, '{g.Column}' AS col, {g.Group} AS grp, min(src) AS src, sum(abs(CAST({g.Column} AS HUGEINT))) AS total
            FROM {g.Table} WHERE {g.Column} IS NOT NULL GROUP BY {g.Key}
            """));
        errors.AddQuery($"""
            WITH groups AS ({groups}),
            tables AS (SELECT tab, col, min(src) AS src, sum(total) AS total, list(grp ORDER BY total DESC, grp)[1] AS largest FROM groups GROUP BY tab, col),
            package AS (SELECT sum(total) AS total FROM tables)
            SELECT f.file, 0, g.col, 'the amounts of ' || g.grp || ' sum to ' || {Sek("g.total")} || ' SEK in absolute value; a sum the engine computes holds at most '
                   || {Sek(MaxOre.ToString(CultureInfo.InvariantCulture))} || ' SEK ({Reference})'
            FROM groups g JOIN sources f USING (src) WHERE g.total > {MaxOre}
            UNION ALL
            SELECT f.file, 0, t.col, 'the amounts of the package''s money tables (ledger, invoiced, revenue, balances, instalments) sum to '
                   || {Sek("p.total")} || ' SEK in absolute value, ' || {Sek("t.total")} || ' SEK of them here (most in ' || t.largest
                   || '); a sum the engine computes holds at most ' || {Sek(MaxOre.ToString(CultureInfo.InvariantCulture))} || ' SEK ({Reference})'
            FROM tables t CROSS JOIN package p JOIN sources f USING (src)
            WHERE p.total > {MaxOre} AND NOT EXISTS (SELECT 1 FROM groups WHERE total > {MaxOre})
              AND t.total = (SELECT max(total) FROM tables)
            """);

        // A key's weights are summed per year and scenario (W, and a price's units); a fixed rule's once.
        errors.AddQuery($"""
            SELECT f.file, 0, 'quantity', 'the quantities of fiscal year ' || d.fiscal_year || ', scenario ' || d.scenario || ', driver ' || d.driver
                   || ' sum to ' || {Quantity("d.total")} || '; a key''s total holds at most ' || {Quantity(MaxMillionths.ToString(CultureInfo.InvariantCulture))} || ' ({Reference})'
            FROM (SELECT fiscal_year, scenario, driver, min(src) AS src, sum(CAST(quantity AS HUGEINT)) AS total
                  FROM drivers WHERE quantity IS NOT NULL GROUP BY ALL) d JOIN sources f USING (src)
            WHERE d.total > {MaxMillionths}
            UNION ALL
            SELECT f.file, r.line, 'targets', 'the weights of ' || r.source || '''s rule sum to ' || {Quantity("w.total")}
                   || '; a rule''s weights hold at most ' || {Quantity(MaxMillionths.ToString(CultureInfo.InvariantCulture))} || ' ({Reference})'
            FROM (SELECT source, sum(CAST(weight AS HUGEINT)) AS total FROM rule_targets GROUP BY source) w
            JOIN rules r USING (source) JOIN sources f ON f.src = r.src
            WHERE w.total > {MaxMillionths}
            """);
    }

    /// <summary>
    /// The quotients the arithmetic needs (§3.9): a unit price is a service's cost over its tenants' units, so a
    /// tiny key total makes it large; a three-year fee is this year's units at a price of other years, so a window
    /// without the fee year lets it exceed every sum. Neither cost is known before allocation, but neither can
    /// exceed the period's cost lines in absolute value (a split keeps the absolute sum), so that bound is
    /// checked. Needs <c>cost_lines</c>, <c>periods</c> and <c>weights</c> (after <c>Allocator.Weigh</c>).
    /// </summary>
    public static void Priced(ErrorLog errors, ModelManifest manifest)
    {
        var common = $"""
            bound AS (SELECT fiscal_year, scenario, sum(abs(CAST(amount AS HUGEINT))) AS cost FROM cost_lines GROUP BY ALL),
            units AS (
              SELECT w.fiscal_year, w.scenario, w.source, any_value(r.driver) AS driver, sum(CAST(w.w AS HUGEINT)) AS units
              FROM weights w JOIN rules r ON r.source = w.source AND r.method = 'driver'
              WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = w.target)
              GROUP BY w.fiscal_year, w.scenario, w.source HAVING sum(w.w) > 0)
            """;
        errors.AddQuery($"""
            WITH {common},
            priced AS (
              SELECT u.*, b.cost, (2 * b.cost * 1000000 + u.units) // (2 * u.units) AS price
              FROM units u JOIN bound b USING (fiscal_year, scenario))
            SELECT f.file, 0, 'quantity', 'the unit price of ' || p.source || ' in fiscal year ' || p.fiscal_year || ', scenario ' || p.scenario
                   || ' can reach ' || {Sek("p.price")} || ' SEK: up to ' || {Sek("p.cost")} || ' SEK of cost (the period''s cost lines in absolute value) over '
                   || {Quantity("p.units")} || ' units of driver ' || p.driver || '; a price holds at most ' || {Sek(MaxOre.ToString(CultureInfo.InvariantCulture))} || ' SEK ({Reference})'
            FROM priced p
            JOIN (SELECT fiscal_year, scenario, driver, min(src) AS src FROM drivers GROUP BY ALL) d USING (fiscal_year, scenario, driver)
            JOIN sources f USING (src)
            WHERE p.price > {MaxOre}
            """);

        // With the fee year in its window, its units are part of the window's and its fees at most the window's cost.
        var threeYear = manifest.FeeModel == "three-year" || manifest.FeeModelByYear.Values.Contains("three-year");
        if (!threeYear || manifest.ThreeYearWindow.Contains(0))
        {
            return;
        }

        var offsets = string.Join(", ", manifest.ThreeYearWindow.Select(o => string.Create(CultureInfo.InvariantCulture, $"({o})")));
        var others = string.Join(", ", manifest.FeeModelByYear.Where(y => y.Value != "three-year").Select(y => y.Key.ToString(CultureInfo.InvariantCulture)));
        var isThreeYear = manifest.FeeModel == "three-year"
            ? (others.Length == 0 ? "true" : $"y.fiscal_year NOT IN ({others})")
            : $"y.fiscal_year IN ({string.Join(", ", manifest.FeeModelByYear.Where(y => y.Value == "three-year").Select(y => y.Key.ToString(CultureInfo.InvariantCulture)))})";
        errors.AddQuery($"""
            WITH {common},
            fee_years AS (
              SELECT fiscal_year, CASE WHEN bool_or(scenario = 'actual') THEN 'actual' WHEN bool_or(scenario = 'forecast') THEN 'forecast' ELSE 'budget' END AS basis
              FROM periods GROUP BY fiscal_year),
            windowed AS (
              SELECT y.fiscal_year, u.source, sum(b.cost) AS cost, sum(u.units) AS units, string_agg(CAST(wy.fiscal_year AS VARCHAR), ', ' ORDER BY wy.fiscal_year) AS years
              FROM fee_years y CROSS JOIN (VALUES {offsets}) o(offset_years)
              JOIN fee_years wy ON wy.fiscal_year = y.fiscal_year + o.offset_years
              JOIN units u ON u.fiscal_year = wy.fiscal_year AND u.scenario = wy.basis
              JOIN bound b ON b.fiscal_year = wy.fiscal_year AND b.scenario = wy.basis
              WHERE {isThreeYear}
              GROUP BY y.fiscal_year, u.source),
            charged AS (
              SELECT w.*, u.units AS charged, (2 * w.cost * 1000000 + w.units) // (2 * w.units) AS price
              FROM windowed w JOIN fee_years y USING (fiscal_year) JOIN units u ON u.fiscal_year = y.fiscal_year AND u.scenario = y.basis AND u.source = w.source)
            SELECT '{ModelManifest.FileName}', {manifest.ThreeYearWindowLine}, 'threeYearWindow',
                   'the three-year fees of ' || c.source || ' in fiscal year ' || c.fiscal_year || ' can reach ' || {Sek("c.charged * c.price // 1000000")}
                   || ' SEK: its ' || {Quantity("c.charged")} || ' units at a price of up to ' || {Sek("c.price")} || ' SEK from ' || c.years
                   || ', a window without the fee year; a sum the engine computes holds at most ' || {Sek(MaxOre.ToString(CultureInfo.InvariantCulture))} || ' SEK ({Reference})'
            FROM charged c WHERE c.charged * c.price // 1000000 > {MaxOre}
            """);
    }

    private static string Sek(string ore) =>
        $"(CAST(CAST({ore} AS HUGEINT) // 100 AS VARCHAR) || '.' || lpad(CAST(CAST({ore} AS HUGEINT) % 100 AS VARCHAR), 2, '0'))";

    private static string Quantity(string millionths) =>
        $"(CAST(CAST({millionths} AS HUGEINT) // 1000000 AS VARCHAR) || '.' || lpad(CAST(CAST({millionths} AS HUGEINT) % 1000000 AS VARCHAR), 6, '0'))";
}
