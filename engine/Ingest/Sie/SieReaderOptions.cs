using System.Text;

namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>How <see cref="SieReader"/> reads a file. The defaults are what the engine uses.</summary>
internal sealed record SieReaderOptions
{
    public static SieReaderOptions Default { get; } = new();

    /// <summary>
    /// Receives the lines of earlier fiscal years (<c>#RAR -1</c>, <c>-2</c>, …) with their own fiscal year
    /// and period. Default null: those lines are only counted in the report, never sent to the ledger sink.
    /// </summary>
    public ILedgerSink? OtherYearsSink { get; init; }

    /// <summary>
    /// The dimension whose objects break down the account totals of spec-style SIE 3 period balances
    /// (<c>{}</c> total rows plus one-object rows). Default 1, the cost centre, which the mapping keys on.
    /// </summary>
    public int BreakdownDimension { get; init; } = 1;

    /// <summary>At most this many issues are kept; the rest are counted. Default 1000.</summary>
    public int MaxIssues { get; init; } = 1000;

    /// <summary>Read with this encoding instead of detecting one. Default null: detect.</summary>
    public Encoding? Encoding { get; init; }
}
