namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>Which records the ledger lines of a file came from: the most detailed data it has.</summary>
internal enum SieLedgerBasis
{
    /// <summary>Nothing to emit: no transactions, period balances or year balances.</summary>
    None,

    /// <summary><c>#TRANS</c> rows under <c>#VER</c> (SIE 4).</summary>
    Transactions,

    /// <summary><c>#PSALDO</c> period balances (SIE 2 and 3), the file having no <c>#TRANS</c>.</summary>
    PeriodBalances,

    /// <summary><c>#RES</c> year totals (SIE 1): year-level lines in the fiscal year's last period.</summary>
    YearBalances,
}

/// <summary>The result of the file's <c>#KSUMMA</c> check.</summary>
internal enum SieChecksumStatus
{
    /// <summary>The file carries no checksum (allowed: SIE 4B 10.3).</summary>
    Absent,

    Valid,

    Invalid,

    /// <summary>Opened but never closed (a truncated file, SIE 4B 10.6), or closed but never opened.</summary>
    Incomplete,
}

/// <summary>A <c>#RAR</c> record: one fiscal year of the file.</summary>
/// <param name="YearIndex">0 for the current year, -1 for the one before, …</param>
/// <param name="Start">Its first day.</param>
/// <param name="End">Its last day.</param>
/// <param name="FiscalYear">The calendar year in which it ends.</param>
internal sealed record SieFiscalYear(int YearIndex, DateOnly Start, DateOnly End, int FiscalYear)
{
    /// <summary>Months from the first to the last, both counted (12 for a normal year).</summary>
    public int Months => ((End.Year - Start.Year) * 12) + End.Month - Start.Month + 1;
}

/// <summary>A <c>#DIM</c> or <c>#UNDERDIM</c> declaration.</summary>
internal sealed record SieDimension(int Number, string Name, int? Parent);

/// <summary>The lines of one year and scenario.</summary>
/// <param name="YearIndex">The year's <c>#RAR</c> index: 0 for the current year, -1 for the one before, …</param>
/// <param name="FiscalYear">The calendar year in which it ends.</param>
/// <param name="Scenario">Booked or budgeted amounts.</param>
/// <param name="Lines">How many ledger lines the year and scenario have.</param>
/// <param name="AmountOre">The sum of their amounts, in öre.</param>
/// <param name="Sent">True when the lines went to a sink (the ledger sink for year 0, else
/// <see cref="SieReaderOptions.OtherYearsSink"/> when set).</param>
internal sealed record SieYearCount(int YearIndex, int FiscalYear, SieScenario Scenario, long Lines, Int128 AmountOre, bool Sent);

/// <summary>What a read found, besides the lines it emitted. Small: dictionaries of the chart of accounts and
/// objects, counts, and the issues; never the ledger rows.</summary>
internal sealed class SieReadReport
{
    public string? SieType { get; internal set; }

    public string? ProgramName { get; internal set; }

    public string? ProgramVersion { get; internal set; }

    public string? OrgNumber { get; internal set; }

    public string? CompanyName { get; internal set; }

    /// <summary>The <c>#GEN</c> date.</summary>
    public DateOnly? Generated { get; internal set; }

    /// <summary>The <c>#FORMAT</c> value as written (<c>PC8</c>), or null.</summary>
    public string? DeclaredFormat { get; internal set; }

    /// <summary>The code page used, by its web name: <c>ibm437</c>, <c>utf-8</c> or <c>windows-1252</c>.</summary>
    public string EncodingName { get; internal set; } = "";

    /// <summary>Why that encoding was chosen.</summary>
    public string EncodingReason { get; internal set; } = "";

    public List<SieFiscalYear> FiscalYears { get; } = [];

    /// <summary>True when no <c>#RAR 0</c> was usable and fiscal years were taken as calendar years.</summary>
    public bool CalendarYearAssumed { get; internal set; }

    public SieLedgerBasis Basis { get; internal set; }

    /// <summary>True when the actual lines are year totals (<c>#RES</c>), not months.</summary>
    public bool YearLevel => Basis == SieLedgerBasis.YearBalances;

    /// <summary>For SIE 2/3 period balances: <c>totals</c> (spec style: <c>{}</c> rows are the account totals,
    /// one-object rows break them down), <c>partition</c> (rows split the account by object combination),
    /// or null.</summary>
    public string? PeriodBalanceReading { get; internal set; }

    public SieChecksumStatus Checksum { get; internal set; }

    /// <summary>Records per label as written (<c>#TRANS</c> → 5520), unknown labels included.</summary>
    public Dictionary<string, long> RecordCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Labels that SIE 4B does not define, with their counts; they are skipped.</summary>
    public Dictionary<string, long> UnknownLabels { get; } = new(StringComparer.Ordinal);

    public long Vouchers { get; internal set; }

    /// <summary>Lines per year and scenario, whether sent to a sink or only counted.</summary>
    public List<SieYearCount> Years { get; } = [];

    /// <summary>Amount rows not emitted, by reason (<c>#BTRANS (removed row)</c> → 3, …).</summary>
    public Dictionary<string, long> NotEmitted { get; } = new(StringComparer.Ordinal);

    /// <summary>Lines sent to the ledger sink (year 0, both scenarios).</summary>
    public long LinesEmitted { get; internal set; }

    public Dictionary<int, string> Accounts { get; } = [];

    /// <summary>The <c>#KTYP</c> letters (T, S, K, I) by account.</summary>
    public Dictionary<int, string> AccountTypes { get; } = [];

    public Dictionary<int, SieDimension> Dimensions { get; } = [];

    /// <summary>Object names by dimension and object id (<c>#OBJEKT</c>).</summary>
    public Dictionary<(int Dimension, string Id), string> Objects { get; } = [];

    public List<SieIssue> Issues { get; } = [];

    /// <summary>Issues beyond <see cref="SieReaderOptions.MaxIssues"/>, counted and not kept.</summary>
    public long IssuesSuppressed { get; internal set; }

    public long ErrorCount { get; internal set; }

    public long WarningCount { get; internal set; }
}
