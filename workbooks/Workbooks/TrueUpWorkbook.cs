using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Avräkning: one tenant's year-end true-up per service: the final fee from the outcome, what was
/// invoiced preliminarily, and the difference (as a formula) to debit or credit.
/// </summary>
internal static class TrueUpWorkbook
{
    public static XLWorkbook Build(RunFolder run, string tenantId, int year)
    {
        if (!run.Has("trueup"))
        {
            throw new WorkbookException($"run {run.RunId} has no true-up (its model had no invoiced fees)");
        }

        var tenant = run.Tenant(tenantId);
        var lines = run.Query(
            $"SELECT service, final, invoiced, trueup FROM {run.Table("trueup")} WHERE fiscal_year = ? AND tenant = ? ORDER BY service",
            r => (Service: r.GetString(0), Final: r.GetDecimal(1), Invoiced: r.GetDecimal(2), TrueUp: r.GetDecimal(3)),
            year, tenantId);

        var workbook = Excel.NewWorkbook($"Avräkning {year.ToString(CultureInfo.InvariantCulture)} – {tenant.Name}", run);
        var sheet = workbook.AddWorksheet("Avräkning");
        Excel.Title(sheet, 1, "Avräkning av preliminära avgifter");
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", run.SupplierOrgNr is null ? run.SupplierName : $"{run.SupplierName} ({run.SupplierOrgNr})");
        Excel.Field(sheet, row++, "Kund", tenant.Name);
        Excel.Field(sheet, row++, "Organisationsnummer", tenant.OrgNr ?? "");
        Excel.Field(sheet, row, "Avgiftsår", null).Integer(year).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row++;
        row = Excel.RunFields(sheet, row, run) + 1;

        var heading = row;
        Excel.HeadingRow(sheet, row++, ["Tjänst", "Benämning", "Slutlig avgift (utfall)", "Preliminärt fakturerat", "Avräkning"], numericFrom: 3);
        var first = row;
        foreach (var line in lines)
        {
            sheet.Cell(row, 1).Text(line.Service);
            sheet.Cell(row, 2).Text(run.Object(line.Service).Name);
            sheet.Cell(row, 3).Money(line.Final);
            sheet.Cell(row, 4).Money(line.Invoiced);
            sheet.Cell(row, 5).MoneyFormula($"ROUND(C{row}-D{row},2)");
            row++;
        }

        sheet.Cell(row, 1).Text("Summa");
        foreach (var column in new[] { "C", "D", "E" })
        {
            sheet.Cell(row, column).MoneyFormula(row == first ? "0" : $"SUM({column}{first}:{column}{row - 1})");
        }

        Excel.TotalsRow(sheet, row, 5);
        var total = row;
        row += 2;
        sheet.Cell(row, 1).Text("Att");
        sheet.Cell(row, 2).FormulaA1 = $"IF(E{total}>0,\"debitera kunden\",IF(E{total}<0,\"kreditera kunden\",\"varken debitera eller kreditera\"))";
        sheet.Cell(row, 3).MoneyFormula($"ABS(E{total})");
        Excel.TotalsRow(sheet, row, 3);
        // The first column holds the header block's labels too: "Organisationsnummer" (bold) must fit.
        Excel.Widths(sheet, 22, 40, 20, 20, 18);
        Excel.PrintSetup(sheet, heading, $"Avräkning {year.ToString(CultureInfo.InvariantCulture)} – {tenant.Name}", run);
        return workbook;
    }
}
