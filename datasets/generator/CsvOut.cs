using System.Globalization;
using System.Text;

namespace ItDrift.Tbm.Datasets;

/// <summary>
/// Writes canonical package CSV (docs/model-format.md §1.2: UTF-8 without BOM, comma, <c>.</c> decimal point, LF,
/// RFC 4180 quoting) straight into a byte buffer: numbers are formatted as UTF-8 in place and fixed
/// texts are escaped and encoded once (<see cref="Field(string)"/>), so a ledger line costs no allocation.
/// </summary>
internal sealed class CsvOut : IDisposable
{
    private const int BufferSize = 1 << 20;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly byte _separator;
    private readonly byte _decimal;
    private int _position;
    private bool _rowStart = true;

    public CsvOut(string path, params string[] header)
        : this(path, swedish: false, header)
    {
    }

    /// <param name="path">The file to create.</param>
    /// <param name="swedish">The Swedish spreadsheet dialect: <c>;</c> between fields and a decimal comma in amounts.</param>
    /// <param name="header">Column names.</param>
    public CsvOut(string path, bool swedish, params string[] header)
    {
        _separator = swedish ? (byte)';' : (byte)',';
        _decimal = swedish ? (byte)',' : (byte)'.';
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.SequentialScan);
        foreach (var name in header)
        {
            Text(name);
        }

        EndRow();
    }

    /// <summary>Rows written, header excluded.</summary>
    public long Rows { get; private set; } = -1;

    /// <summary>A text field escaped (quoted when it holds a comma, quote or line break) and encoded once, for reuse on many rows.</summary>
    public static byte[] Field(string value) => Field(value, ",\"\r\n");

    /// <summary>A ledger field: quoted also when it holds a <c>;</c>, so that it is one field in either dialect.</summary>
    public static byte[] LedgerField(string value) => Field(value, ",;\"\r\n");

    private static byte[] Field(string value, string special)
    {
        var needsQuotes = value.AsSpan().IndexOfAny(special) >= 0;
        return Utf8.GetBytes(needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value);
    }

    /// <summary>An already escaped field (see <see cref="Field(string)"/>).</summary>
    public void Raw(ReadOnlySpan<byte> field)
    {
        Separator(field.Length);
        if (field.Length > _buffer.Length)
        {
            Flush();
            _stream.Write(field);
            return;
        }

        field.CopyTo(_buffer.AsSpan(_position));
        _position += field.Length;
    }

    public void Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Separator(0);
            return;
        }

        Raw(_separator == (byte)';' ? LedgerField(value) : Field(value));
    }

    public void Integer(long value)
    {
        Separator(24);
        if (!value.TryFormat(_buffer.AsSpan(_position), out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("the buffer has no room for a number");
        }

        _position += written;
    }

    /// <summary>A voucher: a pre-encoded series prefix (e.g. <c>LF2403-</c>) and a number of at least six digits, in one field.</summary>
    public void Voucher(ReadOnlySpan<byte> prefix, long number)
    {
        Separator(prefix.Length + 24);
        prefix.CopyTo(_buffer.AsSpan(_position));
        _position += prefix.Length;
        if (!number.TryFormat(_buffer.AsSpan(_position), out var written, "D6", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("the buffer has no room for a number");
        }

        _position += written;
    }

    /// <summary>Öre as SEK with exactly two decimals, e.g. <c>-1234.50</c>.</summary>
    public void Money(long ore)
    {
        Separator(28);
        var magnitude = ore < 0 ? (ulong)-(Int128)ore : (ulong)ore;
        if (ore < 0)
        {
            _buffer[_position++] = (byte)'-';
        }

        (magnitude / 100).TryFormat(_buffer.AsSpan(_position), out var written, default, CultureInfo.InvariantCulture);
        _position += written;
        var cents = (int)(magnitude % 100);
        _buffer[_position++] = _decimal;
        _buffer[_position++] = (byte)('0' + (cents / 10));
        _buffer[_position++] = (byte)('0' + (cents % 10));
    }

    /// <summary>Millionths as a quantity in its shortest exact form: <c>242.5</c>, <c>534</c>, <c>0</c>.</summary>
    public void Quantity(long micro)
    {
        if (micro < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(micro), micro, "quantities are never negative");
        }

        Separator(28);
        (micro / 1_000_000).TryFormat(_buffer.AsSpan(_position), out var written, default, CultureInfo.InvariantCulture);
        _position += written;
        var fraction = (int)(micro % 1_000_000);
        if (fraction == 0)
        {
            return;
        }

        _buffer[_position++] = (byte)'.';
        var divisor = 100_000;
        while (fraction > 0)
        {
            _buffer[_position++] = (byte)('0' + (fraction / divisor));
            fraction %= divisor;
            divisor /= 10;
        }
    }

    public void EndRow()
    {
        Reserve(1);
        _buffer[_position++] = (byte)'\n';
        _rowStart = true;
        Rows++;
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }

    private void Separator(int room)
    {
        Reserve(Math.Min(room, _buffer.Length - 1) + 1);
        if (_rowStart)
        {
            _rowStart = false;
        }
        else
        {
            _buffer[_position++] = _separator;
        }
    }

    private void Reserve(int bytes)
    {
        if (_position + bytes > _buffer.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _position);
        _position = 0;
    }
}
