using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// The read API's real HTTP server over the test runs store, without a browser: for the portal's pages at the
/// HTTP level (status codes, what a page holds for each caller) where a browser adds nothing.
/// </summary>
public sealed partial class PortalServer : IDisposable
{
    private readonly WebApplication _app;

    public PortalServer()
    {
        Store = new TestStore();
        _app = ApiHost.Create(["--urls", "http://127.0.0.1:0", "--runs", Store.Runs, "--keys", Store.KeysFile,
            "--ResponseCache:Folder", Path.Combine(Store.Root, "cache"), "--Logging:LogLevel:Default", "Warning"]);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = new Uri(_app.Urls.Single());
    }

    public TestStore Store { get; }

    public Uri BaseUrl { get; }

    /// <summary>A client with a cookie jar, not signed in, that does not follow redirects.</summary>
    public HttpClient Anonymous()
    {
#pragma warning disable CA2000 // the client owns the handler
        return new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
#pragma warning restore CA2000
    }

    /// <summary>A client signed in to the portal with the key of <paramref name="caller"/>, as a browser does it (the form's anti-forgery token, then the session cookie).</summary>
    public async Task<HttpClient> SignedIn(string caller)
    {
        var client = Anonymous();
        using var login = await PostForm(client, "/", "/login", new Dictionary<string, string> { ["key"] = Store.Keys[caller] });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    /// <summary>Opens <paramref name="page"/>, takes its form's anti-forgery token, and posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostForm(HttpClient client, string page, string action, IDictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        var token = Token().Match(html);
        Assert.True(token.Success, "no anti-forgery token in " + page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) });
        return await client.PostAsync(new Uri(action, UriKind.Relative), form);
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Store.Dispose();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex Token();
}
