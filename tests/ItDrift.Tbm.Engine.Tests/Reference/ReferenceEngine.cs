using System.Text.Json;

namespace ItDrift.Tbm.Tests.Reference;

/// <summary>
/// A plain, row-object implementation of docs/model-format.md §3 written from that text alone, used to check the
/// DuckDB engine and as the naive baseline in benchmarks.
/// </summary>
/// <remarks>
/// It reads a model package in CSV (the canonical dialect; the Swedish one is also understood) and assumes
/// the package is valid. Money is integer öre, splits are exact in 128-bit integers with the
/// largest-remainder rule. Only the single fee area <c>IT-drift</c> is supported.
/// </remarks>
public static class ReferenceEngine
{
    public const string Unmapped = "UNMAPPED";
    public const string DefaultFeeArea = "IT-drift";
    public const string Actual = "actual";

    private const long Micro = 1_000_000;

    /// <summary>Runs the model in <paramref name="modelDirectory"/> and returns each output CSV by file name.</summary>
    public static IReadOnlyDictionary<string, string> Run(string modelDirectory)
    {
        var model = Load(modelDirectory);
        return Compute(model);
    }

    /// <summary>The ledger's cost total per (fiscal year, scenario), straight from the cost lines.</summary>
    public static IReadOnlyDictionary<(int FiscalYear, string Scenario), long> LedgerCostTotals(string modelDirectory)
    {
        var model = Load(modelDirectory);
        return model.Ledger
            .Where(l => model.IsCostAccount(l.Account))
            .GroupBy(l => (l.FiscalYear, l.Scenario))
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
    }

    private static Dictionary<string, string> Compute(Model model)
    {
        var tenants = model.Tenants;
        var rulesInOrder = model.Rules
            .OrderBy(r => r.Step)
            .ThenBy(r => r.Source, StringComparer.Ordinal)
            .ToList();
        var ruleBySource = model.Rules.ToDictionary(r => r.Source, StringComparer.Ordinal);

        // Drivers per (fiscal_year, scenario, driver): target -> quantity in millionths.
        var drivers = model.Drivers
            .GroupBy(d => (d.FiscalYear, d.Scenario, d.Driver))
            .ToDictionary(g => g.Key, g => g.ToDictionary(d => d.Target, d => d.Quantity, StringComparer.Ordinal));

        // Step 1: map. Each distinct (account, cost centre, project) is mapped once.
        var costLines = model.Ledger.Where(l => model.IsCostAccount(l.Account)).ToList();
        var mappingByPriority = model.Mapping.OrderBy(m => m.Priority).ToList();
        var objectCache = new Dictionary<(long, string, string), string>();
        var poolCache = new Dictionary<long, string>();
        var mapped = new List<(int FiscalYear, string Scenario, string Object, string Pool, long Amount)>(costLines.Count);
        foreach (var line in costLines)
        {
            var key = (line.Account, line.CostCenter, line.Project);
            if (!objectCache.TryGetValue(key, out var obj))
            {
                obj = mappingByPriority.FirstOrDefault(m => m.Matches(line))?.ObjectId ?? Unmapped;
                objectCache[key] = obj;
            }

            if (!poolCache.TryGetValue(line.Account, out var pool))
            {
                pool = model.CostPools.First(p => p.From <= line.Account && line.Account <= p.To).Pool;
                poolCache[line.Account] = pool;
            }

            mapped.Add((line.FiscalYear, line.Scenario, obj, pool, line.Amount));
        }

        var fees = new List<FeeRow>();
        var unallocated = new List<UnallocatedRow>();
        var reconciliation = new List<string[]>();
        var prices = new List<string[]>();
        var ledgerTotals = new Dictionary<(int, string), long>();

        foreach (var period in mapped.GroupBy(m => (m.FiscalYear, m.Scenario)))
        {
            var (year, scenario) = period.Key;
            ledgerTotals[period.Key] = period.Sum(m => m.Amount);

            // Balance B[object, pool].
            var balance = period
                .GroupBy(m => (m.Object, m.Pool))
                .ToDictionary(g => g.Key, g => g.Sum(m => m.Amount));
            var periodFees = new Dictionary<(string Tenant, string Via, string Pool), long>();
            var noVolume = new HashSet<string>(StringComparer.Ordinal);

            // Step 2: allocate, rule by rule in (step, source) order; reciprocal: component by component of the rule graph.
            if (model.Reciprocal)
            {
                foreach (var component in ReciprocalOrder(model))
                {
                    if (component.Count == 1 && !StaticTargets(component[0], model).Contains(component[0].Source))
                    {
                        AllocateRule(component[0]);
                    }
                    else
                    {
                        AllocateCycle(component);
                    }
                }
            }
            else
            {
                foreach (var rule in rulesInOrder)
                {
                    AllocateRule(rule);
                }
            }

            void AllocateRule(Rule rule)
            {
                var targets = Targets(rule, year, scenario, drivers);
                var totalWeight = targets.Aggregate(Int128.Zero, (sum, t) => sum + t.Weight);
                var pools = balance
                    .Where(kv => kv.Key.Object == rule.Source && kv.Value != 0)
                    .Select(kv => kv.Key.Pool)
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .ToList();
                foreach (var pool in pools)
                {
                    var amount = balance[(rule.Source, pool)];
                    if (totalWeight == 0)
                    {
                        noVolume.Add(rule.Source);
                        continue;
                    }

                    balance[(rule.Source, pool)] = 0;
                    foreach (var (target, share) in Split(amount, targets))
                    {
                        if (tenants.Contains(target))
                        {
                            var feeKey = (target, rule.Source, pool);
                            periodFees[feeKey] = periodFees.GetValueOrDefault(feeKey) + share;
                        }
                        else
                        {
                            balance[(target, pool)] = balance.GetValueOrDefault((target, pool)) + share;
                        }
                    }
                }
            }

            // §3.2 reciprocal: X = B + what the others send, by Cramer's rule; the deliveries off the cycle rounded together.
            void AllocateCycle(List<Rule> cycle)
            {
                var weights = cycle.ToDictionary(r => r.Source, r => Targets(r, year, scenario, drivers).Where(t => t.Weight > 0).ToList(), StringComparer.Ordinal);
                var active = cycle.Where(r => weights[r.Source].Count > 0).Select(r => r.Source).OrderBy(x => x, StringComparer.Ordinal).ToList();
                foreach (var source in cycle.Where(r => weights[r.Source].Count == 0).Select(r => r.Source))
                {
                    if (balance.Any(kv => kv.Key.Object == source && kv.Value != 0))
                    {
                        noVolume.Add(source);
                    }
                }

                var pools = balance.Where(kv => active.Contains(kv.Key.Object) && kv.Value != 0).Select(kv => kv.Key.Pool).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
                foreach (var pool in pools)
                {
                    // Row j: X_j − Σ_i (w_ij / W_i)·X_i = B_j.
                    var n = active.Count;
                    var matrix = new Q[n, n];
                    var b = new Q[n];
                    for (var j = 0; j < n; j++)
                    {
                        b[j] = new Q(balance.GetValueOrDefault((active[j], pool)), 1);
                        for (var i = 0; i < n; i++)
                        {
                            var total = weights[active[i]].Aggregate(System.Numerics.BigInteger.Zero, (sum, t) => sum + t.Weight);
                            var w = weights[active[i]].Where(t => t.Target == active[j]).Select(t => t.Weight).FirstOrDefault();
                            matrix[j, i] = new Q(i == j ? 1 : 0, 1) - new Q(w, total);
                        }
                    }

                    var determinant = Q.Determinant(matrix);
                    var exact = new List<(string Source, string Target, Q Amount)>();
                    for (var i = 0; i < n; i++)
                    {
                        var replaced = (Q[,])matrix.Clone();
                        for (var j = 0; j < n; j++)
                        {
                            replaced[j, i] = b[j];
                        }

                        var x = Q.Determinant(replaced) / determinant;
                        var total = weights[active[i]].Aggregate(System.Numerics.BigInteger.Zero, (sum, t) => sum + t.Weight);
                        foreach (var (target, w) in weights[active[i]].Where(t => !active.Contains(t.Target)))
                        {
                            exact.Add((active[i], target, x * new Q(w, total)));
                        }
                    }

                    var sum = active.Sum(o => balance.GetValueOrDefault((o, pool)));
                    var negative = sum < 0;
                    var floors = exact.Select(e => (e.Source, e.Target, Value: negative ? -e.Amount : e.Amount)).Select(e => (e.Source, e.Target, Floor: e.Value.Floor(), Part: e.Value - new Q(e.Value.Floor(), 1))).ToList();
                    var left = (long)(Math.Abs(sum) - floors.Aggregate(System.Numerics.BigInteger.Zero, (s, f) => s + f.Floor));
                    var winners = floors.OrderByDescending(f => f.Part).ThenBy(f => f.Source, StringComparer.Ordinal).ThenBy(f => f.Target, StringComparer.Ordinal)
                        .Take((int)left).Select(f => (f.Source, f.Target)).ToHashSet();
                    foreach (var f in floors)
                    {
                        var share = (long)f.Floor + (winners.Contains((f.Source, f.Target)) ? 1 : 0);
                        share = negative ? -share : share;
                        if (tenants.Contains(f.Target))
                        {
                            var feeKey = (f.Target, f.Source, pool);
                            periodFees[feeKey] = periodFees.GetValueOrDefault(feeKey) + share;
                        }
                        else
                        {
                            balance[(f.Target, pool)] = balance.GetValueOrDefault((f.Target, pool)) + share;
                        }
                    }

                    foreach (var source in active)
                    {
                        balance[(source, pool)] = 0;
                    }
                }
            }

            // Step 3: fees, non-zero only.
            foreach (var ((tenant, via, pool), amount) in periodFees.Where(kv => kv.Value != 0))
            {
                fees.Add(new FeeRow(year, scenario, tenant, via, pool, amount));
            }

            // Step 4: whatever is left on objects.
            foreach (var ((obj, pool), amount) in balance.Where(kv => kv.Value != 0))
            {
                var reason = obj == Unmapped ? "unmapped"
                    : !ruleBySource.ContainsKey(obj) ? "no-rule"
                    : "no-volume";
                unallocated.Add(new UnallocatedRow(year, scenario, obj, pool, reason, amount));
            }

            // Step 5: reconciliation.
            var ledgerTotal = ledgerTotals[period.Key];
            var allocatedTotal = periodFees.Values.Sum();
            var unallocatedTotal = balance.Values.Sum();
            reconciliation.Add(
            [
                ReferenceCsv.FormatInteger(year), scenario, ReferenceCsv.FormatMoney(ledgerTotal),
                ReferenceCsv.FormatMoney(allocatedTotal), ReferenceCsv.FormatMoney(unallocatedTotal),
                ReferenceCsv.FormatMoney(ledgerTotal - allocatedTotal - unallocatedTotal),
            ]);

            // Step 6: prices for every driver rule with tenant volume.
            foreach (var rule in model.Rules.Where(r => r.Method == "driver"))
            {
                var rows = drivers.GetValueOrDefault((year, scenario, rule.Driver))
                    ?? new Dictionary<string, long>(StringComparer.Ordinal);
                var tenantTargets = rule.ListedTargets.Count > 0
                    ? rule.ListedTargets.Where(tenants.Contains)
                    : rows.Keys.Where(tenants.Contains);
                var units = tenantTargets.Sum(t => rows.GetValueOrDefault(t));
                if (units <= 0)
                {
                    continue;
                }

                var cost = periodFees.Where(kv => kv.Key.Via == rule.Source).Sum(kv => kv.Value);
                prices.Add(
                [
                    ReferenceCsv.FormatInteger(year), scenario, rule.Source, ReferenceCsv.FormatQuantity(units),
                    ReferenceCsv.FormatMoney(cost), ReferenceCsv.FormatMoney(UnitPrice(cost, units)),
                ]);
            }
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fees.csv"] = ReferenceCsv.Write(
                ["fiscal_year", "scenario", "tenant", "service", "cost_pool", "amount"],
                fees.OrderBy(f => f.FiscalYear)
                    .ThenBy(f => f.Scenario, StringComparer.Ordinal)
                    .ThenBy(f => f.Tenant, StringComparer.Ordinal)
                    .ThenBy(f => f.Via, StringComparer.Ordinal)
                    .ThenBy(f => f.Pool, StringComparer.Ordinal)
                    .Select(f => new[]
                    {
                        ReferenceCsv.FormatInteger(f.FiscalYear), f.Scenario, f.Tenant, f.Via, f.Pool,
                        ReferenceCsv.FormatMoney(f.Amount),
                    })),
            ["unallocated.csv"] = ReferenceCsv.Write(
                ["fiscal_year", "scenario", "object", "cost_pool", "reason", "amount"],
                unallocated.OrderBy(u => u.FiscalYear)
                    .ThenBy(u => u.Scenario, StringComparer.Ordinal)
                    .ThenBy(u => u.Object, StringComparer.Ordinal)
                    .ThenBy(u => u.Pool, StringComparer.Ordinal)
                    .ThenBy(u => u.Reason, StringComparer.Ordinal)
                    .Select(u => new[]
                    {
                        ReferenceCsv.FormatInteger(u.FiscalYear), u.Scenario, u.Object, u.Pool, u.Reason,
                        ReferenceCsv.FormatMoney(u.Amount),
                    })),
            ["reconciliation.csv"] = ReferenceCsv.Write(
                ["fiscal_year", "scenario", "ledger_total", "allocated_total", "unallocated_total", "difference"],
                SortByYearThen(reconciliation, 1)),
            ["prices.csv"] = ReferenceCsv.Write(
                ["fiscal_year", "scenario", "service", "units", "cost", "unit_price"],
                SortByYearThen(prices, 1, 2)),
            ["balance.csv"] = ReferenceCsv.Write(
                ["fee_area", "fiscal_year", "opening", "revenue", "cost", "result", "closing", "surplus_flag"],
                BalanceRows(model, ledgerTotals, fees)),
        };

        if (model.Invoiced is not null)
        {
            outputs["trueup.csv"] = ReferenceCsv.Write(
                ["fiscal_year", "tenant", "service", "final", "invoiced", "trueup"],
                TrueUpRows(model.Invoiced, ledgerTotals, fees));
        }

        return outputs;
    }

    private static IEnumerable<string[]> SortByYearThen(List<string[]> rows, params int[] stringColumns)
    {
        IOrderedEnumerable<string[]> sorted = rows.OrderBy(r => ReferenceCsv.ParseInteger(r[0]));
        foreach (var column in stringColumns)
        {
            sorted = sorted.ThenBy(r => r[column], StringComparer.Ordinal);
        }

        return sorted;
    }

    /// <summary>Every target a rule can send to in any period: its listed targets, or its key's targets in every year.</summary>
    private static HashSet<string> StaticTargets(Rule rule, Model model) =>
        rule.Method == "driver" && rule.ListedTargets.Count == 0
            ? model.Drivers.Where(d => d.Driver == rule.Driver).Select(d => d.Target).ToHashSet(StringComparer.Ordinal)
            : rule.ListedTargets.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The rules grouped into the rule graph's strongly connected components (two sources are in one when each reaches
    /// the other), each after every component that sends it money.
    /// </summary>
    private static List<List<Rule>> ReciprocalOrder(Model model)
    {
        var bySource = model.Rules.ToDictionary(r => r.Source, StringComparer.Ordinal);
        var next = model.Rules.ToDictionary(r => r.Source, r => StaticTargets(r, model).Where(bySource.ContainsKey).ToList(), StringComparer.Ordinal);
        HashSet<string> Reach(string from)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(next[from]);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (seen.Add(node))
                {
                    foreach (var n in next[node])
                    {
                        stack.Push(n);
                    }
                }
            }

            return seen;
        }

        var reach = model.Rules.ToDictionary(r => r.Source, r => Reach(r.Source), StringComparer.Ordinal);
        var components = model.Rules
            .GroupBy(r => string.Join("|", model.Rules.Where(o => o.Source == r.Source || (reach[r.Source].Contains(o.Source) && reach[o.Source].Contains(r.Source))).Select(o => o.Source).Order(StringComparer.Ordinal)))
            .Select(g => g.ToList())
            .ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<List<Rule>>();
        while (order.Count < components.Count)
        {
            var ready = components.First(c => !order.Contains(c)
                && model.Rules.Where(r => !c.Contains(r) && next[r.Source].Any(t => c.Any(m => m.Source == t))).All(r => done.Contains(r.Source)));
            order.Add(ready);
            done.UnionWith(ready.Select(r => r.Source));
        }

        return order;
    }

    /// <summary>The targets of a rule and their weights in millionths, for one fiscal year and scenario.</summary>
    private static List<(string Target, long Weight)> Targets(
        Rule rule,
        int year,
        string scenario,
        Dictionary<(int, string, string), Dictionary<string, long>> drivers)
    {
        switch (rule.Method)
        {
            case "driver":
                var rows = drivers.GetValueOrDefault((year, scenario, rule.Driver));
                if (rule.ListedTargets.Count == 0)
                {
                    return rows is null ? [] : rows.Select(kv => (kv.Key, kv.Value)).ToList();
                }

                return rule.ListedTargets.Select(t => (t, rows?.GetValueOrDefault(t) ?? 0L)).ToList();
            case "even":
            case "direct":
                return rule.ListedTargets.Select(t => (t, Micro)).ToList();
            case "fixed":
                return rule.FixedWeights;
            default:
                throw new InvalidOperationException($"Unknown method '{rule.Method}'.");
        }
    }

    /// <summary>
    /// Splits <paramref name="amount"/> by weight: floor shares, then the leftover öre one each to the
    /// largest remainders, ties to the smaller target id; the sign is applied last.
    /// </summary>
    public static List<(string Target, long Share)> Split(long amount, IReadOnlyList<(string Target, long Weight)> targets)
    {
        Int128 magnitude = amount < 0 ? -(Int128)amount : amount;
        Int128 total = 0;
        foreach (var t in targets)
        {
            total += t.Weight;
        }

        var parts = targets
            .Select(t => (t.Target, Quotient: magnitude * t.Weight / total, Remainder: magnitude * t.Weight % total))
            .ToList();
        var leftover = magnitude - parts.Aggregate(Int128.Zero, (sum, p) => sum + p.Quotient);
        var winners = parts
            .OrderByDescending(p => p.Remainder)
            .ThenBy(p => p.Target, StringComparer.Ordinal)
            .Take((int)leftover)
            .Select(p => p.Target)
            .ToHashSet(StringComparer.Ordinal);
        return parts
            .Select(p =>
            {
                var share = (long)(p.Quotient + (winners.Contains(p.Target) ? 1 : 0));
                return (p.Target, amount < 0 ? -share : share);
            })
            .ToList();
    }

    /// <summary>Öre per unit, half away from zero; <paramref name="units"/> is in millionths.</summary>
    public static long UnitPrice(long cost, long units)
    {
        Int128 numerator = (cost < 0 ? -(Int128)cost : cost) * Micro;
        var quotient = numerator / units;
        if (2 * (numerator % units) >= units)
        {
            quotient++;
        }

        return (long)(cost < 0 ? -quotient : quotient);
    }

    private static IEnumerable<string[]> BalanceRows(
        Model model,
        Dictionary<(int, string), long> ledgerTotals,
        List<FeeRow> fees)
    {
        var areas = model.Revenue.Select(r => r.FeeArea).Concat(model.Balances.Select(b => b.FeeArea)).Distinct();
        if (areas.Any(a => a != DefaultFeeArea))
        {
            throw new NotSupportedException("The reference engine supports only the single fee area IT-drift.");
        }

        var years = ledgerTotals.Keys.Where(k => k.Item2 == Actual).Select(k => k.Item1)
            .Concat(model.Revenue.Select(r => r.FiscalYear))
            .Distinct()
            .Order()
            .ToList();
        var rows = new List<string[]>();
        long? previousClosing = null;
        foreach (var year in years)
        {
            var opening = previousClosing
                ?? model.Balances.Where(b => b.FiscalYear == year).Sum(b => b.Amount);
            var cost = ledgerTotals.GetValueOrDefault((year, Actual));
            var revenueRows = model.Revenue.Where(r => r.FiscalYear == year).ToList();
            var revenue = revenueRows.Count > 0
                ? revenueRows.Sum(r => r.Amount)
                : fees.Where(f => f.FiscalYear == year && f.Scenario == Actual).Sum(f => f.Amount);
            var result = revenue - cost;
            var closing = opening + result;
            rows.Add(
            [
                DefaultFeeArea, ReferenceCsv.FormatInteger(year), ReferenceCsv.FormatMoney(opening),
                ReferenceCsv.FormatMoney(revenue), ReferenceCsv.FormatMoney(cost), ReferenceCsv.FormatMoney(result),
                ReferenceCsv.FormatMoney(closing), (Int128)closing * 10 > revenue ? "true" : "false",
            ]);
            previousClosing = closing;
        }

        return rows;
    }

    private static IEnumerable<string[]> TrueUpRows(
        List<InvoicedRow> invoiced,
        Dictionary<(int, string), long> ledgerTotals,
        List<FeeRow> fees)
    {
        var years = invoiced.Select(i => i.FiscalYear)
            .Where(y => ledgerTotals.ContainsKey((y, Actual)))
            .ToHashSet();
        var final = fees
            .Where(f => f.Scenario == Actual && years.Contains(f.FiscalYear))
            .GroupBy(f => (f.FiscalYear, f.Tenant, f.Via))
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Amount));
        var billed = invoiced
            .Where(i => years.Contains(i.FiscalYear))
            .GroupBy(i => (i.FiscalYear, i.Tenant, i.Service))
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Amount));
        return final.Keys.Union(billed.Keys)
            .OrderBy(k => k.FiscalYear)
            .ThenBy(k => k.Tenant, StringComparer.Ordinal)
            .ThenBy(k => k.Item3, StringComparer.Ordinal)
            .Select(k =>
            {
                var f = final.GetValueOrDefault(k);
                var i = billed.GetValueOrDefault(k);
                return new[]
                {
                    ReferenceCsv.FormatInteger(k.FiscalYear), k.Tenant, k.Item3, ReferenceCsv.FormatMoney(f),
                    ReferenceCsv.FormatMoney(i), ReferenceCsv.FormatMoney(f - i),
                };
            });
    }

    private static Model Load(string directory)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "model.json")));
        var costAccounts = new List<(long From, long To)>();
        if (json.RootElement.TryGetProperty("costAccounts", out var ranges))
        {
            foreach (var range in ranges.EnumerateArray())
            {
                costAccounts.Add((range[0].GetInt64(), range[1].GetInt64()));
            }
        }
        else
        {
            costAccounts.Add((4000, 8999));
        }

        var ledger = Table(directory, "ledger");
        var pools = Table(directory, "cost_pools");
        var tenants = Table(directory, "tenants");
        var mapping = Table(directory, "mapping");
        var rules = Table(directory, "rules");
        var drivers = OptionalTable(directory, "drivers");
        var invoiced = OptionalTable(directory, "invoiced");
        var revenue = OptionalTable(directory, "revenue");
        var balances = OptionalTable(directory, "balances");

        return new Model
        {
            Reciprocal = json.RootElement.TryGetProperty("allocation", out var allocation) && string.Equals(allocation.GetString(), "reciprocal", StringComparison.OrdinalIgnoreCase),
            CostAccounts = costAccounts,
            Ledger = ledger.Rows.Select(r => new LedgerLine(
                (int)ReferenceCsv.ParseInteger(ledger.Get(r, "fiscal_year")),
                OrDefault(ledger.Get(r, "scenario"), Actual),
                ReferenceCsv.ParseInteger(ledger.Get(r, "account")),
                ledger.Get(r, "cost_center"),
                ledger.Get(r, "project"),
                ReferenceCsv.ParseScaled(ledger.Get(r, "amount"), 2, ledger.DecimalComma))).ToList(),
            CostPools = pools.Rows.Select(r => new CostPoolRange(
                ReferenceCsv.ParseInteger(pools.Get(r, "account_from")),
                ReferenceCsv.ParseInteger(pools.Get(r, "account_to")),
                pools.Get(r, "cost_pool"))).ToList(),
            Tenants = tenants.Rows.Select(r => tenants.Get(r, "tenant_id")).ToHashSet(StringComparer.Ordinal),
            Mapping = mapping.Rows.Select(r => new MappingRow(
                ReferenceCsv.ParseInteger(mapping.Get(r, "priority")),
                ReferenceCsv.ParseInteger(mapping.Get(r, "account_from")),
                ReferenceCsv.ParseInteger(mapping.Get(r, "account_to")),
                mapping.Get(r, "cost_center"),
                OrDefault(mapping.Get(r, "project"), "*"),
                mapping.Get(r, "object_id"))).ToList(),
            Rules = rules.Rows.Select(r => Rule.Create(
                ReferenceCsv.ParseInteger(rules.Get(r, "step")),
                rules.Get(r, "source"),
                rules.Get(r, "method"),
                rules.Get(r, "driver"),
                rules.Get(r, "targets"))).ToList(),
            Drivers = drivers is null
                ? []
                : drivers.Rows.Select(r => new DriverRow(
                    (int)ReferenceCsv.ParseInteger(drivers.Get(r, "fiscal_year")),
                    OrDefault(drivers.Get(r, "scenario"), Actual),
                    drivers.Get(r, "driver"),
                    drivers.Get(r, "target"),
                    ReferenceCsv.ParseScaled(drivers.Get(r, "quantity"), 6, drivers.DecimalComma))).ToList(),
            Invoiced = invoiced?.Rows.Select(r => new InvoicedRow(
                (int)ReferenceCsv.ParseInteger(invoiced.Get(r, "fiscal_year")),
                invoiced.Get(r, "tenant"),
                invoiced.Get(r, "service"),
                ReferenceCsv.ParseScaled(invoiced.Get(r, "amount"), 2, invoiced.DecimalComma))).ToList(),
            Revenue = revenue is null
                ? []
                : revenue.Rows.Select(r => new AreaAmount(
                    revenue.Get(r, "fee_area"),
                    (int)ReferenceCsv.ParseInteger(revenue.Get(r, "fiscal_year")),
                    ReferenceCsv.ParseScaled(revenue.Get(r, "revenue"), 2, revenue.DecimalComma))).ToList(),
            Balances = balances is null
                ? []
                : balances.Rows.Select(r => new AreaAmount(
                    balances.Get(r, "fee_area"),
                    (int)ReferenceCsv.ParseInteger(balances.Get(r, "fiscal_year")),
                    ReferenceCsv.ParseScaled(balances.Get(r, "opening_balance"), 2, balances.DecimalComma))).ToList(),
        };
    }

    private static string OrDefault(string value, string fallback) => value.Length == 0 ? fallback : value;

    private static CsvTable Table(string directory, string name) =>
        OptionalTable(directory, name) ?? throw new FileNotFoundException($"{name}.csv is missing.", name);

    private static CsvTable? OptionalTable(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".csv");
        return File.Exists(path) ? ReferenceCsv.ReadTable(path) : null;
    }

    private sealed class Model
    {
        public required List<(long From, long To)> CostAccounts { get; init; }

        public required List<LedgerLine> Ledger { get; init; }

        public required List<CostPoolRange> CostPools { get; init; }

        public required HashSet<string> Tenants { get; init; }

        public required List<MappingRow> Mapping { get; init; }

        public required List<Rule> Rules { get; init; }

        public required List<DriverRow> Drivers { get; init; }

        public required List<InvoicedRow>? Invoiced { get; init; }

        public required List<AreaAmount> Revenue { get; init; }

        public required List<AreaAmount> Balances { get; init; }

        public bool Reciprocal { get; init; }

        public bool IsCostAccount(long account) => CostAccounts.Any(r => r.From <= account && account <= r.To);
    }

    private sealed record LedgerLine(int FiscalYear, string Scenario, long Account, string CostCenter, string Project, long Amount);

    private sealed record CostPoolRange(long From, long To, string Pool);

    private sealed record MappingRow(long Priority, long From, long To, string CostCenter, string Project, string ObjectId)
    {
        public bool Matches(LedgerLine line) =>
            From <= line.Account && line.Account <= To
            && (CostCenter == "*" || CostCenter == line.CostCenter)
            && (Project == "*" || Project == line.Project);
    }

    private sealed record DriverRow(int FiscalYear, string Scenario, string Driver, string Target, long Quantity);

    private sealed record InvoicedRow(int FiscalYear, string Tenant, string Service, long Amount);

    private sealed record AreaAmount(string FeeArea, int FiscalYear, long Amount);

    private sealed record FeeRow(int FiscalYear, string Scenario, string Tenant, string Via, string Pool, long Amount);

    private sealed record UnallocatedRow(int FiscalYear, string Scenario, string Object, string Pool, string Reason, long Amount);

    private sealed record Rule(long Step, string Source, string Method, string Driver, List<string> ListedTargets, List<(string, long)> FixedWeights)
    {
        public static Rule Create(long step, string source, string method, string driver, string targets)
        {
            var items = targets.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (method == "fixed")
            {
                var weights = items
                    .Select(item =>
                    {
                        var colon = item.LastIndexOf(':');
                        return (item[..colon].Trim(), ReferenceCsv.ParseScaled(item[(colon + 1)..], 6, decimalComma: false));
                    })
                    .ToList();
                return new Rule(step, source, method, driver, weights.Select(w => w.Item1).ToList(), weights);
            }

            return new Rule(step, source, method, driver, [.. items], []);
        }
    }

    /// <summary>An exact fraction for the reference's reciprocal allocation (kept apart from the engine's on purpose).</summary>
    private readonly record struct Q : IComparable<Q>
    {
        public Q(System.Numerics.BigInteger numerator, System.Numerics.BigInteger denominator)
        {
            if (denominator.Sign < 0)
            {
                (numerator, denominator) = (-numerator, -denominator);
            }

            var g = System.Numerics.BigInteger.GreatestCommonDivisor(numerator, denominator);
            (N, D) = g.IsZero ? (numerator, denominator) : (numerator / g, denominator / g);
        }

        public System.Numerics.BigInteger N { get; }

        public System.Numerics.BigInteger D { get; }

        public static Q operator +(Q a, Q b) => new(a.N * b.D + b.N * a.D, a.D * b.D);

        public static Q operator -(Q a, Q b) => new(a.N * b.D - b.N * a.D, a.D * b.D);

        public static Q operator -(Q a) => new(-a.N, a.D);

        public static Q operator *(Q a, Q b) => new(a.N * b.N, a.D * b.D);

        public static Q operator /(Q a, Q b) => new(a.N * b.D, a.D * b.N);

        public int CompareTo(Q other) => (N * other.D).CompareTo(other.N * D);

        public System.Numerics.BigInteger Floor() => System.Numerics.BigInteger.Divide(N, D) - (N.Sign < 0 && !System.Numerics.BigInteger.Remainder(N, D).IsZero ? 1 : 0);

        /// <summary>By expansion along the first row (the cycles here have a handful of objects).</summary>
        public static Q Determinant(Q[,] m)
        {
            var n = m.GetLength(0);
            if (n == 1)
            {
                return m[0, 0];
            }

            var result = new Q(0, 1);
            for (var c = 0; c < n; c++)
            {
                var minor = new Q[n - 1, n - 1];
                for (var r = 1; r < n; r++)
                {
                    for (int k = 0, at = 0; k < n; k++)
                    {
                        if (k != c)
                        {
                            minor[r - 1, at++] = m[r, k];
                        }
                    }
                }

                var term = m[0, c] * Determinant(minor);
                result = c % 2 == 0 ? result + term : result - term;
            }

            return result;
        }
    }
}
