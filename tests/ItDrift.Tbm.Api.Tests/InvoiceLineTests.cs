using System.Globalization;
using System.Net;
using System.Text.Json;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>GET /v1/runs/{runId}/invoice-lines?year=Y</c> through the real HTTP server (issue 19): the supplier sees every
/// tenant's lines, exactly the engine's; a tenant only its own, in JSON and CSV.
/// </summary>
[Collection("api")]
public sealed class InvoiceLineTests(ApiFixture api)
{
    private string Run => $"/v1/runs/{api.Store.FkRun}";

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    [Fact]
    public async Task InvoiceLines_ForTheSupplier_AreEveryTenantsLines_AsTheEngineComputesThem()
    {
        var invoices = Invoicing.Invoices(RunFolder.Open(api.Store.FkFolder), 2025);
        using var client = api.Client("supplier FK");

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/invoice-lines?year=2025", UriKind.Relative)));

        var root = json.RootElement;
        Assert.Equal(invoices.Count, root.GetProperty("invoices").GetInt32());
        Assert.Equal(invoices.Sum(i => i.Total) / 100m, root.GetProperty("total").GetDecimal());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(invoices.Sum(i => i.Lines.Count), items.Count);
        Assert.True(items.Select(i => i.GetProperty("tenant").GetString()).Distinct().Count() > 1, "several tenants");
        var first = items[0];
        Assert.Equal(invoices[0].Number, first.GetProperty("invoiceNumber").GetString());
        Assert.Equal(invoices[0].IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.GetProperty("issueDate").GetString());
        Assert.Equal("preliminary", first.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("T-A")]
    [InlineData("T-B")]
    public async Task InvoiceLines_ForATenant_AreItsOwnOnly_InJsonAndCsv(string tenant)
    {
        var invoices = Invoicing.Invoices(RunFolder.Open(api.Store.FkFolder), 2026); // the 2025 true-up
        var own = invoices.Where(i => i.Buyer.Id == tenant).SelectMany(i => i.Lines).ToList();
        Assert.NotEmpty(own);
        Assert.Contains(invoices, i => i.Buyer.Id != tenant);
        using var client = api.Client("tenant " + tenant);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/invoice-lines?year=2026", UriKind.Relative)));
        var csv = (await client.GetStringAsync(new Uri($"{Run}/invoice-lines?year=2026&format=csv", UriKind.Relative))).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.Equal(tenant, i.GetProperty("tenant").GetString()));
        Assert.Equal(own.Select(l => l.Amount / 100m), items.Select(i => i.GetProperty("amount").GetDecimal()));
        Assert.Equal("tenant,invoice_number,invoice_period,issue_date,due_date,service,kind,fiscal_year,amount", csv[0]);
        Assert.Equal(own.Count, csv.Length - 1);
        Assert.All(csv.Skip(1), row => Assert.StartsWith(tenant + ",", row, StringComparison.Ordinal));
        Assert.Equal(own.Sum(l => l.Amount) / 100m, csv.Skip(1).Sum(r => Dec(r.Split(',')[8])));
        Assert.All(csv.Skip(1), row => Assert.Equal("true-up", row.Split(',')[6]));
    }

    [Theory]
    [InlineData("/invoice-lines", HttpStatusCode.BadRequest, "year is required: the fiscal year to invoice (?year=2026)")]
    [InlineData("/invoice-lines?year=2031", HttpStatusCode.NotFound, "has nothing to invoice in 2031")]
    public async Task InvoiceLines_WithoutAYearOrOfAYearWithNothing_AreProblems(string path, HttpStatusCode status, string detail)
    {
        using var client = api.Client("tenant T-A");
        using var response = await client.GetAsync(new Uri(Run + path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == status, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvoiceLines_OfAnotherSuppliersRun_AreNotFound_ForATenant()
    {
        using var client = api.Client("tenant T-X");
        using var response = await client.GetAsync(new Uri($"{Run}/invoice-lines?year=2025", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
