using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ItDrift.Tbm.Tests;

public sealed class HealthTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Health_AnswersOk_WithTheEngineVersion()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(EngineInfo.Version, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
