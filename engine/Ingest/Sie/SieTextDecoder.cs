using System.Buffers;
using System.Text;

namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>
/// Turns field bytes into text once the file's code page is known. SIE 4B 5.8 allows only IBM PC 8-bit
/// (code page 437, <c>#FORMAT PC8</c>); real exports are also Windows-1252 or UTF-8, sometimes while
/// declaring PC8. The choice is made once per file, from the first block of bytes that holds a non-ASCII
/// byte: before it every byte is ASCII, which all three code pages read alike.
/// </summary>
internal sealed class SieTextDecoder
{
    private static readonly Encoding Utf8Text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    // Nordic and German letters: where CP437 puts them (ü é ä å Ä Å É ö Ö Ü) and where Windows-1252 does.
    // Each set is rare as text in the other code page (box drawing, Greek and maths in 437; quotes and
    // daggers in 1252), so counting them tells the two apart.
    private static readonly SearchValues<byte> Cp437Letters = SearchValues.Create([0x81, 0x82, 0x84, 0x86, 0x8E, 0x8F, 0x90, 0x94, 0x99, 0x9A]);
    private static readonly SearchValues<byte> Cp1252Letters = SearchValues.Create([0xFC, 0xE9, 0xE4, 0xE5, 0xC4, 0xC5, 0xC9, 0xF6, 0xD6, 0xDC]);

    static SieTextDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private Encoding _encoding = Encoding.Latin1;

    public static Encoding Cp437 => Encoding.GetEncoding(437);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public bool Decided { get; private set; }

    public bool IsUtf8 { get; private set; }

    public Encoding Encoding => _encoding;

    public void Use(Encoding encoding)
    {
        _encoding = encoding;
        IsUtf8 = encoding.CodePage == 65001;
        Decided = true;
    }

    /// <summary>Chooses the code page from a sample that holds non-ASCII bytes.</summary>
    /// <returns>Why; <paramref name="mismatch"/> is set when the bytes contradict the declaration or there was none.</returns>
    public string Decide(ReadOnlySpan<byte> sample, bool declaredPc8, out bool mismatch)
    {
        var lastNewline = sample.LastIndexOf((byte)'\n');
        var complete = lastNewline >= 0 ? sample[..lastNewline] : sample;
        if (System.Text.Unicode.Utf8.IsValid(complete) && complete.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0)
        {
            Use(Utf8Text);
            mismatch = declaredPc8;
            return declaredPc8
                ? "the file declares #FORMAT PC8 but its non-ASCII bytes are valid UTF-8; read as UTF-8"
                : "the non-ASCII bytes are valid UTF-8";
        }

        var cp437 = Count(sample, Cp437Letters);
        var cp1252 = Count(sample, Cp1252Letters);
        if (declaredPc8)
        {
            if (cp1252 > cp437)
            {
                Use(Windows1252);
                mismatch = true;
                return $"the file declares #FORMAT PC8 but its letters are where Windows-1252 puts them ({cp1252} against {cp437}); read as Windows-1252";
            }

            Use(Cp437);
            mismatch = false;
            return "declared #FORMAT PC8 (code page 437)";
        }

        if (cp437 > cp1252)
        {
            Use(Cp437);
            mismatch = true;
            return $"no #FORMAT, and the letters are where code page 437 puts them ({cp437} against {cp1252}); read as code page 437, the only one SIE 4B allows";
        }

        Use(Windows1252);
        mismatch = false;
        return "no #FORMAT PC8 and not UTF-8: read as Windows-1252";
    }

    /// <summary>Decodes into <paramref name="destination"/>, which must hold at least as many chars as there are bytes.</summary>
    public int Decode(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        if (System.Text.Ascii.ToUtf16(bytes, destination, out var written) == OperationStatus.Done)
        {
            return written;
        }

        return _encoding.GetChars(bytes, destination);
    }

    public string GetString(ReadOnlySpan<byte> bytes) =>
        System.Text.Ascii.IsValid(bytes) ? Encoding.ASCII.GetString(bytes) : _encoding.GetString(bytes);

    private static int Count(ReadOnlySpan<byte> sample, SearchValues<byte> values)
    {
        var count = 0;
        var rest = sample;
        int at;
        while ((at = rest.IndexOfAny(values)) >= 0)
        {
            count++;
            rest = rest[(at + 1)..];
        }

        return count;
    }
}
