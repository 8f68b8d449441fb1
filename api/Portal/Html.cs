using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// The portal's HTML: one layout, HTML encoding, and Swedish number formats. The formats are written out
/// here (not <c>CultureInfo("sv-SE")</c>, which is absent under invariant globalization) so a page reads the
/// same on every server: <c>1 234 567,89 kr</c> with no-break spaces and a true minus sign.
/// </summary>
internal static class Html
{
    /// <summary>Swedish number format: comma decimal separator, no-break-space thousands, U+2212 minus.</summary>
    public static readonly NumberFormatInfo Swedish = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u00a0",
        NumberGroupSizes = [3],
        NegativeSign = "\u2212",
        PercentDecimalSeparator = ",",
        PercentGroupSeparator = "\u00a0",
    });

    /// <summary>Kronor with two decimals: <c>1 234 567,89 kr</c>.</summary>
    public static string Kr(decimal amount) => amount.ToString("#,##0.00", Swedish) + "\u00a0kr";

    /// <summary>A quantity with as many decimals as it has (up to six), Swedish separators.</summary>
    public static string Num(decimal value) => value.ToString("#,##0.######", Swedish);

    /// <summary>A share as a percentage with two decimals: <c>12,50 %</c>.</summary>
    public static string Percent(decimal share) => (share * 100m).ToString("#,##0.00", Swedish) + "\u00a0%";

    /// <summary>An integer (years, counts) without grouping.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A UTC time as Swedish dates are written: <c>2026-12-03 13:05 UTC</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>What a figure the disclosure policy withholds shows instead.</summary>
    public const string Withheld = "<span class=\"withheld\">visas ej<span class=\"sr\"> (för få kunder)</span></span>";

    /// <summary>HTML-encoded text.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>Encodes what HTML needs (&lt; &amp; " ' and controls) but keeps Swedish letters as they are (the default encoder escapes å, ä, ö).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A URL path segment, encoded.</summary>
    public static string U(string segment) => Uri.EscapeDataString(segment);

    /// <summary>The scenario's Swedish name.</summary>
    public static string Scenario(string scenario) => scenario switch
    {
        "actual" => "Utfall",
        "budget" => "Budget",
        "forecast" => "Prognos",
        _ => scenario,
    };

    /// <summary>The role's Swedish name.</summary>
    public static string RoleName(AccessGrant grant) => grant.Role switch
    {
        Role.Tenant => $"kundmyndighet {grant.Tenant}",
        Role.Supplier => $"ekonomistab, leverantör {grant.Supplier}",
        Role.Coordinator => "samordnare",
        Role.Esv => "ESV",
        _ => grant.RoleName,
    };

    /// <summary>A hidden anti-forgery field for a form of this request's user.</summary>
    public static string Antiforgery(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>A whole page in the portal's layout; <paramref name="body"/> is HTML.</summary>
    public static IResult Page(HttpContext http, string title, string body, int status = StatusCodes.Status200OK) =>
        Page(http, title, body, ReadOnlyMemory<byte>.Empty, "", status);

    /// <summary>
    /// A whole page in the portal's layout whose body is <paramref name="before"/>, <paramref name="kept"/> (HTML as UTF-8, kept by
    /// <see cref="PortalCache"/>) and <paramref name="after"/>: the kept part is written as it is, never copied into a new string per request.
    /// </summary>
    public static IResult Page(HttpContext http, string title, string before, ReadOnlyMemory<byte> kept, string after, int status = StatusCodes.Status200OK)
    {
        var grant = http.User.Grant();
        var head = new StringBuilder(4096);
        head.Append("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append(" – Avgiftsportalen</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(PortalEndpoints.StylesheetPath).Append("\">\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Hoppa till huvudinnehållet</a>\n")
            .Append("<header>\n<p class=\"brand\"><a href=\"/\">Avgiftsportalen</a></p>\n");
        if (grant is not null)
        {
            head.Append("<nav aria-label=\"Konto\"><p>Inloggad som ").Append(E(RoleName(grant))).Append("</p>")
                .Append("<form method=\"post\" action=\"/logout\">").Append(Antiforgery(http))
                .Append("<button type=\"submit\">Logga ut</button></form></nav>\n");
        }

        head.Append("</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>").Append(E(title)).Append("</h1>\n").Append(before);
        var tail = after + "\n</main>\n<footer><p>ItDrift.Tbm " + E(EngineInfo.Version) + " · belopp i svenska kronor</p></footer>\n</body>\n</html>\n";

        // As the anti-forgery token wants it (else it overrides the header and logs a warning for every page).
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers.Pragma = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return new PageResult(Encoding.UTF8.GetBytes(head.ToString()), kept, Encoding.UTF8.GetBytes(tail), status);
    }

    /// <summary>The page for what does not exist, or that the caller may not see (the same page: nothing is confirmed).</summary>
    public static IResult NotFound(HttpContext http) =>
        Page(http, "Sidan finns inte", "<p>Sidan finns inte, eller så har du inte behörighet att se den.</p>\n<p><a href=\"/\">Till startsidan</a></p>", StatusCodes.Status404NotFound);

    /// <summary>The portal's stylesheet: WCAG 2.1 AA contrast (text #1a1a1a on white, links #0b4f8a), visible focus, and a print layout.</summary>
    public const string Stylesheet = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.5; }
        header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
        header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; border-bottom: 3px solid #0b4f8a; }
        header nav { display: flex; gap: 1rem; align-items: center; }
        .brand a { font-weight: 700; font-size: 1.25rem; color: #0b4f8a; text-decoration: none; }
        a { color: #0b4f8a; }
        a:focus, button:focus, input:focus, main:focus { outline: 3px solid #b35900; outline-offset: 2px; }
        .skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: .5rem; }
        .skip:focus { left: 1rem; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        table { border-collapse: collapse; margin: 1rem 0; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { border: 1px solid #767676; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        thead th { background: #e8eef5; }
        .withheld { color: #595959; font-style: italic; }
        .flag { color: #a30000; font-weight: 700; }
        .error { color: #a30000; border-left: 4px solid #a30000; padding-left: .5rem; }
        label { display: inline-block; min-width: 16rem; }
        input { font: inherit; padding: .2rem; border: 1px solid #595959; }
        button { font: inherit; padding: .3rem .9rem; background: #0b4f8a; color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
        fieldset { border: 1px solid #767676; margin: 1rem 0; }
        .chart text { font-size: 13px; fill: #1a1a1a; }
        .chart rect { fill: #0b4f8a; }
        footer { margin-top: 2rem; border-top: 1px solid #767676; color: #4d4d4d; }
        @media print {
          header nav, form, .skip, footer { display: none; }
          body { font-size: 10pt; }
          a { color: #000; text-decoration: none; }
          table { page-break-inside: auto; }
          tr { page-break-inside: avoid; }
          .chart rect { fill: #555; }
        }
        """;
}

/// <summary>A portal page as UTF-8: its head (per request), a kept part of its body, and the rest; written in order, with its length.</summary>
internal sealed class PageResult(byte[] head, ReadOnlyMemory<byte> kept, byte[] tail, int status) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    public int? StatusCode => status;

    public string ContentType => HtmlContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = HtmlContentType;
        response.ContentLength = head.Length + kept.Length + tail.Length;
        await response.Body.WriteAsync(head, httpContext.RequestAborted);
        if (!kept.IsEmpty)
        {
            await response.Body.WriteAsync(kept, httpContext.RequestAborted);
        }

        await response.Body.WriteAsync(tail, httpContext.RequestAborted);
    }
}
