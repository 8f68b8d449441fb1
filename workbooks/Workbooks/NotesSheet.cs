using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Anmärkningar: the run's warnings about money (accounts outside the cost accounts, unmapped costs,
/// missing driver rows) that bear on a workbook, on a sheet of their own, so that nobody reads a fee
/// without seeing what the run did not allocate as the package probably meant. Each warning is in Swedish
/// (<see cref="MoneyWarningText"/>), with the engine's English text, as in <c>run.json</c>, in the last column
/// for whoever traces it to the run.
/// </summary>
internal static class NotesSheet
{
    /// <summary>The sheet's name.</summary>
    public const string Name = "Anmärkningar";

    /// <summary>
    /// The warnings a tenant's workbook of a fee year shows: those of the year that name no tenant or this
    /// one, and the summaries of the warnings left out ("… and N more") of the year. A tenant reading its own
    /// workbook sees only the warnings that name it: the others are about the supplier's ledger.
    /// </summary>
    public static List<RunMoneyWarning> ForTenant(RunFolder run, string tenant, int year, bool forTenantReader) =>
        [.. run.MoneyWarnings.Where(w => w.Periods.Any(p => p.FiscalYear == year) && (forTenantReader ? w.Tenant == tenant : w.Tenant is null || w.Tenant == tenant))];

    /// <summary>Adds the sheet (nothing when there is nothing to say); returns whether it did.</summary>
    public static bool Add(XLWorkbook workbook, RunFolder run, string title, IReadOnlyList<RunMoneyWarning> warnings, IReadOnlyList<RunSkippedLines>? skipped = null)
    {
        if (warnings.Count == 0 && (skipped is null || skipped.Count == 0))
        {
            return false;
        }

        var sheet = workbook.AddWorksheet(Name);
        Excel.Title(sheet, 1, title);
        var row = 3;
        var heading = row;
        if (warnings.Count > 0)
        {
            Excel.HeadingRow(sheet, row++, ["Slag", "Gäller", "Varning", "Motorns text (run.json)"]);
            foreach (var w in warnings)
            {
                sheet.Cell(row, 1).Text(Kind(w.Kind));
                sheet.Cell(row, 2).Text(string.Join(", ", w.Periods.Select(p => p.FiscalYear.ToString(CultureInfo.InvariantCulture) + " " + Excel.Scenario(p.Scenario))));
                sheet.Cell(row, 3).Text(MoneyWarningText.Swedish(w));
                sheet.Cell(row, 4).Text(w.Text);
                sheet.Range(row, 1, row, 4).Style.Alignment.WrapText = true;
                sheet.Range(row, 1, row, 4).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
                row++;
            }

            row++;
        }

        if (skipped is { Count: > 0 })
        {
            sheet.Cell(row++, 1).Text("Huvudboksrader utanför kostnadskontona (ej kostnader, fördelas inte)").Style.Font.Bold = true;
            Excel.HeadingRow(sheet, row++, ["Kontoklass", "År och scenario", "Innehåll", "Rader", "Belopp", "Förväntat"], numericFrom: 4, numericTo: 5);
            foreach (var s in skipped)
            {
                sheet.Cell(row, 1).Text(s.AccountClass);
                sheet.Cell(row, 2).Text(s.FiscalYear.ToString(CultureInfo.InvariantCulture) + " " + Excel.Scenario(s.Scenario));
                sheet.Cell(row, 3).Text(s.Name);
                sheet.Cell(row, 4).SetValue(s.Lines);
                sheet.Cell(row, 4).Style.NumberFormat.Format = Excel.IntegerFormat;
                sheet.Cell(row, 5).Money(s.Amount);
                sheet.Cell(row, 6).Text(s.Expected ? "Ja" : "Nej");
                row++;
            }
        }

        Excel.Widths(sheet, 30, 30, 80, 60, 18, 10);
        Excel.PrintSetup(sheet, heading, title, run);
        return true;
    }

    /// <summary>The kind of a warning, in Swedish.</summary>
    private static string Kind(string kind) => kind switch
    {
        Model.MoneyWarning.SkippedAccount => "Konto utanför kostnadskontona",
        Model.MoneyWarning.Unmapped => "Omappad kostnad",
        Model.MoneyWarning.MissingDriverRow => "Saknad rad i fördelningsnyckel",
        _ => kind,
    };

    /// <summary>How many notes, for the summary's header block.</summary>
    public static string Count(int notes) =>
        notes == 1 ? "1 varning, se bladet " + Name : notes.ToString(CultureInfo.InvariantCulture) + " varningar, se bladet " + Name;
}
