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

    private static string Sek(string ore) =>
        $"(CAST(CAST({ore} AS HUGEINT) // 100 AS VARCHAR) || '.' || lpad(CAST(CAST({ore} AS HUGEINT) % 100 AS VARCHAR), 2, '0'))";

    private static string Quantity(string millionths) =>
        $"(CAST(CAST({millionths} AS HUGEINT) // 1000000 AS VARCHAR) || '.' || lpad(CAST(CAST({millionths} AS HUGEINT) % 1000000 AS VARCHAR), 6, '0'))";
}
