using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.IO;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Fakturaunderlag: one tenant's invoices of a year on one sheet, in Swedish — per invoice its number, billing
/// period, invoice and due date and lines (service, kind: preliminär avgift, avräkning or avbetalning, the year the
/// amount belongs to, the amount), the invoice's total, the year's total, and the year by kind.
/// </summary>
/// <remarks>
/// Built only from <see cref="Invoice"/> values, so the workbook and the UBL invoices (<see cref="UblInvoice"/>) show
/// the same figures to the öre. Amounts are typed numbers in kronor (<c>öre / 100</c> as <see cref="decimal"/>);
/// totals are formulas, stored with their values. The package is made byte-identical by
/// <see cref="ReproduciblePackage"/>, without a document time (the invoices carry none but their dates).
/// </remarks>
public static class InvoiceWorkbook
{
    /// <summary>The folder of the per-tenant workbooks in an invoice output: <c>fakturaunderlag/TENANT.xlsx</c>.</summary>
    public const string Folder = "fakturaunderlag";

    /// <summary>The one sheet's name.</summary>
    public const string SheetName = "Fakturaunderlag";

    private const int LastColumn = 8;

    private static readonly string[] Months =
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    /// <summary>
    /// Writes one workbook per tenant, <c>fakturaunderlag/TENANT.xlsx</c> under <paramref name="directory"/> (the tenant
    /// id with characters outside ASCII letters, digits and <c>-_.</c> as <c>_</c>), from the invoices of
    /// <paramref name="year"/>.
    /// </summary>
    /// <param name="year">The fiscal year the invoices' billing periods are counted in.</param>
    /// <param name="invoices">The year's invoices, of any tenants.</param>
    /// <param name="directory">The output folder (normally the temporary folder from <c>OutputFolder.Prepare</c>).</param>
    /// <returns>The number of workbooks written: one per tenant with an invoice.</returns>
    /// <exception cref="TbmException">Two tenants' ids give the same file name (kind model), or the file exists already (kind conflict).</exception>
    public static int WriteAll(int year, IReadOnlyList<Invoice> invoices, string directory)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        ArgumentNullException.ThrowIfNull(directory);
        var tenants = invoices.GroupBy(i => i.Buyer.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tenant in tenants)
        {
            if (!names.TryAdd(FileName(tenant.Key), tenant.Key))
            {
                throw new TbmException(TbmErrorKind.Model, $"tenants '{names[FileName(tenant.Key)]}' and '{tenant.Key}' would both be written as {Folder}/{FileName(tenant.Key)}");
            }
        }

        // Every name is checked before the first file is written, so a refusal leaves nothing behind.
        if (tenants.Select(t => Path.Combine(directory, Folder, FileName(t.Key))).FirstOrDefault(File.Exists) is { } existing)
        {
            throw TbmException.Conflict($"'{existing}' exists already; the engine does not replace a file it did not write");
        }

        foreach (var tenant in tenants)
        {
            AtomicFile.Write(Path.Combine(directory, Folder, FileName(tenant.Key)), stream => Write(year, [.. tenant], stream), overwrite: false);
        }

        return tenants.Count;
    }

    /// <summary>The file name of a tenant's workbook: <c>T-A.xlsx</c>.</summary>
    public static string FileName(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var safe = new string([.. tenant.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return (safe.Length == 0 || safe.All(c => c == '.') ? "_" + safe : safe) + ".xlsx";
    }

    /// <summary>Writes one tenant's workbook of <paramref name="year"/> to <paramref name="output"/>.</summary>
    /// <param name="year">The fiscal year the invoices' billing periods are counted in.</param>
    /// <param name="invoices">The tenant's invoices: at least one, all to the same buyer.</param>
    /// <param name="output">Where the .xlsx package goes.</param>
    public static void Write(int year, IReadOnlyList<Invoice> invoices, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var workbook = Build(year, invoices);
        ReproduciblePackage.Save(workbook, output, created: null, evaluateFormulae: true);
    }

    /// <summary>The workbook of one tenant's invoices.</summary>
    internal static XLWorkbook Build(int year, IReadOnlyList<Invoice> invoices)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        if (invoices.Count == 0)
        {
            throw new ArgumentException("a tenant's invoice workbook needs at least one invoice", nameof(invoices));
        }

        var buyer = invoices[0].Buyer;
        if (invoices.Any(i => i.Buyer.Id != buyer.Id))
        {
            throw new ArgumentException($"the invoices are to more than one tenant ('{buyer.Id}' and '{invoices.First(i => i.Buyer.Id != buyer.Id).Buyer.Id}')", nameof(invoices));
        }

        var seller = invoices[0].Seller;
        var yearText = year.ToString(CultureInfo.InvariantCulture);
        var title = $"Fakturaunderlag {yearText} – {buyer.Name}";
        var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        workbook.Properties.Author = "ItDrift.Tbm";
        workbook.Properties.Company = seller.Name;
        var sheet = workbook.AddWorksheet(SheetName);

        Excel.Title(sheet, 1, title);
        var row = 3;
        Excel.Field(sheet, row++, "Leverantör", string.IsNullOrEmpty(seller.OrgNr) ? seller.Name : $"{seller.Name} ({seller.OrgNr})");
        Excel.Field(sheet, row++, "Kund", buyer.Name);
        Excel.Field(sheet, row++, "Organisationsnummer", buyer.OrgNr);
        Excel.Field(sheet, row++, "Kund-id", buyer.Id);
        Excel.Field(sheet, row++, "Fakturareferens", UblInvoice.BuyerReference(invoices[0]));
        Excel.Field(sheet, row++, "Elektronisk adress", UblInvoice.Endpoint(buyer) is (var scheme, var id) ? scheme + ":" + id : "saknas");
        Excel.Field(sheet, row, "Avgiftsår", null).Integer(year).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row++;
        Excel.Field(sheet, row, "Antal fakturor", null).Integer(invoices.Count).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        row += 2;

        var heading = row;
        Excel.HeadingRow(sheet, row++, ["Fakturanummer", "Period från", "Fakturadatum", "Förfallodatum", "Tjänst", "Typ", "Avser år", "Belopp"], numericFrom: 7);
        var firstLine = row;
        var invoiceTotals = new List<int>();
        var ordered = invoices.OrderBy(i => Period(i)).ThenBy(i => i.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal);
        foreach (var invoice in ordered)
        {
            var first = row;
            foreach (var line in invoice.Lines)
            {
                sheet.Cell(row, 1).Text(invoice.Number);
                sheet.Cell(row, 2).Text(PeriodText(Period(invoice), year));
                Date(sheet.Cell(row, 3), invoice.IssueDate);
                Date(sheet.Cell(row, 4), invoice.DueDate);
                sheet.Cell(row, 5).Text(line.Service);
                sheet.Cell(row, 6).Text(UblInvoice.KindName(line.Kind));
                sheet.Cell(row, 7).Integer(line.FiscalYear);
                sheet.Cell(row, 8).Money(line.Amount / 100m);
                row++;
            }

            sheet.Cell(row, 1).Text("Summa faktura " + invoice.Number);
            sheet.Cell(row, 8).MoneyFormula(row == first ? "0" : $"SUM(H{first}:H{row - 1})");
            Excel.TotalsRow(sheet, row, LastColumn);
            invoiceTotals.Add(row);
            row++;
        }

        var lastLine = row - 1;
        sheet.Cell(row, 1).Text("Summa " + yearText);
        sheet.Cell(row, 8).MoneyFormula(string.Join("+", invoiceTotals.Select(r => "H" + r.ToString(CultureInfo.InvariantCulture))));
        Excel.TotalsRow(sheet, row, LastColumn);
        sheet.Range(row, 1, row, LastColumn).Style.Border.BottomBorder = XLBorderStyleValues.Double;
        row += 2;

        Excel.HeadingRow(sheet, row++, ["Per typ", "", "", "", "", "", "", "Belopp " + yearText], numericFrom: 8);
        var firstKind = row;
        foreach (var kind in Enum.GetValues<InvoiceLineKind>())
        {
            var name = UblInvoice.KindName(kind);
            sheet.Cell(row, 1).Text(name);
            // The invoice totals' rows have no kind, so the sum by kind counts every line once.
            sheet.Cell(row, 8).MoneyFormula($"SUMIF($F${firstLine}:$F${lastLine},\"{name}\",$H${firstLine}:$H${lastLine})");
            row++;
        }

        sheet.Cell(row, 1).Text("Summa " + yearText);
        sheet.Cell(row, 8).MoneyFormula($"SUM(H{firstKind}:H{row - 1})");
        Excel.TotalsRow(sheet, row, LastColumn);
        row += 2;

        sheet.Cell(row++, 1).Text("Avgifterna omfattas inte av mervärdesskatt: avgifter mellan statliga myndigheter ligger utanför mervärdesskattens tillämpningsområde (kategori O i e-fakturan).").Style.Font.Italic = true;
        sheet.Cell(row, 1).Text("Ett negativt belopp krediteras kunden. En avräkning avser det år som anges under ”Avser år”.").Style.Font.Italic = true;

        Excel.Widths(sheet, 22, 16, 13, 14, 16, 18, 10, 18);
        Excel.PrintSetup(sheet, heading, title, seller.Name, "Fakturaunderlag " + yearText);
        return workbook;
    }

    /// <summary>The first month of an invoice's billing period: its lines' (they share it), the earliest if not.</summary>
    private static int Period(Invoice invoice) => invoice.Lines.Count == 0 ? 1 : invoice.Lines.Min(l => l.InvoicePeriod);

    /// <summary>A billing period's first month in Swedish: <c>juli 2026</c>.</summary>
    public static string PeriodText(int month, int year) =>
        (month is >= 1 and <= 12 ? Months[month - 1] : "månad " + month.ToString(CultureInfo.InvariantCulture)) + " " + year.ToString(CultureInfo.InvariantCulture);

    private static void Date(IXLCell cell, DateOnly date)
    {
        cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
        cell.Style.NumberFormat.Format = "yyyy-mm-dd";
        cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
    }
}
