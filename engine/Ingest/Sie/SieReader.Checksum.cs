using System.Globalization;
using System.IO.Hashing;

namespace ItDrift.Tbm.Ingest.Sie;

internal sealed partial class SieReader
{
    /// <summary>The <c>#KSUMMA</c> CRC-32 of SIE 4B chapter 10: polynomial EDB88320h, reflected, the same CRC-32 as zip and PNG.</summary>
    private readonly Crc32 _checksum = new();
    private bool _checksumActive;
    private int _checksumOpenedAt;

    /// <summary>
    /// <c>#KSUMMA</c> without a value opens the checksum (SIE 4B 10.4–10.5); with a value it closes it and
    /// is compared with the CRC-32 of every record in between.
    /// </summary>
    private void OnChecksum(ReadOnlySpan<byte> line)
    {
        if (_fields.Count < 2)
        {
            if (_checksumOpenedAt == 0)
            {
                _checksumOpenedAt = _lineNumber;
                _checksumActive = true;
                _checksum.Reset();
            }
            else
            {
                Issue(_lineNumber, "#KSUMMA", "", SieIssueKind.ChecksumStructure, SieSeverity.Warning,
                    Invariant($"a second opening #KSUMMA; the checksum opened at line {_checksumOpenedAt} goes on"));
            }

            return;
        }

        if (!_checksumActive)
        {
            _report.Checksum = SieChecksumStatus.Incomplete;
            Issue(_lineNumber, "#KSUMMA", "checksum", SieIssueKind.ChecksumStructure, SieSeverity.Warning,
                "a closing #KSUMMA without an opening #KSUMMA after #FLAGGA (SIE 4B 10.4); the checksum cannot be checked");
            return;
        }

        _checksumActive = false;
        var computed = _checksum.GetCurrentHashAsUInt32();
        var written = SieFields.Raw(line, _fields[1]);
        if (uint.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) && declared == computed)
        {
            _report.Checksum = SieChecksumStatus.Valid;
            return;
        }

        _report.Checksum = SieChecksumStatus.Invalid;
        Issue(_lineNumber, "#KSUMMA", "checksum", SieIssueKind.ChecksumMismatch, SieSeverity.Error,
            Invariant($"the file's checksum is {SieNumbers.Quote(written)} but the CRC-32 of lines {_checksumOpenedAt + 1}–{_lineNumber - 1} is {computed}: the file was changed or damaged after it was written"));
    }

    /// <summary>
    /// SIE 4B 10.14: labels and field values count; the blanks and tabs between fields, the quotes around a
    /// field, the braces of object lists and voucher blocks, and the backslash of an escaped quote do not.
    /// The bytes are the file's own, which for a conforming file are code page 437.
    /// </summary>
    private void AddToChecksum(ReadOnlySpan<byte> line)
    {
        var fields = _fields;
        for (var i = 0; i < fields.Count; i++)
        {
            ref readonly var field = ref fields[i];
            if (field.Kind == SieFieldKind.List)
            {
                for (var c = 0; c < field.ChildCount; c++)
                {
                    ref readonly var child = ref fields.Child(field.ChildStart + c);
                    _checksum.Append(SieFields.Value(line, child, ByteScratch(child.Length)));
                }
            }
            else
            {
                _checksum.Append(SieFields.Value(line, field, ByteScratch(field.Length)));
            }
        }
    }

    private void FinishChecksum()
    {
        if (_checksumActive)
        {
            _report.Checksum = SieChecksumStatus.Incomplete;
            Issue(_checksumOpenedAt, "#KSUMMA", "checksum", SieIssueKind.ChecksumStructure, SieSeverity.Error,
                "the file opens a checksum with #KSUMMA but has no closing #KSUMMA: it is truncated (SIE 4B 10.6 says to refuse it)");
        }
    }
}
