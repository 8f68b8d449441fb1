using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// The Excel edge: Swedish headings, number formats and print setup for the ClosedXML reports, in one
/// place. Values are written typed (numbers as numbers, text as text, never parsed from strings), so
/// the machine's culture cannot change what a cell holds.
/// </summary>
internal static class Excel
{
    /// <summary>
    /// Kronor with thousands separators and öre: shown as <c>1 234 567,89 kr</c> by a Swedish spreadsheet program;
    /// zero always as <c>0,00 kr</c> (a difference of two sums computed in binary floating point can be a tiny
    /// negative number, which the negative section would show as <c>-0,00 kr</c>: difference formulas round to öre).
    /// </summary>
    public const string MoneyFormat = "#,##0.00 \"kr\";-#,##0.00 \"kr\";0.00 \"kr\"";

    /// <summary>A whole quantity with thousands separators.</summary>
    public const string IntegerFormat = "#,##0";

    /// <summary>A quantity with up to six decimals (no trailing zeros).</summary>
    public const string FractionFormat = "#,##0.0#####";

    /// <summary>Swedish date and time (ISO 8601 order).</summary>
    public const string DateTimeFormat = "yyyy-mm-dd hh:mm";

    private static readonly XLColor HeaderFill = XLColor.FromArgb(0xDD, 0xE6, 0xF0);

    public static XLWorkbook NewWorkbook(string title, RunFolder run)
    {
        var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        workbook.Properties.Author = "ItDrift.Tbm";
        workbook.Properties.Company = run.SupplierName;
        workbook.Properties.Comments = $"Körning {run.RunId}, motor {run.EngineVersion}";
        return workbook;
    }

    public static IXLCell Text(this IXLCell cell, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            cell.SetValue(text);
            cell.DataType = XLDataType.Text;
        }

        return cell;
    }

    public static IXLCell Money(this IXLCell cell, decimal value)
    {
        cell.SetValue(value);
        cell.Style.NumberFormat.Format = MoneyFormat;
        return cell;
    }

    public static IXLCell Quantity(this IXLCell cell, decimal? value)
    {
        if (value is not { } quantity)
        {
            return cell;
        }

        cell.SetValue(quantity);
        cell.Style.NumberFormat.Format = decimal.Truncate(quantity) == quantity ? IntegerFormat : FractionFormat;
        return cell;
    }

    public static IXLCell Integer(this IXLCell cell, int value)
    {
        cell.SetValue(value);
        cell.Style.NumberFormat.Format = "0";
        return cell;
    }

    /// <summary>A formula (without the leading <c>=</c>) shown as kronor.</summary>
    public static IXLCell MoneyFormula(this IXLCell cell, string formula)
    {
        cell.FormulaA1 = formula;
        cell.Style.NumberFormat.Format = MoneyFormat;
        return cell;
    }

    public static string Column(int number) => XLHelper.GetColumnLetterFromNumber(number);

    /// <summary>A reference to a cell on another sheet, quoted as Excel wants it.</summary>
    public static string On(string sheet, string address) => "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'!" + address;

    /// <summary>A sheet's title line, bold and large.</summary>
    public static void Title(IXLWorksheet sheet, int row, string text)
    {
        var cell = sheet.Cell(row, 1).Text(text);
        cell.Style.Font.Bold = true;
        cell.Style.Font.FontSize = 14;
    }

    /// <summary>A label and a value in the header block of a report.</summary>
    public static IXLCell Field(IXLWorksheet sheet, int row, string label, string? value)
    {
        sheet.Cell(row, 1).Text(label).Style.Font.Bold = true;
        return sheet.Cell(row, 2).Text(value);
    }

    /// <summary>A table's heading row: bold on a light fill, wrapped, with a line below.</summary>
    /// <param name="sheet">The sheet.</param>
    /// <param name="row">The row.</param>
    /// <param name="headings">The headings, from <paramref name="firstColumn"/> on.</param>
    /// <param name="firstColumn">The first heading's column.</param>
    /// <param name="numericFrom">The first column (1-based) of numbers: its heading and those after it are right-aligned, over their numbers.</param>
    /// <param name="numericTo">The last column of numbers (all after <paramref name="numericFrom"/> when absent).</param>
    public static void HeadingRow(IXLWorksheet sheet, int row, IReadOnlyList<string> headings, int firstColumn = 1, int? numericFrom = null, int? numericTo = null)
    {
        for (var i = 0; i < headings.Count; i++)
        {
            var cell = sheet.Cell(row, firstColumn + i).Text(headings[i]);
            if (numericFrom is { } first && firstColumn + i >= first && firstColumn + i <= (numericTo ?? int.MaxValue))
            {
                cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
            }
        }

        var range = sheet.Range(row, firstColumn, row, firstColumn + headings.Count - 1);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = HeaderFill;
        range.Style.Alignment.WrapText = true;
        range.Style.Alignment.Vertical = XLAlignmentVerticalValues.Bottom;
        range.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
    }

    /// <summary>A totals row: bold, with a line above.</summary>
    public static void TotalsRow(IXLWorksheet sheet, int row, int lastColumn)
    {
        var range = sheet.Range(row, 1, row, lastColumn);
        range.Style.Font.Bold = true;
        range.Style.Border.TopBorder = XLBorderStyleValues.Thin;
    }

    /// <summary>A4, fitted to one page wide, the heading rows repeated on every page, and a header and footer naming the report.</summary>
    public static void PrintSetup(IXLWorksheet sheet, int headingRows, string header, RunFolder run, bool landscape = true) =>
        PrintSetup(sheet, headingRows, header, run.SupplierName, $"Körning {run.RunId}", landscape);

    /// <summary>As <see cref="PrintSetup(IXLWorksheet, int, string, RunFolder, bool)"/> for a report not read from a run: the supplier in the header, <paramref name="footer"/> in the footer.</summary>
    public static void PrintSetup(IXLWorksheet sheet, int headingRows, string header, string supplier, string footer, bool landscape = true)
    {
        sheet.SheetView.FreezeRows(headingRows);
        var page = sheet.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = landscape ? XLPageOrientation.Landscape : XLPageOrientation.Portrait;
        page.FitToPages(1, 0);
        page.SetRowsToRepeatAtTop(1, headingRows);
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Header.Left.AddText(supplier);
        page.Header.Center.AddText(header);
        page.Footer.Left.AddText(footer);
        page.Footer.Right.AddText("Sida ");
        page.Footer.Right.AddText(XLHFPredefinedText.PageNumber);
        page.Footer.Right.AddText(" av ");
        page.Footer.Right.AddText(XLHFPredefinedText.NumberOfPages);
    }

    /// <summary>The run's identity and time, as the header block of every report shows them.</summary>
    public static int RunFields(IXLWorksheet sheet, int row, RunFolder run)
    {
        Field(sheet, row++, "Körning", run.RunId);
        var published = sheet.Cell(row, 2);
        Field(sheet, row++, "Publicerad (UTC)", run.PublishedAt is null ? "ej publicerad" : null);
        if (run.PublishedAt is { } at)
        {
            published.SetValue(at.UtcDateTime);
            published.Style.NumberFormat.Format = DateTimeFormat;
            published.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }

        Field(sheet, row++, "Modell", run.ModelName);
        Field(sheet, row++, "Motorversion", run.EngineVersion);
        return row;
    }

    /// <summary>A sheet name Excel accepts (at most 31 characters, none of <c>[]:*?/\</c>), unique in the workbook.</summary>
    public static string SheetName(string wanted, ISet<string> used)
    {
        var clean = new string([.. wanted.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? '-' : c)]).Trim('\'', ' ');
        if (clean.Length == 0)
        {
            clean = "Blad";
        }

        var name = clean.Length > 31 ? clean[..31] : clean;
        for (var i = 2; !used.Add(name); i++)
        {
            var suffix = " (" + i.ToString(CultureInfo.InvariantCulture) + ")";
            name = (clean.Length > 31 - suffix.Length ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return name;
    }

    /// <summary>The Swedish name of a scenario.</summary>
    public static string Scenario(string scenario) => scenario switch
    {
        "actual" => "Utfall",
        "budget" => "Budget",
        "forecast" => "Prognos",
        _ => scenario,
    };

    /// <summary>
    /// The Swedish name of a fee model, for the basis it is computed on: full cost is the actual full cost only
    /// on the outcome; on a budget or a forecast it is that scenario's full cost (a preliminary fee).
    /// </summary>
    public static string FeeModel(string model, string basis = "actual") => model switch
    {
        "actual" when basis == "budget" => "Full kostnad enligt budget (preliminär)",
        "actual" when basis == "forecast" => "Full kostnad enligt prognos (preliminär)",
        "actual" => "Faktisk full kostnad",
        "price-list" => "Prislista (à-pris)",
        "three-year" => "Treårsmodell",
        "connection" => "Anslutning",
        "asset" => "Tillgång (avskrivning)",
        _ => model,
    };

    /// <summary>Sets column widths (in characters) from the first column on.</summary>
    public static void Widths(IXLWorksheet sheet, params double[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }
    }
}
