using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>
/// Who may use the jobs host: the API's authentication — the <c>X-Api-Key</c> header checked against
/// the same keys file by the same handler (<see cref="ApiKeyAuthentication"/>, <see cref="ApiKeyStore"/>), the grant
/// carried in the same claims (<see cref="GrantClaims"/>) — limited to coordinator, ESV and supplier keys. A browser
/// signs in once with its key on <c>/login</c> and gets a cookie (HTTP-only, same-site strict) that is
/// checked against the keys file on every request, so a revoked key stops working at once.
/// </summary>
/// <remarks>
/// <para>What a key may see is its <see cref="AccessGrant"/>'s decision, as in the API: coordinator and ESV
/// keys see every supplier, a supplier key its own supplier only. Coordinators may operate the dashboard
/// (trigger, requeue, delete); ESV sees it read-only. Tenant keys are refused (403).</para>
/// <para>Hangfire's own pages (job lists, job details, recurring jobs, retries, servers, the home page's
/// counts) show every supplier's jobs with their arguments — package paths, supplier ids, errors — and
/// Hangfire cannot filter them per supplier, so a supplier key gets none of them: only the Runs page,
/// filtered to its supplier (<see cref="RunsPage"/>), and <c>POST /recalculate</c> for its own supplier.</para>
/// </remarks>
internal static partial class DashboardAccess
{
    public const string Policy = "tbm-dashboard";
    private const string Scheme = "tbm";
    private const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public static void Add(IServiceCollection services, ApiKeyStore keys)
    {
        services.AddSingleton(keys);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "API key or sign-in cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) ? ApiKeyAuthentication.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "tbm-jobs";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.EndWhenKeyIsRevoked(CookieScheme, _ => keys);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Grant(c.User) is not null));
    }

    /// <summary>What the user's key grants, when the dashboard admits it (coordinator, ESV, supplier); otherwise <see langword="null"/>.</summary>
    public static AccessGrant? Grant(ClaimsPrincipal user) => GrantClaims.Grant(user) is { } grant && Admits(grant.Role) ? grant : null;

    /// <summary>
    /// Whether <paramref name="grant"/> may see runs and attempts of <paramref name="supplier"/>; an attempt of a
    /// package that names no supplier (its <c>model.json</c> could not be read) only when it sees every supplier.
    /// </summary>
    public static bool MaySee(AccessGrant grant, string? supplier)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return supplier is null ? grant.SeesAllSuppliers : grant.MaySeeSupplier(supplier);
    }

    /// <summary>
    /// Whether the user may see Hangfire's own pages: they show every supplier's jobs and cannot be filtered, so
    /// only keys that see every supplier (coordinator, ESV).
    /// </summary>
    public static bool SeesWholeQueue(ClaimsPrincipal user) => Grant(user)?.SeesAllSuppliers == true;

    /// <summary>Whether the user may operate the queue in the dashboard (trigger, requeue, delete): coordinators only.</summary>
    public static bool MayOperate(ClaimsPrincipal user) => Grant(user)?.Role == Role.Coordinator;

    /// <summary>Whether the user may ask for a recalculation of <paramref name="supplier"/>: a coordinator, or a key of that supplier (not ESV, which only reads).</summary>
    public static bool MayRecalculate(ClaimsPrincipal user, string supplier) =>
        Grant(user) is { Role: Role.Coordinator or Role.Supplier } grant && grant.MaySeeSupplier(supplier);

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

    /// <summary>
    /// Keeps a key bound to one supplier on the dashboard's Runs page (see the remarks on <see cref="DashboardAccess"/>):
    /// wraps the dashboard endpoint so that for such a key the home page sends it to the Runs page, the layout's
    /// statistics poll (the queue's counts) answers nothing, the layout's scripts, styles and fonts are served, and
    /// everything else is refused (403). Paths are matched as Hangfire matches its routes: ignoring case and a
    /// trailing slash, after the dashboard's path.
    /// </summary>
    public static IEndpointConventionBuilder LimitSupplierKeysToRunsPage(this IEndpointConventionBuilder dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        dashboard.Add(endpoint =>
        {
            var hangfire = endpoint.RequestDelegate ?? throw new InvalidOperationException("the dashboard endpoint has no request delegate");
            endpoint.RequestDelegate = http => Gate(http, hangfire);
        });
        return dashboard;
    }

    private static Task Gate(HttpContext http, RequestDelegate hangfire)
    {
        var grant = Grant(http.User);
        if (grant?.SeesAllSuppliers == true)
        {
            return hangfire(http);
        }

        if (grant is null || !http.Request.Path.StartsWithSegments(JobsHost.DashboardPath, StringComparison.OrdinalIgnoreCase, out var rest))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        var page = rest.Value ?? "";
        page = page.Length == 0 ? "/" : page.Length > 1 ? page.TrimEnd('/') : page;
        if (page == "/")
        {
            http.Response.Redirect(http.Request.PathBase + JobsHost.DashboardPath + RunsPage.Path);
            return Task.CompletedTask;
        }

        if (string.Equals(page, RunsPage.Path, StringComparison.OrdinalIgnoreCase) || LayoutResource().IsMatch(page))
        {
            return hangfire(http);
        }

        if (string.Equals(page, "/stats", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("{}", http.RequestAborted);
        }

        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static bool Admits(Role role) => role is Role.Coordinator or Role.Esv or Role.Supplier;

    /// <summary>The scripts, styles and fonts Hangfire's layout loads (its routes <c>/js…</c>, <c>/css…</c>, <c>/css-dark…</c>, <c>/fonts/…</c>).</summary>
    [GeneratedRegex(@"^/(?:js[0-9]+|css[0-9]+|css-dark[0-9]+|fonts/glyphicons-halflings-regular/(?:eot|svg|ttf|woff|woff2))\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LayoutResource();

    /// <summary>The sign-in page for browsers: a key in, a cookie out.</summary>
    public static void MapLogin(WebApplication app)
    {
        app.MapGet("/login", (HttpContext http) => Page(SafeReturnUrl(http.Request.Query["ReturnUrl"].ToString()) ?? "", message: null));
        app.MapPost("/login", async (HttpContext http, ApiKeyStore keys, ILoggerFactory logs) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var returnUrl = SafeReturnUrl(form["returnUrl"].ToString()) ?? "";
            if (keys.Verify(form["key"].ToString()) is not { } entry || !entry.TryGrant(out var grant) || !Admits(grant.Role))
            {
                logs.CreateLogger("ItDrift.Tbm.Jobs.Access").LogWarning("Dashboard sign-in refused from {Address}", http.Connection.RemoteIpAddress);
                return Page(returnUrl, "That key is unknown, revoked, or not a coordinator, ESV or supplier key.", StatusCodes.Status401Unauthorized);
            }

            await http.SignInAsync(CookieScheme, GrantClaims.Principal(entry, grant, CookieScheme));
            logs.CreateLogger("ItDrift.Tbm.Jobs.Access").LogInformation("Dashboard sign-in with key {KeyId} ({Grant})", entry.Id, grant);
            return Results.Redirect(returnUrl.Length > 0 ? returnUrl : JobsHost.DashboardPath);
        });
        app.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieScheme);
            return Results.Redirect("/login");
        });
    }

    private static IResult Page(string returnUrl, string? message, int status = StatusCodes.Status200OK)
    {
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>tbm jobs: sign in</title></head>
            <body style="font-family: sans-serif; max-width: 32em; margin: 4em auto">
            <h1>tbm jobs</h1>
            <p>Sign in with a coordinator, ESV or supplier API key (the API's keys, made with <code>tbm keys add</code>).</p>
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
}
