using System.Globalization;
using System.Net;
using System.Text.Json;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>A tenant's fee bridge through the read API: its own lines, exact, unit prices only where the service may be shown.</summary>
[Collection("api")]
public sealed class ChangesTests(ApiFixture api)
{
    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>T-A's fees per service in a period of the FK run, from fees.csv.</summary>
    private Dictionary<string, decimal> Fees(string year, string scenario) =>
        api.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).Where(f => f[0] == year && f[1] == scenario && f[2] == "T-A")
            .GroupBy(f => f[3]).ToDictionary(g => g.Key, g => g.Sum(f => Dec(f[5])), StringComparer.Ordinal);

    [Fact]
    public async Task Changes_FromTheBudget_GivesTheTenantsOwnLines_AddingUpExactly()
    {
        using var supplier = api.Client("supplier FK");
        using var json = JsonDocument.Parse(await supplier.GetStringAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes?fromYear=2025&fromScenario=budget&fiscalYear=2025&scenario=actual", UriKind.Relative)));
        var root = json.RootElement;
        var (budget, actual) = (Fees("2025", "budget"), Fees("2025", "actual"));
        var lines = root.GetProperty("lines").EnumerateArray().ToList();

        Assert.Equal(actual.Keys.Union(budget.Keys).Order(StringComparer.Ordinal), lines.Select(l => l.GetProperty("service").GetString()));
        foreach (var line in lines)
        {
            var service = line.GetProperty("service").GetString()!;
            Assert.Equal("T-A", line.GetProperty("tenant").GetString());
            Assert.Equal(budget.GetValueOrDefault(service), line.GetProperty("feeFrom").GetDecimal());
            Assert.Equal(actual.GetValueOrDefault(service), line.GetProperty("feeTo").GetDecimal());
            Assert.Equal(line.GetProperty("change").GetDecimal(), line.GetProperty("volumeEffect").GetDecimal() + line.GetProperty("priceEffect").GetDecimal());
        }

        // The same 1.5 vms in the budget and the outcome: INF-VM's change is all price (the budget's cost is 1.1 times the outcome's).
        var vm = lines.Single(l => l.GetProperty("service").GetString() == "INF-VM");
        Assert.Equal((1.5m, 1.5m, "split", 0m), (vm.GetProperty("quantityFrom").GetDecimal(), vm.GetProperty("quantityTo").GetDecimal(), vm.GetProperty("kind").GetString(), vm.GetProperty("volumeEffect").GetDecimal()));
        Assert.Equal(actual.Values.Sum() - budget.Values.Sum(), root.GetProperty("change").GetDecimal());
        Assert.Equal(("budget", "actual"), (root.GetProperty("from").GetProperty("scenario").GetString(), root.GetProperty("to").GetProperty("scenario").GetString()));
    }

    [Fact]
    public async Task Changes_ForATenant_HideTheUnitPriceOfAServiceWithFewerThanThreeTenants_AndAnotherTenantIs404()
    {
        var uri = new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes?fromYear=2024", UriKind.Relative);
        using var supplier = api.Client("supplier FK");
        using var full = JsonDocument.Parse(await supplier.GetStringAsync(uri));
        using var tenant = api.Client("tenant T-A");
        using var own = JsonDocument.Parse(await tenant.GetStringAsync(uri));

        // APP-X is licensed to T-A and T-B only: its unit price would give T-A T-B's fee. INF-VM has three tenants.
        JsonElement Line(JsonDocument doc, string service) => doc.RootElement.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("service").GetString() == service);
        Assert.Equal(JsonValueKind.Number, Line(full, "APP-X").GetProperty("unitPriceTo").ValueKind);
        Assert.Equal(JsonValueKind.Null, Line(own, "APP-X").GetProperty("unitPriceTo").ValueKind);
        Assert.Equal(JsonValueKind.Null, Line(own, "APP-X").GetProperty("unitPriceFrom").ValueKind);
        Assert.Equal(Line(full, "INF-VM").GetProperty("unitPriceTo").GetDecimal(), Line(own, "INF-VM").GetProperty("unitPriceTo").GetDecimal());
        Assert.Equal(Line(full, "APP-X").GetProperty("feeTo").GetDecimal(), Line(own, "APP-X").GetProperty("feeTo").GetDecimal());

        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-B/changes", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes?from=nosuchrun", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/changes?fromYear=2019", UriKind.Relative))).StatusCode);
    }
}
