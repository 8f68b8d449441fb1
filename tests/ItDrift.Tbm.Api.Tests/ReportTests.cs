using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>ESV's and the coordinator's routes to the key indicators and the yearly status report.</summary>
[Collection("api")]
public sealed class ReportTests(ApiFixture api)
{
    [Theory]
    [InlineData("esv")]
    [InlineData("coordinator")]
    public async Task StatusReport_ForEsvAndTheCoordinator_IsTheFullEditionOverEverySupplier(string caller)
    {
        using var client = api.Client(caller);
        using var response = await client.GetAsync(new Uri("/v1/reports/status.xlsx?fiscalYear=2025", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        var suppliers = workbook.Worksheet("Leverantörer");
        Assert.Contains(suppliers.RowsUsed(), r => r.Cell(1).GetString() == "FK");
        Assert.Contains(suppliers.RowsUsed(), r => r.Cell(1).GetString() == "SKV");
        Assert.Contains(workbook.Worksheet("Kunder").RowsUsed(), r => r.Cell(2).GetString() == "T-B");
    }

    [Theory]
    [InlineData("supplier FK")]
    [InlineData("tenant T-A")]
    [InlineData("prospect T-NEW")]
    public async Task StatusReport_ForAnyoneElse_DoesNotExist(string caller)
    {
        using var client = api.Client(caller);
        using var response = await client.GetAsync(new Uri("/v1/reports/status.xlsx?fiscalYear=2025", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StatusReport_WithoutAYear_IsABadRequest()
    {
        using var client = api.Client("esv");
        using var response = await client.GetAsync(new Uri("/v1/reports/status.xlsx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task KeyIndicators_ForEsv_AreTheRunsKpiTable()
    {
        using var client = api.Client("esv");
        var csv = await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/kpi?format=csv", UriKind.Relative));
        var expected = File.ReadAllLines(Path.Combine(api.Store.FkFolder, "kpi.csv"));
        Assert.Equal(expected[0], csv.Split('\n')[0]);
        Assert.Equal(expected.Length, csv.TrimEnd('\n').Split('\n').Length);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/kpi?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var fee = json.RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("scope").GetString() == "tenant" && i.GetProperty("subject").GetString() == "T-A" && i.GetProperty("indicator").GetString() == "tenant.fee");
        var fees = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "2025" && f[1] == "actual" && f[2] == "T-A")
            .Sum(f => decimal.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(fees, fee.GetProperty("value").GetDecimal());
    }

    [Theory]
    [InlineData("esv")]
    [InlineData("coordinator")]
    public async Task Tariffs_ForEsvAndTheCoordinator_HoldTheRegisterOfEverySupplier(string caller)
    {
        using var client = api.Client(caller);
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/tariffs?year=2025", UriKind.Relative)));
        Assert.Equal(2025, json.RootElement.GetProperty("fiscalYear").GetInt32());
        var register = json.RootElement.GetProperty("register").EnumerateArray().Select(r => r.GetProperty("supplier").GetString()).Distinct().ToList();
        Assert.Contains("FK", register);
        Assert.Contains("SKV", register);

        using var workbook = await client.GetAsync(new Uri("/v1/tariffs/export.xlsx?year=2025", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        using var book = new XLWorkbook(await workbook.Content.ReadAsStreamAsync());
        Assert.Equal("Tariffer", book.Worksheet(1).Name);
    }

    [Theory]
    [InlineData("supplier FK")]
    [InlineData("tenant T-A")]
    public async Task Tariffs_ForAnyoneElse_DoNotExist(string caller)
    {
        using var client = api.Client(caller);
        using var response = await client.GetAsync(new Uri("/v1/tariffs?year=2025", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Tariffs_WithoutAYear_AreABadRequest()
    {
        using var client = api.Client("esv");
        using var response = await client.GetAsync(new Uri("/v1/tariffs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
