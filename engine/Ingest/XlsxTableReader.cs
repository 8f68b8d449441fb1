using System.Globalization;
using System.Xml;
using DuckDB.NET.Data;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// Reads a sheet of <c>model.xlsx</c> into its staging table, with <see cref="XlsxPackage"/>. The table is
/// the sheet's used range: from the first row and column that hold something to the last; its first row
/// is the header, and a row's line is its row number in the sheet. Numbers are taken as Excel shows them
/// (15 significant digits), so a formula's binary noise (0.1 + 0.2) does not become a third decimal;
/// dates are <c>yyyy-mm-dd</c>, booleans <c>true</c> or <c>false</c>.
/// </summary>
internal static class XlsxTableReader
{
    public static IReadOnlyList<string> SheetNames(string path, List<ModelError> errors)
    {
        try
        {
            using var workbook = XlsxPackage.Open(path);
            return workbook.SheetNames;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or XmlException or FormatException or ArgumentException or InvalidOperationException)
        {
            errors.Add(new ModelError(Path.GetFileName(path), 0, "", $"cannot open the workbook: {Reason(e)}"));
            return [];
        }
    }

    public static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings)
    {
        try
        {
            using var workbook = XlsxPackage.Open(source.Path);
            Load(connection, workbook, source, src, stageTable, errors, warnings);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or XmlException)
        {
            errors.Add(new ModelError(source.Name, 0, "", $"cannot read the sheet: {Reason(e)}"), ErrorLog.Reader);
        }
    }

    /// <summary>
    /// One line for a reader's exception: an XML error says where in the part's XML, without .NET's advice
    /// on reader settings (a DTD is refused because a workbook never has one, and entities could inflate).
    /// </summary>
    internal static string Reason(Exception e)
    {
        if (e is XmlException xml)
        {
            if (xml.Message.Contains("DTD", StringComparison.Ordinal))
            {
                return "the XML declares a DTD (<!DOCTYPE>), which a workbook never has";
            }

            var where = xml.LineNumber > 0 ? string.Create(CultureInfo.InvariantCulture, $" (XML line {xml.LineNumber}, position {xml.LinePosition})") : "";

            var message = xml.Message;
            var line = message.LastIndexOf(" Line ", StringComparison.Ordinal);
            message = (line > 0 ? message[..line] : message).TrimEnd('.', ' ');
            return $"the XML is malformed: {OneLine(message)}{where}";
        }

        return OneLine(e.Message);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void Load(DuckDBConnection connection, XlsxPackage workbook, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings)
    {
        // One pass, streamed. The columns are the header's: a cell outside them has no column name, so it is
        // read (an error value is still reported, and it makes its row not blank) but not kept.
        using var rows = workbook.Rows(source.Sheet!).GetEnumerator();
        if (!rows.MoveNext())
        {
            errors.Add(new ModelError(source.Name, 0, "", "the sheet is empty: a header row is required"), ErrorLog.Reader);
            return;
        }

        var firstColumn = rows.Current.Cells[0].Column;
        var values = new string?[rows.Current.Cells[^1].Column - firstColumn + 1];
        var touched = new List<int>();
        Read(rows.Current, firstColumn, values, touched, source, _ => null, errors);
        var headerRow = rows.Current.Number;
        var header = values.Select(v => v ?? "").ToList();
        var layout = StagingLayout.FromHeader(source, header, headerRow, errors, warnings);
        if (layout is null)
        {
            return;
        }

        var columnOf = layout.Columns.Where(c => c.FileIndex >= 0).ToDictionary(c => c.FileIndex, c => c.Column);
        ColumnSpec? ColumnAt(int fileIndex) => columnOf.GetValueOrDefault(fileIndex);
        using var appender = connection.CreateAppender(stageTable);
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (!Read(row, firstColumn, values, touched, source, ColumnAt, errors))
            {
                continue; // a blank row
            }

            var appended = appender.CreateRow().AppendValue((short?)src).AppendValue((int?)row.Number);
            foreach (var (fileIndex, _) in layout.Columns)
            {
                var value = fileIndex < 0 ? null : values[fileIndex]?.Trim();
                if (string.IsNullOrEmpty(value))
                {
                    appended.AppendNullValue();
                }
                else
                {
                    appended.AppendValue(value);
                }
            }

            appended.EndRow();
        }
    }

    /// <summary>Reads a row's cells into <paramref name="values"/> (a missing cell is <see langword="null"/>); returns whether any is not blank.</summary>
    /// <remarks>Only the row's own cells are touched (a sheet may be 16 384 columns wide and hold a few cells).</remarks>
    private static bool Read(XlsxRow row, int firstColumn, string?[] values, List<int> touched, TableSource source, Func<int, ColumnSpec?> columnAt, ErrorLog errors)
    {
        foreach (var previous in touched)
        {
            values[previous] = null;
        }

        touched.Clear();
        var any = false;
        foreach (var cell in row.Cells)
        {
            var index = cell.Column - firstColumn;
            var kept = index >= 0 && index < values.Length;
            var column = kept ? columnAt(index) : null;
            var text = CellText(cell, source, row.Number, column?.Name ?? "", errors);
            if (text is not null && cell.Kind == XlsxValueKind.Text && column is { IsNumeric: true })
            {
                text = SwedishText(text.Trim(), source, row.Number, column, errors);
            }

            if (kept)
            {
                touched.Add(index);
                values[index] = text;
            }

            any |= !string.IsNullOrWhiteSpace(text);
        }

        return any;
    }

    /// <summary>
    /// A number typed as text in a Swedish spreadsheet (<c>210 000,00</c>) reads as in a Swedish CSV file
    /// (§1.2); text with a <c>.</c>, or without a <c>,</c> or a space, is left as it is (<c>1234.50</c>).
    /// </summary>
    private static string SwedishText(string text, TableSource source, int row, ColumnSpec column, ErrorLog errors)
    {
        if (text.Contains('.', StringComparison.Ordinal) || text.AsSpan().IndexOfAny(", \u00A0\u202F\u2009\u2212") < 0)
        {
            return text;
        }

        var normalised = SwedishNumber.Normalise(text, out var problem);
        problem ??= SwedishNumber.DecimalsProblem(column, text, normalised);
        if (problem is not null)
        {
            errors.Add(new ModelError(source.Name, row, column.Name, problem), ErrorLog.Reader);
        }

        return normalised ?? text;
    }

    /// <summary>A cell's value as the staging table holds it.</summary>
    /// <exception cref="InvalidDataException">The cell holds no value that can be read (<see cref="XlsxValueKind.Unreadable"/>).</exception>
    /// <exception cref="OverflowException">A number beyond a decimal's range, or a date or duration beyond .NET's.</exception>
    internal static string? ValueText(XlsxCell cell) => cell.Kind switch
    {
        XlsxValueKind.Number => decimal.Parse(cell.Number.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        XlsxValueKind.Boolean => cell.Number != 0 ? "true" : "false",
        XlsxValueKind.Date => DateTime.FromOADate(cell.Number).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        // In whole milliseconds: 1:12:30 stored as a fraction of a day is 1:12:30, not 1:12:29.999999.
        XlsxValueKind.Time => TimeSpan.FromMilliseconds(Math.Round(TimeSpan.FromDays(cell.Number).TotalMilliseconds)).ToString("c", CultureInfo.InvariantCulture),
        XlsxValueKind.Unreadable => throw new InvalidDataException(cell.Text),
        _ => cell.Text,
    };

    private static string? CellText(XlsxCell cell, TableSource source, int row, string column, ErrorLog errors)
    {
        try
        {
            return ValueText(cell);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(new ModelError(source.Name, row, column, $"cannot read the cell's value ({e.Message})"), ErrorLog.Reader);
            return null;
        }
    }
}
