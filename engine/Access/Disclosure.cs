using System.Numerics;

namespace ItDrift.Tbm.Access;

/// <summary>One move of money in one layer of a period: from an object to an object or to a tenant.</summary>
/// <param name="Layer">The layer the move belongs to: the cost pool in an allocation (each pool is a separate flow).</param>
/// <param name="Source">The object the money left.</param>
/// <param name="Target">The object or tenant it went to.</param>
public readonly record struct DisclosureFlow(string Layer, string Source, string Target);

/// <summary>
/// The one disclosure policy (docs/disclosure.md): what a tenant may be shown of figures that are not its own.
/// Every route that shows a tenant anything about other tenants' money asks it — the read API's tables,
/// explanations and quotes, the workbooks and the status report.
/// </summary>
/// <remarks>
/// <para>The rule: a tenant never receives a figure that equals, or together with the other figures it can
/// receive lets it compute, another single tenant's amount. This is statistical disclosure control:</para>
/// <list type="bullet">
/// <item><b>Primary suppression.</b> A figure that is a sum over tenants is shown to a tenant only when it
/// covers none or at least <see cref="MinimumTenants"/> of them: a tenant that is one of three subtracts its
/// own share and still holds the sum of two.</item>
/// <item><b>Complementary suppression.</b> A shown sum minus the shown parts it splits into is a figure
/// too. When the parts that are not shown cover one or two tenants, the sum is not shown either
/// (a tower minus its shown service leaves the hidden sibling's cost). Hiding a sum can make its own parent
/// unsafe, so the check runs until nothing changes.</item>
/// <item><b>Order statistics.</b> A minimum, maximum, median or quartile is one agency's value (or lies
/// between two), so a tenant is shown of a distribution only how many it covers and their mean
/// (<see cref="MayShowAggregate"/>), and its own value.</item>
/// </list>
/// <para>The policy is the same for every tenant (it does not depend on who reads), so two readers, or one
/// reader through several routes, see the same figures for the same period. Suppliers, the coordinator
/// and ESV see every figure of the runs they may read.</para>
/// </remarks>
public static class Disclosure
{
    /// <summary>
    /// The fewest tenants a figure over several tenants, or the hidden rest of a shown figure, may cover
    /// when a tenant reads it (zero is safe: the figure then tells nothing of any tenant).
    /// </summary>
    public const int MinimumTenants = 3;

    /// <summary>Whether a sum over this many tenants may be shown to a tenant (none, or at least <see cref="MinimumTenants"/>).</summary>
    public static bool MayShowAggregate(long tenants) => tenants == 0 || tenants >= MinimumTenants;

    /// <summary>
    /// Whether the hidden rest of a shown sum is safe when only the number of tenants each hidden part covers is
    /// known (not which tenants): their union is at least the largest count, so the rest is safe when no hidden
    /// part covers a tenant, or one covers at least <see cref="MinimumTenants"/>.
    /// </summary>
    /// <param name="hiddenPartTenants">For each part of the sum that is not shown, how many tenants it covers.</param>
    public static bool MayShowRest(IEnumerable<long> hiddenPartTenants)
    {
        ArgumentNullException.ThrowIfNull(hiddenPartTenants);
        var largest = hiddenPartTenants.DefaultIfEmpty(0).Max();
        return largest == 0 || largest >= MinimumTenants;
    }

    /// <summary>
    /// Which objects of one period's allocation a tenant may see figures of: their ledger amounts, what
    /// they received and moved, and the shares of their moves.
    /// </summary>
    /// <param name="flows">Every non-zero move of the period, in every layer (cost pool).</param>
    /// <param name="isTenant">Whether an id names a tenant.</param>
    /// <returns>The decision; an object is visible only when it is safe in every layer it appears in.</returns>
    /// <remarks>
    /// An object's figures are sums over the tenants its money reaches. It is hidden when those are one or
    /// two, or when the moves it makes that a tenant cannot see — to tenants directly, or to hidden objects —
    /// reach one or two tenants (its total minus its visible moves would be their amount). A move into an
    /// object is shown with that object. Hiding an object in one layer hides it in all, and the checks are
    /// repeated until no object changes.
    /// </remarks>
    public static DisclosedObjects Decide(IEnumerable<DisclosureFlow> flows, Func<string, bool> isTenant)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(isTenant);
        var layers = flows.GroupBy(f => f.Layer, StringComparer.Ordinal)
            .Select(g => new Layer(g.Select(f => (f.Source, f.Target)), isTenant))
            .ToList();
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var layer in layers)
            {
                foreach (var node in layer.Objects)
                {
                    if (!hidden.Contains(node) && !layer.Safe(node, hidden))
                    {
                        hidden.Add(node);
                        changed = true;
                    }
                }
            }
        }
        while (changed);

        return new DisclosedObjects(hidden);
    }

    /// <summary>One layer's flow graph: each object's direct tenant targets, object targets and the tenants its money reaches.</summary>
    private sealed class Layer
    {
        private readonly Dictionary<string, int> _tenantIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _directTenants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _objectTargets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, BigInteger> _reached = new(StringComparer.Ordinal);

        public Layer(IEnumerable<(string Source, string Target)> moves, Func<string, bool> isTenant)
        {
            foreach (var (source, target) in moves)
            {
                Add(_objectTargets, source);
                Add(_directTenants, source);
                if (isTenant(target))
                {
                    if (!_tenantIndex.TryGetValue(target, out var index))
                    {
                        _tenantIndex[target] = index = _tenantIndex.Count;
                    }

                    _directTenants[source].Add(index);
                }
                else
                {
                    _objectTargets[source].Add(target);
                    Add(_objectTargets, target);
                    Add(_directTenants, target);
                }
            }

            Objects = [.. _objectTargets.Keys.Order(StringComparer.Ordinal)];
            Reach();
        }

        /// <summary>The objects of the layer, in ordinal order (the decision does not depend on it).</summary>
        public IReadOnlyList<string> Objects { get; }

        /// <summary>Whether the object's figures, with the hidden objects as they are, tell no one or two tenants' amounts.</summary>
        public bool Safe(string node, HashSet<string> hidden)
        {
            if (!MayShowAggregate(Count(_reached[node])))
            {
                return false;
            }

            var rest = Bits(_directTenants[node]);
            foreach (var target in _objectTargets[node])
            {
                if (hidden.Contains(target))
                {
                    rest |= _reached[target];
                }
            }

            return MayShowAggregate(Count(rest));
        }

        /// <summary>The tenants each object's money reaches, as a bit set; repeated until stable, so a cycle of objects is fine too.</summary>
        private void Reach()
        {
            foreach (var node in Objects)
            {
                _reached[node] = Bits(_directTenants[node]);
            }

            bool changed;
            do
            {
                changed = false;
                foreach (var node in Objects)
                {
                    var reached = _reached[node];
                    foreach (var target in _objectTargets[node])
                    {
                        reached |= _reached[target];
                    }

                    if (reached != _reached[node])
                    {
                        _reached[node] = reached;
                        changed = true;
                    }
                }
            }
            while (changed);
        }

        private static BigInteger Bits(List<int> tenants)
        {
            var bits = BigInteger.Zero;
            foreach (var tenant in tenants)
            {
                bits |= BigInteger.One << tenant;
            }

            return bits;
        }

        private static long Count(BigInteger bits) => (long)BigInteger.PopCount(bits);

        private static void Add<T>(Dictionary<string, List<T>> map, string key)
        {
            if (!map.ContainsKey(key))
            {
                map[key] = [];
            }
        }
    }
}

/// <summary>The objects of one period whose figures a tenant may not see (<see cref="Disclosure.Decide"/>).</summary>
public sealed class DisclosedObjects
{
    private readonly HashSet<string> _hidden;

    internal DisclosedObjects(HashSet<string> hidden) => _hidden = hidden;

    /// <summary>Whether a tenant may see the object's figures (an object that moved no money reaches no tenant and is visible).</summary>
    public bool IsVisible(string objectId) => !_hidden.Contains(objectId);

    /// <summary>The hidden objects, in ordinal order.</summary>
    public IReadOnlyList<string> Hidden => [.. _hidden.Order(StringComparer.Ordinal)];
}
