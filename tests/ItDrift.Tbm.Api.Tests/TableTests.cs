using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>The tables' content: exactly the run folder's rows, in JSON pages, CSV and Arrow, with totals and ETags.</summary>
[Collection("api")]
public sealed class TableTests(ApiFixture api)
{
    private string Run => $"/v1/runs/{api.Store.FkRun}";

    [Fact]
    public async Task TenantFees_AreTheTenantsRowsOfFeesCsv_WithTotals()
    {
        using var client = api.Client("tenant T-A");
        var rows = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).Where(f => f[2] == "T-A").ToList();
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/tenants/T-A/fees?pageSize=10000", UriKind.Relative)));
        var root = json.RootElement;
        Assert.Equal("Myndighet A", root.GetProperty("tenantName").GetString());
        Assert.Equal("202100-5448", root.GetProperty("orgNr").GetString());
        Assert.Equal(rows.Count, root.GetProperty("totalRows").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(rows.Count, items.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i][3], items[i].GetProperty("service").GetString());
            Assert.Equal(rows[i][4], items[i].GetProperty("costPool").GetString());
            Assert.Equal(rows[i][5], items[i].GetProperty("amount").GetRawText());
        }

        Assert.Equal(rows.Sum(r => Dec(r[5])), root.GetProperty("total").GetDecimal());
        foreach (var period in root.GetProperty("byPeriod").EnumerateArray())
        {
            var expected = rows.Where(r => r[0] == period.GetProperty("fiscalYear").GetInt32().ToString(CultureInfo.InvariantCulture) && r[1] == period.GetProperty("scenario").GetString()).Sum(r => Dec(r[5]));
            Assert.Equal(expected, period.GetProperty("amount").GetDecimal());
        }
    }

    [Fact]
    public async Task TenantFootprint_IsTheTenantsRowsOfFootprintCsv_AndNoOneElses()
    {
        // FUN-SUP's 40 kg CO₂e evenly over T-A..T-D: 10 each; TWR-DC's 900 kWh: a third (300) to FUN-SUP, 75 each.
        var rows = api.Store.FkCsv("footprint").Skip(1).Select(l => l.Split(',')).Where(f => f[3] == "T-A").ToList();
        Assert.Contains(rows, r => r[2] == "co2e_kg" && r[4] == "FUN-SUP" && r[5] == "10");
        Assert.Contains(rows, r => r[2] == "energy_kwh" && r[4] == "FUN-SUP" && r[5] == "75");

        using var client = api.Client("tenant T-A");
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/tenants/T-A/footprint?pageSize=1000", UriKind.Relative)));
        var items = json.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("tenant").GetString(), i.GetProperty("service").GetString(), i.GetProperty("value").GetRawText())).ToList();
        Assert.Equal(rows.Select(r => ((string?)r[2], (string?)r[3], (string?)r[4], r[5])), items);

        using var other = api.Client("tenant T-B");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"{Run}/tenants/T-A/footprint", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task AllFees_HaveTotalsPerYearAndScenario_EachTheSumOfItsRows()
    {
        using var client = api.Client("supplier FK");
        var rows = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).ToList();
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/fees?pageSize=10", UriKind.Relative)));
        var root = json.RootElement;

        var expected = rows.GroupBy(r => (Year: int.Parse(r[0], CultureInfo.InvariantCulture), Scenario: r[1]))
            .OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal)
            .Select(g => (g.Key.Year, g.Key.Scenario, Rows: (long)g.Count(), Amount: g.Sum(r => Dec(r[5])))).ToList();
        Assert.True(expected.Count > 1, "the run has several periods");
        var byPeriod = root.GetProperty("byPeriod").EnumerateArray()
            .Select(p => (p.GetProperty("fiscalYear").GetInt32(), p.GetProperty("scenario").GetString()!, p.GetProperty("rows").GetInt64(), p.GetProperty("totals").GetProperty("amount").GetDecimal()))
            .ToList();
        Assert.Equal(expected, byPeriod);

        // Filtered to one period: one entry, that period's.
        using var one = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/fees?fiscalYear={expected[0].Year}&scenario={expected[0].Scenario}", UriKind.Relative)));
        var single = Assert.Single(one.RootElement.GetProperty("byPeriod").EnumerateArray().ToList());
        Assert.Equal(expected[0].Amount, single.GetProperty("totals").GetProperty("amount").GetDecimal());
    }

    [Theory]
    [InlineData("supplier FK", "/fees?scenario=prognos")]
    [InlineData("supplier FK", "/prices?scenario=Actual")]
    [InlineData("tenant T-A", "/tenants/T-A/fees?scenario=prognos")]
    [InlineData("supplier FK", "/fees?scenario=prognos&format=csv")]
    public async Task Tables_WithAScenarioTheRunDoesNotHave_AreBadRequest_NamingTheRunsScenarios(string caller, string path)
    {
        using var client = api.Client(caller);
        using var response = await client.GetAsync(new Uri(Run + path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("is not a scenario of run", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("supplier FK", "/fees")]
    [InlineData("supplier FK", "/fees?format=csv")]
    [InlineData("tenant T-A", "/tenants/T-A/fees")]
    [InlineData("tenant T-A", "/prices")]
    [InlineData("tenant T-A", "")]
    public async Task GetEndpoints_AnswerHead_LikeGet_WithoutABody(string caller, string path)
    {
        using var client = api.Client(caller);
        using var get = await client.GetAsync(new Uri(Run + path, UriKind.Relative));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Run + path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TenantFees_UnderParallelRequests_AreEachTheTenantsOwn()
    {
        var expected = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).GroupBy(f => f[2]).ToDictionary(g => g.Key, g => g.Sum(f => Dec(f[5])));
        var requests = Enumerable.Range(0, 40).Select(async i =>
        {
            var tenant = new[] { "T-A", "T-B", "T-D" }[i % 3];
            using var client = api.Client("tenant " + tenant);
            using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/tenants/{tenant}/fees", UriKind.Relative)));
            return (tenant, Total: json.RootElement.GetProperty("total").GetDecimal());
        });
        foreach (var (tenant, total) in await Task.WhenAll(requests))
        {
            Assert.Equal(expected[tenant], total);
        }
    }

    [Fact]
    public async Task TenantFees_ArePaged_WithTotalsOverAllRows()
    {
        using var client = api.Client("tenant T-A");
        using var all = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/tenants/T-A/fees?fiscalYear=2025&scenario=actual&pageSize=10000", UriKind.Relative)));
        using var page2 = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{Run}/tenants/T-A/fees?fiscalYear=2025&scenario=actual&page=2&pageSize=2", UriKind.Relative)));
        var items = all.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetRawText()).ToList();
        Assert.Equal(items.Skip(2).Take(2), page2.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetRawText()));
        Assert.Equal(all.RootElement.GetProperty("total").GetDecimal(), page2.RootElement.GetProperty("total").GetDecimal());
        Assert.Equal(items.Count, page2.RootElement.GetProperty("totalRows").GetInt32());

        using var bad = await client.GetAsync(new Uri($"{Run}/tenants/T-A/fees?pageSize=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("fees", "")]
    [InlineData("unallocated", "")]
    [InlineData("reconciliation", "")]
    [InlineData("prices", "")]
    [InlineData("balance", "")]
    [InlineData("trueup", "/tenants/T-A")]
    public async Task Csv_IsTheRunFoldersCsv_ByteForByte(string table, string prefix)
    {
        using var client = api.Client("supplier FK");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Run}{prefix}/{table}", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var expected = api.Store.FkCsv(table).Where((line, i) => i == 0 || prefix.Length == 0 || line.Split(',')[1] == "T-A");
        Assert.Equal(string.Join("\n", expected) + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Arrow_IsTheFeeTable_Typed()
    {
        using var client = api.Client("coordinator");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{Run}/fees", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.apache.arrow.stream"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apache.arrow.stream", response.Content.Headers.ContentType?.MediaType);

        using var reader = new ArrowStreamReader(await response.Content.ReadAsStreamAsync());
        var rows = new List<(string Tenant, string Service, decimal Amount)>();
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch)
            {
                var tenants = (StringArray)batch.Column("tenant");
                var services = (StringArray)batch.Column("service");
                var amounts = (Decimal128Array)batch.Column("amount");
                Assert.Equal(2, ((Apache.Arrow.Types.Decimal128Type)amounts.Data.DataType).Scale);
                for (var i = 0; i < batch.Length; i++)
                {
                    rows.Add((tenants.GetString(i), services.GetString(i), amounts.GetValue(i)!.Value));
                }
            }
        }

        var csv = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(csv.Count, rows.Count);
        Assert.Equal(csv.Select(f => (f[2], f[3], Dec(f[5]))), rows);
    }

    [Fact]
    public async Task Prices_ForATenant_SuppressAggregatesOfServicesWithFewerThanThreeTenants()
    {
        using var tenant = api.Client("tenant T-A");
        using var supplier = api.Client("supplier FK");
        using var forTenant = JsonDocument.Parse(await tenant.GetStringAsync(new Uri($"{Run}/prices?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        using var forSupplier = JsonDocument.Parse(await supplier.GetStringAsync(new Uri($"{Run}/prices?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        JsonElement Item(JsonDocument doc, string service) => doc.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("service").GetString() == service);

        // APP-X is shared by T-A and T-B only: T-A would learn T-B's fee from its cost.
        Assert.Equal(JsonValueKind.Null, Item(forTenant, "APP-X").GetProperty("cost").ValueKind);
        Assert.Equal(JsonValueKind.Null, Item(forTenant, "APP-X").GetProperty("units").ValueKind);
        Assert.Equal(Item(forSupplier, "APP-X").GetProperty("unitPrice").GetDecimal(), Item(forTenant, "APP-X").GetProperty("unitPrice").GetDecimal());
        Assert.Equal(JsonValueKind.Number, Item(forSupplier, "APP-X").GetProperty("cost").ValueKind);

        // INF-VM has three tenants: shown.
        Assert.Equal(Item(forSupplier, "INF-VM").GetProperty("cost").GetDecimal(), Item(forTenant, "INF-VM").GetProperty("cost").GetDecimal());
        Assert.Equal(4.5m, Item(forTenant, "INF-VM").GetProperty("units").GetDecimal());
    }

    [Fact]
    public async Task RunResources_HaveETags_AndAnswer304WhenUnchanged()
    {
        using var client = api.Client("tenant T-A");
        var url = new Uri($"{Run}/tenants/T-A/fees?fiscalYear=2025", UriKind.Relative);
        using var first = await client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // Another caller, another representation, another tag; and no tag leaks to a caller who may not see it.
        using var supplier = api.Client("supplier FK");
        using var theirs = await supplier.GetAsync(url);
        Assert.NotEqual(etag, theirs.Headers.ETag);
        using var other = api.Client("tenant T-B");
        using var denied = new HttpRequestMessage(HttpMethod.Get, url);
        denied.Headers.IfNoneMatch.Add(etag);
        using var notFound = await other.SendAsync(denied);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Null(notFound.Headers.ETag);
    }

    [Fact]
    public async Task RunDetail_ForATenant_ShowsNoOtherTenantsNorTheManifest()
    {
        using var tenant = api.Client("tenant T-B");
        using var json = JsonDocument.Parse(await tenant.GetStringAsync(new Uri(Run, UriKind.Relative)));
        Assert.Equal(["T-B"], json.RootElement.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("manifest").ValueKind);

        using var supplier = api.Client("supplier FK");
        using var full = JsonDocument.Parse(await supplier.GetStringAsync(new Uri(Run, UriKind.Relative)));
        Assert.Equal(4, full.RootElement.GetProperty("tenants").GetArrayLength());
        Assert.Equal(api.Store.FkRun, full.RootElement.GetProperty("manifest").GetProperty("runId").GetString());
    }

    [Fact]
    public async Task TrueUp_WhenTheRunHasNone_IsNotFound()
    {
        using var client = api.Client("coordinator");
        using var response = await client.GetAsync(new Uri($"/v1/runs/{api.Store.SkvRun}/tenants/T-X/trueup", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var workbook = await client.GetAsync(new Uri($"/v1/runs/{api.Store.SkvRun}/tenants/T-X/trueup/export.xlsx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, workbook.StatusCode);
    }

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
