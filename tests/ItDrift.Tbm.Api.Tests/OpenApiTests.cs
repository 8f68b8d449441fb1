using System.Net;
using ItDrift.Tbm.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ItDrift.Tbm.Tests;

/// <summary>The OpenAPI document and the API reference page.</summary>
[Collection("api")]
public sealed class OpenApiTests(ApiFixture api)
{
    [Fact]
    public async Task OpenApiDocument_Validates_AndDescribesEveryResource()
    {
        using var client = api.Client("anonymous");
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        var (document, diagnostic) = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        foreach (var path in new[]
        {
            "/v1/runs", "/v1/runs/latest", "/v1/runs/{runId}", "/v1/runs/{runId}/prices", "/v1/runs/{runId}/fees", "/v1/runs/{runId}/unallocated",
            "/v1/runs/{runId}/reconciliation", "/v1/runs/{runId}/balance", "/v1/runs/{runId}/tenants/{tenantId}/fees", "/v1/runs/{runId}/tenants/{tenantId}/trueup",
            "/v1/runs/{runId}/tenants/{tenantId}/fees/{serviceId}/explain", "/v1/runs/{runId}/tenants/{tenantId}/fees/export.xlsx",
            "/v1/runs/{runId}/tenants/{tenantId}/trueup/export.xlsx", "/v1/runs/{runId}/prices/export.xlsx", "/v1/runs/{runId}/balance/export.xlsx",
            "/v1/runs/{runId}/fees/export.xlsx", "/v1/runs/{runId}/quote", "/v1/runs/{runId}/simulations", "/health",
        })
        {
            Assert.True(document.Paths.ContainsKey(path) || document.Paths.ContainsKey(path + "/"), $"the document has no {path}");
        }

        Assert.True(document.Components?.SecuritySchemes?.ContainsKey("ApiKey"));
        var fees = document.Paths["/v1/runs/{runId}/tenants/{tenantId}/fees"].Operations![HttpMethod.Get];
        Assert.NotEmpty(fees.Security!);
        Assert.Contains("text/csv", fees.Responses!["200"].Content!.Keys);
        Assert.Contains("application/vnd.apache.arrow.stream", fees.Responses["200"].Content!.Keys);

        // The quote: its order and its answer are typed schemas, its refusals problem details.
        var quote = document.Paths["/v1/runs/{runId}/quote"].Operations![HttpMethod.Post];
        Assert.NotEmpty(quote.Security!);
        var order = quote.RequestBody!.Content!["application/json"].Schema!;
        Assert.Contains("quantities", order.Properties!.Keys);
        Assert.Contains("tenantId", order.Required ?? new HashSet<string>());
        Assert.Contains("lines", quote.Responses!["200"].Content!["application/json"].Schema!.Properties!.Keys);
        foreach (var status in new[] { "400", "401", "404", "413", "429" })
        {
            Assert.Contains("application/problem+json", quote.Responses[status].Content!.Keys);
        }
    }

    [Fact]
    public async Task ApiReference_IsServed()
    {
        using var client = api.Client("anonymous");
        using var response = await client.GetAsync(new Uri("/scalar", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
