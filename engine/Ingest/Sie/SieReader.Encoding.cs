namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>The code page, chosen from the first block of bytes that holds a non-ASCII byte.</summary>
internal sealed partial class SieReader
{
    private void DecideEncoding(ReadOnlySpan<byte> sample)
    {
        if (_lineNumber == 0 && sample.StartsWith(Utf8Bom))
        {
            _decoder.Use(new System.Text.UTF8Encoding(false, false));
            _report.EncodingReason = "UTF-8 byte order mark";
            return;
        }

        var declaredPc8 = _report.DeclaredFormat is { } format
            ? IsPc8(format)
            : DeclaresPc8(sample);
        _report.EncodingReason = _decoder.Decide(sample, declaredPc8, out var mismatch);
        if (mismatch)
        {
            Issue(0, "#FORMAT", "", SieIssueKind.EncodingMismatch, SieSeverity.Warning, _report.EncodingReason);
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static bool IsPc8(string format) => format.Equals("PC8", StringComparison.OrdinalIgnoreCase);

    /// <summary>Looks for <c>#FORMAT PC8</c> in bytes not yet read as records.</summary>
    private static bool DeclaresPc8(ReadOnlySpan<byte> sample)
    {
        var at = sample.IndexOf("#FORMAT"u8);
        if (at < 0)
        {
            return false;
        }

        var rest = sample[(at + 7)..];
        var lineEnd = rest.IndexOf((byte)'\n');
        if (lineEnd >= 0)
        {
            rest = rest[..lineEnd];
        }

        rest = rest.Trim(" \t\r\""u8);
        return rest.Length >= 3 && System.Text.Ascii.EqualsIgnoreCase(rest[..3], "PC8"u8);
    }
}
