using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// Streams a CSV table into its staging table: both dialects of docs/model-format.md §1.2 (comma with decimal
/// point, and the Swedish spreadsheet export with <c>;</c> and decimal comma), RFC 4180 quoting, a
/// BOM, UTF-8 or Windows-1252. Cells are staged as canonical text with their physical line number;
/// typing and checking happen once, in SQL, for every source format.
/// </summary>
internal static class CsvTableReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CsvTableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The dialect, told by the header line.</summary>
    internal enum Dialect
    {
        Comma,
        Swedish,
    }

    /// <param name="connection">The run's database.</param>
    /// <param name="source">The file.</param>
    /// <param name="src">The source's number.</param>
    /// <param name="stageTable">The table's staging table.</param>
    /// <param name="errors">Where model errors go.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="sole">Whether the file is its table's only source: then a clean file may be read typed (<see cref="TypedCsv"/>).</param>
    public static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings, bool sole = false)
    {
        var stream = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var encoding = DetectEncoding(stream);
        var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        try
        {
            Load(connection, ref reader, encoding, source, src, stageTable, errors, warnings, sole);
        }
        finally
        {
            reader.Dispose();
        }
    }

    private static void Load(DuckDBConnection connection, ref StreamReader reader, Encoding encoding, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings, bool sole)
    {
        var lineNumber = 0;
        var fields = new List<string>(16);
        var record = new StringBuilder();

        // The header: the first line that is not blank.
        int headerLine;
        string? header;
        try
        {
            do
            {
                header = reader.ReadLine();
                lineNumber++;
            }
            while (header is not null && string.IsNullOrWhiteSpace(header));
        }
        catch (DecoderFallbackException)
        {
            errors.Add(new ModelError(source.Name, lineNumber, "", "the file is not valid UTF-8 (mixed encodings?); save it as UTF-8"), ErrorLog.Reader);
            return;
        }

        if (header is null)
        {
            errors.Add(new ModelError(source.Name, 0, "", "the file is empty: a header row is required"), ErrorLog.Reader);
            return;
        }

        headerLine = lineNumber;
        var dialect = header.Contains(';', StringComparison.Ordinal) ? Dialect.Swedish : Dialect.Comma;
        var separator = dialect == Dialect.Swedish ? ';' : ',';
        Split(header, separator, fields, out _);
        var layout = StagingLayout.FromHeader(source, fields, headerLine, errors, warnings);
        if (layout is null)
        {
            return;
        }

        if (sole && TypedCsv.Applies(source.Table))
        {
            if (TypedCsv.TryLoad(connection, reader, source, src, layout, dialect, headerLine))
            {
                return;
            }

            // Not clean: read the rows again the ordinary way, for their errors.
            reader.Dispose();
            reader = new StreamReader(new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            for (var skipped = 0; skipped < headerLine; skipped++)
            {
                reader.ReadLine();
            }
        }

        using var appender = connection.CreateAppender(stageTable);
        string? physical;
        while (true)
        {
            try
            {
                physical = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                errors.Add(new ModelError(source.Name, lineNumber + 1, "", "the line is not valid UTF-8 although the file starts as UTF-8; save the file in one encoding"), ErrorLog.Reader);
                return;
            }

            if (physical is null)
            {
                break;
            }

            lineNumber++;
            var recordLine = lineNumber;

            // A quoted field may span lines (RFC 4180).
            Split(physical, separator, fields, out var open);
            if (open)
            {
                record.Clear().Append(physical);
            }

            while (open)
            {
                var more = reader.ReadLine();
                if (more is null)
                {
                    errors.Add(new ModelError(source.Name, recordLine, "", "a quoted field is not closed before the end of the file"), ErrorLog.Reader);
                    return;
                }

                lineNumber++;
                record.Append('\n').Append(more);
                Split(record.ToString(), separator, fields, out open);
            }

            if (fields.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue; // blank lines, and spreadsheets' empty rows (";;;;")
            }

            if (fields.Count != layout.FileColumns)
            {
                // A fixed rule's weights with decimal commas split a ';' row unless quoted: say so.
                var hint = dialect == Dialect.Swedish && ReferenceEquals(source.Table, Tables.Rules) && fields.Count > layout.FileColumns
                    ? "; in a ';' file quote a targets list: \"INF-VM:0,7;INF-STO:0,3\"" : "";
                errors.Add(new ModelError(source.Name, recordLine, "", $"the row has {fields.Count} fields; the header has {layout.FileColumns}{hint}"), ErrorLog.Reader);
                continue;
            }

            var row = appender.CreateRow().AppendValue((short?)src).AppendValue((int?)recordLine);
            foreach (var (fileIndex, column) in layout.Columns)
            {
                if (fileIndex < 0)
                {
                    row.AppendNullValue();
                    continue;
                }

                var value = fields[fileIndex].Trim();
                if (value.Length == 0)
                {
                    row.AppendNullValue();
                    continue;
                }

                if (dialect == Dialect.Swedish && column.IsNumeric)
                {
                    var normalised = SwedishNumber.Normalise(value, out var problem);
                    problem ??= SwedishNumber.DecimalsProblem(column, value, normalised);
                    if (problem is not null)
                    {
                        errors.Add(new ModelError(source.Name, recordLine, column.Name, problem), ErrorLog.Reader);
                    }

                    value = normalised ?? value;
                }

                row.AppendValue(value);
            }

            row.EndRow();
        }
    }

    /// <summary>UTF-8 (with or without BOM) when the start of the file is valid UTF-8, else Windows-1252.</summary>
    internal static Encoding DetectEncoding(Stream stream)
    {
        var buffer = new byte[1 << 16];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        var span = buffer.AsSpan(0, read);
        if (read == buffer.Length)
        {
            // Do not judge a character cut off by the end of the sample.
            var cut = span.Length;
            while (cut > span.Length - 4 && cut > 0 && (span[cut - 1] & 0xC0) == 0x80)
            {
                cut--;
            }

            span = span[..Math.Max(0, cut - 1)];
        }

        return System.Text.Unicode.Utf8.IsValid(span) ? StrictUtf8 : Encoding.GetEncoding(1252);
    }

    /// <summary>Splits one record into <paramref name="fields"/>; <paramref name="open"/> tells whether a quote is still open at its end.</summary>
    /// <remarks>A record without a quote (most of a ledger) is cut at its separators, one string per field and nothing else allocated.</remarks>
    internal static void Split(string record, char separator, List<string> fields, out bool open)
    {
        fields.Clear();
        if (!record.Contains('"', StringComparison.Ordinal))
        {
            var start = 0;
            int next;
            while ((next = record.IndexOf(separator, start)) >= 0)
            {
                fields.Add(record[start..next]);
                start = next + 1;
            }

            fields.Add(record[start..]);
            open = false;
            return;
        }

        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < record.Length)
        {
            var c = record[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < record.Length && record[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }

            i++;
        }

        fields.Add(field.ToString());
        open = quoted;
    }
}

/// <summary>
/// The Swedish spreadsheet conventions for numbers: decimal comma, space (also no-break and thin
/// space) as thousands separator, the Unicode minus sign and parenthesised negatives. A <c>.</c> is
/// refused: in this dialect it could be a decimal point or a thousands separator, and guessing moves money.
/// </summary>
internal static class SwedishNumber
{
    /// <summary>
    /// An amount with more than two decimals (a quantity with more than six), worded with the user's text
    /// (<c>830 500,505</c>) rather than the normalised one the cell check would show; <see langword="null"/> otherwise.
    /// </summary>
    public static string? DecimalsProblem(ColumnSpec column, string original, string? normalised)
    {
        var allowed = column.Kind switch { CellKind.Money => 2, CellKind.Quantity => 6, _ => -1 };
        var dot = normalised?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (allowed < 0 || dot < 0 || normalised![(dot + 1)..].TrimEnd('0').Length <= allowed || !normalised[(dot + 1)..].All(char.IsAsciiDigit))
        {
            return null;
        }

        return column.Kind == CellKind.Money
            ? $"'{original}' has more than two decimals: amounts are SEK to the öre, never rounded"
            : $"'{original}' has more than six decimals";
    }

    public static string? Normalise(string value, out string? problem)
    {
        problem = null;
        var s = value.Replace('\u2212', '-');
        var negative = false;
        if (s.Length >= 2 && s[0] == '(' && s[^1] == ')')
        {
            negative = true;
            s = s[1..^1].Trim();
        }

        if (s.Contains('.', StringComparison.Ordinal))
        {
            problem = $"'{value}' contains '.', which is ambiguous in a ';'-separated file: write decimals with ',' and thousands with a space";
            return null;
        }

        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0 && s.IndexOf(',', comma + 1) >= 0)
        {
            problem = $"'{value}' has more than one ','";
            return null;
        }

        var integer = comma >= 0 ? s[..comma] : s;
        var fraction = comma >= 0 ? s[(comma + 1)..] : null;
        if (integer.AsSpan().IndexOfAny(" \u00A0\u202F\u2009") >= 0)
        {
            var sign = integer.StartsWith('-') || integer.StartsWith('+') ? integer[..1] : "";
            var groups = integer[sign.Length..].Split([' ', '\u00A0', '\u202F', '\u2009']);
            var wellFormed = groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3) && groups.All(g => g.All(char.IsAsciiDigit));
            if (!wellFormed)
            {
                problem = $"'{value}' has spaces that are not thousands separators (groups of three digits)";
                return null;
            }

            integer = sign + string.Concat(groups);
        }

        var result = fraction is null ? integer : integer + "." + fraction;
        if (negative)
        {
            if (result.StartsWith('-') || result.StartsWith('+'))
            {
                problem = $"'{value}' has both parentheses and a sign";
                return null;
            }

            result = "-" + result;
        }

        return result.ToString(CultureInfo.InvariantCulture);
    }
}
