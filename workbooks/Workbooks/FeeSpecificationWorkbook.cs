using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Avgiftsspecifikation: what one tenant pays for a fee year. A summary sheet (supplier, tenant,
/// organisation number, fee year, fee model, run and time; one line per service area, linked to the
/// area's sheet by formula) and a sheet per service area: each service's quantity, unit price and fee,
/// and its cost broken down by cost pool, with totals as formulas.
/// </summary>
/// <remarks>
/// The fee is the run's <c>fees_by_model</c> fee of the year's fee model; the cost-pool breakdown is the
/// run's <c>fees</c> (what the allocation delivered to the tenant, in the year's basis scenario). Under
/// the actual-cost model the two are the same money, so the difference column is zero; under a price
/// list or the three-year model it shows the rounding or smoothing, which is reported, not hidden.
/// Instalments (connection costs, assets) follow the services on the summary sheet. The run's warnings
/// about money that bear on the fee year and the tenant are on a last sheet, <c>Anmärkningar</c>, named in
/// the summary's header block (see <see cref="NotesSheet.ForTenant"/>); without any, there is no such sheet.
/// </remarks>
internal static class FeeSpecificationWorkbook
{
    private sealed record Line(string Service, decimal? Quantity, decimal? UnitPrice, decimal Fee);

    /// <param name="run">The run.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="year">The fee year.</param>
    /// <param name="forTenantReader">A tenant reads it: only what the disclosure policy allows, and only warnings naming it.</param>
    /// <param name="scenario">A scenario asked for: the fee is the fee model's on the year's basis whatever is asked, so a
    /// scenario other than the basis only adds a field saying so.</param>
    public static XLWorkbook Build(RunFolder run, string tenantId, int year, bool forTenantReader = false, string? scenario = null)
    {
        var tenant = run.Tenant(tenantId);
        var basis = run.BasisOf(year) ?? "actual";
        var byModel = run.Table("fees_by_model");
        var lines = run.Query(
            $"SELECT service, quantity, unit_price, fee FROM {byModel} WHERE fiscal_year = ? AND tenant = ? AND fee_model NOT IN ('connection', 'asset') ORDER BY service",
            r => new Line(r.GetString(0), r.IsDBNull(1) ? null : r.GetDecimal(1), r.IsDBNull(2) ? null : r.GetDecimal(2), r.GetDecimal(3)),
            year, tenantId);
        var feeModel = run.Query($"SELECT DISTINCT fee_model FROM {byModel} WHERE fiscal_year = ? AND fee_model NOT IN ('connection', 'asset')", r => r.GetString(0), year)
            .FirstOrDefault() ?? "actual";
        var pools = run.Query(
            $"SELECT service, cost_pool, amount FROM {run.Table("fees")} WHERE fiscal_year = ? AND scenario = ? AND tenant = ?",
            r => (Service: r.GetString(0), Pool: r.GetString(1), Amount: r.GetDecimal(2)),
            year, basis, tenantId);
        var instalments = run.Query(
            $"SELECT fee_model, service, fee FROM {byModel} WHERE fiscal_year = ? AND tenant = ? AND fee_model IN ('connection', 'asset') ORDER BY 1, 2",
            r => (Kind: r.GetString(0), Item: r.GetString(1), Amount: r.GetDecimal(2)),
            year, tenantId);

        // Services charged without a fees_by_model line (none today) still show with their cost.
        foreach (var service in pools.Select(p => p.Service).Distinct(StringComparer.Ordinal).Where(s => lines.All(l => l.Service != s)).ToList())
        {
            lines.Add(new Line(service, null, null, 0m));
        }

        var poolNames = pools.Select(p => p.Pool).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var amounts = pools.ToDictionary(p => (p.Service, p.Pool), p => p.Amount);
        var areas = lines
            .GroupBy(l => run.Object(l.Service).Area ?? "Övriga tjänster", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

        var title = $"Avgiftsspecifikation {year.ToString(CultureInfo.InvariantCulture)} – {tenant.Name}";
        var workbook = Excel.NewWorkbook(title, run);
        var summary = workbook.AddWorksheet("Sammanfattning");
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { summary.Name };
        var areaTotals = new List<(string Area, int Services, string FeeCell)>();
        foreach (var area in areas)
        {
            var sheet = workbook.AddWorksheet(Excel.SheetName(area.Key, used));
            var feeCell = AreaSheet(sheet, run, tenant, year, feeModel, basis, area.Key, [.. area.OrderBy(l => l.Service, StringComparer.Ordinal)], poolNames, amounts, forTenantReader);
            areaTotals.Add((area.Key, area.Count(), Excel.On(sheet.Name, feeCell)));
        }

        var notes = NotesSheet.ForTenant(run, tenantId, year, forTenantReader);
        NotesSheet.Add(workbook, run, $"Anmärkningar – {tenant.Name}, avgiftsår {year.ToString(CultureInfo.InvariantCulture)}", notes);
        SummarySheet(summary, run, tenant, year, feeModel, basis, areaTotals, instalments, notes.Count, scenario);
        return workbook;
    }

    private static void SummarySheet(
        IXLWorksheet sheet, RunFolder run, TenantInfo tenant, int year, string feeModel, string basis,
        List<(string Area, int Services, string FeeCell)> areas, List<(string Kind, string Item, decimal Amount)> instalments, int notes, string? scenario)
    {
        Excel.Title(sheet, 1, "Avgiftsspecifikation");
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", run.SupplierOrgNr is null ? run.SupplierName : $"{run.SupplierName} ({run.SupplierOrgNr})");
        Excel.Field(sheet, row++, "Kund", tenant.Name);
        Excel.Field(sheet, row++, "Organisationsnummer", tenant.OrgNr ?? "");
        Excel.Field(sheet, row++, "Kund-id", tenant.Id);
        Excel.Field(sheet, row, "Avgiftsår", null).Integer(year).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row++;
        Excel.Field(sheet, row++, "Avgiftsmodell", Excel.FeeModel(feeModel, basis));
        Excel.Field(sheet, row++, "Underlag (scenario)", Excel.Scenario(basis));
        if (scenario is not null && scenario != basis)
        {
            Excel.Field(sheet, row++, "Obs", $"Scenariot {Excel.Scenario(scenario).ToLowerInvariant()} begärdes. Avgiften är avgiftsmodellens, på årets underlag {Excel.Scenario(basis).ToLowerInvariant()}, vilket scenario som än begärs.");
        }

        row = Excel.RunFields(sheet, row, run);
        if (notes > 0)
        {
            Excel.Field(sheet, row++, NotesSheet.Name, NotesSheet.Count(notes)).Style.Font.Bold = true;
        }

        row++;
        var heading = row;
        Excel.HeadingRow(sheet, row++, ["Tjänsteområde", "Antal tjänster", "Avgift"], numericFrom: 2);
        var first = row;
        foreach (var (area, services, feeCell) in areas)
        {
            sheet.Cell(row, 1).Text(area);
            sheet.Cell(row, 2).Integer(services);
            sheet.Cell(row, 3).MoneyFormula(feeCell);
            row++;
        }

        sheet.Cell(row, 1).Text("Summa avgifter");
        var feesTotal = sheet.Cell(row, 3).MoneyFormula(areas.Count == 0 ? "0" : $"SUM(C{first}:C{row - 1})").Address.ToString();
        Excel.TotalsRow(sheet, row, 3);
        row += 2;

        if (instalments.Count > 0)
        {
            Excel.HeadingRow(sheet, row++, ["Avbetalningar", "Post", "Belopp"], numericFrom: 3);
            var firstInstalment = row;
            foreach (var (kind, item, amount) in instalments)
            {
                sheet.Cell(row, 1).Text(Excel.FeeModel(kind));
                sheet.Cell(row, 2).Text(item);
                sheet.Cell(row, 3).Money(amount);
                row++;
            }

            sheet.Cell(row, 1).Text("Summa avbetalningar");
            var instalmentTotal = sheet.Cell(row, 3).MoneyFormula($"SUM(C{firstInstalment}:C{row - 1})").Address.ToString();
            Excel.TotalsRow(sheet, row, 3);
            row += 2;
            sheet.Cell(row, 1).Text("Att betala totalt");
            sheet.Cell(row, 3).MoneyFormula($"{feesTotal}+{instalmentTotal}");
            Excel.TotalsRow(sheet, row, 3);
        }

        Excel.Widths(sheet, 28, 44, 20);
        Excel.PrintSetup(sheet, heading, $"Avgiftsspecifikation {year.ToString(CultureInfo.InvariantCulture)} – {tenant.Name}", run, landscape: false);
        sheet.SheetView.FreezeRows(0);
        sheet.PageSetup.SetRowsToRepeatAtTop(heading, heading);
        sheet.SetTabActive();
    }

    /// <summary>Writes an area's sheet; returns the address of its fee total.</summary>
    /// <remarks>
    /// Beside the fee, quantity × unit price (the check a controller makes first) and what separates the two: under
    /// the actual-cost model the fee is the tenant's exact share of the service's cost with the split's remainder
    /// öre, so it can differ by öre from the product of a rounded unit price; under a price list it is the product.
    /// A tenant reading its own copy sees a unit price only where the disclosure policy shows the service.
    /// </remarks>
    private static string AreaSheet(
        IXLWorksheet sheet, RunFolder run, TenantInfo tenant, int year, string feeModel, string basis, string area, List<Line> lines,
        List<string> pools, Dictionary<(string Service, string Pool), decimal> amounts, bool forTenantReader)
    {
        Excel.Title(sheet, 1, $"{area} – {tenant.Name}, avgiftsår {year.ToString(CultureInfo.InvariantCulture)}");
        const int heading = 3;
        const int firstPool = 9;
        var sumColumn = firstPool + pools.Count;
        var differenceColumn = sumColumn + 1;
        Excel.HeadingRow(sheet, heading, ["Tjänst", "Benämning", "Enhet", "Antal", "À-pris", "Avgift", "Antal × à-pris", "Avgift − antal × à-pris", .. pools.Select(CostPools.Name), "Summa kostnadspooler", "Differens avgift – kostnad"], numericFrom: 4);
        sheet.Cell(heading - 1, firstPool).Text("Kostnad per kostnadspool").Style.Font.Italic = true;

        var row = heading + 1;
        var withheld = false;
        foreach (var line in lines)
        {
            var service = run.Object(line.Service);
            sheet.Cell(row, 1).Text(line.Service);
            sheet.Cell(row, 2).Text(service.Name);
            sheet.Cell(row, 3).Text(service.Unit ?? "");
            sheet.Cell(row, 4).Quantity(line.Quantity);
            if (line.UnitPrice is { } price)
            {
                if (forTenantReader && !run.Disclosure.IsVisible(year, basis, line.Service))
                {
                    sheet.Cell(row, 5).Text("–");
                    sheet.Cell(row, 5).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
                    withheld = true;
                }
                else
                {
                    sheet.Cell(row, 5).Money(price);
                    sheet.Cell(row, 7).MoneyFormula($"ROUND(D{row}*E{row},2)");
                    sheet.Cell(row, 8).MoneyFormula($"ROUND(F{row}-G{row},2)");
                }
            }

            sheet.Cell(row, 6).Money(line.Fee);
            for (var i = 0; i < pools.Count; i++)
            {
                if (amounts.TryGetValue((line.Service, pools[i]), out var amount))
                {
                    sheet.Cell(row, firstPool + i).Money(amount);
                }
            }

            var sum = pools.Count == 0 ? "0" : $"SUM({Excel.Column(firstPool)}{row}:{Excel.Column(sumColumn - 1)}{row})";
            sheet.Cell(row, sumColumn).MoneyFormula(sum);
            sheet.Cell(row, differenceColumn).MoneyFormula($"ROUND(F{row}-{Excel.Column(sumColumn)}{row},2)");
            row++;
        }

        var last = row - 1;
        sheet.Cell(row, 1).Text("Summa");
        for (var column = 6; column <= differenceColumn; column++)
        {
            var letter = Excel.Column(column);
            sheet.Cell(row, column).MoneyFormula($"SUM({letter}{heading + 1}:{letter}{last})");
        }

        Excel.TotalsRow(sheet, row, differenceColumn);
        var total = row;
        row += 2;
        foreach (var note in Notes(feeModel, lines.Any(l => l.UnitPrice is not null), withheld))
        {
            sheet.Cell(row++, 1).Text(note).Style.Font.Italic = true;
        }

        Excel.Widths(sheet, [12, 36, 14, 12, 14, 16, 16, 16, .. pools.Select(_ => 16.0), 18, 18]);
        Excel.PrintSetup(sheet, heading, $"Avgiftsspecifikation {year.ToString(CultureInfo.InvariantCulture)} – {tenant.Name} – {area}", run);
        return $"F{total}";
    }

    /// <summary>How to read quantity, unit price and fee, under the table.</summary>
    private static List<string> Notes(string feeModel, bool priced, bool withheld)
    {
        var notes = new List<string>();
        if (priced)
        {
            notes.Add(feeModel == "three-year"
                ? "À-pris enligt treårsmodellen = tjänstens kostnad för kunderna ÷ alla kunders antal, summerat över åren i fönstret, avrundat till hela öre (halva öret från noll). Antal × à-pris avrundas likadant."
                : "À-pris = tjänstens kostnad för kunderna ÷ alla kunders antal, avrundat till hela öre (halva öret från noll). Antal × à-pris avrundas likadant.");
            notes.Add(feeModel == "actual"
                ? "Avgiften enligt faktisk full kostnad är er exakta andel av kostnaden (kostnad × antal ÷ alla kunders antal) med fördelningens restören, som går till de största resterna; den kan därför skilja sig några öre från antal × à-pris."
                : "Avgiften är antal × à-pris; differensen mot kostnaden är avrundning eller utjämning enligt avgiftsmodellen.");
        }

        if (withheld)
        {
            notes.Add("–: à-priset är ett tal för hela tjänsten och visas inte när tjänsten har färre än tre kunder (röjandeskydd); antal och avgift är era egna.");
        }

        return notes;
    }
}
