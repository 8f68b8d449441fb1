using System.Net;
using System.Text.Json;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// A tenant's fee bridge as the workbook Avgiftsförändring through the read API: the JSON bridge's figures, its
/// query and its disclosure, byte-identical on repeat.
/// </summary>
[Collection("api")]
public sealed class ChangesWorkbookTests(ApiFixture api)
{
    private const string BudgetToActual = "fromYear=2025&fromScenario=budget&fiscalYear=2025&scenario=actual";

    private static Uri Uri(string text) => new(text, UriKind.Relative);

    /// <summary>The service sheet's lines: service → (fee from, fee to, volume effect, price effect, unit price from cell, unit price to cell).</summary>
    private static Dictionary<string, (decimal From, decimal To, decimal Volume, decimal Price, Xlsx.Cell? UnitFrom, Xlsx.Cell? UnitTo)> Lines(Xlsx book)
    {
        var sheet = book["Per tjänst"];
        var lines = new Dictionary<string, (decimal, decimal, decimal, decimal, Xlsx.Cell?, Xlsx.Cell?)>(StringComparer.Ordinal);
        for (var row = 4; sheet[$"A{row}"]?.Value is { } service && service != "Summa"; row++)
        {
            lines[service] = (sheet[$"C{row}"]!.Number, sheet[$"D{row}"]!.Number, sheet[$"F{row}"]!.Number, sheet[$"G{row}"]!.Number, sheet[$"K{row}"], sheet[$"L{row}"]);
        }

        return lines;
    }

    [Fact]
    public async Task Workbook_HasTheJsonBridgesFigures_AndIsByteIdentical()
    {
        using var supplier = api.Client("supplier FK");
        var response = await supplier.GetAsync(Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes.xlsx?{BudgetToActual}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WorkbookExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("avgiftsforandring-FK-T-A-2025-2025.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        using var json = JsonDocument.Parse(await supplier.GetStringAsync(Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes?{BudgetToActual}")));
        var book = Xlsx.Read(bytes);
        var lines = Lines(book);
        var expected = json.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(expected.Select(l => l.GetProperty("service").GetString()), lines.Keys);
        foreach (var line in expected)
        {
            var (from, to, volume, price, _, _) = lines[line.GetProperty("service").GetString()!];
            Assert.Equal((line.GetProperty("feeFrom").GetDecimal(), line.GetProperty("feeTo").GetDecimal(), line.GetProperty("volumeEffect").GetDecimal(), line.GetProperty("priceEffect").GetDecimal()),
                (from, to, volume, price));
        }

        // The waterfall on the summary: the fee from, the volume and the price effect, the fee to, each the JSON's total.
        var summary = book["Sammanfattning"];
        var first = Xlsx.Sheet.RowOf(summary.Find("Steg")!.Address) + 1;
        Assert.Equal("Avgift 2025 (budget)", summary[$"A{first}"]!.Value);
        Assert.Equal("Avgift 2025 (utfall)", summary[$"A{first + 3}"]!.Value);
        Assert.Equal(json.RootElement.GetProperty("volumeEffect").GetDecimal(), summary[$"B{first + 1}"]!.Number);
        Assert.Equal(json.RootElement.GetProperty("priceEffect").GetDecimal(), summary[$"B{first + 2}"]!.Number);
        Assert.Equal(json.RootElement.GetProperty("change").GetDecimal(), summary[$"B{first + 4}"]!.Number);

        // Byte-identical: built again outside the server's cache, twice.
        var run = RunFolder.Open(api.Store.FkFolder);
        byte[] Build()
        {
            using var stream = new MemoryStream();
            FeeChangeWorkbook.Write(run, 2025, "budget", run, 2025, "actual", "T-A", forTenantReader: false, stream);
            return stream.ToArray();
        }

        Assert.Equal(bytes, Build());
        Assert.Equal(bytes, Build());
    }

    [Fact]
    public async Task Workbook_ForATenant_HidesTheUnitPricesTheJsonHides_AndAnotherTenantIs404()
    {
        var uri = Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes.xlsx?fromYear=2024");
        using var supplier = api.Client("supplier FK");
        var full = Lines(Xlsx.Read(await supplier.GetByteArrayAsync(uri)));
        using var tenant = api.Client("tenant T-A");
        var own = Lines(Xlsx.Read(await tenant.GetByteArrayAsync(uri)));

        // APP-X is licensed to T-A and T-B only: its unit price would give T-A T-B's fee. INF-VM has three tenants.
        Assert.NotEqual("–", full["APP-X"].UnitTo?.Value);
        Assert.Equal(("–", "–"), (own["APP-X"].UnitFrom?.Value, own["APP-X"].UnitTo?.Value));
        Assert.Equal(full["INF-VM"].UnitTo!.Number, own["INF-VM"].UnitTo!.Number);
        Assert.Equal(full["APP-X"].To, own["APP-X"].To);

        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync(Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-B/changes.xlsx"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync(Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes.xlsx?from=nosuchrun"))).StatusCode);
        var refused = await tenant.GetAsync(Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes.xlsx?fromYear=2019"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("has no 2019", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
