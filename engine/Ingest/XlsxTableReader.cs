using System.Globalization;
using ClosedXML.Excel;
using DuckDB.NET.Data;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// Reads a sheet of <c>model.xlsx</c> into its staging table. Numbers are taken as Excel shows them
/// (15 significant digits), so a formula's binary noise (0.1 + 0.2) does not become a third decimal.
/// </summary>
internal static class XlsxTableReader
{
    public static IReadOnlyList<string> SheetNames(string path, List<ModelError> errors)
    {
        try
        {
            using var workbook = new XLWorkbook(path);
            return workbook.Worksheets.Select(w => w.Name).ToList();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or InvalidOperationException)
        {
            errors.Add(new ModelError(Path.GetFileName(path), 0, "", $"cannot open the workbook: {e.Message}"));
            return [];
        }
    }

    public static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings)
    {
        using var workbook = new XLWorkbook(source.Path);
        var sheet = workbook.Worksheet(source.Sheet);
        var used = sheet.RangeUsed();
        if (used is null)
        {
            errors.Add(new ModelError(source.Name, 0, "", "the sheet is empty: a header row is required"), ErrorLog.Reader);
            return;
        }

        var firstColumn = used.FirstColumn().ColumnNumber();
        var lastColumn = used.LastColumn().ColumnNumber();
        var headerRow = used.FirstRow().RowNumber();
        var header = new List<string>();
        for (var c = firstColumn; c <= lastColumn; c++)
        {
            header.Add(sheet.Cell(headerRow, c).GetString());
        }

        var layout = StagingLayout.FromHeader(source, header, headerRow, errors, warnings);
        if (layout is null)
        {
            return;
        }

        using var appender = connection.CreateAppender(stageTable);
        var values = new string?[header.Count];
        for (var r = headerRow + 1; r <= used.LastRow().RowNumber(); r++)
        {
            var blank = true;
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = CellText(sheet.Cell(r, firstColumn + c), source, r, layout, c, errors);
                blank &= string.IsNullOrWhiteSpace(values[c]);
            }

            if (blank)
            {
                continue;
            }

            var row = appender.CreateRow().AppendValue((short?)src).AppendValue((int?)r);
            foreach (var (fileIndex, _) in layout.Columns)
            {
                var value = fileIndex < 0 ? null : values[fileIndex]?.Trim();
                if (string.IsNullOrEmpty(value))
                {
                    row.AppendNullValue();
                }
                else
                {
                    row.AppendValue(value);
                }
            }

            row.EndRow();
        }
    }

    private static string? CellText(IXLCell cell, TableSource source, int row, StagingLayout layout, int fileIndex, ErrorLog errors)
    {
        try
        {
            var value = cell.Value;
            return value switch
            {
                null => null,
                double d => decimal.Parse(d.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                TimeSpan s => s.ToString("c", CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var column = layout.Columns.FirstOrDefault(c => c.FileIndex == fileIndex).Column?.Name ?? "";
            errors.Add(new ModelError(source.Name, row, column, $"cannot read the cell's value ({e.Message})"), ErrorLog.Reader);
            return null;
        }
    }
}
