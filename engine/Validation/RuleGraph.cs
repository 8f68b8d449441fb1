using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// Parses each rule's targets into <c>rule_targets(source, target, weight)</c> and checks the rule
/// graph: known sources and targets, one rule per source, weights, and that money only ever flows to
/// objects whose own rule runs at a strictly later step (so the step-down terminates and every
/// balance is final when its rule runs).
/// </summary>
internal static class RuleGraph
{
    private sealed record Rule(string File, int Line, int Step, string Source, string Method, string? Driver, string? Targets);

    /// <summary>Checks the rules into <c>rule_targets</c>.</summary>
    /// <param name="connection">The database.</param>
    /// <param name="errors">Where model errors go.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="reciprocal">
    /// <c>"allocation": "reciprocal"</c>: cycles are allowed and steps do not order the rules (§3.2), but a cycle that
    /// names no target off itself is an error (nothing could ever leave it).
    /// </param>
    public static void Check(DuckDBConnection connection, ErrorLog errors, List<ModelWarning> warnings, bool reciprocal)
    {
        var objects = connection.Query("SELECT object_id FROM objects WHERE object_id IS NOT NULL", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
        var tenants = connection.Query("SELECT tenant_id FROM tenants WHERE tenant_id IS NOT NULL", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
        var driverTargets = connection.Query("SELECT DISTINCT driver, target FROM drivers WHERE driver IS NOT NULL AND target IS NOT NULL ORDER BY 1, 2", r => (Driver: r.GetString(0), Target: r.GetString(1)))
            .ToLookup(x => x.Driver, x => x.Target, StringComparer.Ordinal);
        var rules = connection.Query(
            "SELECT f.file, r.line, r.step, r.source, r.method, r.driver, r.targets FROM rules r JOIN sources f USING (src) WHERE r.step IS NOT NULL AND r.source IS NOT NULL AND r.method IS NOT NULL ORDER BY r.line",
            r => new Rule(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.NullableString(5), r.NullableString(6)));

        connection.Execute("CREATE TABLE rule_targets (source VARCHAR, target VARCHAR, weight BIGINT)");
        var stepOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            stepOf.TryAdd(rule.Source, rule.Step);
        }

        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var appender = connection.CreateAppender("rule_targets"))
        {
            foreach (var rule in rules)
            {
                void Error(string column, string reason) => errors.Add(new ModelError(rule.File, rule.Line, column, reason));

                if (tenants.Contains(rule.Source))
                {
                    Error("source", $"'{rule.Source}' is a tenant; tenants receive money and cannot be a source");
                }
                else if (rule.Source == "UNMAPPED")
                {
                    Error("source", "UNMAPPED cannot be a source: add mapping rows for the accounts instead");
                }
                else if (!objects.Contains(rule.Source))
                {
                    Error("source", $"unknown object '{rule.Source}'");
                }

                if (rule.Method == "driver" && rule.Driver is null)
                {
                    Error("driver", "a driver rule needs a driver (the allocation key)");
                }

                var targets = ParseTargets(rule, Error);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (target, weight) in targets)
                {
                    if (!seen.Add(target))
                    {
                        Error("targets", $"target '{target}' is listed twice");
                        continue;
                    }

                    if (target == "UNMAPPED")
                    {
                        Error("targets", "UNMAPPED cannot be a target");
                        continue;
                    }

                    if (!objects.Contains(target) && !tenants.Contains(target))
                    {
                        Error("targets", $"unknown object or tenant '{target}'");
                        continue;
                    }

                    appender.CreateRow().AppendValue(rule.Source).AppendValue(target).AppendValue(weight).EndRow();
                }

                var flowsTo = targets.Select(t => t.Target).ToList();
                if (rule.Method == "driver" && rule.Driver is not null)
                {
                    if (!driverTargets.Contains(rule.Driver))
                    {
                        warnings.Add(new ModelWarning(rule.File, $"line {rule.Line}: driver '{rule.Driver}' has no quantities in drivers; {rule.Source} stays unallocated (no-volume)"));
                    }

                    if (targets.Count == 0)
                    {
                        flowsTo = [.. driverTargets[rule.Driver]];
                    }
                }

                edges[rule.Source] = flowsTo;
            }
        }

        if (reciprocal)
        {
            CheckCycles(rules, edges, errors);
            return;
        }

        // Back edges and cycles: every target with a rule must run strictly later than its source.
        foreach (var rule in rules)
        {
            if (!edges.TryGetValue(rule.Source, out var flowsTo) || !ReferenceEquals(rules.First(r => r.Source == rule.Source), rule))
            {
                continue;
            }

            foreach (var target in flowsTo.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (stepOf.TryGetValue(target, out var targetStep) && targetStep <= rule.Step)
                {
                    var cycle = FindPath(target, rule.Source, edges);
                    var shape = cycle is null
                        ? $"a back edge {rule.Source} → {target}"
                        : $"a cycle {rule.Source} → {string.Join(" → ", cycle)}";
                    errors.Add(new ModelError(rule.File, rule.Line, "targets",
                        $"{rule.Source} (step {rule.Step}) sends money to {target}, whose rule runs at step {targetStep}, not later: {shape}"));
                }
            }
        }
    }

    /// <summary>Reciprocal allocation: each cycle of the rule graph needs a target off it (§3.2).</summary>
    private static void CheckCycles(List<Rule> rules, Dictionary<string, List<string>> edges, ErrorLog errors)
    {
        var cycles = Allocation.RuleCycles.Of(edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value, StringComparer.Ordinal));
        if (cycles.Units > ModelChecks.MaxSteps && rules.Count > 0)
        {
            // One statement a unit, as the step-down's one a step (§3.2): a bound, so a long chain is a clear error.
            errors.Add(new ModelError(rules[0].File, 0, "targets", string.Create(CultureInfo.InvariantCulture,
                $"the rule graph is {cycles.Units} objects or cycles deep; reciprocal allocation runs at most {ModelChecks.MaxSteps} in a row, one statement each")));
        }

        foreach (var cycle in cycles.Cycles.Where(c => !c.HasWayOut))
        {
            var first = rules.Where(r => cycle.Members.Contains(r.Source, StringComparer.Ordinal)).MinBy(r => r.Line)!;
            var path = FindPath(cycle.Members[0], cycle.Members[0], edges, through: true) ?? [cycle.Members[0]];
            errors.Add(new ModelError(first.File, first.Line, "targets",
                $"{string.Join(", ", cycle.Members)} send money only to one another (a cycle {string.Join(" → ", path)} that nothing leaves): their costs cannot be solved; give one of them a target off the cycle (reciprocal allocation, §3.2)"));
        }
    }

    private static List<(string Target, long? Weight)> ParseTargets(Rule rule, Action<string, string> error)
    {
        var list = new List<(string, long?)>();
        var parts = (rule.Targets ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            if (rule.Method == "fixed")
            {
                var colon = part.LastIndexOf(':');
                if (colon <= 0)
                {
                    error("targets", $"'{part}' is not id:weight (a fixed rule gives each target a weight)");
                    continue;
                }

                var id = part[..colon].Trim();
                var text = part[(colon + 1)..].Trim();
                if (!TryParseWeight(text, out var weight, out var reason))
                {
                    error("targets", $"weight of '{id}': {reason}");
                    continue;
                }

                list.Add((id, weight));
            }
            else
            {
                if (!ModelManifest.IsId(part))
                {
                    error("targets", $"'{part}' is not an id");
                    continue;
                }

                list.Add((part, rule.Method == "driver" ? null : 1_000_000L));
            }
        }

        switch (rule.Method)
        {
            case "direct" when list.Count != 1:
                error("targets", $"a direct rule has exactly one target; found {list.Count}");
                break;
            case "even" or "fixed" when list.Count == 0:
                error("targets", $"a {rule.Method} rule needs at least one target");
                break;
        }

        return list;
    }

    /// <summary>Weights of fixed rules: positive, at most six decimals, '.' or ',' as decimal mark.</summary>
    private static bool TryParseWeight(string text, out long micro, out string reason)
    {
        micro = 0;
        var normalised = text.Replace(',', '.');
        if (normalised.StartsWith('-'))
        {
            reason = $"'{text}' is negative; weights must be positive";
            return false;
        }

        if (!decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            reason = $"'{text}' is not a number";
            return false;
        }

        if (value <= 0)
        {
            reason = $"'{text}' is not positive; weights must be greater than 0";
            return false;
        }

        var scaled = value * 1_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            reason = $"'{text}' has more than six decimals";
            return false;
        }

        if (scaled > 1_000_000_000_000_000m)
        {
            reason = $"'{text}' is too large";
            return false;
        }

        micro = (long)scaled;
        reason = "";
        return true;
    }

    /// <summary>A path from <paramref name="from"/> to <paramref name="to"/> along rule edges, ending in <paramref name="to"/>; <see langword="null"/> when none.</summary>
    /// <remarks>With <paramref name="through"/>, the path leaves <paramref name="from"/> first, so from = to gives the cycle through it (<c>A → B → A</c>).</remarks>
    private static List<string>? FindPath(string from, string to, Dictionary<string, List<string>> edges, bool through = false)
    {
        if (through)
        {
            foreach (var next in edges.GetValueOrDefault(from, []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (FindPath(next, to, edges) is { } rest)
                {
                    return [from, .. rest];
                }
            }

            return null;
        }

        var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == to)
            {
                var path = new List<string>();
                for (string? at = node; at is not null; at = previous[at])
                {
                    path.Add(at);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in edges.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
