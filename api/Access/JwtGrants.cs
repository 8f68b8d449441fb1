using System.Text;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ItDrift.Tbm.Api.Access;

/// <summary>
/// Bearer tokens for production: an identity provider signs a JWT whose claims name the role and the
/// tenant or supplier. Configured in the <c>Jwt</c> section (issuer, audience, and either an
/// <c>Authority</c> whose published keys sign the tokens, or a shared <c>SigningKey</c>); without it the
/// scheme is not registered and only API keys are accepted.
/// </summary>
internal sealed record JwtSettings
{
    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    /// <summary>An OpenID Connect authority whose metadata and signing keys are fetched.</summary>
    public string? Authority { get; init; }

    /// <summary>A shared HMAC-SHA256 key: base64 (prefix <c>base64:</c>) or UTF-8 text, at least 32 bytes.</summary>
    public string? SigningKey { get; init; }

    /// <summary>The claim naming the role: <c>tenant</c>, <c>supplier</c>, <c>coordinator</c> or <c>esv</c>.</summary>
    public string RoleClaim { get; init; } = "tbm_role";

    /// <summary>The claim naming a tenant token's tenant id.</summary>
    public string TenantClaim { get; init; } = "tbm_tenant";

    /// <summary>The claim naming a supplier token's supplier id.</summary>
    public string SupplierClaim { get; init; } = "tbm_supplier";

    public bool Enabled => Authority is not null || SigningKey is not null;

    public void Configure(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        options.Authority = Authority;
        options.RequireHttpsMetadata = Authority is not null && !Authority.StartsWith("http://localhost", StringComparison.Ordinal);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = Issuer is not null,
            ValidIssuer = Issuer,
            ValidateAudience = Audience is not null,
            ValidAudience = Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        };
        if (SigningKey is { } key)
        {
            var bytes = key.StartsWith("base64:", StringComparison.Ordinal) ? Convert.FromBase64String(key[7..]) : Encoding.UTF8.GetBytes(key);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Jwt:SigningKey must be at least 32 bytes");
            }

            options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(bytes);
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        options.Events = new JwtBearerEvents
        {
            // A valid signature is not enough: the token must name a role and what it is bound to.
            OnTokenValidated = context =>
            {
                if (GrantClaims.TryRead(context.Principal!, RoleClaim, TenantClaim, SupplierClaim, out var grant, out var problem))
                {
                    var subject = context.Principal!.FindFirst("sub")?.Value ?? "?";
                    context.Principal = GrantClaims.Principal(grant, "token " + subject, JwtBearerDefaults.AuthenticationScheme);
                }
                else
                {
                    context.Fail("the token does not make a tbm grant: " + problem);
                }

                return Task.CompletedTask;
            },
        };
    }
}
