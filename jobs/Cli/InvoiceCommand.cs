using System.Globalization;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm invoice --run RUNDIR --year Y --out DIR</c>: the year's invoices of a run folder (published or not) as
/// <c>invoice_lines.csv</c>, the bookings as <c>bookings.si</c>, each invoice as UBL (<c>ubl/</c>) and each tenant's Fakturaunderlag (<c>fakturaunderlag/</c>; docs/billing.md). The folder is replaced as a
/// whole, like a run folder's <c>--out</c>: only when it is new, empty, or an earlier output of the engine holding only its own files.
/// </summary>
internal static class InvoiceCommand
{
    public static int Execute(string runFolder, int year, string output, TextWriter stdout, TextWriter stderr)
    {
        var run = RunFolder.Open(runFolder);
        var invoices = Invoicing.WriteFolder(run, year, output, (temporary, written) => Workbooks.InvoiceWorkbook.WriteAll(year, written, temporary),
            notElectronic: reason => stderr.WriteLine("tbm: warning: " + reason));
        var folder = Path.GetFullPath(output);
        stdout.WriteLine(Path.Combine(folder, Invoicing.LinesFile));
        stdout.WriteLine(Path.Combine(folder, Invoicing.BookingsFile));
        stdout.WriteLine(Path.Combine(folder, UblInvoice.Folder) + Path.DirectorySeparatorChar + " (one Peppol BIS Billing 3.0 invoice per tenant and period)");
        stdout.WriteLine(Path.Combine(folder, Workbooks.InvoiceWorkbook.Folder) + Path.DirectorySeparatorChar + " (Fakturaunderlag, one workbook per tenant)");
        var total = invoices.Sum(i => i.Total);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{invoices.Count} invoice{(invoices.Count == 1 ? "" : "s")} of {year} ({invoices.Sum(i => i.Lines.Count)} lines, {Model.Money.FormatGrouped(total)} kr) from run {run.RunId} written to {folder}"));
        return CommandLine.Ok;
    }
}
