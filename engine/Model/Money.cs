using System.Globalization;

namespace ItDrift.Tbm.Model;

/// <summary>Formatting of öre amounts in the run folder's text form (<c>-1234.50</c>, docs/model-format.md §4.1): invariant, two decimals, no separators.</summary>
public static class Money
{
    /// <summary>Formats öre as SEK with exactly two decimals.</summary>
    public static string Format(long ore)
    {
        var magnitude = ore < 0 ? -(Int128)ore : ore;
        var text = (magnitude / 100).ToString(CultureInfo.InvariantCulture) + "." + ((int)(magnitude % 100)).ToString("00", CultureInfo.InvariantCulture);
        return ore < 0 ? "-" + text : text;
    }
}

/// <summary>How the ledger's lines split into cost lines and skipped (non-cost) lines.</summary>
public sealed record LedgerCounts(long Lines, long CostLines, long SkippedLines, long SkippedAmount);
