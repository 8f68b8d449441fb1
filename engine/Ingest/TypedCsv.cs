using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// The fast path for a CSV ledger that is clean: each cell is cut out of its line as a span, typed in C#
/// and appended typed (integers, öre), with no text staging table and no SQL typing. The typed rows go to
/// a table of their own, seen by <see cref="Validation.CellRules"/> through the view
/// <c>stage_NAME__typed_SRC</c>, as a typed Parquet source is (<see cref="TypedParquet"/>).
/// </summary>
/// <remarks>
/// The lines, fields, quoting, blank rows and trimming are those of <see cref="CsvTableReader"/> (the same
/// reader, the same <see cref="CsvTableReader.Split"/> for a line with a quote); only the typing differs, and
/// it accepts a strict subset of what <see cref="Validation.CellRules"/> accepts, typed to the same value.
/// At the first thing it does not accept — a cell that would fail its check or that it does not know how
/// to type (a non-ASCII id, a Swedish number it cannot prove plain), a row with the wrong number of
/// fields, an unclosed quote, a decoding error — it gives up, drops what it appended and the file is read
/// again the ordinary way, so every error is found and worded, with its line and column, exactly as for
/// every other file.
/// </remarks>
internal static class TypedCsv
{
    /// <summary>The most distinct values of one text column kept as shared strings; beyond, each cell is its own string.</summary>
    private const int MaxShared = 1 << 16;

    private static readonly string[] Scenarios = ["actual", "budget", "forecast"];
    private static readonly string[] ObjectKinds = ["tower", "service", "other"];
    private static readonly string[] Methods = ["driver", "even", "fixed", "direct"];

    /// <summary>Tables whose CSV sources are read typed when they can be: the one that gets large.</summary>
    public static bool Applies(TableSpec table) =>
        ReferenceEquals(table, Tables.Ledger) && table.Columns.All(c => c.Default is null || c.Kind is CellKind.Text or CellKind.Id or CellKind.Scenario);

    /// <summary>
    /// Reads the rest of <paramref name="reader"/> (positioned after the header line <paramref name="headerLine"/>)
    /// typed. False, with nothing created, when the file must be read the ordinary way.
    /// </summary>
    public static bool TryLoad(DuckDBConnection connection, StreamReader reader, TableSource source, short src, StagingLayout layout, CsvTableReader.Dialect dialect, int headerLine)
    {
        var suffix = src.ToString("D5", CultureInfo.InvariantCulture);
        var table = Staging.TableName(source.Table) + "__csv_" + suffix;
        var view = TypedParquet.ViewPrefix(source.Table) + suffix;
        var columns = string.Join(", ", layout.Columns.Select(c => $"{Duck.Ident(c.Column.Name)} {SqlType(c.Column.Kind)}"));
        connection.Execute($"CREATE TABLE {Duck.Ident(table)} (src SMALLINT, line INTEGER, {columns})");
        bool loaded;
        using (var appender = connection.CreateAppender(table))
        {
            loaded = new Loader(appender, layout, dialect, src).Run(reader, headerLine);
        }

        if (!loaded)
        {
            connection.Execute($"DROP TABLE {Duck.Ident(table)}");
            return false;
        }

        connection.Execute($"CREATE VIEW {Duck.Ident(view)} AS SELECT * FROM {Duck.Ident(table)}");
        return true;
    }

    private static string SqlType(CellKind kind) => kind switch
    {
        CellKind.Money or CellKind.Quantity => "BIGINT",
        CellKind.Integer or CellKind.Count or CellKind.Year or CellKind.Period or CellKind.Month => "INTEGER",
        _ => "VARCHAR",
    };

    /// <summary>One typed cell: text, or a number, or NULL.</summary>
    private readonly record struct Cell(string? Text, long Number, bool IsNull);

    private sealed class Loader(DuckDBAppender appender, StagingLayout layout, CsvTableReader.Dialect dialect, short src)
    {
        private readonly char _separator = dialect == CsvTableReader.Dialect.Swedish ? ';' : ',';
        private readonly char _decimal = dialect == CsvTableReader.Dialect.Swedish ? ',' : '.';
        private readonly Dictionary<string, string>[] _shared = [.. layout.Columns.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal))];
        private readonly List<string> _quoted = new(16);
        private readonly Cell[] _cells = new Cell[layout.Columns.Count];
        private readonly bool[] _wide = [.. layout.Columns.Select(c => c.Column.Kind is CellKind.Money or CellKind.Quantity)];
        private int[] _starts = new int[16];
        private int[] _ends = new int[16];

        public bool Run(StreamReader reader, int headerLine)
        {
            var lineNumber = headerLine;
            var record = new System.Text.StringBuilder();
            try
            {
                string? physical;
                while ((physical = reader.ReadLine()) is not null)
                {
                    lineNumber++;
                    var recordLine = lineNumber;
                    string line = physical;
                    var count = Cut(physical);
                    var quoted = count < 0;
                    if (quoted)
                    {
                        CsvTableReader.Split(physical, _separator, _quoted, out var open);
                        if (open)
                        {
                            record.Clear().Append(physical);
                        }

                        while (open)
                        {
                            var more = reader.ReadLine();
                            if (more is null)
                            {
                                return false;
                            }

                            lineNumber++;
                            record.Append('\n').Append(more);
                            CsvTableReader.Split(record.ToString(), _separator, _quoted, out open);
                        }

                        count = _quoted.Count;
                    }

                    if (count != layout.FileColumns)
                    {
                        if (IsBlank(line, quoted, count))
                        {
                            continue;
                        }

                        return false;
                    }

                    if (IsBlank(line, quoted, count))
                    {
                        continue;
                    }

                    if (!Append(line, quoted, recordLine))
                    {
                        return false;
                    }
                }
            }
            catch (System.Text.DecoderFallbackException)
            {
                return false;
            }

            return true;
        }

        /// <summary>
        /// Cuts a line at its separators into field ranges; returns the number of fields, or -1 when the line
        /// needs <see cref="CsvTableReader.Split"/>: a quote anywhere but around a whole field, a doubled quote,
        /// a quote left open. A field quoted whole is its text between the quotes, as Split gives it.
        /// </summary>
        private int Cut(string line)
        {
            var count = 0;
            var start = 0;
            var span = line.AsSpan();
            while (true)
            {
                if (count == _starts.Length)
                {
                    Array.Resize(ref _starts, count * 2);
                    Array.Resize(ref _ends, count * 2);
                }

                if (start < span.Length && span[start] == '"')
                {
                    var close = span[(start + 1)..].IndexOf('"');
                    if (close < 0)
                    {
                        return -1;
                    }

                    close += start + 1;
                    if (close + 1 < span.Length && span[close + 1] != _separator)
                    {
                        return -1;
                    }

                    _starts[count] = start + 1;
                    _ends[count++] = close;
                    if (close + 1 == span.Length)
                    {
                        return count;
                    }

                    start = close + 2;
                    continue;
                }

                var next = span[start..].IndexOfAny(_separator, '"');
                _starts[count] = start;
                if (next < 0)
                {
                    _ends[count++] = span.Length;
                    return count;
                }

                if (span[start + next] == '"')
                {
                    return -1;
                }

                _ends[count++] = start + next;
                start += next + 1;
            }
        }

        private ReadOnlySpan<char> Field(string line, bool quoted, int index) =>
            quoted ? _quoted[index].AsSpan() : line.AsSpan(_starts[index], _ends[index] - _starts[index]);

        private bool IsBlank(string line, bool quoted, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (!Field(line, quoted, i).IsWhiteSpace())
                {
                    return false;
                }
            }

            return true;
        }

        private bool Append(string line, bool quoted, int recordLine)
        {
            // Check and type the whole row before appending any of it: a row is appended whole or the file is given up.
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                var (fileIndex, column) = layout.Columns[i];
                var value = fileIndex < 0 ? [] : Field(line, quoted, fileIndex).Trim();
                if (value.IsEmpty)
                {
                    if (column.Required)
                    {
                        return false;
                    }

                    _cells[i] = new Cell(column.Default, 0, column.Default is null);
                    continue;
                }

                if (!TypeCell(i, column, value, out _cells[i]))
                {
                    return false;
                }
            }

            var row = appender.CreateRow().AppendValue((short?)src).AppendValue((int?)recordLine);
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                var cell = _cells[i];
                if (cell.IsNull)
                {
                    row.AppendNullValue();
                }
                else if (cell.Text is not null)
                {
                    row.AppendValue(cell.Text);
                }
                else if (_wide[i])
                {
                    row.AppendValue((long?)cell.Number);
                }
                else
                {
                    row.AppendValue((int?)(int)cell.Number);
                }
            }

            row.EndRow();
            return true;
        }

        private bool TypeCell(int index, ColumnSpec column, ReadOnlySpan<char> value, out Cell cell)
        {
            cell = default;
            if (column.IsNumeric && dialect == CsvTableReader.Dialect.Swedish && value.IndexOfAny(" \u00A0\u202F\u2009(\u2212") >= 0)
            {
                // Thousands separators, parentheses, the minus sign: the dialect's own rules, then the canonical text.
                var normalised = SwedishNumber.Normalise(value.ToString(), out var problem);
                return problem is null && normalised is not null && TypeNumber(column, normalised, '.', out cell);
            }

            switch (column.Kind)
            {
                case CellKind.Text:
                    cell = new Cell(Shared(index, value), 0, false);
                    return true;
                case CellKind.Id:
                    foreach (var c in value)
                    {
                        if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                        {
                            return false;
                        }
                    }

                    cell = new Cell(Shared(index, value), 0, false);
                    return true;
                case CellKind.Scenario:
                    return TypeWord(value, Scenarios, out cell);
                case CellKind.ObjectKind:
                    return TypeWord(value, ObjectKinds, out cell);
                case CellKind.Method:
                    return TypeWord(value, Methods, out cell);
                default:
                    return TypeNumber(column, value, _decimal, out cell);
            }
        }

        private static bool TypeWord(ReadOnlySpan<char> value, string[] words, out Cell cell)
        {
            cell = default;
            foreach (var word in words)
            {
                if (value.Equals(word, StringComparison.OrdinalIgnoreCase) && System.Text.Ascii.IsValid(value))
                {
                    cell = new Cell(word, 0, false);
                    return true;
                }
            }

            return false;
        }

        private static bool TypeNumber(ColumnSpec column, ReadOnlySpan<char> value, char point, out Cell cell)
        {
            cell = default;
            long n;
            switch (column.Kind)
            {
                case CellKind.Year:
                    if (!(value.Length == 4 && Digits(value, out n) && n is >= 1900 and <= 2999))
                    {
                        return false;
                    }

                    break;
                case CellKind.Period:
                case CellKind.Month:
                    if (!(value.Length <= 2 && Digits(value, out n) && n >= 1 && n <= (column.Kind == CellKind.Period ? 18 : 12)))
                    {
                        return false;
                    }

                    break;
                case CellKind.Integer:
                case CellKind.Count:
                    var negative = Sign(ref value, allowMinus: column.Kind == CellKind.Integer);
                    if (!(value.Length is >= 1 and <= 9 && Digits(value, out n)))
                    {
                        return false;
                    }

                    n = negative ? -n : n;
                    break;
                case CellKind.Money:
                    if (!Fixed(value, point, allowMinus: true, maxInteger: 15, decimals: 2, out n))
                    {
                        return false;
                    }

                    break;
                case CellKind.Quantity:
                    if (!Fixed(value, point, allowMinus: false, maxInteger: 12, decimals: 6, out n))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }

            cell = new Cell(null, n, false);
            return true;
        }

        /// <summary>
        /// <c>[+-]?[0-9]{1,maxInteger}(point[0-9]{1,decimals}0*)?</c> as an integer of 10^-decimals. Few trailing
        /// zeros are taken (DuckDB's cast of a long tail of zeros is not worth proving equal here).
        /// </summary>
        private static bool Fixed(ReadOnlySpan<char> value, char point, bool allowMinus, int maxInteger, int decimals, out long scaled)
        {
            scaled = 0;
            var negative = Sign(ref value, allowMinus);
            var at = value.IndexOf(point);
            var integer = at < 0 ? value : value[..at];
            if (integer.Length < 1 || integer.Length > maxInteger || !Digits(integer, out var whole))
            {
                return false;
            }

            long fraction = 0;
            if (at >= 0)
            {
                var tail = value[(at + 1)..];
                if (tail.Length < 1 || tail.Length > decimals + 4 || !Digits(tail, out _))
                {
                    return false;
                }

                for (var i = 0; i < tail.Length; i++)
                {
                    if (i < decimals)
                    {
                        fraction = (fraction * 10) + (tail[i] - '0');
                    }
                    else if (tail[i] != '0')
                    {
                        return false;
                    }
                }

                for (var i = tail.Length; i < decimals; i++)
                {
                    fraction *= 10;
                }
            }

            var unit = decimals == 2 ? 100L : 1_000_000L;
            scaled = checked((whole * unit) + fraction);
            if (negative)
            {
                scaled = -scaled;
            }

            return true;
        }

        private static bool Sign(ref ReadOnlySpan<char> value, bool allowMinus)
        {
            if (value.Length > 0 && (value[0] == '+' || (allowMinus && value[0] == '-')))
            {
                var negative = value[0] == '-';
                value = value[1..];
                return negative;
            }

            return false;
        }

        /// <summary>ASCII digits only (at most 18), as a number.</summary>
        private static bool Digits(ReadOnlySpan<char> value, out long n)
        {
            n = 0;
            if (value.IsEmpty || value.Length > 18)
            {
                return false;
            }

            foreach (var c in value)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                n = (n * 10) + (c - '0');
            }

            return true;
        }

        private string Shared(int index, ReadOnlySpan<char> value)
        {
            var shared = _shared[index];
            var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(value, out var known))
            {
                return known;
            }

            var text = value.ToString();
            if (shared.Count < MaxShared)
            {
                shared.Add(text, text);
            }

            return text;
        }
    }
}
