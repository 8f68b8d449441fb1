using System.Globalization;

namespace ItDrift.Tbm.Datasets;

internal sealed partial class DemoPlan
{
    /// <summary>Expected actual fee per [year][tenant][service] in öre, by the allocation of docs/model-format.md §3 on each object's total.</summary>
    /// <remarks>
    /// The engine splits each cost pool separately; splitting the object's total instead can differ by a few
    /// öre per pool, which is immaterial here: these figures only seed the preliminary fees.
    /// </remarks>
    public long[][][] ExpectedFees { get; private set; } = [];

    /// <summary>Preliminary fees per [year][tenant][service] in öre: the expected fee ±4.5 %.</summary>
    public long[][][] Invoiced { get; private set; } = [];

    /// <summary>Preliminary fees per [year][tenant] in öre: the fee revenue booked in the ledger.</summary>
    public long[][] InvoicedPerTenant { get; private set; } = [];

    /// <summary>Actual cost lines' total per year in öre, and the part no mapping row matches.</summary>
    public long[] ActualCost { get; private set; } = [];

    public long[] UnmappedCost { get; private set; } = [];

    private void EstimateFees()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("invoiced"));
        var tenants = Catalogue.Tenants;
        var services = Catalogue.Services.Length;
        ExpectedFees = new long[Years][][];
        Invoiced = new long[Years][][];
        InvoicedPerTenant = new long[Years][];
        ActualCost = new long[Years];
        UnmappedCost = new long[Years];
        for (var y = 0; y < Years; y++)
        {
            var balance = new long[ObjectIds.Length];
            var amounts = Amounts[Actual][y];
            for (var i = 0; i < Cells.Count; i++)
            {
                var total = 0L;
                for (var m = 0; m < 12; m++)
                {
                    total += amounts[(i * 12) + m];
                }

                ActualCost[y] += total;
                if (Cells[i].ObjectIndex < 0)
                {
                    UnmappedCost[y] += total;
                }
                else
                {
                    balance[Cells[i].ObjectIndex] += total;
                }
            }

            var fees = new long[tenants.Length][];
            for (var t = 0; t < tenants.Length; t++)
            {
                fees[t] = new long[services];
            }

            foreach (var rule in Rules)
            {
                var source = Array.IndexOf(ObjectIds, rule.Source);
                var amount = balance[source];
                var weights = Weights(FirstYear + y, rule);
                var sum = weights.Sum(w => w.Micro);
                if (amount == 0 || sum == 0)
                {
                    continue;
                }

                balance[source] = 0;
                foreach (var (target, share) in Split(amount, weights, sum))
                {
                    var objectIndex = Array.IndexOf(ObjectIds, target);
                    if (objectIndex >= 0)
                    {
                        balance[objectIndex] += share;
                    }
                    else if (source < services)
                    {
                        fees[Array.FindIndex(tenants, t => t.Id == target)][source] += share;
                    }
                    else
                    {
                        throw new InvalidOperationException($"{rule.Source} charges tenants directly; the demo delivers to tenants through services only");
                    }
                }
            }

            ExpectedFees[y] = fees;
            Invoiced[y] = new long[tenants.Length][];
            InvoicedPerTenant[y] = new long[tenants.Length];
            // Preliminary fees come from a budget made the year before: a bias for the year (the supplier's
            // planning was a little high or low) and a spread per row, together within ±4.5 % of the outcome.
            var bias = rng.Between(-10_000, 15_000);
            for (var t = 0; t < tenants.Length; t++)
            {
                Invoiced[y][t] = new long[services];
                for (var s = 0; s < services; s++)
                {
                    var factor = 1_000_000 + bias + rng.Between(-30_000, 30_000);
                    if (fees[t][s] > 0)
                    {
                        Invoiced[y][t][s] = Rng.Ppm(fees[t][s], factor);
                        InvoicedPerTenant[y][t] += Invoiced[y][t][s];
                    }
                }
            }
        }
    }

    /// <summary>Each target's weight in millionths for one year's actual scenario (docs/model-format.md §3.2).</summary>
    private List<(string Target, long Micro)> Weights(int year, RuleRow rule)
    {
        var listed = rule.Targets.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (rule.Method)
        {
            case "driver":
                var rows = DriverRows(year, Actual, rule.Driver!);
                return listed.Length == 0
                    ? [.. rows.Select(r => (r.Target, r.Micro))]
                    : [.. listed.Select(id => (id, rows.FirstOrDefault(r => r.Target == id)?.Micro ?? 0))];
            case "even":
            case "direct":
                return [.. listed.Select(id => (id, 1_000_000L))];
            case "fixed":
                return [.. listed.Select(part =>
                {
                    var colon = part.LastIndexOf(':');
                    var weight = decimal.Parse(part[(colon + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                    return (part[..colon], (long)(weight * 1_000_000m));
                })];
            default:
                throw new InvalidOperationException($"unknown method {rule.Method}");
        }
    }

    /// <summary>Exact split: quotients, then the leftover öre one each to the largest remainders, ties to the smaller id.</summary>
    private static IEnumerable<(string Target, long Share)> Split(long amount, List<(string Target, long Micro)> weights, long sum)
    {
        var magnitude = (Int128)Math.Abs(amount);
        var parts = weights.Select(w => (w.Target, Quotient: (long)(magnitude * w.Micro / sum), Remainder: magnitude * w.Micro % sum)).ToList();
        var leftover = (long)magnitude - parts.Sum(p => p.Quotient);
        var order = parts.Select((p, i) => (p, i))
            .OrderByDescending(x => x.p.Remainder)
            .ThenBy(x => x.p.Target, StringComparer.Ordinal)
            .Select(x => x.i)
            .Take((int)leftover)
            .ToHashSet();
        for (var i = 0; i < parts.Count; i++)
        {
            var share = parts[i].Quotient + (order.Contains(i) ? 1 : 0);
            yield return (parts[i].Target, amount < 0 ? -share : share);
        }
    }
}
