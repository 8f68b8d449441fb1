using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>A fee's explanation: the rules and shares back to the ledger, amounts summing exactly to the fee.</summary>
[Collection("api")]
public sealed class ExplainTests(ApiFixture api)
{
    [Theory]
    [InlineData("T-A", "INF-VM")]
    [InlineData("T-B", "INF-VM")]
    [InlineData("T-C", "INF-VM")]
    [InlineData("T-D", "FUN-SUP")]
    [InlineData("T-A", "APP-X")]
    public async Task Explanation_SumsExactlyToTheFee_InEveryCostPool(string tenant, string service)
    {
        using var client = api.Client("supplier FK");
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/{tenant}/fees/{service}/explain?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var root = json.RootElement;
        var fees = api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "2025" && f[1] == "actual" && f[2] == tenant && f[3] == service).ToList();
        Assert.Equal(fees.Sum(f => Dec(f[5])), root.GetProperty("amount").GetDecimal());

        var origins = root.GetProperty("origins").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("amount").GetDecimal(), origins.Sum(o => o.GetProperty("amount").GetDecimal()));
        foreach (var fee in fees)
        {
            Assert.Equal(Dec(fee[5]), origins.Where(o => o.GetProperty("costPool").GetString() == fee[4]).Sum(o => o.GetProperty("amount").GetDecimal()));
            Assert.Equal(Dec(fee[5]), root.GetProperty("byCostPool").EnumerateArray().Single(p => p.GetProperty("costPool").GetString() == fee[4]).GetProperty("amount").GetDecimal());
        }

        // The last move is the service's own rule to the tenant; every origin's account is in the ledger.
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, s => s.GetProperty("source").GetString() == service && s.GetProperty("target").GetString() == tenant);
        Assert.All(origins, o => Assert.InRange(o.GetProperty("account").GetInt32(), 4000, 6999));
    }

    [Fact]
    public async Task Explanation_GivesQuantityTimesUnitPrice_AndATenantTheUnitPriceOnlyWhereTheServiceMayBeShown()
    {
        using var supplier = api.Client("supplier FK");
        using var json = JsonDocument.Parse(await supplier.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees/APP-X/explain?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var price = json.RootElement.GetProperty("price");
        var listed = api.Store.FkCsv("prices").Skip(1).Select(l => l.Split(',')).Single(p => p[0] == "2025" && p[1] == "actual" && p[2] == "APP-X");
        var byModel = api.Store.FkCsv("fees_by_model").Skip(1).Select(l => l.Split(',')).Single(f => f[0] == "2025" && f[2] == "T-A" && f[3] == "APP-X");
        var quantity = price.GetProperty("quantity").GetDecimal();
        var unitPrice = price.GetProperty("unitPrice").GetDecimal();
        Assert.Equal(Dec(byModel[4]), quantity);
        Assert.Equal(Dec(listed[3]), price.GetProperty("units").GetDecimal());
        Assert.Equal(Dec(listed[4]), price.GetProperty("cost").GetDecimal());
        Assert.Equal(Dec(listed[5]), unitPrice);
        Assert.Equal(decimal.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero), price.GetProperty("priced").GetDecimal());
        Assert.Equal(json.RootElement.GetProperty("amount").GetDecimal(), price.GetProperty("amount").GetDecimal());
        Assert.Equal(price.GetProperty("amount").GetDecimal() - price.GetProperty("priced").GetDecimal(), price.GetProperty("difference").GetDecimal());

        // APP-X has fewer than three tenants: T-A reads its own quantity and fee, not the service's unit price, units or cost.
        using var tenant = api.Client("tenant T-A");
        using var own = JsonDocument.Parse(await tenant.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees/APP-X/explain?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var ownPrice = own.RootElement.GetProperty("price");
        Assert.Equal(quantity, ownPrice.GetProperty("quantity").GetDecimal());
        Assert.Equal(price.GetProperty("amount").GetDecimal(), ownPrice.GetProperty("amount").GetDecimal());
        foreach (var hidden in new[] { "units", "cost", "unitPrice", "priced", "difference" })
        {
            Assert.True(ownPrice.TryGetProperty(hidden, out var value) is false || value.ValueKind == JsonValueKind.Null, hidden);
        }
    }

    [Fact]
    public async Task Explanation_FollowsTheTowerIntoTheService()
    {
        // Virtual machines get 2/3 of the data-centre tower; T-A has 1.5 of 4.5 VMs: a third of it.
        using var client = api.Client("supplier FK");
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees/INF-VM/explain?fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        var tower = steps.Single(s => s.GetProperty("source").GetString() == "TWR-DC" && s.GetProperty("costPool").GetString() == "Internal Labor");
        Assert.Equal(1, tower.GetProperty("step").GetInt32());
        Assert.Equal("fixed", tower.GetProperty("method").GetString());
        Assert.Equal(0.666667m, tower.GetProperty("share").GetDecimal());
        var vm = steps.Single(s => s.GetProperty("source").GetString() == "INF-VM" && s.GetProperty("costPool").GetString() == "Internal Labor");
        Assert.Equal("driver", vm.GetProperty("method").GetString());
        Assert.Equal("vms", vm.GetProperty("driver").GetString());
        Assert.Equal(0.333333m, vm.GetProperty("share").GetDecimal());

        var origins = json.RootElement.GetProperty("origins").EnumerateArray().Where(o => o.GetProperty("costPool").GetString() == "Internal Labor").ToList();
        Assert.Equal(["KS1", "KS3"], origins.Select(o => o.GetProperty("costCenter").GetString()).Order(StringComparer.Ordinal));
        Assert.All(origins, o => Assert.Equal("TWR-DC", o.GetProperty("object").GetString()));
        Assert.All(origins, o => Assert.Equal(0.222222m, o.GetProperty("share").GetDecimal()));
    }

    [Fact]
    public async Task Explanation_ForATenant_SuppressesAggregatesOfAServiceWithFewerThanThreeTenants()
    {
        using var client = api.Client("tenant T-A");
        using var few = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees/APP-X/explain?fiscalYear=2025", UriKind.Relative)));
        Assert.Equal(2, few.RootElement.GetProperty("tenantsOfService").GetInt32());
        // The last move is T-A's own fee, shown; its share of the service (and so the service's cost) is not.
        var last = Assert.Single(few.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("target").GetString() == "T-A");
        Assert.Equal(JsonValueKind.Number, last.GetProperty("delivered").ValueKind);
        Assert.Equal(JsonValueKind.Null, last.GetProperty("share").ValueKind);
        Assert.All(few.RootElement.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("target").GetString() != "T-A"),
            s => Assert.Equal(JsonValueKind.Null, s.GetProperty("delivered").ValueKind));
        Assert.All(few.RootElement.GetProperty("origins").EnumerateArray(), o => Assert.Equal(JsonValueKind.Null, o.GetProperty("ledgerAmount").ValueKind));
        Assert.All(few.RootElement.GetProperty("origins").EnumerateArray(), o => Assert.Equal(JsonValueKind.Number, o.GetProperty("amount").ValueKind));

        using var many = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees/INF-VM/explain?fiscalYear=2025", UriKind.Relative)));
        Assert.All(many.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal(JsonValueKind.Number, s.GetProperty("delivered").ValueKind));
    }

    [Fact]
    public async Task Explanation_DefaultsToTheLatestYear_AndIsNotFoundWithoutAFee()
    {
        using var client = api.Client("tenant T-D");
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-D/fees/FUN-SUP/explain", UriKind.Relative)));
        Assert.Equal(2025, json.RootElement.GetProperty("fiscalYear").GetInt32());
        Assert.Equal("actual", json.RootElement.GetProperty("scenario").GetString());

        // T-D has no virtual machines.
        using var none = await client.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-D/fees/INF-VM/explain", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
