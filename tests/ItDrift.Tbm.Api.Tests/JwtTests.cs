using System.Net;
using System.Security.Claims;
using System.Text;
using ItDrift.Tbm.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ItDrift.Tbm.Tests;

/// <summary>Bearer tokens (configured issuer, audience and signing key) carry the same grants as API keys.</summary>
[Collection("api")]
public sealed class JwtTests(ApiFixture api)
{
    private const string Key = "a-test-signing-key-of-at-least-32-bytes!";

    [Theory]
    [InlineData("tenant", "T-A", "FK", "T-A", HttpStatusCode.OK)]
    [InlineData("tenant", "T-A", "FK", "T-B", HttpStatusCode.NotFound)]
    [InlineData("tenant", "T-A", "SKV", "T-A", HttpStatusCode.NotFound)]
    [InlineData("tenant", "T-A", null, "T-A", HttpStatusCode.Unauthorized)]
    [InlineData("supplier", null, "FK", "T-B", HttpStatusCode.OK)]
    [InlineData("supplier", null, "SKV", "T-B", HttpStatusCode.NotFound)]
    [InlineData("esv", null, null, "T-C", HttpStatusCode.OK)]
    [InlineData("nobody", null, null, "T-A", HttpStatusCode.Unauthorized)]
    [InlineData("tenant", null, null, "T-A", HttpStatusCode.Unauthorized)]
    public async Task Token_GrantsItsRole(string role, string? tenant, string? supplier, string asked, HttpStatusCode expected)
    {
        using var factory = Configured();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(role, tenant, supplier, DateTime.UtcNow.AddMinutes(5), Key));
        using var response = await client.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/{asked}/fees", UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task TenantToken_OfOneSupplier_DoesNotReadTheSameTenantIdAtAnother()
    {
        // SKV's run has a tenant T-X; a T-X of FK is another agency as far as the API can know.
        using var factory = Configured();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token("tenant", "T-X", "FK", DateTime.UtcNow.AddMinutes(5), Key));
        using var fees = await client.GetAsync(new Uri($"/v1/runs/{api.Store.SkvRun}/tenants/T-X/fees", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, fees.StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token("tenant", "T-X", "SKV", DateTime.UtcNow.AddMinutes(5), Key));
        using var own = await client.GetAsync(new Uri($"/v1/runs/{api.Store.SkvRun}/tenants/T-X/fees", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Token_ExpiredOrWronglySigned_IsUnauthorized()
    {
        using var factory = Configured();
        using var client = factory.CreateClient();
        foreach (var token in new[] { Token("esv", null, null, DateTime.UtcNow.AddMinutes(-10), Key), Token("esv", null, null, DateTime.UtcNow.AddMinutes(5), "another-signing-key-of-at-least-32-bytes") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/runs", UriKind.Relative));
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private WebApplicationFactory<Program> Configured() => api.Factory.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Jwt:Issuer", "https://idp.test");
        builder.UseSetting("Jwt:Audience", "tbm-api");
        builder.UseSetting("Jwt:SigningKey", Key);
    });

    private static string Token(string role, string? tenant, string? supplier, DateTime expires, string key)
    {
        var claims = new List<Claim> { new("sub", "person@agency.test"), new("tbm_role", role) };
        if (tenant is not null)
        {
            claims.Add(new Claim("tbm_tenant", tenant));
        }

        if (supplier is not null)
        {
            claims.Add(new Claim("tbm_supplier", supplier));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://idp.test",
            Audience = "tbm-api",
            Subject = new ClaimsIdentity(claims),
            NotBefore = expires.AddMinutes(-30),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
