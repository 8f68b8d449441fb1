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
            errors.Add(new ModelError(Path.GetFileName(path), 0, "", $"cannot open the workbook: {e.Message}"));
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
            errors.Add(new ModelError(source.Name, 0, "", $"cannot read the sheet: {e.Message}"), ErrorLog.Reader);
        }
    }

    private static void Load(DuckDBConnection connection, XlsxPackage workbook, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings)
    {
        // The used range's columns: a first pass over the sheet (streamed, as the second).
        var sheet = source.Sheet!;
        var firstColumn = int.MaxValue;
        var lastColumn = 0;
        foreach (var cell in workbook.Rows(sheet).SelectMany(r => r.Cells))
        {
            firstColumn = Math.Min(firstColumn, cell.Column);
            lastColumn = Math.Max(lastColumn, cell.Column);
        }

        using var rows = workbook.Rows(sheet).GetEnumerator();
        if (!rows.MoveNext())
        {
            errors.Add(new ModelError(source.Name, 0, "", "the sheet is empty: a header row is required"), ErrorLog.Reader);
            return;
        }

        var values = new string?[lastColumn - firstColumn + 1];
        Read(rows.Current, firstColumn, values, source, _ => "", errors);
        var headerRow = rows.Current.Number;
        var header = values.Select(v => v ?? "").ToList();
        var layout = StagingLayout.FromHeader(source, header, headerRow, errors, warnings);
        if (layout is null)
        {
            return;
        }

        string ColumnName(int fileIndex) => layout.Columns.FirstOrDefault(c => c.FileIndex == fileIndex).Column?.Name ?? "";
        using var appender = connection.CreateAppender(stageTable);
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (!Read(row, firstColumn, values, source, ColumnName, errors))
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
    private static bool Read(XlsxRow row, int firstColumn, string?[] values, TableSource source, Func<int, string> columnName, ErrorLog errors)
    {
        Array.Clear(values);
        var any = false;
        foreach (var cell in row.Cells)
        {
            var index = cell.Column - firstColumn;
            values[index] = CellText(cell, source, row.Number, columnName(index), errors);
            any |= !string.IsNullOrWhiteSpace(values[index]);
        }

        return any;
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
