using System.Globalization;

namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>
/// Reads a SIE file (types 1 to 4, SIE filformat utgåva 4B) as a stream and sends its ledger lines to an
/// <see cref="ILedgerSink"/>: the <c>#TRANS</c> rows of a SIE 4 file, else the most detailed balances the
/// file has. Data problems become <see cref="SieIssue"/>s in the returned report; nothing is thrown for them.
/// </summary>
/// <remarks>
/// <para>One pass over the bytes, one line at a time: fields are byte ranges of the line, numbers and dates
/// are parsed from the bytes, and text is decoded into reused buffers, so memory stays flat whatever the
/// number of transactions. What is kept is small: the chart of accounts, dimensions, objects, counts,
/// and — for SIE 1–3 files, which have no transactions — the balance rows, aggregated.</para>
/// <para>Only year 0 (<c>#RAR 0</c>) goes to the ledger sink. Lines of earlier years go to
/// <see cref="SieReaderOptions.OtherYearsSink"/> when one is given, and are counted either way.</para>
/// <para>Lines are sent as they are read, before the voucher they belong to is known to balance: a caller
/// that treats an issue as fatal discards what the sink received (the engine appends to a staging table
/// that a failed validation never promotes).</para>
/// </remarks>
internal sealed partial class SieReader
{
    private const int InitialBufferSize = 1 << 16;

    private readonly ILedgerSink _sink;
    private readonly SieReaderOptions _options;
    private readonly SieReadReport _report = new();
    private readonly SieFields _fields = new();
    private readonly SieTextDecoder _decoder = new();
    private readonly SieFiscalCalendar _calendar = new();
    private readonly long[] _labelCounts = new long[KnownLabels.Length];
    private readonly List<YearAccumulator> _years = [];
    private readonly Dictionary<int, AccountUse> _usedAccounts = [];

    private byte[] _byteScratch = new byte[256];
    private char[] _chars = new char[512];
    private int _lineNumber;
    private long _records;
    private string? _firstNonRecordLine;
    private bool _frozen;
    private int _lastYear = -1;

    private SieReader(ILedgerSink sink, SieReaderOptions options)
    {
        _sink = sink;
        _options = options;
    }

    /// <summary>Reads <paramref name="stream"/> to its end; the caller owns (and disposes) it.</summary>
    public static SieReadReport Read(Stream stream, ILedgerSink sink, SieReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sink);
        var reader = new SieReader(sink, options ?? SieReaderOptions.Default);
        reader.Run(stream);
        return reader._report;
    }

    /// <summary>Reads a file.</summary>
    public static SieReadReport Read(string path, ILedgerSink sink, SieReaderOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(stream, sink, options);
    }

    private void Run(Stream stream)
    {
        if (_options.Encoding is { } given)
        {
            _decoder.Use(given);
            _report.EncodingReason = "given by the caller";
        }

        var buffer = new byte[InitialBufferSize];
        int start = 0, end = 0;
        var eof = false;
        while (true)
        {
            var pending = buffer.AsSpan(start, end - start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                ProcessLine(pending[..newline]);
                start += newline + 1;
                continue;
            }

            if (eof)
            {
                if (!pending.IsEmpty)
                {
                    ProcessLine(pending);
                }

                break;
            }

            if (start > 0)
            {
                pending.CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                // A line longer than the buffer: grow rather than split it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                eof = true;
                continue;
            }

            if (!_decoder.Decided && buffer.AsSpan(end, read).IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0)
            {
                DecideEncoding(buffer.AsSpan(0, end + read));
            }

            end += read;
        }

        Finish();
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        _lineNumber++;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (_lineNumber == 1 && line.StartsWith(Utf8Bom))
        {
            line = line[3..];
        }

        var first = line.IndexOfAnyExcept((byte)' ', (byte)'\t');
        if (first < 0)
        {
            return; // SIE 4B 5.6: blank lines are allowed anywhere and ignored.
        }

        var head = line[first];
        if (head is (byte)'{' or (byte)'}')
        {
            if (line[(first + 1)..].IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0)
            {
                Issue(_lineNumber, "", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
                    $"a brace must stand alone on its line (SIE 4B 5.4); the rest of the line is ignored: {SieNumbers.Quote(line)}");
            }

            if (head == (byte)'{')
            {
                OnBlockOpen();
            }
            else
            {
                OnBlockClose();
            }

            return;
        }

        if (head != (byte)'#')
        {
            _firstNonRecordLine ??= SieNumbers.Quote(line[first..]);
            Issue(_lineNumber, "", "", SieIssueKind.NotARecord, SieSeverity.Warning,
                $"the line is not a SIE record (it does not start with '#'); ignored: {SieNumbers.Quote(line[first..])}");
            return;
        }

        _fields.Split(line);
        _records++;
        var labelField = _fields[0];
        var label = Classify(SieFields.Raw(line, labelField), out var labelIndex);
        if (labelIndex >= 0)
        {
            _labelCounts[labelIndex]++;
        }
        else
        {
            CountUnknown(SieFields.Raw(line, labelField));
        }

        if (_checksumActive && label != Label.Ksumma)
        {
            AddToChecksum(line);
        }

        if (_fields.UnterminatedQuote)
        {
            Issue(_lineNumber, LabelText(labelIndex), "", SieIssueKind.UnterminatedQuote, SieSeverity.Warning,
                "a quoted field has no closing quote; it is read to the end of the line");
        }

        switch (label)
        {
            case Label.Trans:
                OnTrans(line);
                break;
            case Label.Ver:
                Freeze();
                OnVer(line);
                break;
            case Label.Rtrans:
                OnAddedRow(line);
                break;
            case Label.Btrans:
                OnRemovedRow();
                break;
            case Label.Psaldo:
                Freeze();
                OnPeriodBalance(line, budget: false);
                break;
            case Label.Pbudget:
                Freeze();
                OnPeriodBalance(line, budget: true);
                break;
            case Label.Res:
                Freeze();
                OnYearBalance(line);
                break;
            case Label.Balance:
                Freeze();
                break;
            case Label.Ksumma:
                OnChecksum(line);
                break;
            case Label.Unknown:
            case Label.Ignored:
                break;
            default:
                OnHeader(line, label);
                break;
        }
    }

    private void Finish()
    {
        CloseOpenVoucherAtEnd();
        FinishChecksum();
        Freeze();
        CheckDeclaredAccounts();
        EmitBalances();

        if (!_decoder.Decided)
        {
            var pc8 = _report.DeclaredFormat is { } format && IsPc8(format);
            _decoder.Use(pc8 ? SieTextDecoder.Cp437 : SieTextDecoder.Windows1252);
            _report.EncodingReason = "every byte is ASCII, which every code page reads alike";
        }

        _report.EncodingName = _decoder.Encoding.WebName;
        if (_records == 0)
        {
            Issue(_lineNumber == 0 ? 0 : 1, "", "", SieIssueKind.NotSieFile, SieSeverity.Error,
                _firstNonRecordLine is null
                    ? "the file is empty: it holds no SIE record"
                    : $"the file holds no SIE record (no line starts with '#'); it begins {_firstNonRecordLine}");
        }
        else if (_report.Basis == SieLedgerBasis.None)
        {
            Issue(0, "", "", SieIssueKind.NotSieFile, SieSeverity.Warning,
                "the file has no #TRANS, #PSALDO or #RES records: it holds no ledger amounts");
        }

        for (var i = 0; i < KnownLabels.Length; i++)
        {
            if (_labelCounts[i] > 0)
            {
                _report.RecordCounts[KnownLabels[i].Text] = _labelCounts[i];
            }
        }

        foreach (var (label, count) in _report.UnknownLabels)
        {
            _report.RecordCounts[label] = count;
        }

        foreach (var year in _years)
        {
            _report.Years.Add(new SieYearCount(year.YearIndex, year.FiscalYear, year.Scenario, year.Lines, year.Amount, year.Sent));
        }

        _report.Years.Sort((a, b) => (b.YearIndex, a.FiscalYear, a.Scenario).CompareTo((a.YearIndex, b.FiscalYear, b.Scenario)));
    }

    /// <summary>Sends a line to the ledger (year 0), to the other-years sink, or only counts it.</summary>
    private void Emit(in SieLedgerLine line)
    {
        var sent = true;
        if (line.YearIndex == 0)
        {
            _sink.Add(in line);
            _report.LinesEmitted++;
        }
        else if (_options.OtherYearsSink is { } other)
        {
            other.Add(in line);
        }
        else
        {
            sent = false;
        }

        var year = _lastYear >= 0 ? _years[_lastYear] : null;
        if (year is null || year.YearIndex != line.YearIndex || year.FiscalYear != line.FiscalYear || year.Scenario != line.Scenario)
        {
            _lastYear = -1;
            for (var i = 0; i < _years.Count; i++)
            {
                var y = _years[i];
                if (y.YearIndex == line.YearIndex && y.FiscalYear == line.FiscalYear && y.Scenario == line.Scenario)
                {
                    _lastYear = i;
                    break;
                }
            }

            if (_lastYear < 0)
            {
                _years.Add(new YearAccumulator(line.YearIndex, line.FiscalYear, line.Scenario, sent));
                _lastYear = _years.Count - 1;
            }

            year = _years[_lastYear];
        }

        year.Lines++;
        year.Amount += line.AmountOre;
    }

    private void NotEmitted(string reason, long count = 1)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_report.NotEmitted, reason, out _);
        slot += count;
    }

    private void Issue(int line, string record, string column, SieIssueKind kind, SieSeverity severity, string reason)
    {
        if (severity == SieSeverity.Error)
        {
            _report.ErrorCount++;
        }
        else
        {
            _report.WarningCount++;
        }

        if (_report.Issues.Count < _options.MaxIssues)
        {
            _report.Issues.Add(new SieIssue(line, record, column, kind, severity, reason));
        }
        else
        {
            _report.IssuesSuppressed++;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Scratch bytes for unescaping a field of this line.</summary>
    private Span<byte> ByteScratch(int length)
    {
        if (_byteScratch.Length < length)
        {
            _byteScratch = new byte[Math.Max(length, _byteScratch.Length * 2)];
        }

        return _byteScratch;
    }

    /// <summary>Makes sure the per-line char scratch holds <paramref name="length"/> chars.</summary>
    private void EnsureChars(int length)
    {
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }
    }

    private string Text(ReadOnlySpan<byte> line, in SieField field)
    {
        var text = _decoder.GetString(SieFields.Value(line, field, ByteScratch(field.Length)));
        CheckDamage(text);
        return text;
    }

    /// <summary>Per account of the #TRANS rows: where it is first used and what year 0 sums to.</summary>
    private struct AccountUse
    {
        public int FirstLine;
        public Int128 YearZeroSum;
    }

    private sealed class YearAccumulator(int yearIndex, int fiscalYear, SieScenario scenario, bool sent)
    {
        public int YearIndex { get; } = yearIndex;

        public int FiscalYear { get; } = fiscalYear;

        public SieScenario Scenario { get; } = scenario;

        public bool Sent { get; } = sent;

        public long Lines { get; set; }

        public Int128 Amount { get; set; }
    }
}
