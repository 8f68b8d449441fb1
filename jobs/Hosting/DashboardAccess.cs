using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ItDrift.Tbm.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>
/// Who may use the jobs host: the API's authentication — the <c>X-Api-Key</c> header checked against
/// the same keys file (<see cref="ApiKeyStore"/>) — limited to coordinator and supplier keys. A browser
/// signs in once with its key on <c>/login</c> and gets a cookie (HTTP-only, same-site strict) that is
/// checked against the keys file on every request, so a revoked key stops working at once.
/// </summary>
/// <remarks>
/// Coordinators may operate the dashboard (trigger, requeue, delete); suppliers see it read-only and may
/// ask for their own supplier's recalculation. Tenant and ESV keys are refused (403).
/// </remarks>
internal static class DashboardAccess
{
    public const string Policy = "tbm-operators";
    public const string Header = "X-Api-Key";
    private const string Scheme = "tbm";
    private const string KeyScheme = "ApiKey";
    private const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string RoleClaim = "tbm:role";
    private const string SupplierClaim = "tbm:supplier";
    private const string KeyClaim = "tbm:key";

    public static void Add(IServiceCollection services, ApiKeyStore keys)
    {
        services.AddSingleton(keys);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "API key or sign-in cookie", o => o.ForwardDefaultSelector = http => http.Request.Headers.ContainsKey(Header) ? KeyScheme : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, KeyHandler>(KeyScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "tbm-jobs";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnValidatePrincipal = context =>
                {
                    var id = context.Principal?.FindFirstValue(KeyClaim);
                    var entry = id is null ? null : keys.List().FirstOrDefault(k => k.Id == id);
                    if (entry is null || entry.Revoked is not null)
                    {
                        context.RejectPrincipal();
                        return context.HttpContext.SignOutAsync(CookieScheme);
                    }

                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireClaim(RoleClaim, "coordinator", "supplier"));
    }

    /// <summary>Whether the user may see and recalculate <paramref name="supplier"/>'s runs.</summary>
    public static bool MaySee(ClaimsPrincipal user, string supplier) =>
        IsCoordinator(user) || (user.FindFirstValue(RoleClaim) == "supplier" && user.FindFirstValue(SupplierClaim) == supplier);

    public static bool IsCoordinator(ClaimsPrincipal user) => user.FindFirstValue(RoleClaim) == "coordinator";

    /// <summary>
    /// The return URL after signing in when it is a path on this host that is safe to send back in a
    /// <c>Location</c> header: local by ASP.NET Core's own rule (<see cref="RedirectHttpResult.IsLocalUrl"/>, which
    /// refuses <c>//host</c>, <c>/\host</c> and a control character after the first <c>/</c>), starting with
    /// <c>/</c> (not <c>~/</c>), and of printable ASCII without a backslash anywhere — a browser reads <c>\</c> as
    /// <c>/</c> and drops tabs and line breaks (<c>/</c>, a tab, <c>/evil.example</c> becomes <c>//evil.example</c>), and Kestrel
    /// refuses control and non-ASCII characters in a header (a 500). Otherwise <see langword="null"/>.
    /// </summary>
    public static string? SafeReturnUrl(string? url) =>
        RedirectHttpResult.IsLocalUrl(url) && url![0] == '/' && url.All(c => c is > ' ' and < '\x7f' and not '\\') ? url : null;

    /// <summary>The sign-in page for browsers: a key in, a cookie out.</summary>
    public static void MapLogin(WebApplication app)
    {
        app.MapGet("/login", (HttpContext http) => Page(SafeReturnUrl(http.Request.Query["ReturnUrl"].ToString()) ?? "", message: null));
        app.MapPost("/login", async (HttpContext http, ApiKeyStore keys, ILoggerFactory logs) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var returnUrl = SafeReturnUrl(form["returnUrl"].ToString()) ?? "";
            if (keys.Verify(form["key"].ToString()) is not { } entry || Principal(entry, CookieScheme) is not { } principal)
            {
                logs.CreateLogger("ItDrift.Tbm.Jobs.Access").LogWarning("Dashboard sign-in refused from {Address}", http.Connection.RemoteIpAddress);
                return Page(returnUrl, "That key is unknown, revoked, or not a coordinator or supplier key.", StatusCodes.Status401Unauthorized);
            }

            await http.SignInAsync(CookieScheme, principal);
            logs.CreateLogger("ItDrift.Tbm.Jobs.Access").LogInformation("Dashboard sign-in with key {KeyId} ({Grant})", entry.Id, entry.Grant());
            return Results.Redirect(returnUrl.Length > 0 ? returnUrl : JobsHost.DashboardPath);
        });
        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieScheme);
            return Results.Redirect("/login");
        });
    }

    /// <summary>A principal for a coordinator or supplier key; <see langword="null"/> for any other role.</summary>
    private static ClaimsPrincipal? Principal(ApiKeyEntry entry, string scheme)
    {
        AccessGrant grant;
        try
        {
            grant = entry.Grant();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            return null;
        }

        if (grant.Role is not (Role.Coordinator or Role.Supplier))
        {
            // Still a principal, so the policy answers 403 rather than asking to sign in again.
            return scheme == KeyScheme ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(RoleClaim, grant.RoleName), new Claim(KeyClaim, entry.Id)], scheme)) : null;
        }

        List<Claim> claims = [new(ClaimTypes.Name, "key " + entry.Id), new(RoleClaim, grant.RoleName), new(KeyClaim, entry.Id)];
        if (grant.Supplier is { } supplier)
        {
            claims.Add(new Claim(SupplierClaim, supplier));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    private static IResult Page(string returnUrl, string? message, int status = StatusCodes.Status200OK)
    {
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>tbm jobs: sign in</title></head>
            <body style="font-family: sans-serif; max-width: 32em; margin: 4em auto">
            <h1>tbm jobs</h1>
            <p>Sign in with a coordinator or supplier API key (the API's keys, made with <code>tbm keys add</code>).</p>
            {(message is null ? "" : $"<p style=\"color: #a00\">{WebUtility.HtmlEncode(message)}</p>")}
            <form method="post" action="/login">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <input type="password" name="key" autocomplete="off" size="60" autofocus>
            <button type="submit">Sign in</button>
            </form>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The <c>X-Api-Key</c> header, as the API checks it.</summary>
    private sealed class KeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (values.Count > 1 || keys.Verify(values[0]) is not { } entry || Principal(entry, KeyScheme) is not { } principal)
            {
                return Task.FromResult(AuthenticateResult.Fail("unknown or revoked API key"));
            }

            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, KeyScheme)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append("WWW-Authenticate", $"ApiKey header=\"{Header}\"");
            return Task.CompletedTask;
        }
    }
}
