using System.Net;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Jobs.Hosting;
using Microsoft.AspNetCore.Builder;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>Who gets into the jobs dashboard, and where a browser is sent after signing in.</summary>
[Collection(InProcessHosts.Name)]
public sealed partial class DashboardAccessTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task SignIn_RedirectsOnlyToASafeLocalPath_AndAnythingElseToTheDashboard()
    {
        var keys = new ApiKeyStore(_workspace.Keys);
        var (_, key) = keys.Add(AccessGrant.Create(Role.Coordinator, null, null));
        var settings = new HostSettings(_workspace.Models, _workspace.Runs) { Urls = "http://127.0.0.1:0", KeysFile = _workspace.Keys };
        await using var app = JobsHost.Build(settings);
        await app.StartAsync();
        var url = JobsHost.Addresses(app).Single();

        // The path a browser is sent back to after signing in, as /login?ReturnUrl= gives it and the form posts it.
        (string ReturnUrl, string Location)[] cases =
        [
            ("/hangfire/runs", "/hangfire/runs"),
            ("/hangfire/jobs/details/7?from=0&x=%0D%0A", "/hangfire/jobs/details/7?from=0&x=%0D%0A"),
            ("/%09/evil.example", "/%09/evil.example"),
            ("/\t/evil.example", JobsHost.DashboardPath),
            ("/\t\\evil.example", JobsHost.DashboardPath),
            ("//evil.example", JobsHost.DashboardPath),
            ("/\\evil.example", JobsHost.DashboardPath),
            ("/hangfire\\..\\..\\evil.example", JobsHost.DashboardPath),
            ("https://evil.example/", JobsHost.DashboardPath),
            ("javascript:alert(1)", JobsHost.DashboardPath),
            ("~/hangfire", JobsHost.DashboardPath),
            ("/\r\nLocation: https://evil.example/", JobsHost.DashboardPath),
            ("/hangfire\n", JobsHost.DashboardPath),
            ("/hangfire/r\u00e4kning", JobsHost.DashboardPath),
            ("/hangfire/\u007f", JobsHost.DashboardPath),
            ("", JobsHost.DashboardPath),
        ];
        foreach (var (returnUrl, location) in cases)
        {
            using var browser = Browser(url);
            var signIn = await browser.PostAsync("/login", Form(("key", key), ("returnUrl", returnUrl)));
            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"returnUrl {Escape(returnUrl)}: {signIn.StatusCode}");
            Assert.Equal(location, RawLocation(signIn));
        }

        // The sign-in page does not carry an unsafe return URL into its form (a browser would post it back).
        using (var browser = Browser(url))
        {
            var page = await browser.GetStringAsync("/login?ReturnUrl=/%09/evil.example");
            Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
            var returnUrl = WebUtility.HtmlDecode(HiddenReturnUrl().Match(page).Groups[1].Value);
            var signIn = await browser.PostAsync("/login", Form(("key", key), ("returnUrl", returnUrl)));
            Assert.Equal(JobsHost.DashboardPath, RawLocation(signIn));
            Assert.Contains(
                "value=\"/hangfire/runs\"",
                await browser.GetStringAsync("/login?ReturnUrl=%2Fhangfire%2Fruns"),
                StringComparison.Ordinal);
        }

        await app.StopAsync();
    }

    private static HttpClient Browser(string url) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static string? RawLocation(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.ToString() : null;

    private static string Escape(string text) => string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenReturnUrl();
}
