using System.Net;
using System.Text;
using System.Text.Json;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>POST /v1/runs/{runId}/simulations</c> on the real API host: the engine's simulation, shaped by who asks. The
/// supplier's side simulates anything and sees every tenant; a tenant only its own volumes, its own lines and
/// aggregates of the others.
/// </summary>
[Collection("api")]
public sealed class SimulationTests(ApiFixture api)
{
    private string Url => $"/v1/runs/{api.Store.FkRun}/simulations";

    private const string SoftwareUp = """{"changes": [{"type": "cost", "costPool": "Software", "percent": 10}]}""";

    private const string OwnVms = """{"changes": [{"type": "volume", "driver": "vms", "target": "T-A", "quantity": 3}]}""";

    private async Task<(HttpStatusCode Status, string Text)> Post(string caller, string body, string mediaType = "application/json")
    {
        using var client = api.Client(caller);
        using var response = await client.PostAsync(new Uri(Url, UriKind.Relative), new StringContent(body, Encoding.UTF8, mediaType));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("supplier FK")]
    [InlineData("coordinator")]
    [InlineData("esv")]
    public async Task Simulate_BySuppliersSide_GivesEveryTenantsLine_AsTheEngineDoes(string caller)
    {
        var (status, text) = await Post(caller, SoftwareUp);
        Assert.True(status == HttpStatusCode.OK, text);

        var changes = SimulationJson.Read(Encoding.UTF8.GetBytes(SoftwareUp), "test");
        var (result, lines) = Simulation.Lines(ItDrift.Tbm.Runs.RunFolder.Open(api.Store.FkFolder), changes, tenant: null);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var shown = root.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Select(l => (l.Tenant, l.Service, l.FeeTo, l.Change)),
            shown.Select(l => (l.GetProperty("tenant").GetString()!, l.GetProperty("service").GetString()!, l.GetProperty("feeTo").GetDecimal(), l.GetProperty("change").GetDecimal())));
        Assert.Equal(["T-A", "T-B", "T-C", "T-D"], shown.Select(l => l.GetProperty("tenant").GetString()).Distinct().Order(StringComparer.Ordinal));

        // Software in 2025 actual is 120.10 (account 5460): +10 % = 12.01, all of it allocated to FUN-SUP's tenants.
        var change = Assert.Single(root.GetProperty("changes").EnumerateArray());
        Assert.Equal(("$.changes[0]", "cost", 12.01m), (change.GetProperty("path").GetString(), change.GetProperty("type").GetString(), change.GetProperty("costChange").GetDecimal()));
        Assert.Equal(result.CostChange / 100m, root.GetProperty("totals").GetProperty("change").GetDecimal() + root.GetProperty("unallocated").GetProperty("to").GetDecimal() - root.GetProperty("unallocated").GetProperty("from").GetDecimal());
        Assert.Equal((2025, "actual"), (root.GetProperty("run").GetProperty("fiscalYear").GetInt32(), root.GetProperty("run").GetProperty("scenario").GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("others").ValueKind);
    }

    [Fact]
    public async Task Simulate_ByATenant_OfItsOwnVolume_GivesItsOwnLines_AndOnlyAnAggregateOfTheOthers()
    {
        var (status, text) = await Post("tenant T-A", OwnVms);
        Assert.True(status == HttpStatusCode.OK, text);

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.All(root.GetProperty("lines").EnumerateArray(), l => Assert.Equal("T-A", l.GetProperty("tenant").GetString()));
        foreach (var other in new[] { "T-B", "T-C", "T-D", "Myndighet B" })
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }

        // T-A's 1.5 vms become 3: it pays more for INF-VM, the three others less, by the same amount (nothing else changed).
        var vm = root.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("service").GetString() == "INF-VM");
        Assert.Equal((1.5m, 3m), (vm.GetProperty("quantityFrom").GetDecimal(), vm.GetProperty("quantityTo").GetDecimal()));
        var own = root.GetProperty("totals").GetProperty("change").GetDecimal();
        Assert.True(own > 0);
        var others = root.GetProperty("others");
        Assert.Equal((3, -own), (others.GetProperty("tenants").GetInt32(), others.GetProperty("change").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("unallocated").ValueKind);
    }

    [Theory]
    [InlineData(SoftwareUp)]
    [InlineData("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-B", "quantity": 3}]}""")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "T-A"}]}""")]
    public async Task Simulate_ByATenant_OfAnythingButItsOwnVolumes_Is403(string body)
    {
        var (status, text) = await Post("tenant T-A", body);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("A tenant key may simulate only volume changes of its own quantities", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_ByATenant_OfAKeyOfAServiceSharedWithOneOther_IsRefused()
    {
        // APP-X is licensed to T-A and T-B only: T-A's fee before and after a change of its licences would give T-B's.
        var (status, text) = await Post("tenant T-A", """{"changes": [{"type": "volume", "driver": "licences", "target": "T-A", "quantity": 20}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'APP-X' is shared by too few tenants", text, StringComparison.Ordinal);
        Assert.DoesNotContain("T-B", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant T-X", HttpStatusCode.NotFound)]
    [InlineData("supplier SKV", HttpStatusCode.NotFound)]
    [InlineData("prospect T-NEW", HttpStatusCode.NotFound)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("revoked", HttpStatusCode.Unauthorized)]
    public async Task Simulate_ByCallersWithoutTheRun_IsRefused(string caller, HttpStatusCode expected)
    {
        var (status, text) = await Post(caller, caller.StartsWith("tenant", StringComparison.Ordinal) ? OwnVms.Replace("T-A", "T-X", StringComparison.Ordinal) : SoftwareUp);
        Assert.True(expected == status, text);
    }

    [Theory]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "percnt": 10}]}""", "the body: $.changes[0].percnt: unknown property")]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Hårdvara", "percent": 10}]}""", "the body: $.changes[0].costPool: 'Hårdvara' is not a cost pool of run ")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "UNMAPPED"}]}""", "the body: $.changes[0].tenant: 'UNMAPPED' is reserved")]
    public async Task Simulate_WithChangesThatDoNotFit_Is400_NamingTheJsonPath(string body, string detail)
    {
        var (status, text) = await Post("supplier FK", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var json = JsonDocument.Parse(text);
        Assert.StartsWith(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(api.Store.Runs, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WithABodyThatIsNotJson_Is415()
    {
        var (status, _) = await Post("supplier FK", SoftwareUp, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }
}
