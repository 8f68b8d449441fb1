namespace ItDrift.Tbm.Billing;

/// <summary>
/// Billing frequencies and the billing periods of a fiscal year (docs/billing.md): a period starts at the plan's
/// first month and every 1, 3, 6 or 12 months after it, up to month 12; the last period ends with the year.
/// </summary>
internal static class BillingPeriods
{
    /// <summary>The frequencies, lower case, as <c>billing.frequency</c> and <c>model.json</c> name them (any case).</summary>
    public static IReadOnlyList<string> Frequencies { get; } = ["monthly", "quarterly", "half-yearly", "annual"];

    /// <summary>The frequencies for a message: <c>monthly, quarterly, half-yearly, annual</c>.</summary>
    public static string Choices => string.Join(", ", Frequencies);

    /// <summary>The frequencies as an SQL list of literals.</summary>
    public static string SqlList => string.Join(", ", Frequencies.Select(f => "'" + f + "'"));

    /// <summary>A Peppol endpoint id as the plan accepts it: a four-digit scheme (0007 is the Swedish organisation number), <c>:</c> and the id.</summary>
    public const string EndpointPattern = "[0-9]{4}:[A-Za-z0-9._-]{1,50}";

    /// <summary>The months of a period of <paramref name="frequency"/> (lower case).</summary>
    public static int MonthsOf(string frequency) => frequency switch
    {
        "monthly" => 1,
        "quarterly" => 3,
        "half-yearly" => 6,
        "annual" => 12,
        _ => throw new InvalidOperationException($"'{frequency}' is not a billing frequency"),
    };

    /// <summary>The first months of the year's billing periods, ascending: <paramref name="firstPeriod"/>, then every period's length after it.</summary>
    public static IReadOnlyList<int> Starts(string frequency, int firstPeriod)
    {
        var length = MonthsOf(frequency);
        var starts = new List<int>();
        for (var month = firstPeriod; month <= 12; month += length)
        {
            starts.Add(month);
        }

        return starts;
    }

    /// <summary>How many months of the year each period covers: to the next period's start, the last to month 12.</summary>
    public static IReadOnlyList<int> Lengths(IReadOnlyList<int> starts) =>
        [.. starts.Select((start, i) => (i + 1 < starts.Count ? starts[i + 1] : 13) - start)];

    /// <summary>The start of the period a month (1–12) is invoiced in: the last start not after it; a month before the first period goes to the first.</summary>
    public static int PeriodOf(IReadOnlyList<int> starts, int month)
    {
        var period = starts[0];
        foreach (var start in starts)
        {
            if (start <= month)
            {
                period = start;
            }
        }

        return period;
    }

    /// <summary>
    /// Splits <paramref name="amount"/> öre over parts weighted by <paramref name="weights"/> (positive): each part
    /// <c>|amount|·w div W</c>, the öre left over one each to the largest remainders, ties to the earlier part, then
    /// the sign applied; so the parts sum exactly to the amount and a credit splits as the mirror of a debit.
    /// </summary>
    public static long[] Split(long amount, IReadOnlyList<int> weights)
    {
        var total = (Int128)weights.Sum();
        var magnitude = amount < 0 ? -(Int128)amount : amount;
        var parts = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        Int128 given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var product = magnitude * weights[i];
            parts[i] = (long)(product / total);
            remainders[i] = product % total;
            given += parts[i];
        }

        var left = (long)(magnitude - given);
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)left))
        {
            parts[i]++;
        }

        return amount < 0 ? [.. parts.Select(p => -p)] : parts;
    }
}
