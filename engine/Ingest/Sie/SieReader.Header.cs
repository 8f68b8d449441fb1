using System.Runtime.InteropServices;

namespace ItDrift.Tbm.Ingest.Sie;

internal sealed partial class SieReader
{
    private enum Label : byte
    {
        Unknown,

        /// <summary>A SIE 4B label this reader has no use for (#ADRESS, #SRU, …): counted, skipped.</summary>
        Ignored,

        /// <summary>#IB, #UB, #OIB, #OUB: balances that carry no ledger amount here; counted.</summary>
        Balance,
        Flagga,
        Format,
        Sietyp,
        Program,
        Gen,
        Fnamn,
        Orgnr,
        Rar,
        Konto,
        Ktyp,
        Dim,
        Underdim,
        Objekt,
        Ver,
        Trans,
        Rtrans,
        Btrans,
        Res,
        Psaldo,
        Pbudget,
        Ksumma,
    }

    private readonly record struct KnownLabel(string Text, byte[] Bytes, Label Kind);

    /// <summary>Every label of SIE 4B chapter 11, #TRANS first since it is most of a large file.</summary>
    private static readonly KnownLabel[] KnownLabels =
    [
        Known("#TRANS", Label.Trans),
        Known("#VER", Label.Ver),
        Known("#RTRANS", Label.Rtrans),
        Known("#BTRANS", Label.Btrans),
        Known("#PSALDO", Label.Psaldo),
        Known("#PBUDGET", Label.Pbudget),
        Known("#KONTO", Label.Konto),
        Known("#KTYP", Label.Ktyp),
        Known("#SRU", Label.Ignored),
        Known("#IB", Label.Balance),
        Known("#UB", Label.Balance),
        Known("#OIB", Label.Balance),
        Known("#OUB", Label.Balance),
        Known("#RES", Label.Res),
        Known("#OBJEKT", Label.Objekt),
        Known("#DIM", Label.Dim),
        Known("#UNDERDIM", Label.Underdim),
        Known("#RAR", Label.Rar),
        Known("#FLAGGA", Label.Flagga),
        Known("#FORMAT", Label.Format),
        Known("#SIETYP", Label.Sietyp),
        Known("#PROGRAM", Label.Program),
        Known("#GEN", Label.Gen),
        Known("#FNAMN", Label.Fnamn),
        Known("#ORGNR", Label.Orgnr),
        Known("#KSUMMA", Label.Ksumma),
        Known("#ADRESS", Label.Ignored),
        Known("#BKOD", Label.Ignored),
        Known("#ENHET", Label.Ignored),
        Known("#FNR", Label.Ignored),
        Known("#FTYP", Label.Ignored),
        Known("#KPTYP", Label.Ignored),
        Known("#OMFATTN", Label.Ignored),
        Known("#PROSA", Label.Ignored),
        Known("#TAXAR", Label.Ignored),
        Known("#VALUTA", Label.Ignored),
    ];

    private readonly List<SieFiscalYear> _declaredYears = [];

    private static KnownLabel Known(string text, Label kind) => new(text, System.Text.Encoding.ASCII.GetBytes(text), kind);

    private static Label Classify(ReadOnlySpan<byte> label, out int index)
    {
        for (var i = 0; i < KnownLabels.Length; i++)
        {
            if (label.SequenceEqual(KnownLabels[i].Bytes))
            {
                index = i;
                return KnownLabels[i].Kind;
            }
        }

        // Labels are upper case in SIE 4B; accept a writer that got the case wrong.
        if (label.Length <= 16 && label.IndexOfAnyInRange((byte)'a', (byte)'z') >= 0)
        {
            Span<byte> upper = stackalloc byte[label.Length];
            System.Text.Ascii.ToUpper(label, upper, out _);
            for (var i = 0; i < KnownLabels.Length; i++)
            {
                if (upper.SequenceEqual(KnownLabels[i].Bytes))
                {
                    index = i;
                    return KnownLabels[i].Kind;
                }
            }
        }

        index = -1;
        return Label.Unknown;
    }

    private static string LabelText(int index) => index >= 0 ? KnownLabels[index].Text : "";

    private void CountUnknown(ReadOnlySpan<byte> label)
    {
        var text = _decoder.GetString(label);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_report.UnknownLabels, text, out _);
        slot++;
    }

    /// <summary>
    /// The fiscal years are fixed at the first balance or voucher record: SIE 4B 5.12 puts identification
    /// records first, and a streaming reader must know the year of a line when it emits it.
    /// </summary>
    private void Freeze()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        _calendar.Freeze(_declaredYears);
        _report.FiscalYears.AddRange(_declaredYears);
        _report.FiscalYears.Sort((a, b) => b.YearIndex.CompareTo(a.YearIndex));
        if (_calendar.CalendarYears)
        {
            _report.CalendarYearAssumed = true;
            if (_records > 0)
            {
                Issue(_lineNumber, "#RAR", "", SieIssueKind.MissingFiscalYear, SieSeverity.Warning,
                    "no #RAR 0 with start and end dates before the first balance or voucher record: fiscal years are taken to be calendar years (period = calendar month)");
            }
        }
    }

    private void OnHeader(ReadOnlySpan<byte> line, Label label)
    {
        var fields = _fields;
        var record = "#" + label.ToString().ToUpperInvariant();
        switch (label)
        {
            case Label.Flagga:
                break;
            case Label.Format:
                if (fields.Count > 1)
                {
                    _report.DeclaredFormat = Text(line, fields[1]);
                }

                break;
            case Label.Sietyp:
                if (fields.Count > 1)
                {
                    _report.SieType = Text(line, fields[1]);
                }

                break;
            case Label.Program:
                if (fields.Count > 1)
                {
                    _report.ProgramName = Text(line, fields[1]);
                }

                if (fields.Count > 2)
                {
                    _report.ProgramVersion = Text(line, fields[2]);
                }

                break;
            case Label.Gen:
                if (fields.Count > 1 && SieNumbers.TryParseDate(SieFields.Raw(line, fields[1]), out var generated))
                {
                    _report.Generated = generated;
                }
                else
                {
                    Issue(_lineNumber, record, "date", SieIssueKind.MalformedField, SieSeverity.Warning,
                        $"#GEN date {FieldQuote(line, 1)} is not a date written ÅÅÅÅMMDD");
                }

                break;
            case Label.Fnamn:
                if (fields.Count > 1)
                {
                    _report.CompanyName = Text(line, fields[1]);
                }

                break;
            case Label.Orgnr:
                if (fields.Count > 1)
                {
                    _report.OrgNumber = Text(line, fields[1]);
                }

                break;
            case Label.Rar:
                OnFiscalYear(line);
                break;
            case Label.Konto:
                if (TryAccount(line, 1, record, SieSeverity.Warning, out var account))
                {
                    _report.Accounts[account] = fields.Count > 2 ? Text(line, fields[2]) : "";
                }

                break;
            case Label.Ktyp:
                if (TryAccount(line, 1, record, SieSeverity.Warning, out var typed) && fields.Count > 2)
                {
                    _report.AccountTypes[typed] = Text(line, fields[2]);
                }

                break;
            case Label.Dim:
            case Label.Underdim:
                OnDimension(line, record, label == Label.Underdim);
                break;
            case Label.Objekt:
                if (TryDimension(line, 1, record, out var dimension) && fields.Count > 2)
                {
                    _report.Objects[(dimension, Text(line, fields[2]))] = fields.Count > 3 ? Text(line, fields[3]) : "";
                }
                else if (fields.Count <= 2)
                {
                    Issue(_lineNumber, record, "object", SieIssueKind.MalformedField, SieSeverity.Warning, "#OBJEKT has no object id");
                }

                break;
            default:
                break;
        }
    }

    private void OnDimension(ReadOnlySpan<byte> line, string record, bool sub)
    {
        if (!TryDimension(line, 1, record, out var number))
        {
            return;
        }

        int? parent = null;
        if (sub)
        {
            if (_fields.Count > 3 && SieNumbers.TryParseNatural(SieFields.Raw(line, _fields[3]), out var super))
            {
                parent = super;
            }
            else
            {
                Issue(_lineNumber, record, "superdimension", SieIssueKind.MalformedField, SieSeverity.Warning,
                    $"#UNDERDIM superdimension {FieldQuote(line, 3)} is not a dimension number");
            }
        }

        _report.Dimensions[number] = new SieDimension(number, _fields.Count > 2 ? Text(line, _fields[2]) : "", parent);
    }

    private void OnFiscalYear(ReadOnlySpan<byte> line)
    {
        if (_frozen)
        {
            Issue(_lineNumber, "#RAR", "", SieIssueKind.FiscalYearAfterData, SieSeverity.Warning,
                "#RAR comes after the first balance or voucher record (SIE 4B 5.12 puts it first); it is ignored");
            return;
        }

        if (_fields.Count < 2 || !SieNumbers.TryParseYearIndex(SieFields.Raw(line, _fields[1]), out var index))
        {
            Issue(_lineNumber, "#RAR", "year", SieIssueKind.MalformedField, SieSeverity.Error,
                $"#RAR year number {FieldQuote(line, 1)} is not 0, -1, -2, …");
            return;
        }

        if (_fields.Count < 3 || !SieNumbers.TryParseDate(SieFields.Raw(line, _fields[2]), out var start))
        {
            Issue(_lineNumber, "#RAR", "start", SieIssueKind.MalformedField, SieSeverity.Error,
                Invariant($"#RAR {index} start {FieldQuote(line, 2)} is not a date written ÅÅÅÅMMDD; the year is ignored"));
            return;
        }

        if (_fields.Count < 4 || !SieNumbers.TryParseDate(SieFields.Raw(line, _fields[3]), out var end) || end < start)
        {
            Issue(_lineNumber, "#RAR", "end", SieIssueKind.MalformedField, SieSeverity.Error,
                Invariant($"#RAR {index} end {FieldQuote(line, 3)} is not a date written ÅÅÅÅMMDD on or after the start; the year is ignored"));
            return;
        }

        _declaredYears.RemoveAll(y => y.YearIndex == index);
        _declaredYears.Add(new SieFiscalYear(index, start, end, end.Year));
    }

    private bool TryAccount(ReadOnlySpan<byte> line, int field, string record, SieSeverity severity, out int account)
    {
        account = 0;
        if (_fields.Count > field && _fields[field].Kind != SieFieldKind.List
            && SieNumbers.TryParseNatural(SieFields.Raw(line, _fields[field]), out account))
        {
            return true;
        }

        Issue(_lineNumber, record, "account", SieIssueKind.MalformedField, severity,
            _fields.Count > field
                ? $"account {FieldQuote(line, field)} is not an account number (SIE 4B: account numbers are numeric)"
                : "the account number is missing");
        return false;
    }

    private bool TryDimension(ReadOnlySpan<byte> line, int field, string record, out int dimension)
    {
        dimension = 0;
        if (_fields.Count > field && SieNumbers.TryParseNatural(SieFields.Raw(line, _fields[field]), out dimension))
        {
            return true;
        }

        Issue(_lineNumber, record, "dimension", SieIssueKind.MalformedField, SieSeverity.Warning,
            $"dimension number {FieldQuote(line, field)} is not a number");
        return false;
    }

    private string FieldQuote(ReadOnlySpan<byte> line, int field) =>
        _fields.Count > field ? SieNumbers.Quote(SieFields.Raw(line, _fields[field])) : "(missing)";

    private static string ChildQuote(ReadOnlySpan<byte> line, in SieField child) => SieNumbers.Quote(SieFields.Raw(line, child));
}
