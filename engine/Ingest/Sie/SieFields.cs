using System.Buffers;

namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>How a field was written.</summary>
internal enum SieFieldKind : byte
{
    Bare,
    Quoted,

    /// <summary>Quoted, and holds <c>\"</c>: the value is the text with each backslash before a quote removed.</summary>
    QuotedEscaped,

    /// <summary>An object list <c>{…}</c>: its items are <see cref="SieField.ChildCount"/> children.</summary>
    List,
}

/// <summary>One field of a record line: byte offsets into the line, never a copy.</summary>
internal struct SieField
{
    public int Start;
    public int Length;
    public SieFieldKind Kind;
    public int ChildStart;
    public int ChildCount;
}

/// <summary>
/// Splits one record line into fields by SIE 4B 5.7: fields are separated by one or more spaces or tabs,
/// any field may be quoted, a quote inside a quoted field is written <c>\"</c>; object lists are
/// <c>{dim obj dim obj}</c>. Works on bytes: every syntax character is ASCII in CP437, Windows-1252 and
/// UTF-8 alike, so text is decoded only for the fields a record needs.
/// </summary>
internal sealed class SieFields
{
    private static readonly SearchValues<byte> FieldEnds = SearchValues.Create(" \t{}\""u8);

    private SieField[] _fields = new SieField[16];
    private SieField[] _children = new SieField[16];

    public int Count { get; private set; }

    public int ChildTotal { get; private set; }

    /// <summary>A quoted field ran to the end of the line without its closing quote.</summary>
    public bool UnterminatedQuote { get; private set; }

    /// <summary>An object list without its closing brace, a brace inside a list, or a stray closing brace.</summary>
    public bool BraceError { get; private set; }

    public ref readonly SieField this[int index] => ref _fields[index];

    public ref readonly SieField Child(int index) => ref _children[index];

    public void Split(ReadOnlySpan<byte> line)
    {
        Count = 0;
        ChildTotal = 0;
        UnterminatedQuote = false;
        BraceError = false;
        var listField = -1;
        var i = 0;
        while (true)
        {
            var skip = line[i..].IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var b = line[i];
            if (b == (byte)'{')
            {
                if (listField >= 0)
                {
                    BraceError = true;
                }
                else
                {
                    listField = Count;
                    Add(ref _fields, Count++, new SieField { Start = i, Length = 1, Kind = SieFieldKind.List, ChildStart = ChildTotal });
                }

                i++;
                continue;
            }

            if (b == (byte)'}')
            {
                if (listField >= 0)
                {
                    ref var list = ref _fields[listField];
                    list.ChildCount = ChildTotal - list.ChildStart;
                    list.Length = i + 1 - list.Start;
                    listField = -1;
                }
                else
                {
                    BraceError = true;
                }

                i++;
                continue;
            }

            SieField field;
            if (b == (byte)'"')
            {
                var start = i + 1;
                var j = start;
                var escaped = false;
                while (true)
                {
                    var at = line[j..].IndexOfAny((byte)'"', (byte)'\\');
                    if (at < 0)
                    {
                        j = line.Length;
                        UnterminatedQuote = true;
                        break;
                    }

                    j += at;
                    if (line[j] == (byte)'"')
                    {
                        break;
                    }

                    // A backslash: before a quote it escapes it (SIE 4B 5.7); elsewhere it is text.
                    if (j + 1 < line.Length && line[j + 1] == (byte)'"')
                    {
                        escaped = true;
                        j += 2;
                    }
                    else
                    {
                        j++;
                    }
                }

                field = new SieField { Start = start, Length = j - start, Kind = escaped ? SieFieldKind.QuotedEscaped : SieFieldKind.Quoted };
                i = Math.Min(j + 1, line.Length);
            }
            else
            {
                var end = line[(i + 1)..].IndexOfAny(FieldEnds);
                var j = end < 0 ? line.Length : i + 1 + end;
                field = new SieField { Start = i, Length = j - i, Kind = SieFieldKind.Bare };
                i = j;
            }

            if (listField >= 0)
            {
                Add(ref _children, ChildTotal++, field);
            }
            else
            {
                Add(ref _fields, Count++, field);
            }
        }

        if (listField >= 0)
        {
            BraceError = true;
            ref var list = ref _fields[listField];
            list.ChildCount = ChildTotal - list.ChildStart;
            list.Length = line.Length - list.Start;
        }
    }

    /// <summary>The field's bytes as written between its quotes (escapes still in place).</summary>
    public static ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> line, in SieField field) => line.Slice(field.Start, field.Length);

    /// <summary>The field's value: escaped quotes unescaped into <paramref name="scratch"/> when needed.</summary>
    public static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> line, in SieField field, Span<byte> scratch)
    {
        var raw = line.Slice(field.Start, field.Length);
        if (field.Kind != SieFieldKind.QuotedEscaped)
        {
            return raw;
        }

        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length && raw[i + 1] == (byte)'"')
            {
                continue;
            }

            scratch[n++] = raw[i];
        }

        return scratch[..n];
    }

    private static void Add(ref SieField[] array, int index, SieField field)
    {
        if (index == array.Length)
        {
            Array.Resize(ref array, array.Length * 2);
        }

        array[index] = field;
    }
}
