using System.Globalization;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Avgiftsförändring: why one tenant's fee changed between two runs, or two years or scenarios of one run
/// (docs/changes.md). A summary sheet with the waterfall — the fee on the from side, the volume effect, the price
/// effect, the fee on the to side — as a table and as a chart; the bridge per service (fees, change, volume and
/// price effect, the tenant's volume and the unit prices, the kind of line in Swedish) with totals as formulas; the
/// same per cost pool; and the runs' warnings about money that bear on the tenant (<see cref="NotesSheet"/>).
/// </summary>
/// <remarks>
/// The figures are the engine's fee bridge (<see cref="FeeBridge"/>), read from the <c>changes.csv</c> and
/// <c>changes_by_pool.csv</c> it wrote, so the workbook and the files agree to the öre. A tenant reading its own copy
/// sees a unit price only where the disclosure policy shows the service in that period, as the read API's bridge.
/// The waterfall chart is a DrawingML part added after ClosedXML wrote the package (<see cref="WaterfallChart"/>);
/// the package is then made byte-identical by <see cref="ReproduciblePackage"/>, its document time the to-run's
/// publication.
/// </remarks>
public static class FeeChangeWorkbook
{
    /// <summary>The folder of the per-tenant workbooks in <c>tbm changes --workbooks</c>'s output.</summary>
    public const string Folder = "avgiftsforandring";

    private const string SummarySheet = "Sammanfattning";
    private const string ServiceSheet = "Per tjänst";
    private const string PoolSheet = "Per kostnadspool";

    /// <summary>
    /// <c>tbm changes --workbooks</c>: the fee bridge (<see cref="FeeBridge.Write"/>) and, in its folder, one workbook per
    /// tenant, <c>avgiftsforandring/TENANT.xlsx</c>, written together into a temporary sibling and moved into place at once.
    /// </summary>
    /// <exception cref="TbmException">A side is not a run folder or names a period the run does not have, or the output folder may not be replaced.</exception>
    public static (FeeBridgeResult Bridge, int Workbooks) WriteWithBridge(BridgeSide from, BridgeSide to, string outputDirectory)
    {
        var workbooks = 0;
        var bridge = FeeBridge.Write(from, to, outputDirectory, alsoWrite: (temporary, fromRun, toRun, tenants) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(temporary, Folder)).FullName;
            foreach (var tenant in tenants)
            {
                using var file = new FileStream(Path.Combine(folder, FileSafe(tenant.Tenant) + ".xlsx"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                Save(tenant, fromRun, toRun, forTenantReader: false, file);
            }

            workbooks = tenants.Count;
        });
        return (bridge, workbooks);
    }

    /// <summary>
    /// The read API's workbook: the bridge of <paramref name="tenant"/> from <paramref name="from"/> to <paramref name="to"/>
    /// (the latest year and best-known scenario where none is named), written to <paramref name="output"/>.
    /// </summary>
    /// <returns>The two sides as resolved.</returns>
    /// <exception cref="TbmException">A side names a period its run does not have.</exception>
    public static (BridgeEnd From, BridgeEnd To) Write(
        RunFolder from, int? fromYear, string? fromScenario, RunFolder to, int? toYear, string? toScenario, string tenant, bool forTenantReader, Stream output)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(output);

        var bridge = FeeBridge.Tenants(from, fromYear, fromScenario, to, toYear, toScenario, tenant).Single();
        Save(bridge, from, to, forTenantReader, output);
        return (bridge.From, bridge.To);
    }

    /// <summary>Builds, charts and saves one tenant's workbook, reproducibly.</summary>
    internal static void Save(TenantBridge bridge, RunFolder from, RunFolder to, bool forTenantReader, Stream output)
    {
        var (workbook, chart) = Build(bridge, from, to, forTenantReader);
        using (workbook)
        {
            using var buffer = new MemoryStream();
            workbook.SaveAs(buffer, validate: false, evaluateFormulae: true);
            WaterfallChart.Add(buffer, chart);
            buffer.Position = 0;
            ReproduciblePackage.Normalize(buffer, output, to.PublishedAt);
        }
    }

    /// <summary>A name any file system takes: characters outside letters, digits, <c>-_.</c> become <c>_</c>.</summary>
    private static string FileSafe(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    /// <summary>A side as a heading says it: <c>2025 (utfall)</c>.</summary>
    public static string Side(BridgeEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        return end.FiscalYear.ToString(CultureInfo.InvariantCulture) + " (" + Swedish.Scenario(end.Scenario) + ")";
    }

    /// <summary>The kind of a bridge line in Swedish.</summary>
    public static string Kind(string kind) => kind switch
    {
        "split" => "Volym och pris",
        "new" => "Ny",
        "ended" => "Upphörd",
        "unsplit" => "Endast pris",
        _ => kind,
    };

    /// <summary>The workbook and where its chart goes.</summary>
    internal static (XLWorkbook Workbook, WaterfallPlacement Chart) Build(TenantBridge bridge, RunFolder from, RunFolder to, bool forTenantReader)
    {
        var tenant = to.Tenants.ContainsKey(bridge.Tenant) ? to.Tenant(bridge.Tenant) : from.Tenant(bridge.Tenant);
        var title = $"Avgiftsförändring {Side(bridge.From)} – {Side(bridge.To)} – {tenant.Name}";
        var workbook = Excel.NewWorkbook(title, to);
        var summary = workbook.AddWorksheet(SummarySheet);
        var services = workbook.AddWorksheet(ServiceSheet);
        var pools = workbook.AddWorksheet(PoolSheet);
        var totalRow = ServiceLines(services, bridge, from, to, tenant, forTenantReader);
        PoolLines(pools, bridge, to, tenant);

        var notes = NotesSheet.ForTenant(to, bridge.Tenant, bridge.To.FiscalYear, forTenantReader);
        if (from.RunId != to.RunId || bridge.From.FiscalYear != bridge.To.FiscalYear)
        {
            notes.AddRange(NotesSheet.ForTenant(from, bridge.Tenant, bridge.From.FiscalYear, forTenantReader).Where(w => !notes.Contains(w)));
        }

        NotesSheet.Add(workbook, to, $"Anmärkningar – {tenant.Name}, {Side(bridge.From)} och {Side(bridge.To)}", notes);
        var chart = Summary(summary, bridge, from, to, tenant, totalRow, notes.Count);
        return (workbook, chart);
    }

    /// <summary>The summary: who and what is compared, the waterfall as a table (linked to the service sheet's totals) with the chart's data beside it.</summary>
    private static WaterfallPlacement Summary(IXLWorksheet sheet, TenantBridge bridge, RunFolder from, RunFolder to, TenantInfo tenant, int totalRow, int notes)
    {
        Excel.Title(sheet, 1, "Avgiftsförändring – " + tenant.Name);
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", to.SupplierOrgNr is null ? to.SupplierName : $"{to.SupplierName} ({to.SupplierOrgNr})");
        Excel.Field(sheet, row++, "Kund", tenant.Name);
        Excel.Field(sheet, row++, "Organisationsnummer", tenant.OrgNr ?? "");
        Excel.Field(sheet, row++, "Kund-id", tenant.Id);
        Excel.Field(sheet, row++, "Jämförs från", $"{Side(bridge.From)}, körning {bridge.From.RunId}");
        Excel.Field(sheet, row++, "Jämförs till", $"{Side(bridge.To)}, körning {bridge.To.RunId}");
        row = Excel.RunFields(sheet, row, to);
        if (from.RunId != to.RunId)
        {
            Excel.Field(sheet, row++, "Körning (från)", from.RunId);
        }

        if (notes > 0)
        {
            Excel.Field(sheet, row++, NotesSheet.Name, NotesSheet.Count(notes)).Style.Font.Bold = true;
        }

        row++;
        var heading = row;
        Excel.HeadingRow(sheet, row++, ["Steg", "Belopp", "Bas (osynlig)", "Avgift", "Ökning", "Minskning"], numericFrom: 2);
        sheet.Cell(heading - 1, 3).Text("Diagrammets underlag").Style.Font.Italic = true;
        var (feeFrom, feeTo) = (bridge.Lines.Sum(l => l.FeeFrom), bridge.Lines.Sum(l => l.FeeTo));
        List<WaterfallColumn> columns =
        [
            new("Avgift " + Side(bridge.From), feeFrom, IsTotal: true),
            new("Volymeffekt", bridge.Lines.Sum(l => l.VolumeEffect), IsTotal: false),
            new("Priseffekt", bridge.Lines.Sum(l => l.PriceEffect), IsTotal: false),
            new("Avgift " + Side(bridge.To), feeTo, IsTotal: true),
        ];
        var series = WaterfallSeries.Of(columns);
        string[] totals = ["C", "F", "G", "D"]; // the service sheet's columns of the four amounts
        var first = row;
        for (var i = 0; i < columns.Count; i++)
        {
            sheet.Cell(row, 1).Text(columns[i].Label);
            sheet.Cell(row, 2).MoneyFormula(Excel.On(ServiceSheet, totals[i] + totalRow.ToString(CultureInfo.InvariantCulture)));
            sheet.Cell(row, 3).Money(series.Base[i]);
            sheet.Cell(row, 4).Money(series.Total[i]);
            sheet.Cell(row, 5).Money(series.Increase[i]);
            sheet.Cell(row, 6).Money(series.Decrease[i]);
            row++;
        }

        sheet.Cell(row, 1).Text("Förändring");
        sheet.Cell(row, 2).MoneyFormula($"ROUND(B{first + 3}-B{first},2)");
        Excel.TotalsRow(sheet, row, 2);
        row += 2;
        string[] text =
        [
            "Volymeffekt: vad förändringen av er volym hade kostat till det tidigare styckpriset. Priseffekt: resten av förändringen (styckpriset som ändrats och avrundningen under ett öre).",
            "Volymeffekt + priseffekt = förändringen, exakt på öret, per tjänst (bladet " + ServiceSheet + ") och per kostnadspool (bladet " + PoolSheet + ").",
            "Diagrammet: avgiften före, volymeffekten, priseffekten och avgiften efter; ökningar röda, minskningar gröna. Kolumnerna C–F är diagrammets underlag.",
        ];
        foreach (var line in text)
        {
            sheet.Cell(row++, 1).Text(line).Style.Font.Italic = true;
        }

        Excel.Widths(sheet, 28, 20, 16, 16, 16, 16);
        Excel.PrintSetup(sheet, heading, $"Avgiftsförändring – {tenant.Name}", to, landscape: false);
        sheet.SheetView.FreezeRows(0);
        sheet.PageSetup.SetRowsToRepeatAtTop(heading, heading);
        sheet.SetTabActive();
        return new WaterfallPlacement(SummarySheet, $"Avgift {Side(bridge.From)} till {Side(bridge.To)}", columns, first, 1, 3, row, 0);
    }

    /// <summary>The bridge per service; returns the totals row.</summary>
    private static int ServiceLines(IXLWorksheet sheet, TenantBridge bridge, RunFolder from, RunFolder to, TenantInfo tenant, bool forTenantReader)
    {
        Excel.Title(sheet, 1, $"Avgiftsförändring per tjänst – {tenant.Name}, {Side(bridge.From)} till {Side(bridge.To)}");
        const int heading = 3;
        Excel.HeadingRow(sheet, heading,
            ["Tjänst", "Benämning", "Avgift " + Side(bridge.From), "Avgift " + Side(bridge.To), "Förändring", "Volymeffekt", "Priseffekt", "Antal " + Side(bridge.From), "Antal " + Side(bridge.To), "Enhet", "À-pris " + Side(bridge.From), "À-pris " + Side(bridge.To), "Slag"],
            numericFrom: 3, numericTo: 12);
        var row = heading + 1;
        var withheld = false;
        foreach (var line in bridge.Lines)
        {
            var service = to.Objects.ContainsKey(line.Service) ? to.Object(line.Service) : from.Object(line.Service);
            sheet.Cell(row, 1).Text(line.Service);
            sheet.Cell(row, 2).Text(service.Name);
            sheet.Cell(row, 3).Money(line.FeeFrom);
            sheet.Cell(row, 4).Money(line.FeeTo);
            sheet.Cell(row, 5).Money(line.Change);
            sheet.Cell(row, 6).Money(line.VolumeEffect);
            sheet.Cell(row, 7).Money(line.PriceEffect);
            sheet.Cell(row, 8).Quantity(line.QuantityFrom);
            sheet.Cell(row, 9).Quantity(line.QuantityTo);
            sheet.Cell(row, 10).Text(service.Unit ?? "");
            withheld |= UnitPrice(sheet.Cell(row, 11), line.UnitPriceFrom, forTenantReader && !FeeBridge.ShowsUnitPrice(from, bridge.From, line.Service));
            withheld |= UnitPrice(sheet.Cell(row, 12), line.UnitPriceTo, forTenantReader && !FeeBridge.ShowsUnitPrice(to, bridge.To, line.Service));
            sheet.Cell(row, 13).Text(Kind(line.Kind));
            row++;
        }

        sheet.Cell(row, 1).Text("Summa");
        for (var column = 3; column <= 7; column++)
        {
            var letter = Excel.Column(column);
            sheet.Cell(row, column).MoneyFormula(bridge.Lines.Count == 0 ? "0" : $"SUM({letter}{heading + 1}:{letter}{row - 1})");
        }

        Excel.TotalsRow(sheet, row, 13);
        var total = row;
        row += 2;
        List<string> notes =
        [
            "Volymeffekt = avgift före × (antal efter − antal före) ÷ antal före, avrundad till hela öre (halva öret från noll): vad volymförändringen hade kostat till det tidigare styckpriset. Priseffekt = förändring − volymeffekt.",
            "Slag: Volym och pris – tjänsten fördelas efter er volym på båda sidor. Ny – tjänsten finns bara efter; hela avgiften är volymeffekt. Upphörd – bara före; hela avgiften är volymeffekt. Endast pris – tjänsten fördelas inte efter en volym (lika delar, fasta andelar); hela förändringen är priseffekt.",
            "Antal är er volym av tjänstens fördelningsnyckel; à-pris är tjänstens pris enligt prislistan (tomt när tjänsten inte har något).",
        ];
        if (withheld)
        {
            notes.Add("–: à-priset är ett tal för hela tjänsten och visas inte när tjänsten har färre än tre kunder (röjandeskydd); antal och avgift är era egna.");
        }

        foreach (var note in notes)
        {
            sheet.Cell(row++, 1).Text(note).Style.Font.Italic = true;
        }

        Excel.Widths(sheet, 12, 32, 16, 16, 16, 16, 16, 12, 12, 12, 14, 14, 16);
        Excel.PrintSetup(sheet, heading, $"Avgiftsförändring per tjänst – {tenant.Name}", to);
        return total;
    }

    /// <summary>A unit price, or <c>–</c> where the disclosure policy hides it; returns whether it was hidden.</summary>
    private static bool UnitPrice(IXLCell cell, decimal? price, bool hidden)
    {
        if (price is not { } value)
        {
            return false;
        }

        if (hidden)
        {
            cell.Text("–").Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
            return true;
        }

        cell.Money(value);
        return false;
    }

    /// <summary>The bridge per service and cost pool (Swedish pool names), with totals.</summary>
    private static void PoolLines(IXLWorksheet sheet, TenantBridge bridge, RunFolder to, TenantInfo tenant)
    {
        Excel.Title(sheet, 1, $"Avgiftsförändring per kostnadspool – {tenant.Name}, {Side(bridge.From)} till {Side(bridge.To)}");
        const int heading = 3;
        Excel.HeadingRow(sheet, heading, ["Tjänst", "Kostnadspool", "Avgift " + Side(bridge.From), "Avgift " + Side(bridge.To), "Förändring", "Volymeffekt", "Priseffekt"], numericFrom: 3);
        var row = heading + 1;
        foreach (var pool in bridge.Pools)
        {
            sheet.Cell(row, 1).Text(pool.Service);
            sheet.Cell(row, 2).Text(CostPools.Name(pool.CostPool));
            sheet.Cell(row, 3).Money(pool.FeeFrom);
            sheet.Cell(row, 4).Money(pool.FeeTo);
            sheet.Cell(row, 5).Money(pool.Change);
            sheet.Cell(row, 6).Money(pool.VolumeEffect);
            sheet.Cell(row, 7).Money(pool.PriceEffect);
            row++;
        }

        sheet.Cell(row, 1).Text("Summa");
        for (var column = 3; column <= 7; column++)
        {
            var letter = Excel.Column(column);
            sheet.Cell(row, column).MoneyFormula(bridge.Pools.Count == 0 ? "0" : $"SUM({letter}{heading + 1}:{letter}{row - 1})");
        }

        Excel.TotalsRow(sheet, row, 7);
        row += 2;
        sheet.Cell(row, 1).Text("En tjänsts volymeffekt delas på kostnadspoolerna i proportion till deras avgift före (hela öre, restören till de största resterna); poolens priseffekt är dess förändring − volymeffekt, så poolerna summerar till tjänsten.").Style.Font.Italic = true;
        Excel.Widths(sheet, 12, 28, 16, 16, 16, 16, 16);
        Excel.PrintSetup(sheet, heading, $"Avgiftsförändring per kostnadspool – {tenant.Name}", to);
    }
}
