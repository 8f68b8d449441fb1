using ClosedXML.Excel;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Resultat och balans per avgiftsområde (avgiftsförordningen 25 a §): per fee area and year the
/// opening balance, revenue, cost, the year's result, the closing balance and whether an accumulated
/// surplus exceeds 10 % of the year's revenue. Result, closing balance, the carried-forward opening and
/// the surplus flag are formulas over the row, so the reader can follow the arithmetic (the flag rounds to
/// öre before comparing, so binary floating point cannot flip it where the engine compares exactly).
/// A last sheet, <c>Anmärkningar</c>, has the run's warnings about money and the ledger lines skipped as
/// not costs per account class, year and scenario (the workbook is for the supplier's side only).
/// </summary>
internal static class BalanceWorkbook
{
    /// <summary>Why a balance has no rows, in the sheets' own words.</summary>
    public const string EmptyNote = "Inga rader: resultat och balans redovisas för år med utfall (kostnader i scenariot utfall) eller med en rad i revenue. Körningen har inget sådant år, bara budget eller prognos.";

    public static XLWorkbook Build(RunFolder run)
    {
        var rows = run.Query(
            $"SELECT fee_area, fiscal_year, opening, revenue, cost, result, closing, surplus_flag FROM {run.Table("balance")} ORDER BY fee_area, fiscal_year",
            r => (Area: r.GetString(0), Year: r.GetInt32(1), Opening: r.GetDecimal(2), Revenue: r.GetDecimal(3), Cost: r.GetDecimal(4), Closing: r.GetDecimal(6)));

        var workbook = Excel.NewWorkbook($"Resultat och balans per avgiftsområde – {run.SupplierName}", run);
        var sheet = workbook.AddWorksheet("Balans");
        Excel.Title(sheet, 1, "Resultat och balans per avgiftsområde");
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", run.SupplierOrgNr is null ? run.SupplierName : $"{run.SupplierName} ({run.SupplierOrgNr})");
        row = Excel.RunFields(sheet, row, run) + 1;

        var heading = row;
        var rowOf = new List<int>(rows.Count);
        Excel.HeadingRow(sheet, row++, ["Avgiftsområde", "År", "Ingående balans", "Intäkter", "Kostnader", "Årets resultat", "Utgående balans", "Överskott över 10 % av intäkterna"], numericFrom: 2, numericTo: 7);
        for (var i = 0; i < rows.Count; i++)
        {
            var line = rows[i];
            rowOf.Add(row);
            sheet.Cell(row, 1).Text(line.Area);
            sheet.Cell(row, 2).Integer(line.Year);
            var carried = i > 0 && rows[i - 1].Area == line.Area && rows[i - 1].Closing == line.Opening;
            if (carried)
            {
                sheet.Cell(row, 3).MoneyFormula($"G{row - 1}");
            }
            else
            {
                sheet.Cell(row, 3).Money(line.Opening);
            }

            sheet.Cell(row, 4).Money(line.Revenue);
            sheet.Cell(row, 5).Money(line.Cost);
            sheet.Cell(row, 6).MoneyFormula($"D{row}-E{row}");
            sheet.Cell(row, 7).MoneyFormula($"C{row}+F{row}");
            sheet.Cell(row, 8).FormulaA1 = $"IF(ROUND(10*G{row}-D{row},2)>0,\"Ja\",\"Nej\")";
            row++;
        }

        if (rows.Count == 0)
        {
            // A budget-only (or forecast-only) package: the balance is the outcome's, so there is nothing to show yet.
            sheet.Cell(row + 1, 1).Text(EmptyNote).Style.Font.Italic = true;
        }

        Excel.Widths(sheet, 18, 8, 18, 18, 18, 18, 18, 16);
        Excel.PrintSetup(sheet, heading, "Resultat och balans per avgiftsområde", run);
        AddYearColumns(workbook, sheet, rows.Select(r => (r.Area, r.Year)).ToList(), rowOf, run);
        if (NotesSheet.Add(workbook, run, "Anmärkningar – pengar som inte fördelas som avsett", run.MoneyWarnings, run.SkippedLines)
            && run.MoneyWarnings.Count > 0)
        {
            Excel.Field(sheet, row + 1, NotesSheet.Name, NotesSheet.Count(run.MoneyWarnings.Count)).Style.Font.Bold = true;
        }

        return workbook;
    }

    /// <summary>
    /// The same figures laid out as agencies publish them (SOU 2021:97 table 6.5): per fee area one block,
    /// the items down and the years across, each cell a reference to the <c>Balans</c> sheet.
    /// </summary>
    private static void AddYearColumns(XLWorkbook workbook, IXLWorksheet source, List<(string Area, int Year)> lines, List<int> rowOf, RunFolder run)
    {
        var sheet = workbook.AddWorksheet("Per år");
        Excel.Title(sheet, 1, "Resultat och balans per år, i kronor (uppställning som i årsredovisningen)");
        var items = new (string Label, string Column)[]
        {
            ("Ingående balans", "C"), ("Intäkter", "D"), ("Kostnader", "E"), ("Årets resultat", "F"), ("Utgående balans", "G"), ("Överskott över 10 % av intäkterna", "H"),
        };
        var row = 3;
        if (lines.Count == 0)
        {
            sheet.Cell(row, 1).Text(EmptyNote).Style.Font.Italic = true;
        }

        foreach (var area in lines.Select(l => l.Area).Distinct(StringComparer.Ordinal))
        {
            var indexes = Enumerable.Range(0, lines.Count).Where(i => lines[i].Area == area).ToList();
            Excel.HeadingRow(sheet, row, [area, .. indexes.Select(i => lines[i].Year.ToString(System.Globalization.CultureInfo.InvariantCulture))], numericFrom: 2);
            row++;
            foreach (var (label, column) in items)
            {
                sheet.Cell(row, 1).Text(label);
                for (var c = 0; c < indexes.Count; c++)
                {
                    var reference = Excel.On(source.Name, $"{column}{rowOf[indexes[c]]}");
                    if (column == "H")
                    {
                        sheet.Cell(row, c + 2).FormulaA1 = reference;
                    }
                    else
                    {
                        sheet.Cell(row, c + 2).MoneyFormula(reference);
                    }
                }

                row++;
            }

            row++;
        }

        Excel.Widths(sheet, [34.0, .. Enumerable.Repeat(18.0, Math.Max(1, lines.Count))]);
        Excel.PrintSetup(sheet, 3, "Resultat och balans per år", run);
    }
}
