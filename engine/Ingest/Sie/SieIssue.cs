namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>What a <see cref="SieIssue"/> is about; the caller decides which kinds are fatal.</summary>
internal enum SieIssueKind
{
    /// <summary>The file holds no SIE record at all (for example an HTML error page).</summary>
    NotSieFile,

    /// <summary>A non-blank line that is neither a record (<c>#…</c>) nor a brace.</summary>
    NotARecord,

    /// <summary>A field that cannot be read: account, amount, date, year number, object list.</summary>
    MalformedField,

    /// <summary>An amount with more than two decimals (docs/model-format.md §1.3: an error, not a rounding).</summary>
    TooManyDecimals,

    /// <summary>A quoted string without its closing quote; read to the end of the line.</summary>
    UnterminatedQuote,

    /// <summary>The <c>#TRANS</c> amounts of a voucher do not sum to zero.</summary>
    UnbalancedVoucher,

    /// <summary>A <c>#TRANS</c>, <c>#RTRANS</c> or <c>#BTRANS</c> that is not inside a <c>#VER</c> block.</summary>
    TransactionOutsideVoucher,

    /// <summary>A <c>#VER</c> without its <c>{ … }</c> block, a stray brace, or a block never closed.</summary>
    VoucherStructure,

    /// <summary>An <c>#RTRANS</c> not directly followed by the identical <c>#TRANS</c> that SIE 4B requires.</summary>
    AddedRowNotMirrored,

    /// <summary>A <c>#TRANS</c> account that the file's <c>#KONTO</c> records do not declare.</summary>
    UndeclaredAccount,

    /// <summary>The <c>#KSUMMA</c> checksum differs from the one computed over the file.</summary>
    ChecksumMismatch,

    /// <summary>An opening <c>#KSUMMA</c> without the closing one (a truncated file), or the reverse.</summary>
    ChecksumStructure,

    /// <summary>No usable <c>#RAR 0</c>: fiscal years are taken to be calendar years.</summary>
    MissingFiscalYear,

    /// <summary>A <c>#RAR</c> after the first balance or voucher record; it is ignored.</summary>
    FiscalYearAfterData,

    /// <summary>A date or period in no <c>#RAR</c> year, or a <c>#RAR</c> year number the file does not declare.</summary>
    OutsideFiscalYears,

    /// <summary>A month past the eighteenth of its fiscal year (a <c>#RAR</c> longer than the 18 months a fiscal year may have).</summary>
    PeriodOutOfRange,

    /// <summary>The bytes contradict the declared <c>#FORMAT</c>, or there was none and the code page was guessed.</summary>
    EncodingMismatch,

    /// <summary>The text holds U+FFFD or invalid UTF-8: characters were lost before the file reached us.</summary>
    EncodingDamaged,

    /// <summary>An object list that names one dimension twice; the first object is used.</summary>
    DuplicateDimension,

    /// <summary>Period balances whose sum differs from the year's <c>#RES</c> for the account.</summary>
    BalanceMismatch,
}

/// <summary>How serious the reader thinks an issue is; a hint, the caller decides.</summary>
internal enum SieSeverity
{
    /// <summary>The data is usable as read; something is odd and worth telling.</summary>
    Warning,

    /// <summary>Data is missing, wrong or not emitted because of this.</summary>
    Error,
}

/// <summary>A data problem found while reading, never thrown.</summary>
/// <param name="Line">The 1-based line of the file (0 when the issue concerns the whole file).</param>
/// <param name="Record">The record label, such as <c>#TRANS</c>, or empty.</param>
/// <param name="Column">The field, named after SIE 4B's field (<c>amount</c>, <c>transdate</c>, …), or empty.</param>
/// <param name="Kind">What the issue is about.</param>
/// <param name="Severity">Whether the data is still usable as read.</param>
/// <param name="Reason">A precise English sentence.</param>
internal sealed record SieIssue(int Line, string Record, string Column, SieIssueKind Kind, SieSeverity Severity, string Reason)
{
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line} {Record} {Column}: {Severity} {Kind}: {Reason}");
}
