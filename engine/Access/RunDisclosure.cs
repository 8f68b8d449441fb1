using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Access;

/// <summary>
/// The disclosure policy (<see cref="Disclosure"/>) decided for every period of one published run, from
/// its audit trail of moves (<c>trail/deliveries</c>). Runs are immutable, so it is decided once per run.
/// </summary>
public sealed class RunDisclosure
{
    private readonly Dictionary<(int FiscalYear, string Scenario), DisclosedObjects> _periods;

    private RunDisclosure(Dictionary<(int FiscalYear, string Scenario), DisclosedObjects> periods) => _periods = periods;

    /// <summary>Decides the policy for every period of the run.</summary>
    internal static RunDisclosure Decide(RunFolder run)
    {
        if (!run.Has("trail/deliveries"))
        {
            return new RunDisclosure([]);
        }

        var moves = run.Query(
            $"SELECT DISTINCT fiscal_year, scenario, cost_pool, source, target FROM {run.Table("trail/deliveries")} WHERE amount <> 0",
            r => (FiscalYear: r.GetInt32(0), Scenario: r.GetString(1), Flow: new DisclosureFlow(r.GetString(2), r.GetString(3), r.GetString(4))));
        var tenants = run.Tenants;
        return new RunDisclosure(moves.GroupBy(m => (m.FiscalYear, m.Scenario))
            .ToDictionary(g => g.Key, g => Disclosure.Decide(g.Select(m => m.Flow), tenants.ContainsKey)));
    }

    /// <summary>Whether a tenant may see the figures of an object (a tower, a service) in a period: its ledger amounts, what it received, moved and charged, its units and cost.</summary>
    public bool IsVisible(int fiscalYear, string scenario, string objectId) =>
        !_periods.TryGetValue((fiscalYear, scenario), out var period) || period.IsVisible(objectId);

    /// <summary>Every period's hidden objects, ordered.</summary>
    public IEnumerable<(int FiscalYear, string Scenario, string ObjectId)> Hidden =>
        _periods.OrderBy(p => p.Key.FiscalYear).ThenBy(p => p.Key.Scenario, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Hidden.Select(o => (p.Key.FiscalYear, p.Key.Scenario, o)));

    /// <summary>Whether a tenant may see the object's figures in every period of the run (a quote's prices reach across years).</summary>
    public bool IsVisibleEverywhere(string objectId) => _periods.Values.All(p => p.IsVisible(objectId));
}
