using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using static ItDrift.Tbm.Api.Portal.Html;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// The web portal (docs/portal.md): server-rendered pages in Swedish for tenants, the supplier's finance staff,
/// the coordinator and ESV, in the read API's host. Signing in takes an API key once and gives a session
/// cookie holding the key's grant (<see cref="GrantClaims"/>); every run page then passes the API's own
/// <see cref="RunAccessFilter"/> and reads through the API's run tables, explainer, quote and workbook code,
/// so a page shows exactly what the API would show that caller, and 404 for the rest.
/// </summary>
internal static class PortalEndpoints
{
    /// <summary>The sign-in cookie's scheme.</summary>
    public const string Scheme = "portal";

    /// <summary>Where the stylesheet is served (by this host: the portal loads nothing from elsewhere).</summary>
    public const string StylesheetPath = "/portal/portal.css";

    private const string Policy = "portal";

    /// <summary>Registers the sign-in cookie, anti-forgery and the portal's authorization policy.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "tbm-portal";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/";
            o.ReturnUrlParameter = "ReturnUrl";
            o.EndWhenKeyIsRevoked(Scheme, http => http.RequestServices.GetRequiredService<ApiKeyStore>());
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "tbm-portal-af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<PortalCache>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
            .RequireAssertion(c => c.User.Grant() is not null));
        return services;
    }

    /// <summary>Maps the start page, sign-in and sign-out, the stylesheet and the role pages.</summary>
    public static void MapPortal(this WebApplication app)
    {
        app.MapGet("/", Start).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/login", Login).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/logout", (Func<HttpContext, Task<IResult>>)Logout).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

        var portal = app.MapGroup("/portal").RequireAuthorization(Policy).ExcludeFromDescription().AddEndpointFilter<PortalPageFilter>();
        portal.MapGet("/statusrapport", StaffPages.StatusReport);
        var run = portal.MapGroup("/runs/{runId}").AddEndpointFilter<RunAccessFilter>();
        run.MapTenantPages();
        run.MapChangePages();
        run.MapInvoicePages();
        run.MapStaffPages();
        run.MapLargestChanges();
        run.MapProspectPages();
    }

    /// <summary>The signed-in user, read from the portal cookie (the host's default scheme is the API key's).</summary>
    private static async Task SignedIn(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (result.Succeeded && result.Principal.Grant() is not null)
        {
            http.User = result.Principal;
        }
    }

    private static async Task<IResult> Start(HttpContext http, RunCatalog catalog)
    {
        await SignedIn(http);
        return http.User.Grant() is { } grant ? Home(http, catalog, grant) : LoginPage(http, message: null);
    }

    private static IResult LoginPage(HttpContext http, string? message, int status = StatusCodes.Status200OK)
    {
        var returnUrl = SafeReturnUrl(http.Request.Query["ReturnUrl"].ToString()) ?? "";
        var body = new StringBuilder();
        body.Append("<p>Här ser kundmyndigheter sina avgifter och vad de består av, leverantörens ekonomistab sina körningar och prislistor, och ESV nyckeltalen över alla leverantörer.</p>\n");
        if (message is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"login-error\">").Append(E(message)).Append("</p>\n");
        }

        body.Append("<form method=\"post\" action=\"/login\">").Append(Antiforgery(http))
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(E(returnUrl)).Append("\">\n")
            .Append("<p><label for=\"key\">API-nyckel</label> <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required")
            .Append(message is null ? "" : " aria-describedby=\"login-error\"").Append("></p>\n")
            .Append("<p><button type=\"submit\">Logga in</button></p>\n</form>\n")
            .Append("<p>Nyckeln får du av leverantörens ekonomistab (<code>tbm keys add</code>). Inloggningen sparas i en sessionskaka som försvinner när webbläsaren stängs.</p>\n");
        return Page(http, "Logga in", body.ToString(), status);
    }

    private static async Task<IResult> Login(HttpContext http, ApiKeyStore keys, ILoggerFactory logs)
    {
        if (!await ValidAsync(http))
        {
            return LoginPage(http, "Formuläret hade gått ut. Försök igen.", StatusCodes.Status400BadRequest);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var logger = logs.CreateLogger("ItDrift.Tbm.Api.Portal");
        if (keys.Verify(form["key"].ToString().Trim()) is not { } entry || !entry.TryGrant(out var grant))
        {
            logger.LogWarning("Portal sign-in refused from {Address}", http.Connection.RemoteIpAddress);
            return LoginPage(http, "Nyckeln är okänd eller återkallad.", StatusCodes.Status401Unauthorized);
        }

        // A session cookie (not persistent): it goes when the browser closes, and at the latest after eight idle hours.
        await http.SignInAsync(Scheme, GrantClaims.Principal(entry, grant, Scheme), new AuthenticationProperties { IsPersistent = false });
        logger.LogInformation("Portal sign-in with key {KeyId} ({Grant})", entry.Id, grant);
        return Results.Redirect(SafeReturnUrl(form["returnUrl"].ToString()) ?? "/");
    }

    private static async Task<IResult> Logout(HttpContext http)
    {
        await SignedIn(http);
        if (!await ValidAsync(http))
        {
            return Page(http, "Utloggningen misslyckades", "<p>Formuläret hade gått ut. <a href=\"/\">Till startsidan</a>.</p>", StatusCodes.Status400BadRequest);
        }

        await http.SignOutAsync(Scheme);
        return Results.Redirect("/");
    }

    /// <summary>Whether the form carries a valid anti-forgery token for this user.</summary>
    internal static async Task<bool> ValidAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>Only a local path of this portal: never another site (open redirect).</summary>
    private static string? SafeReturnUrl(string url) =>
        url.StartsWith("/portal/", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) ? url : null;

    /// <summary>The start page of a signed-in user: the runs it may read, newest first, and where to go for each.</summary>
    private static IResult Home(HttpContext http, RunCatalog catalog, AccessGrant grant)
    {
        var runs = catalog.List().Where(r => RunAccessFilter.Visible(r, grant)).OrderByDescending(r => r.Published.PublishedAt).ThenBy(r => r.Supplier, StringComparer.Ordinal).ToList();
        var body = new StringBuilder();

        // A prospect (a tenant key bound to a supplier whose runs it is not in) may quote its joining from the supplier's latest run, and nothing else.
        var prospect = grant.Role == Role.Tenant && grant.Supplier is { } supplier
            ? catalog.List().Where(r => r.Supplier == supplier && RunAccessFilter.Prospect(r, grant)).MaxBy(r => r.Published.PublishedAt)
            : null;
        if (prospect is not null)
        {
            body.Append("<h2>Bli kund hos ").Append(E(prospect.Folder.SupplierName)).Append("</h2>\n<p><a href=\"").Append(ProspectPages.Path(prospect.RunId))
                .Append("\">Vad skulle en anslutning kosta? Begär en offert</a></p>\n");
        }

        if (runs.Count == 0)
        {
            body.Append(prospect is null ? "<p>Det finns ännu inga publicerade körningar som du kan se.</p>\n" : "");
        }
        else
        {
            body.Append("<table>\n<caption>Publicerade körningar, senaste först</caption>\n<thead><tr><th scope=\"col\">Leverantör</th><th scope=\"col\">Körning</th><th scope=\"col\">Publicerad</th><th scope=\"col\">År</th><th scope=\"col\">Sidor</th></tr></thead>\n<tbody>\n");
            var latest = new HashSet<string>(StringComparer.Ordinal);
            foreach (var run in runs)
            {
                var first = latest.Add(run.Supplier);
                var id = U(run.RunId);
                body.Append("<tr><td>").Append(E(run.Folder.SupplierName)).Append("</td><td>").Append(E(run.RunId)).Append(first ? " (senaste)" : "")
                    .Append("</td><td>").Append(Time(run.Published.PublishedAt)).Append("</td><td>").Append(string.Join(", ", run.Published.FiscalYears.Select(y => Int(y))))
                    .Append("</td><td>");
                if (grant.Role == Role.Tenant)
                {
                    body.Append("<a href=\"/portal/runs/").Append(id).Append("/tenants/").Append(U(grant.Tenant!)).Append("\">Mina avgifter</a>");
                }
                else
                {
                    body.Append("<a href=\"/portal/runs/").Append(id).Append("/leverantor\">Körning, prislista och balans</a>")
                        .Append(" · <a href=\"").Append(LargestChanges.Path(run.RunId)).Append("\">Största avgiftsförändringar</a>")
                        .Append(" · <a href=\"/portal/runs/").Append(id).Append("/nyckeltal\">Nyckeltal</a>");
                }

                body.Append("</td></tr>\n");
            }

            body.Append("</tbody>\n</table>\n");
        }

        if (grant.Role is Role.Coordinator or Role.Esv)
        {
            var years = runs.SelectMany(r => r.Published.FiscalYears).Distinct().Order().ToList();
            body.Append("<h2>Statusrapport</h2>\n<form method=\"get\" action=\"/portal/statusrapport\">\n<p><label for=\"fiscalYear\">Uppföljt år</label> <input id=\"fiscalYear\" name=\"fiscalYear\" type=\"number\" inputmode=\"numeric\" required value=\"")
                .Append(years.Count > 0 ? Int(years[^1]) : "").Append("\"></p>\n<p><button type=\"submit\">Ladda ner statusrapport (Excel)</button></p>\n</form>\n");
        }

        return Page(http, "Start", body.ToString());
    }
}

/// <summary>
/// Wraps every portal page: a conditional request never gets a 304 (a page holds a fresh anti-forgery token),
/// and a 404 or 401 of the access filter or a page becomes the portal's own page, in Swedish, alike for
/// what does not exist and what the caller may not see.
/// </summary>
internal sealed class PortalPageFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Request.Headers.IfNoneMatch = default;
        var result = await next(context);
        return result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound or StatusCodes.Status401Unauthorized } and not IContentTypeHttpResult { ContentType: "text/html; charset=utf-8" }
            ? Html.NotFound(http)
            : result;
    }
}
