using System.Text;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Workbooks;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// Fakturaunderlag: a tenant's invoices of a fiscal year — preliminary fees, the year before's true-up and instalments —
/// computed from the run as <c>tbm invoice</c> and the read API's invoice lines compute them (docs/billing.md), and the
/// same as the workbook. A tenant's own amounts only: the page is a tenant route, as the fee page is.
/// </summary>
internal static class InvoicePages
{
    public static void MapInvoicePages(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/fakturaunderlag", Show);
        run.MapGet("/tenants/{tenantId}/fakturaunderlag.xlsx", Workbook);
    }

    /// <summary>The year asked for (<c>?ar=</c>) when the run invoices it, else the last year it invoices; null when it invoices none.</summary>
    private static int? Year(RunScope scope, int? asked)
    {
        var years = Invoicing.Years(scope.Run.Folder);
        return asked is { } year && years.Contains(year) ? year : years.Count > 0 ? years[^1] : null;
    }

    private static List<Invoice> Invoices(RunScope scope, int year) =>
        [.. Invoicing.Invoices(scope.Run.Folder, year).Where(i => i.Buyer.Id == scope.Tenant)];

    private static IResult Show(HttpContext http, int? ar)
    {
        var scope = RunAccessFilter.Scope(http);
        var folder = scope.Run.Folder;
        var tenant = folder.Tenant(scope.Tenant!);
        var title = $"Fakturaunderlag för {tenant.Name}";
        if (Year(scope, ar) is not { } year)
        {
            return Page(http, title, "<p>Körningen har inga avgifter att fakturera.</p>\n");
        }

        var baseUrl = $"/portal/runs/{U(scope.Run.RunId)}/tenants/{U(tenant.Id)}";
        var body = new StringBuilder();
        body.Append("<p>Det här faktureras ").Append(E(tenant.Name)).Append(' ').Append(Int(year)).Append(" enligt körning ").Append(E(scope.Run.RunId))
            .Append(" hos ").Append(E(folder.SupplierName)).Append(": preliminära avgifter per faktureringsperiod, avräkningen för året innan och avbetalningar.")
            .Append(ar is { } asked && asked != year ? " Körningen fakturerar inget " + Int(asked) + ", så året " + Int(year) + " visas." : "").Append("</p>\n")
            .Append("<form method=\"get\" action=\"").Append(baseUrl).Append("/fakturaunderlag\"><label for=\"ar\">År</label> <select id=\"ar\" name=\"ar\">");
        foreach (var option in Invoicing.Years(folder))
        {
            body.Append("<option").Append(option == year ? " selected" : "").Append('>').Append(Int(option)).Append("</option>");
        }

        body.Append("</select> <button type=\"submit\">Visa</button></form>\n")
            .Append("<p><a href=\"").Append(baseUrl).Append("/fakturaunderlag.xlsx?ar=").Append(Int(year)).Append("\" download>Ladda ner fakturaunderlaget (Excel)</a></p>\n");

        var invoices = Invoices(scope, year);
        if (invoices.Count == 0)
        {
            body.Append("<p>Ni har inga fakturor ").Append(Int(year)).Append(".</p>\n");
            return Page(http, title, body.ToString());
        }

        foreach (var invoice in invoices)
        {
            var period = invoice.Lines.Min(l => l.InvoicePeriod);
            body.Append("<table class=\"invoice\" data-invoice=\"").Append(E(invoice.Number)).Append("\">\n<caption>Faktura ").Append(E(invoice.Number))
                .Append(" · period från ").Append(E(InvoiceWorkbook.PeriodText(period, year))).Append(" · fakturadatum ").Append(Date(invoice.IssueDate))
                .Append(" · förfallodatum ").Append(Date(invoice.DueDate)).Append("</caption>\n")
                .Append("<thead><tr><th scope=\"col\">Tjänst</th><th scope=\"col\">Typ</th><th scope=\"col\" class=\"n\">Avser år</th><th scope=\"col\" class=\"n\">Belopp</th></tr></thead>\n<tbody>\n");
            foreach (var line in invoice.Lines)
            {
                body.Append("<tr><th scope=\"row\">").Append(E(folder.Object(line.Service).Name)).Append("</th><td>").Append(E(UblInvoice.KindName(line.Kind)))
                    .Append("</td><td class=\"n\">").Append(Int(line.FiscalYear)).Append("</td><td class=\"n\">").Append(Kr(line.Amount / 100m)).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">Att betala</th><td class=\"n total\">").Append(Kr(invoice.Total / 100m)).Append("</td></tr></tfoot>\n</table>\n");
        }

        body.Append("<p id=\"year-total\">Summa ").Append(Int(year)).Append(": <strong>").Append(Kr(invoices.Sum(i => i.Total) / 100m)).Append("</strong> på ")
            .Append(Int(invoices.Count)).Append(invoices.Count == 1 ? " faktura" : " fakturor").Append(".</p>\n")
            .Append("<p><a href=\"").Append(baseUrl).Append("\">Tillbaka till avgifterna</a></p>\n");
        return Page(http, title, body.ToString());
    }

    private static IResult Workbook(HttpContext http, int? ar)
    {
        var scope = RunAccessFilter.Scope(http);
        if (Year(scope, ar) is not { } year)
        {
            return NotFound(http);
        }

        using var buffer = new MemoryStream();
        InvoiceWorkbook.Write(year, Invoices(scope, year), buffer);
        return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"fakturaunderlag-{scope.Tenant}-{year.ToString(System.Globalization.CultureInfo.InvariantCulture)}.xlsx");
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
