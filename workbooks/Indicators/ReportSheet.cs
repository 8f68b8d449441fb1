using ClosedXML.Excel;

namespace ItDrift.Tbm.Indicators;

/// <summary>How a report column shows its values.</summary>
internal enum Shown
{
    Text,
    Money,
    Percent,
    Count,
    Quantity,
}

/// <summary>A column of a report table: Swedish heading, how values are shown, width in characters.</summary>
internal sealed record ReportColumn(string Heading, Shown Shown, double Width = 14);

/// <summary>
/// The Excel edge of the status report: typed cells (numbers as numbers, never parsed from text),
/// Swedish headings, number formats a Swedish spreadsheet program shows with space and decimal comma,
/// and print setup (landscape, one page wide, heading row repeated, page numbers).
/// </summary>
internal static class ReportSheet
{
    public const string MoneyFormat = "#,##0.00";
    public const string PercentFormat = "0.00\" %\";-0.00\" %\"";
    public const string CountFormat = "#,##0";
    public const string FractionFormat = "#,##0.0#####";

    private static readonly XLColor HeadingFill = XLColor.FromArgb(0xDD, 0xE6, 0xF0);

    public static IXLWorksheet Add(XLWorkbook workbook, string name, string title)
    {
        var sheet = workbook.Worksheets.Add(name);
        sheet.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        sheet.PageSetup.PaperSize = XLPaperSize.A4Paper;
        sheet.PageSetup.FitToPages(1, 0);
        sheet.PageSetup.Margins.Left = 0.4;
        sheet.PageSetup.Margins.Right = 0.4;
        sheet.PageSetup.Header.Left.AddText(title);
        sheet.PageSetup.Footer.Right.AddText("Sida ");
        sheet.PageSetup.Footer.Right.AddText(XLHFPredefinedText.PageNumber);
        sheet.PageSetup.Footer.Right.AddText(" av ");
        sheet.PageSetup.Footer.Right.AddText(XLHFPredefinedText.NumberOfPages);
        return sheet;
    }

    /// <summary>A bold title line; returns the next row.</summary>
    public static int Title(IXLWorksheet sheet, int row, string text, double size = 14)
    {
        var cell = sheet.Cell(row, 1);
        cell.SetValue(text);
        cell.Style.Font.Bold = true;
        cell.Style.Font.FontSize = size;
        return row + 1;
    }

    /// <summary>A line of plain text; returns the next row.</summary>
    public static int Line(IXLWorksheet sheet, int row, string text)
    {
        sheet.Cell(row, 1).SetValue(text);
        return row + 1;
    }

    /// <summary>
    /// A table with a heading row (repeated on every printed page when it is the sheet's first table)
    /// and the rows; returns the row after it.
    /// </summary>
    public static int Table(IXLWorksheet sheet, int row, IReadOnlyList<ReportColumn> columns, IEnumerable<object?[]> rows, bool repeatHeading = false)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            var cell = sheet.Cell(row, c + 1);
            cell.SetValue(columns[c].Heading);
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = HeadingFill;
            cell.Style.Alignment.WrapText = true;
            cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            if (columns[c].Shown != Shown.Text)
            {
                // Numbers are right-aligned: so are their headings.
                cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
            }

            if (sheet.Column(c + 1).Width < columns[c].Width)
            {
                sheet.Column(c + 1).Width = columns[c].Width;
            }
        }

        if (repeatHeading)
        {
            sheet.PageSetup.SetRowsToRepeatAtTop(row, row);
            sheet.SheetView.FreezeRows(row);
        }

        var first = row + 1;
        var r = first;
        foreach (var values in rows)
        {
            for (var c = 0; c < columns.Count && c < values.Length; c++)
            {
                Put(sheet.Cell(r, c + 1), values[c], columns[c].Shown);
            }

            r++;
        }

        if (r == first)
        {
            sheet.Cell(r, 1).SetValue("(inga uppgifter)");
            sheet.Cell(r, 1).Style.Font.Italic = true;
            r++;
        }

        return r + 1;
    }

    private static void Put(IXLCell cell, object? value, Shown shown)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                cell.SetValue(text);
                cell.DataType = XLDataType.Text;
                return;
            case int whole:
                cell.SetValue(whole);
                cell.Style.NumberFormat.Format = shown == Shown.Text ? "0" : CountFormat;
                return;
            case long whole:
                cell.SetValue(whole);
                cell.Style.NumberFormat.Format = CountFormat;
                return;
            case decimal number:
                cell.SetValue(number);
                cell.Style.NumberFormat.Format = shown switch
                {
                    Shown.Money => MoneyFormat,
                    Shown.Percent => PercentFormat,
                    Shown.Count => CountFormat,
                    _ => decimal.Truncate(number) == number ? CountFormat : FractionFormat,
                };
                return;
            case DateTimeOffset time:
                cell.SetValue(time.UtcDateTime);
                cell.Style.NumberFormat.Format = "yyyy-mm-dd hh:mm";
                return;
            default:
                cell.SetValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                return;
        }
    }
}
