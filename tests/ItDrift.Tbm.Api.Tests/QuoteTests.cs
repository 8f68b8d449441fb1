using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>POST /v1/runs/{runId}/quote</c>: the engine's figures, shaped by who asks. The supplier's side sees
/// every other tenant's change; a tenant (or a prospect) only its own lines and aggregates of the others.
/// </summary>
[Collection("api")]
public sealed class QuoteTests(ApiFixture api)
{
    /// <summary>Every other tenant of the FK run, by id and by name: none may appear in what a tenant receives.</summary>
    private static readonly string[] FkTenants = ["T-A", "T-B", "T-C", "T-D", "Myndighet A", "Myndighet B", "Myndighet C", "Myndighet D"];

    private string Url => $"/v1/runs/{api.Store.FkRun}/quote";

    [Fact]
    public async Task Quote_BySupplier_LinesAreTheEnginesAndEffectsSumToMinusTheNewcomersFee()
    {
        var order = new QuoteOrder("T-NEW", "Myndighet Ny", 40, "202100-5521", new Dictionary<string, decimal>(StringComparer.Ordinal) { ["INF-VM"] = 2.5m }, 2024);
        var (response, text) = await Post("supplier FK", Url, Body(order));
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Null(response.Headers.ETag);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        var engine = TbmEngine.QuoteFromRun(api.Store.FkFolder, order);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.False(root.GetProperty("existingTenant").GetBoolean());
        Assert.Equal("Myndighet Ny", root.GetProperty("tenantName").GetString());
        AssertLines(engine, root);
        Assert.Equal(Kronor(engine.ConnectionCost), root.GetProperty("connectionCost").GetDecimal());

        var effects = root.GetProperty("effects").EnumerateArray().ToList();
        Assert.Equal(engine.Effects.Count, effects.Count);
        Assert.Contains(effects, e => e.GetProperty("tenant").GetString() == "T-C" && e.GetProperty("tenantName").GetString() == "Myndighet C");
        var totals = root.GetProperty("totals").EnumerateArray().ToList();
        Assert.Equal([2024, 2025], totals.Select(t => t.GetProperty("fiscalYear").GetInt32()));
        foreach (var total in totals)
        {
            // A quote adds volume, not cost: what the newcomer pays, the others pay less, to the öre.
            var year = total.GetProperty("fiscalYear").GetInt32();
            var fee = total.GetProperty("fee").GetDecimal();
            Assert.True(fee > 0);
            Assert.Equal(JsonValueKind.Null, total.GetProperty("previous").ValueKind);
            var change = effects.Where(e => e.GetProperty("fiscalYear").GetInt32() == year).Sum(e => e.GetProperty("change").GetDecimal());
            Assert.Equal(-fee, change);
            Assert.Equal(Kronor(engine.TotalByYear[year]), fee);
            var others = root.GetProperty("others").EnumerateArray().Single(o => o.GetProperty("fiscalYear").GetInt32() == year);
            Assert.Equal(4, others.GetProperty("tenants").GetInt32());
            Assert.Equal(change, others.GetProperty("change").GetDecimal());
        }
    }

    [Fact]
    public async Task Quote_ByProspect_NamesNoOtherTenant_AndItsAggregateIsTheSupplierViewsSum()
    {
        var body = """{"tenantId": "T-NEW", "name": "Myndighet Ny", "employees": 40, "quantities": {"INF-VM": 2}, "fromYear": 2024}""";
        var (supplierResponse, supplierText) = await Post("supplier FK", Url, body);
        var (response, text) = await Post("prospect T-NEW", Url, body);
        Assert.True(supplierResponse.StatusCode == HttpStatusCode.OK, supplierText);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        foreach (var other in FkTenants)
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }

        using var supplier = JsonDocument.Parse(supplierText);
        using var prospect = JsonDocument.Parse(text);
        var root = prospect.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("effects").ValueKind);
        Assert.Empty(root.GetProperty("warnings").EnumerateArray());
        Assert.Equal(supplier.RootElement.GetProperty("lines").GetRawText(), root.GetProperty("lines").GetRawText());
        Assert.Equal(supplier.RootElement.GetProperty("totals").GetRawText(), root.GetProperty("totals").GetRawText());
        AssertOthersAreTheSumOfTheEffects(supplier.RootElement, root, "T-NEW");
    }

    [Fact]
    public async Task Quote_ByTenantForItself_IsItsChangedOrder_WithItsPreviousFees_AndNoOtherTenant()
    {
        var order = new QuoteOrder("T-A", "Myndighet A", 25, null, new Dictionary<string, decimal>(StringComparer.Ordinal) { ["INF-VM"] = 3m }, 2024);
        var (supplierResponse, supplierText) = await Post("supplier FK", Url, Body(order));
        var (response, text) = await Post("tenant T-A", Url, Body(order));
        Assert.True(supplierResponse.StatusCode == HttpStatusCode.OK, supplierText);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        foreach (var other in FkTenants.Where(t => !t.EndsWith('A')))
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }

        var engine = TbmEngine.QuoteFromRun(api.Store.FkFolder, order);
        using var supplier = JsonDocument.Parse(supplierText);
        using var tenant = JsonDocument.Parse(text);
        var root = tenant.RootElement;
        Assert.True(root.GetProperty("existingTenant").GetBoolean());
        AssertLines(engine, root);
        Assert.Contains(engine.Lines, l => l.Service == "FUN-SUP");
        Assert.Equal(JsonValueKind.Null, root.GetProperty("effects").ValueKind);
        Assert.DoesNotContain(supplier.RootElement.GetProperty("effects").EnumerateArray(), e => e.GetProperty("tenant").GetString() == "T-A");
        foreach (var total in root.GetProperty("totals").EnumerateArray())
        {
            var year = total.GetProperty("fiscalYear").GetInt32();
            Assert.Equal(Kronor(engine.PreviousTotalByYear[year]), total.GetProperty("previous").GetDecimal());
            var others = root.GetProperty("others").EnumerateArray().Single(o => o.GetProperty("fiscalYear").GetInt32() == year);

            // Under full cost the others' changes are the other side of the tenant's own.
            Assert.Equal(total.GetProperty("previous").GetDecimal() - total.GetProperty("fee").GetDecimal(), others.GetProperty("change").GetDecimal());
        }

        AssertOthersAreTheSumOfTheEffects(supplier.RootElement, root, "T-A");
    }

    [Theory]
    [InlineData("tenant T-A", "T-B")]
    [InlineData("tenant T-A", "T-NEW")]
    [InlineData("tenant T-B", "T-A")]
    [InlineData("tenant T-X", "T-X")]
    [InlineData("tenant T-X", "T-NEW")]
    [InlineData("prospect T-NEW", "T-A")]
    [InlineData("prospect T-NEW of SKV", "T-NEW")]
    [InlineData("supplier SKV", "T-NEW")]
    public async Task Quote_NotTheCallersToAsk_IsNotFound(string caller, string tenantId)
    {
        var (response, text) = await Post(caller, Url, $$$"""{"tenantId": "{{{tenantId}}}", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""");
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var other in FkTenants.Where(t => t != tenantId && !caller.EndsWith(t, StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("supplier FK", "/v1/runs/nosuchrun/quote", HttpStatusCode.NotFound)]
    [InlineData("supplier FK", "/v1/runs/%2E%2E/quote", HttpStatusCode.NotFound)]
    [InlineData("anonymous", "{run}", HttpStatusCode.Unauthorized)]
    [InlineData("revoked", "{run}", HttpStatusCode.Unauthorized)]
    public async Task Quote_ForAnUnknownRunOrWithoutCredentials_IsRefused(string caller, string url, HttpStatusCode expected)
    {
        var (response, text) = await Post(caller, url.Replace("{run}", Url, StringComparison.Ordinal), """{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""");
        Assert.True(response.StatusCode == expected, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"NOPE": 1}}""", "'NOPE' is not a service with a rule in this package")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"FUN-SUP": 1}}""", "'FUN-SUP' is not charged by a key (even rule), so it cannot be ordered by quantity")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": -1}}""", "the quantity of 'INF-VM' must be between 0 and 10^12 with at most six decimals")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1.0000001}}""", "the quantity of 'INF-VM' must be between 0 and 10^12 with at most six decimals")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1e13}}""", "the quantity of 'INF-VM' must be between 0 and 10^12 with at most six decimals")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "orgNr": "202100-5522", "quantities": {"INF-VM": 1}}""", "organisation number '202100-5522' has a wrong check digit (expected 1)")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "orgNr": "12345", "quantities": {"INF-VM": 1}}""", "organisation number '12345' must have 10 digits")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {}}""", "the order names no service")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}, "fromYear": 2099}""", "fromYear 2099 is not a fee year of the package (2024–2025)")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}, "fromYear": 1900}""", "fromYear 1900 is not a fee year of the package (2024–2025)")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}, "fromYear": -2147483648}""", "fromYear -2147483648 is not a fee year of the package (2024–2025)")]
    [InlineData("""{"tenantId": "UNMAPPED", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""", "'UNMAPPED' is reserved for money no mapping row matches; choose another id")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N\u0000", "employees": 1, "quantities": {"INF-VM": 1}}""", "name must not hold control or bidirectional-formatting characters")]
    [InlineData("""{"tenantId": "T-NEW", "name": "\u202Eevil", "employees": 1, "quantities": {"INF-VM": 1}}""", "name must not hold control or bidirectional-formatting characters")]
    [InlineData("""{"tenantId": "bad id!", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""", "'bad id!' is not an id (1–200 letters, digits, _ - .)")]
    [InlineData("""{"tenantId": "INF-VM", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""", "'INF-VM' names an object of the package, not a tenant; choose a new id")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": -1, "quantities": {"INF-VM": 1}}""", "employees must be between 0 and 1000000")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 5000000, "quantities": {"INF-VM": 1}}""", "employees must be between 0 and 1000000")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1e12, "quantities": {"INF-VM": 1}}""", "the order is not valid JSON of the expected shape: ")]
    [InlineData("""{"tenantId": "T-NEW", "employees": 1, "quantities": {"INF-VM": 1}}""", "name is required")]
    [InlineData("""{"tenantId": "T-NEW", "name": "  ", "employees": 1, "quantities": {"INF-VM": 1}}""", "name is required")]
    [InlineData("""{"name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""", "tenantId is required")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "quantities": {"INF-VM": 1}}""", "employees is required")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1}""", "quantities is required")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantity": {"INF-VM": 1}}""", "'quantity' could not be mapped")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1, "INF-VM": 2}}""", "the order is not valid JSON of the expected shape: ")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": "one"}}""", "the order is not valid JSON of the expected shape: ")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", """, "the order is not valid JSON of the expected shape: ")]
    [InlineData("null", "the body must be a JSON object")]
    public async Task Quote_WithAnInvalidOrder_IsBadRequestSayingWhy(string body, string message)
    {
        var (response, text) = await Post("supplier FK", Url, body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Contains(message, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(api.Store.Root, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_WithATenantIdTooLongForAnId_IsBadRequest_WithoutEchoingIt()
    {
        var id = new string('T', 10_000);
        var (response, text) = await Post("supplier FK", Url, "{\"tenantId\": \"" + id + "\", \"name\": \"N\", \"employees\": 1, \"quantities\": {\"INF-VM\": 1}}");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("is not an id (1–200 letters, digits, _ - .)", text, StringComparison.Ordinal);
        Assert.True(text.Length < 1_000, text);
    }

    [Fact]
    public async Task Quote_WithTooManyServices_IsBadRequest()
    {
        var services = string.Join(", ", Enumerable.Range(0, 201).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"S{i}\": 1")));
        var (response, text) = await Post("supplier FK", Url, """{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {""" + services + "}}");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("an order names at most 200 services", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant T-A", "T-A")]
    [InlineData("tenant T-D", "T-D")]
    [InlineData("prospect T-NEW", "T-NEW")]
    public async Task Quote_ByATenant_OfAServiceFewerThanThreeShare_IsRefused(string caller, string tenantId)
    {
        // APP-X is T-A's and T-B's only: its unit price before and after would tell T-A what T-B pays.
        var body = $$$"""{"tenantId": "{{{tenantId}}}", "name": "N", "employees": 1, "quantities": {"INF-VM": 1, "APP-X": 3}}""";
        var (response, text) = await Post(caller, Url, body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("'APP-X' is shared by too few tenants for its cost to be shown", text, StringComparison.Ordinal);

        var (supplier, supplierText) = await Post("supplier FK", Url, body);
        Assert.True(supplier.StatusCode == HttpStatusCode.OK, supplierText);
    }

    [Fact]
    public async Task Quote_WithATooLargeOrNonJsonBody_IsRefused()
    {
        var large = $$$"""{"tenantId": "T-NEW", "name": "{{{new string('x', QuoteEndpoints.MaxBodyBytes)}}}", "employees": 1, "quantities": {"INF-VM": 1}}""";
        var (tooLarge, text) = await Post("supplier FK", Url, large);
        Assert.True(tooLarge.StatusCode == HttpStatusCode.RequestEntityTooLarge, text);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);

        // Streamed without a Content-Length: refused once the limit is passed.
        using var client = api.Client("supplier FK");
        using var streamed = new StreamContent(new UnknownLength(Encoding.UTF8.GetBytes(large)));
        streamed.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        Assert.Null(streamed.Headers.ContentLength);
        using var chunked = await client.PostAsync(new Uri(Url, UriKind.Relative), streamed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);

        using var plain = await client.PostAsync(new Uri(Url, UriKind.Relative), new StringContent("INF-VM=1", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
    }

    [Fact]
    public async Task Quote_WhenEverySlotAndTheQueueAreBusy_Is429_AndAQueuedQuoteRunsWhenASlotFrees()
    {
        using var factory = api.Factory.WithWebHostBuilder(b => b.UseSetting("Quotes:Concurrency", "1").UseSetting("Quotes:Queue", "1").UseSetting("Quotes:WaitSeconds", "60"));
        var gate = factory.Services.GetRequiredService<QuoteGate>();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", api.Store.Keys["supplier FK"]);
        var body = """{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""";

        var held = await gate.EnterAsync(CancellationToken.None);
        Assert.NotNull(held);
        Task<HttpResponseMessage> queued;
        try
        {
            queued = client.PostAsync(new Uri(Url, UriKind.Relative), Json(body));
            for (var i = 0; gate.Waiting == 0 && i < 600; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(1, gate.Waiting);
            using var refused = await client.PostAsync(new Uri(Url, UriKind.Relative), Json(body));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.False(queued.IsCompleted);
        }
        finally
        {
            held!.Dispose();
        }

        using var answered = await queued;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    /// <summary>A stream that does not know its length, so the client sends it without a Content-Length.</summary>
    private sealed class UnknownLength(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>The engine says why it refuses an order as data (the portal words it in Swedish from that), and the API's English detail is the engine's message, unchanged.</summary>
    [Theory]
    [InlineData("NOPE", "1", QuoteRefusalReason.UnknownService, null)]
    [InlineData("FUN-SUP", "1", QuoteRefusalReason.NotKeyed, "even")]
    [InlineData("INF-VM", "1.0000001", QuoteRefusalReason.Quantity, null)]
    public async Task Quote_EngineRefusal_CarriesItsReasonAndService_AndTheApiSaysTheSameText(string service, string quantity, QuoteRefusalReason reason, string? method)
    {
        var order = new QuoteOrder("T-NEW", "N", 1, null, new Dictionary<string, decimal>(StringComparer.Ordinal) { [service] = decimal.Parse(quantity, CultureInfo.InvariantCulture) });
        var refused = Assert.Throws<QuoteRefusedException>(() => TbmEngine.QuoteFromRun(api.Store.FkFolder, order));
        Assert.Equal(TbmErrorKind.Usage, refused.Kind);
        Assert.Equal(reason, refused.Reason);
        Assert.Equal(service, refused.Service);
        Assert.Equal(method, refused.Method);

        var (response, text) = await Post("supplier FK", Url, Body(order));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(refused.Message, problem.RootElement.GetProperty("detail").GetString());
    }

    private async Task<(HttpResponseMessage Response, string Text)> Post(string caller, string url, string body)
    {
        using var client = api.Client(caller);
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), Json(body));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Body(QuoteOrder order) => JsonSerializer.Serialize(
        new { tenantId = order.TenantId, name = order.Name, employees = order.Employees, orgNr = order.OrgNr, quantities = order.Quantities, fromYear = order.FromYear });

    private static decimal Kronor(long ore) => ore / 100m;

    /// <summary>The response's lines are the engine's, money in kronor.</summary>
    private static void AssertLines(QuoteResult engine, JsonElement root)
    {
        var lines = root.GetProperty("lines").EnumerateArray().ToList();
        Assert.NotEmpty(lines);
        Assert.Equal(engine.Lines.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (expected, actual) = (engine.Lines[i], lines[i]);
            Assert.Equal(expected.FiscalYear, actual.GetProperty("fiscalYear").GetInt32());
            Assert.Equal(expected.FeeModel, actual.GetProperty("feeModel").GetString());
            Assert.Equal(expected.Service, actual.GetProperty("service").GetString());
            Assert.Equal(expected.Quantity, actual.GetProperty("quantity").GetDecimal());
            var unitPrice = actual.GetProperty("unitPrice");
            Assert.Equal(expected.UnitPrice is { } p ? Kronor(p) : (decimal?)null, unitPrice.ValueKind == JsonValueKind.Null ? null : unitPrice.GetDecimal());
            Assert.Equal(Kronor(expected.Fee), actual.GetProperty("fee").GetDecimal());
            Assert.Matches(@"^-?\d+\.\d\d$", actual.GetProperty("fee").GetRawText());
        }
    }

    /// <summary>A tenant's aggregate of the others, per year, is exactly the supplier view's effects summed over the other tenants.</summary>
    private static void AssertOthersAreTheSumOfTheEffects(JsonElement supplier, JsonElement tenant, string ordering)
    {
        var effects = supplier.GetProperty("effects").EnumerateArray().Where(e => e.GetProperty("tenant").GetString() != ordering).ToList();
        var expected = effects.GroupBy(e => e.GetProperty("fiscalYear").GetInt32()).OrderBy(g => g.Key)
            .Select(g => (Year: g.Key, Tenants: g.Count(), Change: g.Sum(e => e.GetProperty("change").GetDecimal())))
            .ToList();
        var actual = tenant.GetProperty("others").EnumerateArray()
            .Select(o => (Year: o.GetProperty("fiscalYear").GetInt32(), Tenants: o.GetProperty("tenants").GetInt32(), Change: o.GetProperty("change").GetDecimal()))
            .ToList();
        Assert.NotEmpty(actual);
        Assert.Equal(expected, actual);
        Assert.Equal(supplier.GetProperty("others").GetRawText(), tenant.GetProperty("others").GetRawText());
    }
}
