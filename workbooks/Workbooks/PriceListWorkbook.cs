using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Prislista: the supplier's unit prices for a fee year, by service area: units, cost and unit price in
/// the year's basis scenario, and the unit price the year's fee model charges (which differs under the
/// three-year model). A second sheet lists every scenario's prices of the year.
/// </summary>
internal static class PriceListWorkbook
{
    /// <param name="run">The run.</param>
    /// <param name="year">The fee year.</param>
    /// <param name="forTenantReader">Show units and cost as the disclosure policy allows a tenant.</param>
    /// <param name="scenario">The scenario of the main sheet; the year's basis when <see langword="null"/>. The fee model
    /// prices the basis, so for another scenario its column is left empty and a field says why.</param>
    public static XLWorkbook Build(RunFolder run, int year, bool forTenantReader, string? scenario = null)
    {
        var feeBasis = run.BasisOf(year) ?? "actual";
        var basis = scenario ?? feeBasis;
        var prices = run.Query(
            $"SELECT scenario, service, units, cost, unit_price FROM {run.Table("prices")} WHERE fiscal_year = ? ORDER BY scenario, service",
            r => (Scenario: r.GetString(0), Service: r.GetString(1), Units: r.GetDecimal(2), Cost: r.GetDecimal(3), UnitPrice: r.GetDecimal(4)),
            year);
        var byModel = run.Query(
            $"SELECT service, fee_model, max(unit_price) FROM {run.Table("fees_by_model")} WHERE fiscal_year = ? AND unit_price IS NOT NULL AND fee_model NOT IN ('connection', 'asset') GROUP BY ALL",
            r => (Service: r.GetString(0), Model: r.GetString(1), UnitPrice: r.GetDecimal(2)),
            year);
        // For a tenant, a service's units and cost are sums over its tenants: shown as the disclosure policy allows.
        bool Shown(string scenario, string service) => !forTenantReader || run.Disclosure.IsVisible(year, scenario, service);
        var feeModel = byModel.Select(m => m.Model).FirstOrDefault() ?? "actual";
        var modelPrice = basis == feeBasis ? byModel.ToDictionary(m => m.Service, m => m.UnitPrice, StringComparer.Ordinal) : [];

        var workbook = Excel.NewWorkbook($"Prislista {year.ToString(CultureInfo.InvariantCulture)} – {run.SupplierName}", run);
        var sheet = workbook.AddWorksheet("Prislista");
        Excel.Title(sheet, 1, $"Prislista {year.ToString(CultureInfo.InvariantCulture)} – {run.SupplierName}");
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", run.SupplierOrgNr is null ? run.SupplierName : $"{run.SupplierName} ({run.SupplierOrgNr})");
        Excel.Field(sheet, row, "Avgiftsår", null).Integer(year).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row++;
        Excel.Field(sheet, row++, "Avgiftsmodell", Excel.FeeModel(feeModel, feeBasis));
        Excel.Field(sheet, row++, "Underlag (scenario)", Excel.Scenario(basis));
        if (basis != feeBasis)
        {
            Excel.Field(sheet, row++, "Obs", $"Priserna gäller scenariot {Excel.Scenario(basis).ToLowerInvariant()}. Avgiftsmodellen prissätter underlaget {Excel.Scenario(feeBasis).ToLowerInvariant()}, så dess à-priser visas inte här.");
        }

        row = Excel.RunFields(sheet, row, run) + 1;

        var heading = row;
        Excel.HeadingRow(sheet, row++, ["Tjänsteområde", "Tjänst", "Benämning", "Enhet", "Antal enheter", "Kostnad", "À-pris", "À-pris enligt avgiftsmodellen"], numericFrom: 5);
        var first = row;
        var lines = prices.Where(p => p.Scenario == basis)
            .OrderBy(p => run.Object(p.Service).Area ?? "Övriga tjänster", StringComparer.Ordinal)
            .ThenBy(p => p.Service, StringComparer.Ordinal);
        foreach (var price in lines)
        {
            var service = run.Object(price.Service);
            sheet.Cell(row, 1).Text(service.Area ?? "Övriga tjänster");
            sheet.Cell(row, 2).Text(price.Service);
            sheet.Cell(row, 3).Text(service.Name);
            sheet.Cell(row, 4).Text(service.Unit ?? "");
            if (Shown(price.Scenario, price.Service))
            {
                sheet.Cell(row, 5).Quantity(price.Units);
                sheet.Cell(row, 6).Money(price.Cost);
            }

            sheet.Cell(row, 7).Money(price.UnitPrice);
            if (modelPrice.TryGetValue(price.Service, out var charged))
            {
                sheet.Cell(row, 8).Money(charged);
            }

            row++;
        }

        sheet.Cell(row, 1).Text("Summa");
        sheet.Cell(row, 6).MoneyFormula(row == first ? "0" : $"SUM(F{first}:F{row - 1})");
        Excel.TotalsRow(sheet, row, 8);
        Excel.Widths(sheet, 26, 12, 36, 14, 14, 18, 14, 16);
        Excel.PrintSetup(sheet, heading, $"Prislista {year.ToString(CultureInfo.InvariantCulture)}", run);

        var all = workbook.AddWorksheet("Alla scenarier");
        Excel.Title(all, 1, $"Priser {year.ToString(CultureInfo.InvariantCulture)} per scenario");
        Excel.HeadingRow(all, 3, ["Scenario", "Tjänst", "Benämning", "Antal enheter", "Kostnad", "À-pris"], numericFrom: 4);
        row = 4;
        foreach (var price in prices)
        {
            all.Cell(row, 1).Text(Excel.Scenario(price.Scenario));
            all.Cell(row, 2).Text(price.Service);
            all.Cell(row, 3).Text(run.Object(price.Service).Name);
            if (Shown(price.Scenario, price.Service))
            {
                all.Cell(row, 4).Quantity(price.Units);
                all.Cell(row, 5).Money(price.Cost);
            }

            all.Cell(row, 6).Money(price.UnitPrice);
            row++;
        }

        Excel.Widths(all, 12, 12, 36, 14, 18, 14);
        Excel.PrintSetup(all, 3, $"Priser {year.ToString(CultureInfo.InvariantCulture)} per scenario", run);
        sheet.SetTabActive();
        return workbook;
    }
}
