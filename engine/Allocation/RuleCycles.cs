using DuckDB.NET.Data;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Allocation;

/// <summary>
/// The rule graph's strongly connected components and the order reciprocal allocation runs in
/// (docs/model-format.md §3.2): a <em>cycle</em> is a component of more than one source, or one source that
/// names itself as a target. Each component gets a <em>unit</em>, 1 + the largest unit of any component that
/// sends it money, so every component runs after all its inputs have arrived and the components of one unit
/// cannot feed each other. Steps play no part in this order.
/// </summary>
internal sealed class RuleCycles
{
    private readonly Dictionary<string, int> _unit;
    private readonly Dictionary<string, int> _cycle;

    private RuleCycles(Dictionary<string, int> unit, Dictionary<string, int> cycle, List<Cycle> cycles)
    {
        _unit = unit;
        _cycle = cycle;
        Cycles = cycles;
    }

    /// <summary>A cycle: its number, its objects in ordinal order, its unit, and whether any of its objects names a target off it.</summary>
    public sealed record Cycle(int Number, IReadOnlyList<string> Members, int Unit, bool HasWayOut);

    /// <summary>Every cycle, numbered from 1 in the order of (unit, first member).</summary>
    public IReadOnlyList<Cycle> Cycles { get; }

    /// <summary>The number of units.</summary>
    public int Units => _unit.Count == 0 ? 0 : _unit.Values.Max();

    /// <summary>The unit a rule's source runs in.</summary>
    public int UnitOf(string source) => _unit[source];

    /// <summary>The number of the cycle a source is on, or <see langword="null"/>.</summary>
    public int? CycleOf(string source) => _cycle.TryGetValue(source, out var c) ? c : null;

    /// <summary>
    /// The graph of the package's rules: each source's listed targets, or for a <c>driver</c> rule without listed
    /// targets every target of its key's rows (as validation reads it, §2).
    /// </summary>
    public static RuleCycles Load(DuckDBConnection connection)
    {
        var edges = connection.Query("SELECT source FROM rules", r => r.GetString(0)).Distinct(StringComparer.Ordinal)
            .ToDictionary(s => s, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (source, target) in connection.Query(
            """
            SELECT t.source, t.target FROM rule_targets t
            UNION
            SELECT r.source, d.target FROM rules r JOIN (SELECT DISTINCT driver, target FROM drivers WHERE target IS NOT NULL) d ON d.driver = r.driver
            WHERE r.method = 'driver' AND NOT EXISTS (SELECT 1 FROM rule_targets t WHERE t.source = r.source)
            ORDER BY 1, 2
            """,
            r => (r.GetString(0), r.GetString(1))))
        {
            if (edges.TryGetValue(source, out var list))
            {
                list.Add(target);
            }
        }

        return Of(edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value, StringComparer.Ordinal));
    }

    /// <summary>The components of a graph given as each source's targets (targets that are no source are sinks).</summary>
    public static RuleCycles Of(IReadOnlyDictionary<string, IReadOnlyCollection<string>> edges)
    {
        var sources = edges.Keys.Order(StringComparer.Ordinal).ToList();
        List<string> Next(string node) => [.. edges[node].Where(edges.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        // Tarjan's algorithm without recursion (a long chain of rules must not exhaust the stack); components come
        // out sinks first, so they are read backwards for an order in which every component follows its inputs.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        foreach (var root in sources)
        {
            if (index.ContainsKey(root))
            {
                continue;
            }

            var work = new Stack<(string Node, List<string> Next, int At)>();
            void Open(string node)
            {
                index[node] = low[node] = index.Count;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, Next(node), 0));
            }

            Open(root);
            while (work.Count > 0)
            {
                var (node, next, at) = work.Pop();
                if (at < next.Count)
                {
                    work.Push((node, next, at + 1));
                    var child = next[at];
                    if (!index.ContainsKey(child))
                    {
                        Open(child);
                    }
                    else if (onStack.Contains(child))
                    {
                        low[node] = Math.Min(low[node], index[child]);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    components.Add(component);
                }
            }
        }

        components.Reverse();
        var componentOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var member in components[c])
            {
                componentOf[member] = c;
            }
        }

        var unitOfComponent = new int[components.Count];
        Array.Fill(unitOfComponent, 1);
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var target in components[c].SelectMany(Next))
            {
                var d = componentOf[target];
                if (d != c)
                {
                    unitOfComponent[d] = Math.Max(unitOfComponent[d], unitOfComponent[c] + 1);
                }
            }
        }

        var unit = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, c) in componentOf)
        {
            unit[node] = unitOfComponent[c];
        }

        var cycles = components
            .Where(c => c.Count > 1 || edges[c[0]].Contains(c[0], StringComparer.Ordinal))
            .Select(c => (Members: c.Order(StringComparer.Ordinal).ToList(), Unit: unitOfComponent[componentOf[c[0]]]))
            .OrderBy(c => c.Unit).ThenBy(c => c.Members[0], StringComparer.Ordinal)
            .Select((c, i) =>
            {
                var members = c.Members.ToHashSet(StringComparer.Ordinal);
                return new Cycle(i + 1, c.Members, c.Unit, c.Members.Any(m => edges[m].Any(t => !members.Contains(t))));
            })
            .ToList();
        var cycleOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cycle in cycles)
        {
            foreach (var member in cycle.Members)
            {
                cycleOf[member] = cycle.Number;
            }
        }

        return new RuleCycles(unit, cycleOf, cycles);
    }
}
