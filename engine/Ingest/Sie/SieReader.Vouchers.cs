using System.Globalization;

namespace ItDrift.Tbm.Ingest.Sie;

internal sealed partial class SieReader
{
    private const string OutsideVoucherReason = "#TRANS outside a #VER block";
    private const string MalformedRowReason = "#TRANS with a malformed field";
    private const string NoDateReason = "#TRANS without a valid date";
    private const string OutsideYearsReason = "date in no #RAR fiscal year";
    private const string BeyondEighteenReason = "month 19 or later of a fiscal year (a fiscal year is at most 18 months)";
    private const string RemovedRowReason = "#BTRANS (a removed row, not part of the ledger)";

    private VoucherState _voucherState;
    private int _voucherLine;
    private char[] _voucherId = new char[32];
    private int _voucherIdLength;
    private char[] _voucherText = new char[128];
    private int _voucherTextLength;
    private DateOnly? _voucherDate;
    private Int128 _voucherSum;
    private long _transactionRows;

    private bool _addedPending;
    private int _addedLine;
    private int _addedAccount;
    private long _addedAmount;
    private char[] _addedObjects = new char[64];
    private int _addedObjectsLength;

    private enum VoucherState : byte
    {
        None,
        ExpectOpen,
        InBody,
    }

    /// <summary><c>#VER serie vernr verdatum vertext regdatum sign</c> (SIE 4B chapter 11).</summary>
    private void OnVer(ReadOnlySpan<byte> line)
    {
        if (_voucherState == VoucherState.InBody)
        {
            Issue(_voucherLine, "#VER", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
                Invariant($"voucher {VoucherName()} has no closing '}}' before the #VER at line {_lineNumber}"));
            CloseVoucher();
        }
        else if (_voucherState == VoucherState.ExpectOpen)
        {
            Issue(_voucherLine, "#VER", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
                $"voucher {VoucherName()} is not followed by a '{{' block of #TRANS rows");
        }

        _report.Vouchers++;
        _voucherLine = _lineNumber;
        _voucherState = VoucherState.ExpectOpen;
        _voucherSum = 0;
        _addedPending = false;

        var fields = _fields;
        var series = fields.Count > 1 ? SieFields.Value(line, fields[1], ByteScratch(fields[1].Length)).Trim((byte)' ') : [];
        EnsureVoucherChars(ref _voucherId, (series.Length * 2) + 16 + (fields.Count > 2 ? fields[2].Length : 0));
        _voucherIdLength = _decoder.Decode(series, _voucherId);
        if (fields.Count > 2)
        {
            var number = SieFields.Value(line, fields[2], ByteScratch(fields[2].Length)).Trim((byte)' ');
            if (!number.IsEmpty)
            {
                if (_voucherIdLength > 0)
                {
                    _voucherId[_voucherIdLength++] = ' ';
                }

                _voucherIdLength += _decoder.Decode(number, _voucherId.AsSpan(_voucherIdLength));
            }
        }

        _voucherDate = null;
        if (fields.Count > 3 && SieNumbers.TryParseDate(SieFields.Raw(line, fields[3]), out var date))
        {
            _voucherDate = date;
        }
        else
        {
            Issue(_lineNumber, "#VER", "verdate", SieIssueKind.MalformedField, SieSeverity.Error,
                $"voucher {VoucherName()} date {FieldQuote(line, 3)} is not a date written ÅÅÅÅMMDD; rows without their own date are not emitted");
        }

        _voucherTextLength = 0;
        if (fields.Count > 4)
        {
            var text = SieFields.Value(line, fields[4], ByteScratch(fields[4].Length));
            EnsureVoucherChars(ref _voucherText, text.Length);
            _voucherTextLength = _decoder.Decode(text, _voucherText);
            CheckDamage(_voucherText.AsSpan(0, _voucherTextLength));
        }
    }

    private void OnBlockOpen()
    {
        if (_voucherState == VoucherState.ExpectOpen)
        {
            _voucherState = VoucherState.InBody;
            return;
        }

        Issue(_lineNumber, "", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
            _voucherState == VoucherState.InBody
                ? Invariant($"a second '{{' inside voucher {VoucherName()} (line {_voucherLine}); blocks do not nest")
                : "a '{' block without a #VER before it");
    }

    private void OnBlockClose()
    {
        if (_voucherState == VoucherState.InBody)
        {
            CloseVoucher();
            return;
        }

        Issue(_lineNumber, "", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
            _voucherState == VoucherState.ExpectOpen
                ? Invariant($"'}}' closes voucher {VoucherName()} (line {_voucherLine}), which has no '{{'")
                : "a '}' without an open voucher block");
        _voucherState = VoucherState.None;
    }

    private void CloseVoucher()
    {
        CheckAddedRowMirrored(mirrored: false);
        if (_voucherSum != 0)
        {
            Issue(_voucherLine, "#VER", "amount", SieIssueKind.UnbalancedVoucher, SieSeverity.Error,
                $"voucher {VoucherName()} does not balance: its #TRANS amounts sum to {SieNumbers.FormatOre(_voucherSum)}, not 0.00 (SIE 4B #TRANS 4)");
        }

        _voucherState = VoucherState.None;
    }

    private void CloseOpenVoucherAtEnd()
    {
        if (_voucherState == VoucherState.None)
        {
            return;
        }

        Issue(_voucherLine, "#VER", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
            $"voucher {VoucherName()} is not closed: the file ends inside it (is it truncated?)");
        CloseVoucher();
    }

    /// <summary>
    /// A removed row (SIE 4B #BTRANS): kept in the file for the audit trail, not part of the ledger, and not
    /// part of the voucher's balance.
    /// </summary>
    private void OnRemovedRow()
    {
        if (!EnterRow("#BTRANS"))
        {
            return;
        }

        CheckAddedRowMirrored(mirrored: false);
        NotEmitted(RemovedRowReason);
    }

    /// <summary>
    /// An added row (SIE 4B #RTRANS 4 and 6): it must be followed at once by the identical #TRANS, which is
    /// the row the ledger gets, so it is never counted twice. Only its pairing is checked here.
    /// </summary>
    private void OnAddedRow(ReadOnlySpan<byte> line)
    {
        if (!EnterRow("#RTRANS"))
        {
            return;
        }

        CheckAddedRowMirrored(mirrored: false);
        _addedPending = true;
        _addedLine = _lineNumber;
        _addedAccount = -1;
        _addedAmount = 0;
        _addedObjectsLength = 0;
        if (!TryAccount(line, 1, "#RTRANS", SieSeverity.Error, out var account))
        {
            return;
        }

        var shift = _fields.Count > 2 && _fields[2].Kind == SieFieldKind.List ? 0 : -1;
        _objectCount = 0;
        if (shift == 0 && !ReadObjects(line, _fields[2], "#RTRANS"))
        {
            return;
        }

        if (!TryAmount(line, 3 + shift, "#RTRANS", out var amount))
        {
            return;
        }

        EnsureChars((line.Length * 2) + 64);
        var canonical = WriteAllObjects(line, 0);
        EnsureVoucherChars(ref _addedObjects, canonical.Length);
        canonical.CopyTo(_addedObjects);
        _addedObjectsLength = canonical.Length;
        _addedAccount = account;
        _addedAmount = amount;
    }

    private void CheckAddedRowMirrored(bool mirrored)
    {
        if (!_addedPending)
        {
            return;
        }

        _addedPending = false;
        if (!mirrored)
        {
            Issue(_addedLine, "#RTRANS", "", SieIssueKind.AddedRowNotMirrored, SieSeverity.Error,
                "an added row (#RTRANS) must be followed at once by an identical #TRANS (SIE 4B #RTRANS 4); the row is missing from the ledger");
        }
    }

    /// <summary>Checks that a voucher row stands inside a voucher block.</summary>
    private bool EnterRow(string record)
    {
        if (_voucherState == VoucherState.InBody)
        {
            return true;
        }

        if (_voucherState == VoucherState.ExpectOpen)
        {
            Issue(_voucherLine, "#VER", "", SieIssueKind.VoucherStructure, SieSeverity.Error,
                Invariant($"voucher {VoucherName()} has no '{{' before its first row (line {_lineNumber})"));
            _voucherState = VoucherState.InBody;
            return true;
        }

        Issue(_lineNumber, record, "", SieIssueKind.TransactionOutsideVoucher, SieSeverity.Error,
            $"{record} is not inside a #VER {{ … }} block (SIE 4B: transaction rows are sub-records of #VER); not emitted");
        if (record == "#TRANS")
        {
            NotEmitted(OutsideVoucherReason);
        }

        return false;
    }

    /// <summary><c>#TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign</c>.</summary>
    private void OnTrans(ReadOnlySpan<byte> line)
    {
        if (!EnterRow("#TRANS"))
        {
            return;
        }

        _transactionRows++;
        var valid = TryAccount(line, 1, "#TRANS", SieSeverity.Error, out var account);
        var shift = 0;
        if (_fields.Count <= 2 || _fields[2].Kind != SieFieldKind.List)
        {
            shift = -1;
            _objectCount = 0;
            Issue(_lineNumber, "#TRANS", "objects", SieIssueKind.MalformedField, SieSeverity.Warning,
                "no object list after the account (SIE 4B writes {} when there is none); read as empty");
        }
        else if (!ReadObjects(line, _fields[2], "#TRANS"))
        {
            valid = false;
        }

        if (TryAmount(line, 3 + shift, "#TRANS", out var amount))
        {
            _voucherSum += amount;
        }
        else
        {
            valid = false;
        }

        var date = _voucherDate;
        var dateField = 4 + shift;
        if (_fields.Count > dateField && _fields[dateField].Length > 0)
        {
            if (SieNumbers.TryParseDate(SieFields.Raw(line, _fields[dateField]), out var transDate))
            {
                date = transDate;
            }
            else
            {
                valid = false;
                Issue(_lineNumber, "#TRANS", "transdate", SieIssueKind.MalformedField, SieSeverity.Error,
                    $"transaction date {FieldQuote(line, dateField)} is not a date written ÅÅÅÅMMDD");
            }
        }

        EnsureChars((line.Length * 2) + 64 + (_addedPending ? line.Length * 2 : 0));
        var mirrored = false;
        if (_addedPending)
        {
            var canonical = valid ? WriteAllObjects(line, _chars.Length / 2) : [];
            mirrored = valid && account == _addedAccount && amount == _addedAmount
                && canonical.SequenceEqual(_addedObjects.AsSpan(0, _addedObjectsLength));
        }

        CheckAddedRowMirrored(mirrored);
        if (!valid)
        {
            NotEmitted(MalformedRowReason);
            return;
        }

        if (date is not { } when)
        {
            NotEmitted(NoDateReason);
            return;
        }

        ref var use = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_usedAccounts, account, out var seen);
        if (!seen)
        {
            use.FirstLine = _lineNumber;
        }

        var placement = _calendar.Place(when, out var yearIndex, out var fiscalYear, out var period);
        if (placement != SiePlacement.InYear)
        {
            RejectPlacement(_lineNumber, placement, "#TRANS", "transdate", Invariant($"date {when:yyyy-MM-dd}"));
            return;
        }

        if (yearIndex == 0)
        {
            use.YearZeroSum += amount;
        }

        var position = 0;
        var costCenter = WriteObject(line, 1, ref position);
        var project = WriteObject(line, 6, ref position);
        var other = WriteOtherObjects(line, ref position);
        ReadOnlySpan<char> text = _voucherText.AsSpan(0, _voucherTextLength);
        var textField = 5 + shift;
        if (_fields.Count > textField && _fields[textField].Length > 0)
        {
            var bytes = SieFields.Value(line, _fields[textField], ByteScratch(_fields[textField].Length));
            var length = _decoder.Decode(bytes, _chars.AsSpan(position));
            text = _chars.AsSpan(position, length);
            CheckDamage(text);
        }

        Emit(new SieLedgerLine
        {
            SourceLine = _lineNumber,
            YearIndex = yearIndex,
            FiscalYear = fiscalYear,
            Period = period,
            Scenario = SieScenario.Actual,
            Source = SieLineSource.Transaction,
            Account = account,
            CostCenter = costCenter,
            Project = project,
            OtherDimensions = other,
            AmountOre = amount,
            Voucher = _voucherId.AsSpan(0, _voucherIdLength),
            Text = text,
            TransactionDate = when,
        });
    }

    private void RejectPlacement(int sourceLine, SiePlacement placement, string record, string column, string what)
    {
        if (placement == SiePlacement.Outside)
        {
            var current = _calendar.Current;
            Issue(sourceLine, record, column, SieIssueKind.OutsideFiscalYears, SieSeverity.Error,
                current is null
                    ? $"{what} is in no fiscal year the file declares with #RAR; not emitted"
                    : Invariant($"{what} is in no fiscal year the file declares with #RAR (year 0 runs {current.Start:yyyy-MM-dd} to {current.End:yyyy-MM-dd}); not emitted"));
            NotEmitted(OutsideYearsReason);
        }
        else
        {
            Issue(sourceLine, record, column, SieIssueKind.PeriodOutOfRange, SieSeverity.Error,
                $"{what} falls after the eighteenth month of its fiscal year; a fiscal year is at most 18 months and ledger periods are 1–18, so it is not emitted");
            NotEmitted(BeyondEighteenReason);
        }
    }

    private string VoucherName()
    {
        var id = _voucherId.AsSpan(0, _voucherIdLength);
        return id.IsEmpty ? Invariant($"at line {_voucherLine}") : $"{id.ToString()} (line {_voucherLine.ToString(CultureInfo.InvariantCulture)})";
    }

    private static void EnsureVoucherChars(ref char[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new char[Math.Max(length, buffer.Length * 2)];
        }
    }
}
