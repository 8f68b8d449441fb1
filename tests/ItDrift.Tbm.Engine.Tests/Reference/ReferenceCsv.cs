using System.Globalization;
using System.Numerics;
using System.Text;

namespace ItDrift.Tbm.Tests.Reference;

/// <summary>
/// One table read from a CSV file: a header and its data rows, columns looked up case-insensitively.
/// </summary>
/// <remarks>
/// <see cref="DecimalComma"/> is set when the file is the Swedish spreadsheet dialect (<c>;</c> separator),
/// so that numeric cells are read with <c>,</c> as the decimal point.
/// </remarks>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    public CsvTable(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, bool decimalComma)
    {
        Header = header;
        Rows = rows;
        DecimalComma = decimalComma;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i].Trim(), i);
        }
    }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public bool DecimalComma { get; }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The trimmed cell, or the empty string when the column or the cell is missing.</summary>
    public string Get(string[] row, string column) =>
        _columns.TryGetValue(column, out var index) && index < row.Length ? row[index].Trim() : string.Empty;
}

/// <summary>
/// A small RFC 4180 reader and writer, plus the exact number parsing and formatting of the run contract.
/// Kept free of any engine type so that it checks the engine independently.
/// </summary>
public static class ReferenceCsv
{
    /// <summary>Reads a table file: BOM accepted, separator detected from the header line.</summary>
    public static CsvTable ReadTable(string path)
    {
        var text = File.ReadAllText(path, new UTF8Encoding(false));
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var separator = DetectSeparator(text);
        var records = Parse(text, separator);
        if (records.Count == 0)
        {
            return new CsvTable([], [], separator == ';');
        }

        return new CsvTable(records[0], records.Skip(1).ToList(), separator == ';');
    }

    /// <summary>The Swedish export uses <c>;</c>; it is recognised from the header line alone.</summary>
    public static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(';', StringComparison.Ordinal) ? ';' : ',';
    }

    /// <summary>Splits RFC 4180 text into records; blank lines are dropped.</summary>
    public static List<string[]> Parse(string text, char separator)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quotedRecord = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                quotedRecord = true;
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i]);
                    i++;
                }

                continue;
            }

            if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                EndRecord();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                continue;
            }

            field.Append(c);
            i++;
        }

        if (field.Length > 0 || fields.Count > 0 || quotedRecord)
        {
            EndRecord();
        }

        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            var blank = fields.Count == 1 && fields[0].Length == 0 && !quotedRecord;
            if (!blank)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
            quotedRecord = false;
        }
    }

    /// <summary>Quotes a field only when it holds the separator, a quote or a line break.</summary>
    public static string Quote(string field, char separator)
    {
        var needs = field.Contains(separator, StringComparison.Ordinal)
            || field.Contains('"', StringComparison.Ordinal)
            || field.Contains('\n', StringComparison.Ordinal)
            || field.Contains('\r', StringComparison.Ordinal);
        return needs ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>Writes a header and rows as comma-separated text, LF after every line.</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        AppendRecord(sb, header, ',', "\n");
        foreach (var row in rows)
        {
            AppendRecord(sb, row, ',', "\n");
        }

        return sb.ToString();
    }

    public static void AppendRecord(StringBuilder sb, IReadOnlyList<string> fields, char separator, string newline)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            sb.Append(Quote(fields[i], separator));
        }

        sb.Append(newline);
    }

    /// <summary>
    /// Parses a decimal number exactly as an integer count of 10^-<paramref name="decimals"/> units
    /// (öre for 2, millionths for 6). More decimals than allowed is an error, never a rounding.
    /// </summary>
    public static long ParseScaled(string text, int decimals, bool decimalComma)
    {
        var s = text.Trim();
        if (decimalComma)
        {
            s = s.Replace(',', '.');
        }

        var negative = false;
        if (s.StartsWith('-'))
        {
            negative = true;
            s = s[1..];
        }
        else if (s.StartsWith('+'))
        {
            s = s[1..];
        }

        var point = s.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? s : s[..point];
        var fraction = point < 0 ? string.Empty : s[(point + 1)..];
        if (fraction.Length > decimals)
        {
            throw new FormatException($"'{text}' has more than {decimals} decimals.");
        }

        if (whole.Length == 0 && fraction.Length == 0)
        {
            throw new FormatException($"'{text}' is not a number.");
        }

        var scale = Pow10(decimals);
        var wholeValue = whole.Length == 0 ? 0 : long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        var fractionValue = fraction.Length == 0
            ? 0
            : long.Parse(fraction.PadRight(decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        var value = checked((wholeValue * scale) + fractionValue);
        return negative ? -value : value;
    }

    public static long ParseInteger(string text) =>
        long.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Öre as SEK with exactly two decimals: <c>-0.05</c>, <c>0.00</c>, <c>1234.50</c>.</summary>
    public static string FormatMoney(long ore) => FormatFixed(ore, 2, trimZeros: false);

    /// <summary>Millionths in the shortest exact form: <c>242.5</c>, <c>534</c>, <c>0.000001</c>.</summary>
    public static string FormatQuantity(long micro) => FormatFixed(micro, 6, trimZeros: true);

    public static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FormatFixed(long scaled, int decimals, bool trimZeros)
    {
        var magnitude = BigInteger.Abs(scaled);
        var scale = new BigInteger(Pow10(decimals));
        var whole = (magnitude / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = (magnitude % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0');
        if (trimZeros)
        {
            fraction = fraction.TrimEnd('0');
        }

        var sign = scaled < 0 ? "-" : string.Empty;
        return fraction.Length == 0 ? sign + whole : sign + whole + "." + fraction;
    }

    private static long Pow10(int n)
    {
        long result = 1;
        for (var i = 0; i < n; i++)
        {
            result *= 10;
        }

        return result;
    }
}
