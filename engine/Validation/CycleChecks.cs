using DuckDB.NET.Data;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// Reciprocal allocation (docs/model-format.md §3.2), after the keys are weighed: in each fiscal year and
/// scenario, the objects of a cycle that deliver (W &gt; 0) must have a way out by their positive weights. A
/// cycle whose only way out is a key with no volume this period (a driver whose tenants all have 0) is as
/// singular as one that names no target off itself, and is the same model error, with its period. Needs
/// <c>rules</c>, <c>rule_targets</c>, <c>drivers</c> and <c>weights</c>.
/// </summary>
internal static class CycleChecks
{
    public static void Run(DuckDBConnection connection, ErrorLog errors)
    {
        var graph = RuleCycles.Load(connection);
        if (graph.Cycles.Count == 0)
        {
            return;
        }

        var lines = connection.Query("SELECT r.source, f.file, r.line FROM rules r JOIN sources f USING (src)", r => (Source: r.GetString(0), File: r.GetString(1), Line: r.GetInt32(2)))
            .GroupBy(r => r.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MinBy(r => r.Line), StringComparer.Ordinal);
        var weights = connection.Query(
            "SELECT fiscal_year, scenario, source, target, w FROM weights WHERE w > 0",
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Source: r.GetString(2), Target: r.GetString(3), W: r.GetInt64(4)))
            .Where(w => graph.CycleOf(w.Source) is not null)
            .ToLookup(w => (w.Year, w.Scenario, Cycle: graph.CycleOf(w.Source)!.Value));
        foreach (var group in weights.OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.Cycle))
        {
            var system = group.GroupBy(w => w.Source, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToDictionary(w => w.Target, w => w.W, StringComparer.Ordinal), StringComparer.Ordinal);
            var closed = CycleSolver.Closed(system);
            if (closed.Count > 0)
            {
                var first = closed.Select(c => lines[c]).MinBy(l => l.Line);
                errors.Add(new ModelError(first.File, first.Line, "targets", CycleSolver.SingularMessage(group.Key.Year, group.Key.Scenario, closed)));
            }
        }
    }
}
