using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Allocation;

/// <summary>
/// Reciprocal allocation of the objects on one rule cycle (docs/model-format.md §3.2), per fiscal year, scenario
/// and cost pool: each object's full cost <c>X_j = B_j + Σ_i X_i·w_ij/W_i</c> over the cycle's objects, solved
/// exactly; each then delivers <c>X_j·w_jt/W_j</c> to every target off the cycle, and those deliveries are
/// rounded together to öre so that they sum exactly to the cycle's <c>Σ B</c>.
/// </summary>
/// <remarks>
/// An object of the cycle whose weights sum to 0 in the period (<c>W = 0</c>) delivers nothing: it keeps its
/// balance and whatever it receives (<c>no-volume</c>, §3.4), so for the system it is off the cycle. With
/// <c>Y_i = X_i/W_i</c> the system has integer coefficients, <c>W_j·Y_j − Σ_i w_ij·Y_i = B_j</c>, and a delivery
/// is <c>Y_i·w_it</c>; it is solved by Gauss–Jordan elimination over big-integer fractions, one right-hand side
/// per cost pool. It is singular exactly when some of the objects deliver only among themselves (nothing leaves
/// them): <see cref="Closed"/> finds them.
/// </remarks>
internal static class CycleSolver
{
    /// <summary>A rounded delivery that leaves a cycle.</summary>
    public readonly record struct Delivery(string Source, string Target, string CostPool, long Amount);

    /// <summary>
    /// The objects of <paramref name="weights"/>' sources (those with W &gt; 0) from which no chain of positive
    /// weights leads to a target that is no such source: money on them would circle for ever. Ordinal order.
    /// </summary>
    public static List<string> Closed(IReadOnlyDictionary<string, Dictionary<string, long>> weights)
    {
        var open = new HashSet<string>(weights.Where(s => s.Value.Keys.Any(t => !weights.ContainsKey(t))).Select(s => s.Key), StringComparer.Ordinal);
        bool grown;
        do
        {
            grown = false;
            foreach (var (source, targets) in weights)
            {
                if (!open.Contains(source) && targets.Keys.Any(open.Contains))
                {
                    open.Add(source);
                    grown = true;
                }
            }
        }
        while (grown);
        return [.. weights.Keys.Where(s => !open.Contains(s)).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Solves one cycle in one fiscal year and scenario. <paramref name="weights"/>: each object of the cycle with
    /// W &gt; 0 and its positive weights; <paramref name="balances"/>: (object, pool) → B of those objects, non-zero.
    /// </summary>
    /// <exception cref="TbmException">Some objects deliver only among themselves (<see cref="TbmErrorKind.Model"/>).</exception>
    public static List<Delivery> Solve(int fiscalYear, string scenario, IReadOnlyDictionary<string, Dictionary<string, long>> weights, IReadOnlyDictionary<(string Object, string Pool), long> balances)
    {
        var closed = Closed(weights);
        if (closed.Count > 0)
        {
            throw new TbmException(TbmErrorKind.Model, SingularMessage(fiscalYear, scenario, closed));
        }

        var members = weights.Keys.Order(StringComparer.Ordinal).ToList();
        var position = members.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        var pools = balances.Keys.Select(k => k.Pool).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var n = members.Count;

        // Row j: W_j·Y_j − Σ_i w_ij·Y_i = B_j (pool by pool, one column each).
        var rows = new Rational[n][];
        for (var j = 0; j < n; j++)
        {
            rows[j] = new Rational[n + pools.Count];
            Array.Fill(rows[j], Rational.Zero);
            for (var p = 0; p < pools.Count; p++)
            {
                rows[j][n + p] = Rational.Whole(balances.GetValueOrDefault((members[j], pools[p])));
            }
        }

        foreach (var (source, targets) in weights)
        {
            var i = position[source];
            rows[i][i] += Rational.Whole(targets.Values.Aggregate(BigInteger.Zero, (sum, w) => sum + w));
            foreach (var (target, w) in targets)
            {
                if (position.TryGetValue(target, out var j))
                {
                    rows[j][i] -= Rational.Whole(w);
                }
            }
        }

        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).FirstOrDefault(r => rows[r][c].Sign != 0, -1);
            if (pivot < 0)
            {
                throw new InvalidOperationException($"the cycle {string.Join(", ", members)} has a singular system that Closed did not find (a bug)");
            }

            (rows[c], rows[pivot]) = (rows[pivot], rows[c]);
            var head = rows[c][c];
            for (var k = c; k < rows[c].Length; k++)
            {
                rows[c][k] /= head;
            }

            for (var r = 0; r < n; r++)
            {
                if (r != c && rows[r][c].Sign != 0)
                {
                    var factor = rows[r][c];
                    for (var k = c; k < rows[r].Length; k++)
                    {
                        rows[r][k] -= factor * rows[c][k];
                    }
                }
            }
        }

        var deliveries = new List<Delivery>();
        for (var p = 0; p < pools.Count; p++)
        {
            var exact = new List<(string Source, string Target, Rational Amount)>();
            foreach (var source in members)
            {
                var y = rows[position[source]][n + p];
                foreach (var (target, w) in weights[source].OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    if (!position.ContainsKey(target))
                    {
                        exact.Add((source, target, y * Rational.Whole(w)));
                    }
                }
            }

            var total = members.Aggregate(BigInteger.Zero, (sum, m) => sum + balances.GetValueOrDefault((m, pools[p])));
            foreach (var (source, target, amount) in Round(exact, total))
            {
                deliveries.Add(new Delivery(source, target, pools[p], amount));
            }
        }

        return deliveries;
    }

    /// <summary>The model error of a cycle that nothing leaves in a period.</summary>
    public static string SingularMessage(int fiscalYear, string scenario, IReadOnlyList<string> objects) =>
        string.Create(CultureInfo.InvariantCulture,
            $"in fiscal year {fiscalYear}, scenario {scenario}, {string.Join(", ", objects)} deliver only among themselves (every weight of theirs that is above 0 is to one another): nothing leaves their cycle, so their costs cannot be solved (reciprocal allocation, docs/model-format.md §3.2)");

    /// <summary>
    /// The exact deliveries leaving a cycle in one pool, to öre: each floored, then the öre left over (the total
    /// less the floors) one each to the largest fractional parts, ties to the smaller (source, target) ordinally.
    /// A negative total is rounded as the mirror image of the positive one (negated, rounded, negated back), as
    /// a step-down split of a credit is. Parts of 0 öre are left out.
    /// </summary>
    internal static List<(string Source, string Target, long Amount)> Round(List<(string Source, string Target, Rational Amount)> exact, BigInteger total)
    {
        var sign = total.Sign < 0 ? -1 : 1;
        var parts = exact.Select(e =>
        {
            var value = sign < 0 ? -e.Amount : e.Amount;
            var floor = value.Floor();
            return (e.Source, e.Target, Floor: floor, Fraction: value - Rational.Whole(floor));
        }).ToList();
        var leftover = BigInteger.Abs(total) - parts.Aggregate(BigInteger.Zero, (s, p) => s + p.Floor);
        if (leftover.Sign < 0 || leftover > parts.Count)
        {
            throw new InvalidOperationException($"a cycle's deliveries do not sum to its balance ({leftover} öre left over for {parts.Count} deliveries; a bug)");
        }

        var order = Enumerable.Range(0, parts.Count)
            .OrderByDescending(i => parts[i].Fraction)
            .ThenBy(i => parts[i].Source, StringComparer.Ordinal)
            .ThenBy(i => parts[i].Target, StringComparer.Ordinal)
            .ToList();
        var extra = new bool[parts.Count];
        for (var k = 0; k < (int)leftover; k++)
        {
            extra[order[k]] = true;
        }

        return [.. parts.Select((p, i) => (p.Source, p.Target, Amount: checked(sign * (long)(p.Floor + (extra[i] ? 1 : 0)))))
            .Where(p => p.Amount != 0)];
    }

    /// <summary>
    /// Allocates every cycle of a unit (§3.2): reads their balances and weights, solves each (year, scenario,
    /// cycle), and writes the rounded deliveries into <c>deliveries</c> and, for non-tenant targets, <c>balance</c>;
    /// the balances of the cycles' objects with W &gt; 0 are emptied. Needs <c>allocation_units</c>.
    /// </summary>
    public static void AllocateUnit(DuckDBConnection connection, int unit)
    {
        var u = unit.ToString(CultureInfo.InvariantCulture);
        var balances = connection.Query(
            $"""
            SELECT b.fiscal_year, b.scenario, a.cycle, b.object, b.cost_pool, CAST(sum(b.amount) AS BIGINT)
            FROM balance b JOIN allocation_units a ON a.source = b.object
            WHERE a.unit = {u} AND a.cycle IS NOT NULL
            GROUP BY ALL HAVING sum(b.amount) <> 0
            """,
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Cycle: r.GetInt32(2), Object: r.GetString(3), Pool: r.GetString(4), Amount: r.GetInt64(5)));
        var weights = connection.Query(
            $"""
            SELECT w.fiscal_year, w.scenario, a.cycle, w.source, w.target, w.w
            FROM weights w JOIN allocation_units a ON a.source = w.source
            WHERE a.unit = {u} AND a.cycle IS NOT NULL AND w.w > 0
            """,
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Cycle: r.GetInt32(2), Source: r.GetString(3), Target: r.GetString(4), W: r.GetInt64(5)));
        var weightsOf = weights.ToLookup(w => (w.Year, w.Scenario, w.Cycle));

        connection.Execute("CREATE OR REPLACE TEMP TABLE cycle_moves (fiscal_year INTEGER, scenario VARCHAR, source VARCHAR, target VARCHAR, cost_pool VARCHAR, amount BIGINT)");
        using (var appender = connection.CreateAppender("cycle_moves"))
        {
            foreach (var group in balances.GroupBy(b => (b.Year, b.Scenario, b.Cycle)).OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Cycle))
            {
                var system = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
                foreach (var w in weightsOf[group.Key])
                {
                    if (!system.TryGetValue(w.Source, out var targets))
                    {
                        system[w.Source] = targets = new Dictionary<string, long>(StringComparer.Ordinal);
                    }

                    targets[w.Target] = w.W;
                }

                var active = group.Where(b => system.ContainsKey(b.Object)).ToDictionary(b => (b.Object, b.Pool), b => b.Amount);
                if (active.Count == 0)
                {
                    continue;
                }

                foreach (var d in Solve(group.Key.Year, group.Key.Scenario, system, active))
                {
                    appender.CreateRow().AppendValue(group.Key.Year).AppendValue(group.Key.Scenario).AppendValue(d.Source).AppendValue(d.Target)
                        .AppendValue(d.CostPool).AppendValue(d.Amount).EndRow();
                }
            }
        }

        connection.Execute("INSERT INTO deliveries SELECT * FROM cycle_moves");
        connection.Execute($"""
            DELETE FROM balance b
            WHERE b.object IN (SELECT source FROM allocation_units WHERE unit = {u} AND cycle IS NOT NULL)
              AND EXISTS (SELECT 1 FROM weight_totals t WHERE t.total > 0 AND t.fiscal_year = b.fiscal_year AND t.scenario = b.scenario AND t.source = b.object)
            """);
        connection.Execute("""
            INSERT INTO balance
            SELECT fiscal_year, scenario, target, cost_pool, CAST(sum(amount) AS BIGINT)
            FROM cycle_moves m
            WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = m.target)
            GROUP BY ALL
            """);
        connection.Execute("DROP TABLE cycle_moves");
    }
}
