using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>
/// The role matrix of the jobs dashboard: what each kind of key sees on every dashboard page and job route
/// of a host holding two suppliers' runs, one of them with a failed attempt whose error names a tenant.
/// </summary>
[Collection(InProcessHosts.Name)]
public sealed partial class DashboardAccessTests : IDisposable
{
    /// <summary>Hangfire's own pages: they list every supplier's jobs, so only roles that see every supplier get them.</summary>
    private static readonly string[] QueuePages =
    [
        "/hangfire/jobs/enqueued", "/hangfire/jobs/enqueued/default", "/hangfire/jobs/enqueued/fetched/default", "/hangfire/jobs/scheduled",
        "/hangfire/jobs/processing", "/hangfire/jobs/succeeded", "/hangfire/jobs/failed", "/hangfire/jobs/deleted", "/hangfire/jobs/awaiting",
        "/hangfire/recurring", "/hangfire/retries", "/hangfire/servers",

        // Hangfire matches its routes ignoring case and a trailing slash; so must the gate.
        "/HANGFIRE/jobs/succeeded", "/hangfire/Jobs/Succeeded/", "/hangfire/jobs/succeeded?from=0&count=50",
    ];

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Dashboard_ShowsASupplierOnlyItsOwnRuns_AndHangfiresPagesOnlyToCoordinatorAndEsv()
    {
        _workspace.Package("FK", folder: "forsakringskassan");
        _workspace.Package("SKV", folder: "skatteverket");
        BreakWithUnknownTenant(_workspace.Package("FK", seed: 2027, folder: "forsakringskassan-utkast"), "T-HEMLIG-7");
        var keys = new ApiKeyStore(_workspace.Keys);
        var roles = new[]
        {
            new Caller("tenant", keys.Add(AccessGrant.Create(Role.Tenant, "T-A", "FK")).Key, null),
            new Caller("supplier FK", keys.Add(AccessGrant.Create(Role.Supplier, null, "FK")).Key, "FK"),
            new Caller("supplier SKV", keys.Add(AccessGrant.Create(Role.Supplier, null, "SKV")).Key, "SKV"),
            new Caller("esv", keys.Add(AccessGrant.Create(Role.Esv, null, null)).Key, null),
            new Caller("coordinator", keys.Add(AccessGrant.Create(Role.Coordinator, null, null)).Key, null),
        };
        var settings = new HostSettings(_workspace.Models, _workspace.Runs) { Urls = "http://127.0.0.1:0", KeysFile = _workspace.Keys };
        await using var app = JobsHost.Build(settings);
        await app.StartAsync();
        var url = JobsHost.Addresses(app).Single();
        var store = app.Services.GetRequiredService<RunStore>();
        Wait.Until(
            () => store.Latest("FK") is not null && store.Latest("SKV") is not null && store.Attempts().Count == 3 && store.Attempts().All(a => a.Status != AttemptStatus.Running),
            TimeSpan.FromSeconds(120), "both suppliers' packages to be recalculated");

        // The other supplier's failed attempt names a tenant and a line of its package.
        var failed = Assert.Single(store.Attempts(), a => a.Status == AttemptStatus.Failed);
        Assert.Equal("FK", failed.Supplier);
        Assert.Contains("T-HEMLIG-7", failed.Error, StringComparison.Ordinal);
        Assert.Contains("drivers.csv:", failed.Error, StringComparison.Ordinal);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Wait.Until(() => monitoring.SucceededListCount() >= 4, TimeSpan.FromSeconds(30), "the jobs to be recorded as succeeded");
        var succeeded = monitoring.SucceededJobs(0, 50);
        string JobOf(string package) => succeeded.Single(j => j.Value.Job.Args.Contains(package)).Key;
        var fkJob = JobOf("forsakringskassan");
        var skvJob = JobOf("skatteverket");
        var scheduled = app.Services.GetRequiredService<IBackgroundJobClient>()
            .Schedule<RecalculationJobs>(j => j.Recalculate("FK", 2025, null, CancellationToken.None), TimeSpan.FromDays(1));

        // What names a supplier's runs and jobs anywhere in the dashboard.
        var marks = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["FK"] = [store.Latest("FK")!.RunId, "forsakringskassan", "T-HEMLIG-7", "<td>FK</td>"],
            ["SKV"] = [store.Latest("SKV")!.RunId, "skatteverket", "<td>SKV</td>"],
        };
        string[] hangfirePages = [.. QueuePages, "/hangfire", $"/hangfire/jobs/details/{fkJob}", $"/hangfire/jobs/details/{skvJob}"];

        foreach (var caller in roles)
        {
            using var browser = Browser(url);
            var signIn = await browser.PostAsync("/login", Form(("key", caller.Key), ("returnUrl", "/hangfire/runs")));
            using var byKey = Browser(url);
            byKey.DefaultRequestHeaders.Add("X-Api-Key", caller.Key);
            if (caller.Name == "tenant")
            {
                // A tenant key never gets in: not by signing in, not by its header, on no page.
                Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
                foreach (var path in hangfirePages.Append("/hangfire/runs").Append("/hangfire/stats"))
                {
                    await Expect(caller, path, HttpStatusCode.Forbidden, await byKey.GetAsync(path));
                }

                await Expect(caller, "POST /recalculate/FK", HttpStatusCode.Forbidden, await byKey.PostAsync("/recalculate/FK", null));
                continue;
            }

            Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"{caller.Name}: sign-in answered {(int)signIn.StatusCode}");
            Assert.Equal("/hangfire/runs", signIn.Headers.Location?.OriginalString);
            var others = marks.Where(m => caller.Supplier is not null && m.Key != caller.Supplier).SelectMany(m => m.Value).ToList();
            foreach (var http in new[] { browser, byKey })
            {
                // The Runs page: a supplier's own runs, attempts and errors; every supplier's for coordinator and ESV.
                var runs = await Expect(caller, "/hangfire/runs", HttpStatusCode.OK, await http.GetAsync("/hangfire/runs"));
                foreach (var text in marks.Values.SelectMany(t => t))
                {
                    Assert.True(runs.Contains(text, StringComparison.Ordinal) != others.Contains(text), $"{caller.Name}: the Runs page {(others.Contains(text) ? "shows" : "lacks")} '{text}'");
                }

                if (caller.Supplier is not null)
                {
                    // Hangfire's own pages list every supplier's jobs with their arguments: not for a supplier, by any spelling, nor in the menu.
                    Assert.DoesNotContain("/hangfire/jobs/enqueued\"", runs, StringComparison.Ordinal);
                    Assert.DoesNotContain("/hangfire/recurring\"", runs, StringComparison.Ordinal);
                    foreach (var path in hangfirePages.Where(p => p != "/hangfire"))
                    {
                        var body = await Expect(caller, path, HttpStatusCode.Forbidden, await http.GetAsync(path));
                        Assert.DoesNotContain(others, body.Contains);
                    }

                    var home = await http.GetAsync("/hangfire");
                    Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
                    Assert.Equal("/hangfire/runs", home.Headers.Location?.OriginalString);
                }
                else
                {
                    foreach (var path in hangfirePages)
                    {
                        await Expect(caller, path, HttpStatusCode.OK, await http.GetAsync(path));
                    }

                    var list = await (await http.GetAsync("/hangfire/jobs/succeeded")).Content.ReadAsStringAsync();
                    Assert.Contains("forsakringskassan", list, StringComparison.Ordinal);
                    Assert.Contains("skatteverket", list, StringComparison.Ordinal);
                    Assert.Contains("forsakringskassan", await (await http.GetAsync($"/hangfire/jobs/details/{fkJob}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }

            // What the browser's poller asks for: the queue's counts, which are every supplier's.
            var token = await AntiforgeryToken(browser);
            var stats = await Expect(caller, "POST /hangfire/stats", HttpStatusCode.OK, await Post(browser, "/hangfire/stats", token, ("metrics[]", "succeeded:count"), ("metrics[]", "failed:count")));
            Assert.Equal(caller.Supplier is null, stats.Contains("succeeded:count", StringComparison.Ordinal));

            // Recalculating: a supplier its own supplier only (not tried here: it would start a run), ESV never.
            if (caller.Name != "coordinator")
            {
                var other = caller.Supplier == "FK" ? "SKV" : "FK";
                await Expect(caller, $"POST /recalculate/{other}", HttpStatusCode.Forbidden, await browser.PostAsync($"/recalculate/{other}", null));
                await Expect(caller, $"POST /recalculate/{other} by key", HttpStatusCode.Forbidden, await byKey.PostAsync($"/recalculate/{other}", null));
            }

            // Operating the queue: the coordinator only; ESV's dashboard is read-only (Hangfire answers 401), a supplier has no such page.
            var expected = caller.Name switch
            {
                "coordinator" => HttpStatusCode.NoContent,
                "esv" => HttpStatusCode.Unauthorized,
                _ => HttpStatusCode.Forbidden,
            };
            await Expect(caller, "POST /hangfire/jobs/scheduled/delete", expected, await Post(browser, "/hangfire/jobs/scheduled/delete", token, ("jobs[]", scheduled)));
        }

        await app.StopAsync();
    }

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

    /// <summary>Adds a driver line whose target is a tenant the package does not have: a model error naming it.</summary>
    private static void BreakWithUnknownTenant(string package, string tenant)
    {
        var drivers = Path.Combine(package, "drivers.csv");
        var fields = File.ReadLines(drivers).Last(l => l.Length > 0).Split(',');
        Assert.Equal(5, fields.Length); // fiscal_year, scenario, driver, target, quantity
        fields[3] = tenant;
        File.AppendAllText(drivers, string.Join(',', fields) + "\n");
    }

    private static HttpClient Browser(string url) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>The dashboard's antiforgery token, from the page a browser has (its cookie stays in the client).</summary>
    private static async Task<string> AntiforgeryToken(HttpClient browser)
    {
        var page = await browser.GetStringAsync("/hangfire/runs");
        return WebUtility.HtmlDecode(CsrfToken().Match(page).Groups[1].Value);
    }

    private static Task<HttpResponseMessage> Post(HttpClient browser, string path, string token, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Form(fields) };
        request.Headers.Add("RequestVerificationToken", token);
        return browser.SendAsync(request);
    }

    private static async Task<string> Expect(Caller caller, string what, HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{caller.Name}: {what} answered {(int)response.StatusCode}, expected {(int)expected}");
        return body;
    }

    private static string? RawLocation(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Location", out var values) ? values.ToString() : null;

    private static string Escape(string text) => string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]*)\"")]
    private static partial Regex CsrfToken();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenReturnUrl();

    private sealed record Caller(string Name, string Key, string? Supplier);
}
