using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>A store with Trafikverket's run, where a tower feeds a two-tenant service and a three-tenant one (<see cref="TestStore"/>).</summary>
public sealed class TrafikverketFixture : IDisposable
{
    public TrafikverketFixture()
    {
        Store = new TestStore(withTrafikverket: true);
        Factory = new ApiFactory(Store, new ConcurrentQueue<(string Category, string Message)>());
    }

    public TestStore Store { get; }

    public ApiFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Store.Dispose();
    }
}

/// <summary>
/// The routes by which a tenant could once derive another single tenant's fee (issue: disclosure), each
/// closed by the engine's one policy. Trafikverket's T-B pays 250.00 for SVC-S; T-A pays the same and may
/// never learn it.
/// </summary>
public sealed class DisclosureTests(TrafikverketFixture fixture) : IClassFixture<TrafikverketFixture>
{
    private string Run => fixture.Store.TrvRun!;

    [Theory]
    [InlineData("tenant T-A of TRV", "T-A")]
    [InlineData("prospect T-NEW of TRV", "T-NEW")]
    [InlineData("supplier TRV", "T-A")]
    public async Task Quote_OfATower_IsRefusedForEveryone(string caller, string tenantId)
    {
        // Ordering the tower made the orderer the target of its whole balance: SVC-S's cost, and so T-B's fee.
        var body = $$$"""{"tenantId": "{{{tenantId}}}", "name": "N", "employees": 1, "quantities": {"TW-X": 1000000000000}}""";
        var (status, text) = await Post(caller, body);
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Contains("'TW-X' charges other objects, not tenants, so it cannot be ordered", text, StringComparison.Ordinal);
        Assert.DoesNotContain("500.00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("250.00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_OfTheTwoTenantService_IsRefusedForATenant_AndOfTheThreeTenantServiceAnswered()
    {
        var (refused, text) = await Post("tenant T-A of TRV", """{"tenantId": "T-A", "name": "N", "employees": 1, "quantities": {"SVC-S": 2}}""");
        Assert.True(refused == HttpStatusCode.BadRequest, text);
        Assert.Contains("'SVC-S' is shared by too few tenants", text, StringComparison.Ordinal);

        var (answered, quote) = await Post("tenant T-A of TRV", """{"tenantId": "T-A", "name": "N", "employees": 1, "quantities": {"SVC-O": 2}}""");
        Assert.True(answered == HttpStatusCode.OK, quote);
        Assert.DoesNotContain("T-B", quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explanation_OfTheSiblingService_HidesTheTowersAmount()
    {
        // T-A's fee for SVC-O, 275.00: a quarter of what TW-X gave SVC-O (500.00) and of SVC-O's own 600.00.
        using var json = await Explain("tenant T-A of TRV", "T-A", "SVC-O");
        var root = json.RootElement;
        Assert.Equal(275.00m, root.GetProperty("amount").GetDecimal());

        var origins = root.GetProperty("origins").EnumerateArray().ToList();
        var tower = Assert.Single(origins, o => o.GetProperty("object").GetString() == "TW-X");
        Assert.Equal(125.00m, tower.GetProperty("amount").GetDecimal());
        Assert.Equal(JsonValueKind.Null, tower.GetProperty("ledgerAmount").ValueKind);
        Assert.Equal(JsonValueKind.Null, tower.GetProperty("share").ValueKind);
        var own = Assert.Single(origins, o => o.GetProperty("object").GetString() == "SVC-O");
        Assert.Equal(150.00m, own.GetProperty("amount").GetDecimal());
        Assert.Equal(600.00m, own.GetProperty("ledgerAmount").GetDecimal());
        Assert.Equal(0.25m, own.GetProperty("share").GetDecimal());

        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        var intoService = Assert.Single(steps, s => s.GetProperty("source").GetString() == "TW-X");
        Assert.Equal(500.00m, intoService.GetProperty("delivered").GetDecimal());
        Assert.Equal(JsonValueKind.Null, intoService.GetProperty("share").ValueKind);

        // Nothing in the answer is the tower's 1 000.00 (or SVC-S's 500.00 with it).
        Assert.DoesNotContain("1000", root.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explanation_ForTheSupplier_ShowsEverything()
    {
        using var json = await Explain("supplier TRV", "T-A", "SVC-O");
        var tower = Assert.Single(json.RootElement.GetProperty("origins").EnumerateArray(), o => o.GetProperty("object").GetString() == "TW-X");
        Assert.Equal(1000.00m, tower.GetProperty("ledgerAmount").GetDecimal());
        Assert.Equal(0.125m, tower.GetProperty("share").GetDecimal());
    }

    [Fact]
    public async Task PriceList_ForATenant_ShowsTheThreeTenantServicesUnitsAndCostOnly()
    {
        using var client = fixture.Factory.Client("tenant T-A of TRV");
        var csv = await client.GetStringAsync(new Uri($"/v1/runs/{Run}/prices?format=csv", UriKind.Relative));
        Assert.Equal(
            ["fiscal_year,scenario,service,units,cost,unit_price", "2025,actual,SVC-O,4,1100.00,275.00", "2025,actual,SVC-S,,,250.00"],
            csv.TrimEnd('\n').Split('\n'));
    }

    private async Task<(HttpStatusCode Status, string Text)> Post(string caller, string body)
    {
        using var client = fixture.Factory.Client(caller);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/v1/runs/{Run}/quote", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonDocument> Explain(string caller, string tenant, string service)
    {
        using var client = fixture.Factory.Client(caller);
        var url = string.Create(CultureInfo.InvariantCulture, $"/v1/runs/{Run}/tenants/{tenant}/fees/{service}/explain?fiscalYear=2025&scenario=actual");
        return JsonDocument.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
    }
}
