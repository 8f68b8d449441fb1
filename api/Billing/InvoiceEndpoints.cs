using System.ComponentModel;
using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Billing;
using Microsoft.AspNetCore.Mvc;

namespace ItDrift.Tbm.Api.Billing;

/// <summary>Query-string parameters of the invoice lines.</summary>
internal sealed record InvoiceLinesQuery
{
    [Description("The fiscal year invoiced: its preliminary fees and instalments, and the year before's true-up.")]
    [FromQuery(Name = "year")]
    public int? Year { get; init; }

    [Description("json or csv; overrides the Accept header.")]
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}

/// <summary>The invoice lines of a fiscal year the caller may see, and their total.</summary>
internal sealed record InvoiceLinesPage(string RunId, int FiscalYear, int Invoices, decimal Total, IReadOnlyList<InvoiceLineItem> Items);

/// <summary>A row of <c>invoice_lines.csv</c> (docs/billing.md).</summary>
internal sealed record InvoiceLineItem(
    string Tenant, string InvoiceNumber, int InvoicePeriod, string IssueDate, string DueDate, string Service, string Kind, int FiscalYear, decimal Amount);

/// <summary>
/// <c>GET /v1/runs/{runId}/invoice-lines?year=Y</c>: the invoice lines of a year, computed from the run as <c>tbm invoice</c>
/// computes them; a tenant sees its own (<see cref="TableAccess.InvoiceLines"/>), the supplier's staff, the coordinator and ESV every tenant's.
/// </summary>
internal static class InvoiceEndpoints
{
    public static RouteGroupBuilder MapInvoiceEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/invoice-lines", InvoiceLines)
            .WithName("GetInvoiceLines").WithSummary("The invoice lines of a fiscal year: preliminary fees, the year before's true-up and instalments")
            .WithDescription("Computed from the run as tbm invoice computes them (docs/billing.md). A tenant key sees its own lines only. JSON, or CSV as invoice_lines.csv.")
            .Produces<InvoiceLinesPage>(StatusCodes.Status200OK, "application/json", RunTables.CsvMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return run;
    }

    private static IResult InvoiceLines(HttpContext http, [AsParameters] InvoiceLinesQuery query)
    {
        var scope = RunAccessFilter.Scope(http);
        if (query.Year is not { } year)
        {
            throw TbmException.Usage("year is required: the fiscal year to invoice (?year=2026)");
        }

        var access = TableAccess.InvoiceLines;
        var invoices = Invoicing.Invoices(scope.Run.Folder, year)
            .Where(i => access.MaySeeRowOf(scope.Grant, i.Buyer.Id))
            .ToList();
        if (RunTables.Negotiate(http.Request) == TableFormat.Csv)
        {
            var stream = new MemoryStream();
            Invoicing.WriteLines(invoices, stream);
            stream.Position = 0;
            return Results.File(stream, RunTables.CsvMediaType + "; charset=utf-8",
                string.Create(CultureInfo.InvariantCulture, $"invoice_lines-{scope.Run.RunId}-{year}.csv"));
        }

        var items = invoices.SelectMany(i => i.Lines.Select(l => new InvoiceLineItem(
            l.Tenant, i.Number, l.InvoicePeriod, Date(i.IssueDate), Date(i.DueDate), l.Service, Invoicing.KindName(l.Kind), l.FiscalYear, l.Amount / 100m))).ToList();
        return TypedResults.Ok(new InvoiceLinesPage(scope.Run.RunId, year, invoices.Count, invoices.Sum(i => i.Total) / 100m, items));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
