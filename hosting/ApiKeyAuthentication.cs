using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItDrift.Tbm.Hosting;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the keys file (<see cref="ApiKeyStore"/>, a service of the
/// host): a known, unrevoked key whose grant is valid becomes a principal with that grant (<see cref="GrantClaims"/>);
/// a missing header is no result (so the request is challenged with 401), a wrong one a failure (also 401). What
/// a grant may then do is the host's authorization: the API answers 404 for what it may not read, the jobs host
/// 403 for a key it does not admit.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    /// <inheritdoc/>
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

        if (!entry.TryGrant(out var grant))
        {
            return Task.FromResult(AuthenticateResult.Fail("the key's grant is not valid"));
        }

        var principal = GrantClaims.Principal(entry, grant, Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    /// <inheritdoc/>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", $"ApiKey header=\"{Header}\"");
        return Task.CompletedTask;
    }
}
