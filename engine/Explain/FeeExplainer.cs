using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Explain;

/// <summary>
/// Where the explainer reads a run's tables: the read API from its in-memory copies, the command line
/// straight from the run folder's Parquet files (<see cref="RunFolderTables"/>).
/// </summary>
public interface IRunTableSource
{
    /// <summary>A DuckDB table expression for a table of the run (<c>fees</c>, <c>trail/deliveries</c> …).</summary>
    string Table(string name);

    /// <summary>Runs a small query with positional parameters and maps each row.</summary>
    List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters);
}

/// <summary>A run folder's tables, read from its Parquet files on a private connection per query.</summary>
public sealed class RunFolderTables(RunFolder run) : IRunTableSource
{
    /// <inheritdoc/>
    public string Table(string name) => run.Table(name);

    /// <inheritdoc/>
    public List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters) => run.Query(sql, map, parameters);
}

/// <summary>How a tenant's fee for a service came about.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Service">The service (or tower) that charged the fee.</param>
/// <param name="ServiceName">Its name.</param>
/// <param name="FiscalYear">The fiscal year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Amount">The fee: the sum of <paramref name="ByCostPool"/>, and of <paramref name="Origins"/>.</param>
/// <param name="TenantsOfService">How many tenants the service charged in the period.</param>
/// <param name="ByCostPool">The fee by cost pool.</param>
/// <param name="Steps">Every move of an allocation rule that carried part of this fee, in step order.</param>
/// <param name="Origins">The ledger accounts and cost centres the fee came from, on the object the ledger was mapped to; amounts sum exactly to the fee.</param>
public sealed record FeeExplanation(
    string RunId, string Tenant, string Service, string ServiceName, int FiscalYear, string Scenario, decimal Amount, int TenantsOfService,
    IReadOnlyList<PoolAmount> ByCostPool, IReadOnlyList<ExplanationStep> Steps, IReadOnlyList<ExplanationOrigin> Origins)
{
    /// <summary>
    /// Quantity × unit price, the line a controller checks first: present when the service split its cost by a
    /// driver key (a <c>driver</c> rule) and the tenant had a quantity of it; <see langword="null"/> for
    /// <c>even</c>, <c>fixed</c> and <c>direct</c> rules, which have no unit price.
    /// </summary>
    public ExplanationPrice? Price { get; init; }
}

/// <summary>The tenant's quantity of a service, its unit price and the fee (docs/model-format.md §3.2, §3.6).</summary>
/// <param name="Driver">The key the service's rule split its cost by.</param>
/// <param name="Unit">The service's unit, when the package names one.</param>
/// <param name="Quantity">The tenant's quantity of the key in the period: its own figure, always shown.</param>
/// <param name="Units">Every tenant's quantity of the service together (<c>prices.units</c>); for a tenant: when the disclosure policy shows the service.</param>
/// <param name="Cost">What the service delivered to tenants (<c>prices.cost</c>); likewise.</param>
/// <param name="UnitPrice">Cost ÷ units, rounded half away from zero to öre (<c>prices.unit_price</c>); likewise: a service-level figure.</param>
/// <param name="Priced">Quantity × unit price, rounded half away from zero to öre; shown with the unit price.</param>
/// <param name="Amount">The fee (the sum of the tenant's parts of the split, in every cost pool).</param>
/// <param name="Difference">
/// Fee − quantity × unit price, shown with the unit price. Not zero when the unit price's rounding, times the
/// quantity, adds up to öre, or when the split placed a remainder öre (largest remainder, per cost pool) on
/// this tenant or on another: the fee is the exact share cost × quantity ÷ units with the split's remainder.
/// </param>
public sealed record ExplanationPrice(
    string Driver, string? Unit, decimal Quantity, decimal? Units, decimal? Cost, decimal? UnitPrice, decimal? Priced, decimal Amount, decimal? Difference);

/// <summary>An amount of one cost pool.</summary>
public sealed record PoolAmount(string CostPool, decimal Amount);

/// <summary>A rule's move from a source to a target in one cost pool.</summary>
/// <param name="Step">The rule's step.</param>
/// <param name="Source">The object the rule emptied.</param>
/// <param name="SourceName">Its name.</param>
/// <param name="Method">driver, even, fixed or direct.</param>
/// <param name="Driver">The key of a driver rule.</param>
/// <param name="Target">Where the money went.</param>
/// <param name="TargetName">Its name.</param>
/// <param name="CostPool">The cost pool (kept through every step).</param>
/// <param name="Delivered">All the rule moved from source to target in this pool (for a tenant: when the disclosure policy shows the target).</param>
/// <param name="Share">Delivered ÷ everything the source moved in this pool (for a tenant: when the policy shows source and target).</param>
/// <param name="AmountInFee">The part of this move that ends in the fee (rounded to öre).</param>
public sealed record ExplanationStep(
    int? Step, string Source, string SourceName, string? Method, string? Driver, string Target, string TargetName, string CostPool,
    decimal? Delivered, decimal? Share, decimal AmountInFee);

/// <summary>Ledger lines (one account and cost centre) on the object they were mapped to, and their part of the fee.</summary>
/// <param name="Object">The object the mapping sent the lines to.</param>
/// <param name="ObjectName">Its name.</param>
/// <param name="ObjectKind">tower, service or other.</param>
/// <param name="CostPool">The cost pool of the account.</param>
/// <param name="Account">The ledger account.</param>
/// <param name="CostCenter">The cost centre.</param>
/// <param name="LedgerAmount">The lines' whole amount (for a tenant: when the disclosure policy shows the object).</param>
/// <param name="Share">The fraction of it that ends in this fee (likewise: with the fee part it gives the whole amount).</param>
/// <param name="Amount">Its part of the fee, in öre exactly: the origins sum to the fee.</param>
public sealed record ExplanationOrigin(
    string Object, string ObjectName, string ObjectKind, string CostPool, int Account, string CostCenter, decimal? LedgerAmount, decimal? Share, decimal Amount);

/// <summary>
/// Explains a fee from the run's audit trail (<c>trail/deliveries</c>, <c>trail/mapped_lines</c>):
/// which rules moved the money, in what shares, back to the cost pools, objects, ledger accounts and
/// cost centres it came from.
/// </summary>
/// <remarks>
/// The cost pool is kept through every step, so each pool is a separate flow. A rule moves an object's
/// whole balance in a pool at once, so the fraction of an object's balance that ends in the fee is
/// <c>f(service) = fee ÷ moved(service)</c> and, upstream, <c>f(o) = Σ moved(o→t) ÷ moved(o) · f(t)</c>
/// over the targets on the way to the service. A ledger line mapped to <c>o</c> then contributes
/// <c>amount · f(o)</c>. These are exact fractions (big integers); their sum is the fee exactly, and the
/// öre are placed by largest remainder (ties to the smaller key) so the rounded origins still sum to
/// the fee. The attribution is proportional: money is fungible inside an object's balance, and this is
/// the one attribution consistent with every share the rules applied.
/// </remarks>
public static class FeeExplainer
{
    /// <summary>Explains a tenant's fee for a service in a period, or <see langword="null"/> when it has none there.</summary>
    /// <param name="folder">The run.</param>
    /// <param name="tables">Where its tables are read.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="service">The service (or a tower charging tenants directly).</param>
    /// <param name="fiscalYear">The fiscal year; <see langword="null"/>: the latest with this fee.</param>
    /// <param name="scenario">The scenario; <see langword="null"/>: the best-known (actual, forecast, budget).</param>
    /// <param name="forTenantReader">A tenant will read it: figures that are not its own are shown as <see cref="Access.Disclosure"/> allows.</param>
    public static FeeExplanation? Explain(RunFolder folder, IRunTableSource tables, string tenant, string service, int? fiscalYear, string? scenario, bool forTenantReader)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(tables);
        var fees = tables.Table("fees");

        // Default period: the latest year the tenant was charged for the service, in its best-known scenario.
        var periods = tables.Query(
            $"SELECT fiscal_year, scenario FROM {fees} WHERE tenant = ? AND service = ? GROUP BY ALL",
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1)), tenant, service);
        var candidates = periods.Where(p => (fiscalYear is null || p.Year == fiscalYear) && (scenario is null || p.Scenario == scenario))
            .OrderByDescending(p => p.Year).ThenBy(p => p.Scenario switch { "actual" => 0, "forecast" => 1, _ => 2 }).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var (year, chosen) = candidates[0];
        var deliveries = tables.Query(
            $"SELECT source, target, cost_pool, CAST(amount * 100 AS BIGINT) FROM {tables.Table("trail/deliveries")} WHERE fiscal_year = ? AND scenario = ?",
            r => (Source: r.GetString(0), Target: r.GetString(1), Pool: r.GetString(2), Ore: Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)),
            year, chosen);
        var tenantsOfService = tables.Query(
            $"SELECT count(DISTINCT tenant) FROM {fees} WHERE fiscal_year = ? AND scenario = ? AND service = ?",
            r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), year, chosen, service)[0];
        // Of figures that are not the tenant's own, a tenant sees those of the objects the disclosure policy shows.
        bool Shown(string objectId) => !forTenantReader || objectId == tenant || folder.Disclosure.IsVisible(year, chosen, objectId);

        var moved = deliveries.GroupBy(d => (d.Source, d.Pool)).ToDictionary(g => g.Key, g => g.Sum(d => d.Ore));

        // Reciprocal allocation (§3.2): the objects of a rule cycle that deliver in the period (W > 0) are one node here.
        // The trail holds only what left the cycle, and what left it is exactly what came into them (their ledger lines
        // and what they received from off the cycle), so the cycle's whole balance is attributed in proportion, as an
        // object's is. An object of the cycle with W = 0 keeps what it receives: a node of its own that moves nothing.
        var cycleOf = CycleNodes(folder, tables, year, chosen);
        string Node(string objectId) => cycleOf.GetValueOrDefault(objectId, objectId);
        var movedByNode = deliveries.GroupBy(d => (Node(d.Source), d.Pool)).ToDictionary(g => g.Key, g => g.Sum(d => d.Ore));
        var into = deliveries.ToLookup(d => (Node(d.Target), d.Pool));
        var fractions = new Dictionary<(string Object, string Pool), Fraction>();
        var carried = new Dictionary<(string Source, string Target, string Pool), Fraction>();
        var byPool = new List<(string Pool, long Fee)>();
        foreach (var final in deliveries.Where(d => d.Source == service && d.Target == tenant).OrderBy(d => d.Pool, StringComparer.Ordinal))
        {
            byPool.Add((final.Pool, final.Ore));
            carried[(final.Source, final.Target, final.Pool)] = Fraction.Of(final.Ore, 1);
            Walk(Node(final.Source), final.Pool, Fraction.Of(final.Ore, movedByNode[(Node(final.Source), final.Pool)]));
        }

        foreach (var members in cycleOf.GroupBy(c => c.Value, c => c.Key))
        {
            foreach (var pool in fractions.Keys.Where(k => k.Object == members.Key).Select(k => k.Pool).ToList())
            {
                var fraction = fractions[(members.Key, pool)];
                foreach (var member in members)
                {
                    fractions[(member, pool)] = fraction;
                }
            }
        }

        // Upstream of the service, path by path (the graph of nodes is acyclic and a few steps deep): the part
        // of each node's balance that ends in the fee, and the part of each move that carried it.
        void Walk(string node, string pool, Fraction fraction)
        {
            fractions[(node, pool)] = fractions.TryGetValue((node, pool), out var known) ? known + fraction : fraction;
            foreach (var edge in into[(node, pool)])
            {
                var key = (edge.Source, edge.Target, pool);
                var part = fraction * edge.Ore;
                carried[key] = carried.TryGetValue(key, out var before) ? before + part : part;
                Walk(Node(edge.Source), pool, Fraction.Of(edge.Ore, movedByNode[(Node(edge.Source), pool)]) * fraction);
            }
        }

        var steps = carried
            .Select(c =>
            {
                var (source, target, pool) = c.Key;
                var delivered = deliveries.First(d => d.Source == source && d.Target == target && d.Pool == pool).Ore;
                var rule = folder.Rules.GetValueOrDefault(source);
                return new ExplanationStep(rule?.Step, source, folder.Object(source).Name, rule?.Method, rule?.Driver, target,
                    target == tenant ? folder.Tenant(tenant).Name : folder.Object(target).Name, pool,
                    Shown(target) ? Sek(delivered) : null,
                    Shown(source) && Shown(target) ? decimal.Round((decimal)delivered / moved[(source, pool)], 6) : null,
                    Sek(c.Value.RoundedOre()));
            })
            .OrderBy(s => s.Step ?? int.MaxValue).ThenBy(s => s.Source, StringComparer.Ordinal).ThenBy(s => s.Target, StringComparer.Ordinal).ThenBy(s => s.CostPool, StringComparer.Ordinal)
            .ToList();

        var origins = Origins(folder, tables, year, chosen, fractions, byPool, Shown);
        var fee = byPool.Sum(p => p.Fee);
        return new FeeExplanation(folder.RunId, tenant, service, folder.Object(service).Name, year, chosen, Sek(fee), tenantsOfService,
            [.. byPool.Select(p => new PoolAmount(p.Pool, Sek(p.Fee)))], steps, origins)
        {
            Price = Price(folder, tables, tenant, service, year, chosen, fee, Shown(service)),
        };
    }

    /// <summary>
    /// The tenant's quantity of the service's driver key (<c>model/drivers</c>, in millionths), the service's unit
    /// price of the period (<c>prices</c>) and quantity × unit price, computed in integers as the engine prices
    /// (half away from zero to öre, 128-bit); <see langword="null"/> when the service has no driver rule or no price.
    /// </summary>
    private static ExplanationPrice? Price(RunFolder folder, IRunTableSource tables, string tenant, string service, int year, string scenario, long fee, bool shown)
    {
        if (folder.Rules.GetValueOrDefault(service) is not { Method: "driver", Driver: { } driver } || !folder.Has("model/drivers") || !folder.Has("prices"))
        {
            return null;
        }

        var prices = tables.Query(
            $"SELECT CAST(round(units * 1000000) AS BIGINT), CAST(round(cost * 100) AS BIGINT), CAST(round(unit_price * 100) AS BIGINT) FROM {tables.Table("prices")} WHERE fiscal_year = ? AND scenario = ? AND service = ?",
            r => (Units: Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Cost: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), UnitPrice: Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)),
            year, scenario, service);
        if (prices.Count == 0)
        {
            return null;
        }

        // A listed target without a row for the key weighs 0 (§1.4); the tenant has a fee, so it is a target.
        var quantity = tables.Query(
            $"SELECT CAST(quantity AS BIGINT) FROM {tables.Table("model/drivers")} WHERE fiscal_year = ? AND scenario = ? AND driver = ? AND target = ?",
            r => Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), year, scenario, driver, tenant).FirstOrDefault();
        var (units, cost, unitPrice) = prices[0];
        var product = (Int128)quantity * unitPrice;
        var priced = (long)(Int128.Sign(product) * ((Int128.Abs(product) * 2 + 1_000_000) / 2_000_000));
        return new ExplanationPrice(driver, folder.Object(service).Unit, Quantity(quantity),
            shown ? Quantity(units) : null, shown ? Sek(cost) : null, shown ? Sek(unitPrice) : null,
            shown ? Sek(priced) : null, Sek(fee), shown ? Sek(fee - priced) : null);
    }

    /// <summary>A quantity from millionths, in its shortest exact form (<c>1.5</c>, <c>3</c>).</summary>
    private static decimal Quantity(long millionths) => millionths / 1_000_000m / 1.000000000000000000000000000000000m;

    private static List<ExplanationOrigin> Origins(
        RunFolder folder, IRunTableSource tables, int year, string scenario, Dictionary<(string Object, string Pool), Fraction> fractions, List<(string Pool, long Fee)> byPool, Func<string, bool> shown)
    {
        var objects = fractions.Keys.Select(k => k.Object).Distinct(StringComparer.Ordinal).ToList();
        if (objects.Count == 0)
        {
            return [];
        }

        var lines = tables.Query(
            $"""
            SELECT object, cost_pool, account, cost_center, CAST(sum(amount) * 100 AS BIGINT)
            FROM {tables.Table("trail/mapped_lines")}
            WHERE fiscal_year = ? AND scenario = ? AND object IN ({string.Join(", ", objects.Select(_ => "?"))})
            GROUP BY ALL HAVING sum(amount) <> 0
            """,
            r => (Object: r.GetString(0), Pool: r.GetString(1), Account: Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture), CostCenter: r.GetString(3),
                Ore: Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)),
            [year, scenario, .. objects]);

        var origins = new List<ExplanationOrigin>();
        foreach (var (pool, fee) in byPool)
        {
            // Exact contributions, then öre by largest remainder so that they sum to the pool's fee.
            var parts = lines.Where(l => l.Pool == pool && fractions.ContainsKey((l.Object, pool)))
                .Select(l => (Line: l, Exact: fractions[(l.Object, pool)] * l.Ore))
                .OrderBy(p => p.Line.Object, StringComparer.Ordinal).ThenBy(p => p.Line.Account).ThenBy(p => p.Line.CostCenter, StringComparer.Ordinal)
                .ToList();
            var floors = parts.Select(p => p.Exact.Floor()).ToArray();
            var leftover = fee - floors.Sum();
            var order = Enumerable.Range(0, parts.Count).OrderByDescending(i => parts[i].Exact - floors[i]).ThenBy(i => i).ToList();
            for (var k = 0; k < leftover && k < order.Count; k++)
            {
                floors[order[k]]++;
            }

            for (var i = 0; i < parts.Count; i++)
            {
                var (line, exact) = parts[i];
                var info = folder.Object(line.Object);
                origins.Add(new ExplanationOrigin(line.Object, info.Name, info.Kind, pool, line.Account, line.CostCenter,
                    shown(line.Object) ? Sek(line.Ore) : null,
                    shown(line.Object) ? decimal.Round(fractions[(line.Object, pool)].ToDecimal(), 6) : null,
                    Sek(floors[i])));
            }
        }

        return origins;
    }

    /// <summary>
    /// Each object on a cycle of the run's rule graph (from its model snapshot) whose weights in the period sum to more
    /// than 0 → the first such object of its cycle; empty for a step-down run (it has no cycles) and for a run without
    /// the snapshot.
    /// </summary>
    private static Dictionary<string, string> CycleNodes(RunFolder folder, IRunTableSource tables, int year, string scenario)
    {
        if (!folder.Has("model/rules") || !folder.Has("model/rule_targets") || !folder.Has("model/drivers"))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var edges = folder.Rules.Keys.ToDictionary(s => s, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (source, target) in tables.Query(
            $"""
            SELECT t.source, t.target FROM {tables.Table("model/rule_targets")} t
            UNION
            SELECT r.source, d.target FROM {tables.Table("model/rules")} r JOIN (SELECT DISTINCT driver, target FROM {tables.Table("model/drivers")}) d ON d.driver = r.driver
            WHERE r.method = 'driver' AND r.source NOT IN (SELECT source FROM {tables.Table("model/rule_targets")})
            ORDER BY 1, 2
            """,
            r => (r.GetString(0), r.GetString(1))))
        {
            edges.GetValueOrDefault(source)?.Add(target);
        }

        var graph = Allocation.RuleCycles.Of(edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value, StringComparer.Ordinal));
        if (graph.Cycles.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var targets = tables.Table("model/rule_targets");
        var delivering = tables.Query(
            $"""
            SELECT source FROM {tables.Table("model/rules")} WHERE method <> 'driver'
            UNION
            SELECT r.source FROM {tables.Table("model/rules")} r JOIN {tables.Table("model/drivers")} d ON d.driver = r.driver
            WHERE r.method = 'driver' AND d.fiscal_year = ? AND d.scenario = ? AND d.quantity > 0
              AND (r.source NOT IN (SELECT source FROM {targets}) OR d.target IN (SELECT t.target FROM {targets} t WHERE t.source = r.source))
            """,
            r => r.GetString(0), year, scenario).ToHashSet(StringComparer.Ordinal);
        return graph.Cycles
            .Select(c => c.Members.Where(delivering.Contains).ToList())
            .Where(active => active.Count > 0)
            .SelectMany(active => active.Select(m => (Member: m, Node: active[0])))
            .ToDictionary(x => x.Member, x => x.Node, StringComparer.Ordinal);
    }

    /// <summary>Kronor with two decimals always (a decimal's scale is part of its JSON text).</summary>
    private static decimal Sek(long ore) => decimal.Round(ore / 100m, 2) + 0.00m;

    /// <summary>An exact non-negative-denominator fraction of big integers.</summary>
    private readonly record struct Fraction(BigInteger Numerator, BigInteger Denominator) : IComparable<Fraction>
    {
        public static Fraction Of(long numerator, long denominator) => Reduce(numerator, denominator);

        public static Fraction operator +(Fraction a, Fraction b) => Reduce(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

        public static Fraction operator -(Fraction a, long b) => Reduce(a.Numerator - b * a.Denominator, a.Denominator);

        public static Fraction operator *(Fraction a, Fraction b) => Reduce(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

        public static Fraction operator *(Fraction a, long b) => Reduce(a.Numerator * b, a.Denominator);

        public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;

        public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;

        public static bool operator <=(Fraction a, Fraction b) => a.CompareTo(b) <= 0;

        public static bool operator >=(Fraction a, Fraction b) => a.CompareTo(b) >= 0;

        public int CompareTo(Fraction other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

        /// <summary>The largest whole number not above the fraction.</summary>
        public long Floor() => (long)BigInteger.Divide(Numerator - (Numerator.Sign < 0 ? Denominator - 1 : 0), Denominator);

        /// <summary>Rounded half away from zero to a whole number (öre).</summary>
        public long RoundedOre()
        {
            var twice = BigInteger.Abs(Numerator) * 2 + Denominator;
            var magnitude = (long)(twice / (2 * Denominator));
            return Numerator.Sign < 0 ? -magnitude : magnitude;
        }

        public decimal ToDecimal() => (decimal)(Numerator * 1_000_000_000 / Denominator) / 1_000_000_000m;

        private static Fraction Reduce(BigInteger numerator, BigInteger denominator)
        {
            if (denominator.Sign < 0)
            {
                numerator = -numerator;
                denominator = -denominator;
            }

            var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
            return gcd.IsZero || gcd.IsOne ? new Fraction(numerator, denominator) : new Fraction(numerator / gcd, denominator / gcd);
        }
    }
}
