namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>Where <see cref="SieReader"/> sends ledger lines, one call per line, in file order.</summary>
/// <remarks>
/// The line's text fields are spans over the reader's scratch buffers: they are valid only during the
/// call. A sink that keeps a value copies it (or appends it to a DuckDB appender, which copies).
/// </remarks>
internal interface ILedgerSink
{
    void Add(in SieLedgerLine line);
}

/// <summary>The scenario a ledger line belongs to (docs/model-format.md §1.3 <c>scenario</c>).</summary>
internal enum SieScenario : byte
{
    /// <summary>Booked amounts: <c>#TRANS</c>, <c>#PSALDO</c> or <c>#RES</c>.</summary>
    Actual,

    /// <summary>Budgeted amounts: <c>#PBUDGET</c>.</summary>
    Budget,
}

/// <summary>Which kind of SIE record a ledger line was read from.</summary>
internal enum SieLineSource : byte
{
    /// <summary>A <c>#TRANS</c> row inside a <c>#VER</c>.</summary>
    Transaction,

    /// <summary>A <c>#PSALDO</c> period balance (SIE 2 and 3).</summary>
    PeriodBalance,

    /// <summary>A <c>#PBUDGET</c> period budget.</summary>
    PeriodBudget,

    /// <summary>A <c>#RES</c> year total (SIE 1): the line is year-level, not monthly.</summary>
    YearBalance,
}

/// <summary>One ledger line as docs/model-format.md §1.4 defines a <c>ledger</c> row, read from a SIE file.</summary>
/// <remarks>
/// A <c>readonly ref struct</c> so that a million lines cost no allocation: text fields are spans that
/// live until <see cref="ILedgerSink.Add"/> returns.
/// </remarks>
internal readonly ref struct SieLedgerLine
{
    /// <summary>The 1-based line of the SIE file the amount comes from.</summary>
    public int SourceLine { get; init; }

    /// <summary>The <c>#RAR</c> year number: 0 for the current year, -1 for the one before, …</summary>
    public int YearIndex { get; init; }

    /// <summary>The calendar year in which that fiscal year ends.</summary>
    public int FiscalYear { get; init; }

    /// <summary>The month of the fiscal year, 1 to 12, counted from its first month.</summary>
    public int Period { get; init; }

    public SieScenario Scenario { get; init; }

    /// <summary>The model format's name (docs/model-format.md §1.3) of <see cref="Scenario"/>: <c>actual</c> or <c>budget</c>.</summary>
    public string ScenarioName => Scenario == SieScenario.Budget ? "budget" : "actual";

    public SieLineSource Source { get; init; }

    public int Account { get; init; }

    /// <summary>The object of dimension 1 (kostnadsställe), or empty.</summary>
    public ReadOnlySpan<char> CostCenter { get; init; }

    /// <summary>The object of dimension 6 (projekt), or empty.</summary>
    public ReadOnlySpan<char> Project { get; init; }

    /// <summary>The other dimensions as <c>dim=object</c> pairs by ascending dimension, <c>;</c>-separated
    /// (<c>2=A;7=X</c>), or empty.</summary>
    public ReadOnlySpan<char> OtherDimensions { get; init; }

    /// <summary>The amount in öre, exactly as written (debit positive, credit negative).</summary>
    public long AmountOre { get; init; }

    /// <summary>The voucher as series and number (<c>A 12</c>); empty for balance lines.</summary>
    public ReadOnlySpan<char> Voucher { get; init; }

    /// <summary>The row's <c>transtext</c>, else the voucher's <c>vertext</c>; empty for balance lines.</summary>
    public ReadOnlySpan<char> Text { get; init; }

    /// <summary>The row's <c>transdat</c>, else the voucher date; null for balance lines.</summary>
    public DateOnly? TransactionDate { get; init; }
}
