using System.Text.Encodings.Web;
using ItDrift.Tbm.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ItDrift.Tbm.Api.Access;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the keys file (<see cref="ApiKeyStore"/>): a known,
/// unrevoked key becomes a principal with its grant; a missing header is no result (so the request is
/// challenged with 401), a wrong one a failure (also 401).
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1 || keys.Verify(values[0]) is not { } entry)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown or revoked API key"));
        }

        AccessGrant grant;
        try
        {
            grant = entry.Grant();
        }
        catch (ArgumentException)
        {
            return Task.FromResult(AuthenticateResult.Fail("the key's grant is not valid"));
        }

        var principal = Grants.Principal(grant, "key " + entry.Id, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", $"ApiKey header=\"{Header}\"");
        return Task.CompletedTask;
    }
}
