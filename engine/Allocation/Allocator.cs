using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Allocation;

/// <summary>
/// docs/model-format.md §3.1–3.5 as SQL: the ledger is aggregated first (<c>ledger_groups</c>, see
/// <c>CellRules.DefineLedgerGroups</c>), mapped to objects and cost pools,
/// then allocated step by step. Rules of one step cannot feed each other (validation guarantees every
/// target runs strictly later), so each step is one set-based statement over all years, scenarios,
/// sources and pools at once, and the number of round trips is the number of steps. Under reciprocal
/// allocation (§3.2.1) the units of the rule graph take the steps' place, and each unit's cycles are solved
/// in C# (<see cref="CycleSolver"/>), their rounded deliveries appended back as one set.
/// </summary>
/// <remarks>
/// Tables left behind for the later stages: <c>periods</c> (ledger total per fiscal year and scenario),
/// <c>cost_lines</c> (aggregated ledger), <c>mapped_lines</c> (each aggregated line with its object and
/// pool), <c>weights</c>, <c>deliveries</c> (every move of every rule), <c>fees</c>, <c>unallocated</c> and
/// <c>reconciliation</c>. <c>mapped_lines</c> and <c>deliveries</c> are the audit trail a fee is explained from.
/// </remarks>
internal static class Allocator
{
    public static void Run(DuckDBConnection connection, ModelManifest manifest, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        Map(connection, manifest, progress);
        Allocate(connection, manifest.Reciprocal, progress, cancellationToken);
    }

    /// <summary>§3.1: aggregate the cost lines and map them to objects and cost pools (<c>mapped_lines</c>).</summary>
    public static void Map(DuckDBConnection connection, ModelManifest manifest, IProgress<RunProgress>? progress)
    {
        MapKeys(connection, manifest, progress);
        connection.Execute("""
            CREATE TABLE mapped_lines AS
            SELECT c.fiscal_year, c.scenario, c.account, c.cost_center, c.project, coalesce(k.object, 'UNMAPPED') AS object, p.cost_pool, c.amount
            FROM cost_lines c
            LEFT JOIN mapped_keys k USING (account, cost_center, project)
            JOIN cost_pools p ON c.account BETWEEN p.account_from AND p.account_to
            """);
    }

    /// <summary>
    /// The first half of <see cref="Map"/>: <c>cost_lines</c>, <c>periods</c>, and <c>mapped_keys</c> (each distinct
    /// account, cost centre and project that a mapping row matches, with its object). Enough for a validation's
    /// warnings, which need not map every line.
    /// </summary>
    public static void MapKeys(DuckDBConnection connection, ModelManifest manifest, IProgress<RunProgress>? progress)
    {
        progress?.Report(new RunProgress("map", "aggregating and mapping the ledger"));
        connection.Execute($"""
            CREATE TABLE cost_lines AS
            SELECT fiscal_year, scenario, account, cost_center, project, amount, lines
            FROM ledger_groups l WHERE {ModelChecks.CostAccountPredicate(manifest, "l.account")}
            """);
        connection.Execute("""
            CREATE TABLE periods AS
            SELECT fiscal_year, scenario, CAST(sum(amount) AS BIGINT) AS ledger_total FROM cost_lines GROUP BY ALL
            """);

        // The lowest priority among the matching mapping rows wins; no match leaves the money on UNMAPPED.
        connection.Execute("""
            CREATE TABLE mapped_keys AS
            SELECT k.account, k.cost_center, k.project, arg_min(m.object_id, m.priority) AS object
            FROM (SELECT DISTINCT account, cost_center, project FROM cost_lines) k
            JOIN mapping m ON k.account BETWEEN m.account_from AND m.account_to
             AND (m.cost_center = '*' OR m.cost_center = k.cost_center)
             AND (m.project = '*' OR m.project = k.project)
            GROUP BY ALL
            """);
    }

    /// <summary>
    /// §3.2–3.5 from <c>mapped_lines</c>, the rules and the keys: <see cref="Weigh"/>, then <see cref="Move"/>.
    /// </summary>
    public static void Allocate(DuckDBConnection connection, bool reciprocal, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        Weigh(connection);
        Move(connection, reciprocal, progress, cancellationToken);
    }

    /// <summary>§3.2: every rule's weight per (year, scenario, source, target) in millionths (BIGINT), in <c>weights</c>.</summary>
    public static void Weigh(DuckDBConnection connection) =>
        connection.Execute("""
            CREATE OR REPLACE TABLE weights AS
            SELECT p.fiscal_year, p.scenario, r.source, t.target, t.weight AS w
            FROM rules r JOIN rule_targets t ON t.source = r.source CROSS JOIN periods p
            WHERE r.method <> 'driver'
            UNION ALL
            SELECT p.fiscal_year, p.scenario, r.source, t.target, coalesce(d.quantity, 0)
            FROM rules r JOIN rule_targets t ON t.source = r.source CROSS JOIN periods p
            LEFT JOIN drivers d ON d.fiscal_year = p.fiscal_year AND d.scenario = p.scenario AND d.driver = r.driver AND d.target = t.target
            WHERE r.method = 'driver'
            UNION ALL
            SELECT d.fiscal_year, d.scenario, r.source, d.target, d.quantity
            FROM rules r JOIN drivers d ON d.driver = r.driver
            JOIN periods p ON p.fiscal_year = d.fiscal_year AND p.scenario = d.scenario
            WHERE r.method = 'driver' AND NOT EXISTS (SELECT 1 FROM rule_targets t WHERE t.source = r.source)
            """);

    /// <summary>
    /// §3.3–3.5 by the <c>weights</c>: the balances moved step by step, then <c>fees</c>, <c>unallocated</c>
    /// and <c>reconciliation</c>. Every table it makes is replaced, so a quote can change the weights and
    /// move the money again without mapping the ledger again.
    /// </summary>
    /// <param name="connection">The database.</param>
    /// <param name="reciprocal">Whether <c>model.json</c> says <c>"allocation": "reciprocal"</c>: then the rules run in the
    /// order of the rule graph (<see cref="RuleCycles"/>) and the objects on a cycle are solved together (<see cref="CycleSolver"/>).</param>
    /// <param name="progress">Progress, per step.</param>
    /// <param name="cancellationToken">Stops the allocation between steps.</param>
    public static void Move(DuckDBConnection connection, bool reciprocal, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        connection.Execute("""
            CREATE OR REPLACE TABLE balance AS
            SELECT fiscal_year, scenario, object, cost_pool, CAST(sum(amount) AS BIGINT) AS amount FROM mapped_lines GROUP BY ALL
            """);
        // W per (year, scenario, source), and the greatest common divisor g of its weights: dividing w and W
        // by g changes neither q nor the order of r (r = g·r'), and keeps |b|·w/g within 64 bits nearly always.
        connection.Execute("""
            CREATE OR REPLACE TABLE weight_totals AS
            SELECT *, CASE WHEN g > 0 THEN total // g END AS reduced
            FROM (SELECT fiscal_year, scenario, source, sum(w) AS total, list_reduce(list(w), lambda x, y: gcd(x, y), CAST(0 AS BIGINT)) AS g
                  FROM weights GROUP BY ALL)
            """);
        connection.Execute("CREATE OR REPLACE TABLE deliveries (fiscal_year INTEGER, scenario VARCHAR, source VARCHAR, target VARCHAR, cost_pool VARCHAR, amount BIGINT)");

        if (reciprocal)
        {
            MoveReciprocal(connection, progress, cancellationToken);
        }
        else
        {
            var steps = connection.Query("SELECT DISTINCT step FROM rules ORDER BY step", r => r.GetInt32(0));
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new RunProgress("allocate", $"allocating step {step.ToString(CultureInfo.InvariantCulture)}"));
                AllocateStep(connection, $"SELECT source FROM rules WHERE step = {step.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        progress?.Report(new RunProgress("fees", "collecting fees and unallocated money"));
        // A source is allocated once, in one step, and names each target once, so a tenant receives at most
        // one non-zero move per (year, scenario, service, cost pool): its fees are its deliveries.
        connection.Execute("""
            CREATE OR REPLACE TABLE fees AS
            SELECT fiscal_year, scenario, target AS tenant, source AS service, cost_pool, amount
            FROM deliveries d WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = d.target)
            """);
        connection.Execute("""
            CREATE OR REPLACE TABLE unallocated AS
            SELECT b.fiscal_year, b.scenario, b.object, b.cost_pool,
                   CASE WHEN b.object = 'UNMAPPED' THEN 'unmapped' WHEN r.source IS NULL THEN 'no-rule' ELSE 'no-volume' END AS reason,
                   CAST(sum(b.amount) AS BIGINT) AS amount
            FROM balance b LEFT JOIN rules r ON r.source = b.object
            GROUP BY ALL HAVING sum(b.amount) <> 0
            """);
        connection.Execute("""
            CREATE OR REPLACE TABLE reconciliation AS
            SELECT p.fiscal_year, p.scenario, p.ledger_total,
                   coalesce(f.total, 0) AS allocated_total, coalesce(u.total, 0) AS unallocated_total,
                   CAST(p.ledger_total - coalesce(f.total, 0) - coalesce(u.total, 0) AS BIGINT) AS difference
            FROM periods p
            LEFT JOIN (SELECT fiscal_year, scenario, CAST(sum(amount) AS BIGINT) AS total FROM fees GROUP BY ALL) f USING (fiscal_year, scenario)
            LEFT JOIN (SELECT fiscal_year, scenario, CAST(sum(amount) AS BIGINT) AS total FROM unallocated GROUP BY ALL) u USING (fiscal_year, scenario)
            """);

        var broken = connection.Scalar<long>("SELECT count(*) FROM reconciliation WHERE difference <> 0");
        if (broken > 0)
        {
            throw new InvalidOperationException($"conservation failed in {broken} fiscal year/scenario pairs: the engine lost or created money (a bug; nothing was written)");
        }
    }

    /// <summary>
    /// §3.2 under <c>"allocation": "reciprocal"</c>: unit by unit of the rule graph (<see cref="RuleCycles"/>), the
    /// sources on no cycle are split as in the step-down (one statement a unit), then each cycle of the unit is solved.
    /// </summary>
    private static void MoveReciprocal(DuckDBConnection connection, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var graph = RuleCycles.Load(connection);
        connection.Execute("CREATE OR REPLACE TABLE allocation_units (source VARCHAR, unit INTEGER, cycle INTEGER)");
        using (var appender = connection.CreateAppender("allocation_units"))
        {
            foreach (var source in connection.Query("SELECT DISTINCT source FROM rules ORDER BY 1", r => r.GetString(0)))
            {
                var row = appender.CreateRow().AppendValue(source).AppendValue(graph.UnitOf(source));
                (graph.CycleOf(source) is { } cycle ? row.AppendValue(cycle) : row.AppendNullValue()).EndRow();
            }
        }

        var cyclic = graph.Cycles.Select(c => c.Unit).ToHashSet();
        for (var unit = 1; unit <= graph.Units; unit++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var u = unit.ToString(CultureInfo.InvariantCulture);
            progress?.Report(new RunProgress("allocate", $"allocating unit {u} of the rule graph"));
            AllocateStep(connection, $"SELECT source FROM allocation_units WHERE unit = {u} AND cycle IS NULL");
            if (cyclic.Contains(unit))
            {
                CycleSolver.AllocateUnit(connection, unit);
            }
        }
    }

    /// <summary>
    /// Moves every non-zero balance of the step's sources (<paramref name="sources"/>, a query of their ids) to their targets: q = |b|·w div W,
    /// r = |b|·w mod W in 128 bits; the |b| − Σq leftover öre go one each to the largest r, ties to
    /// the smaller target id; then the sign of b. Sources whose W is 0 keep their balance (no-volume).
    /// </summary>
    /// <remarks>
    /// w and W are divided by their greatest common divisor first (see <c>weight_totals</c>). Where |b|·w
    /// then fits in 63 bits (nearly always: keys in whole units leave w in units), q and r are 64-bit
    /// integer division. Otherwise 128 bits: DuckDB divides 128-bit integers bit by bit (about 1.5 µs a
    /// row), so the quotient is not divided out: it is estimated in floating point and then made exact
    /// with 128-bit multiplication and comparison only. The estimate of |b|·w/W (|b|, w &lt; 2^63) is
    /// within a few hundred of the quotient; one more floating-point step on the exact remainder brings it
    /// within one, and a last comparison makes 0 ≤ r &lt; W, which fixes q and r uniquely. Each split (year, scenario, source, pool) is
    /// numbered once, so the leftover öre are placed in windows over one integer rather than four keys, and
    /// only (split, target, q, r) goes through the window sort (the split's keys are joined back after); the
    /// moves go straight into <c>deliveries</c> and, for non-tenant targets, back into <c>balance</c> (a
    /// move of 0 öre changes no balance, so it is left out of both).
    /// </remarks>
    private static void AllocateStep(DuckDBConnection connection, string sources)
    {
        connection.Execute($"""
            INSERT INTO deliveries
            WITH sums AS (
              SELECT b.fiscal_year, b.scenario, b.object AS source, b.cost_pool, CAST(sum(b.amount) AS BIGINT) AS amount
              FROM balance b
              WHERE b.object IN ({sources})
              GROUP BY ALL HAVING sum(b.amount) <> 0),
            src AS MATERIALIZED (SELECT *, row_number() OVER () AS split FROM sums), -- once: the split numbers are joined back
            pairs AS (
              SELECT s.split, w.target, abs(s.amount) AS a, w.w // t.g AS w, t.reduced AS d,
                     t.reduced <= 9223372036854775807 AND w.w // t.g <= 9223372036854775807 // abs(s.amount) AS fits64
              FROM src s
              JOIN weight_totals t USING (fiscal_year, scenario, source)
              JOIN weights w USING (fiscal_year, scenario, source)
              WHERE t.total > 0 AND w.w > 0),
            fits AS (
              SELECT split, target, a * w // CAST(d AS BIGINT) AS q, CAST(a * w % CAST(d AS BIGINT) AS HUGEINT) AS r
              FROM pairs WHERE fits64),
            products AS (
              SELECT *, CAST(a AS HUGEINT) * w AS p,
                     CAST(floor(CAST(a AS DOUBLE) * CAST(w AS DOUBLE) / CAST(d AS DOUBLE)) AS HUGEINT) AS q0
              FROM pairs WHERE NOT fits64),
            corrected AS (
              SELECT *, q0 + CAST(floor(CAST(p - q0 * d AS DOUBLE) / CAST(d AS DOUBLE)) AS HUGEINT) AS q1 FROM products),
            exact AS (
              SELECT *, q1 + CASE WHEN p - q1 * d < 0 THEN -1 WHEN p - q1 * d >= d THEN 1 ELSE 0 END AS q2 FROM corrected),
            parts AS (
              SELECT * FROM fits
              UNION ALL
              SELECT split, target, CAST(q2 AS BIGINT), p - q2 * d FROM exact),
            ranked AS (
              SELECT split, target, q,
                     sum(q) OVER (PARTITION BY split) AS placed,
                     row_number() OVER (PARTITION BY split ORDER BY r DESC, target) AS place
              FROM parts)
            SELECT s.fiscal_year, s.scenario, s.source, k.target, s.cost_pool,
                   CAST(sign(s.amount) * (k.q + CASE WHEN k.place <= abs(s.amount) - k.placed THEN 1 ELSE 0 END) AS BIGINT) AS amount
            FROM ranked k JOIN src s USING (split)
            WHERE k.q > 0 OR k.place <= abs(s.amount) - k.placed
            """);
        connection.Execute($"""
            DELETE FROM balance b
            WHERE b.object IN ({sources})
              AND EXISTS (SELECT 1 FROM weight_totals t WHERE t.total > 0 AND t.fiscal_year = b.fiscal_year AND t.scenario = b.scenario AND t.source = b.object)
            """);
        connection.Execute($"""
            INSERT INTO balance
            SELECT fiscal_year, scenario, target, cost_pool, CAST(sum(amount) AS BIGINT)
            FROM deliveries m
            WHERE m.source IN ({sources})
              AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = m.target)
            GROUP BY ALL
            """);
    }
}
