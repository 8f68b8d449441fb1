using System.Net;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>Hangfire keeps its configuration in statics: in-process hosts run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessHosts
{
    public const string Name = "in-process hosts";
}

/// <summary>The jobs host in process, on the embedded in-memory storage: what <c>tbm host</c> runs on a fresh clone.</summary>
[Collection(InProcessHosts.Name)]
public sealed class JobsHostTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Host_PublishesChangedPackagesAtStart_AndServesHealthAndADashboardBehindKeys()
    {
        _workspace.Package("FK");
        _workspace.Package("SKV");
        var keys = new ApiKeyStore(_workspace.Keys);
        var (_, coordinator) = keys.Add(AccessGrant.Create(Role.Coordinator, null, null));
        var (_, supplier) = keys.Add(AccessGrant.Create(Role.Supplier, null, "SKV"));
        var (_, tenant) = keys.Add(AccessGrant.Create(Role.Tenant, "T-A", "SKV"));
        var (_, operations) = keys.Add(AccessGrant.Create(Role.Coordinator, null, null), "operations");
        var settings = new HostSettings(_workspace.Models, _workspace.Runs) { Urls = "http://127.0.0.1:0", KeysFile = _workspace.Keys };
        await using var app = JobsHost.Build(settings);
        await app.StartAsync();
        var url = JobsHost.Addresses(app).Single();
        var store = app.Services.GetRequiredService<RunStore>();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };

        // The catch-up pass at start publishes both packages.
        Wait.Until(
            () => store.Latest("FK") is not null && store.Latest("SKV") is not null && store.Attempts().All(a => a.Status != AttemptStatus.Running),
            TimeSpan.FromSeconds(90), "both packages to be published");
        Assert.All(store.Attempts(), a => Assert.Equal(AttemptStatus.Published, a.Status));
        Assert.All(store.Attempts(), a => Assert.Equal("nightly", a.Trigger));

        // The recurring job: 02:00 Europe/Stockholm.
        var storage = app.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            var nightly = Assert.Single(connection.GetRecurringJobs());
            Assert.Equal(RecalculationJobs.NightlyId, nightly.Id);
            Assert.Equal("0 2 * * *", nightly.Cron);
            Assert.Equal("Europe/Stockholm", nightly.TimeZoneId);
        }

        using (var health = JsonDocument.Parse(await http.GetStringAsync("/health")))
        {
            Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
            Assert.Equal("in-memory", health.RootElement.GetProperty("queue").GetProperty("storage").GetString());
            Assert.Equal(1, health.RootElement.GetProperty("queue").GetProperty("servers").GetInt64());
            Assert.Equal(0, health.RootElement.GetProperty("running").GetInt64()); // a count: no supplier or package to anyone unsigned
        }

        // The dashboard: a browser is sent to sign in; keys: coordinator and supplier yes, tenant no, wrong key 401.
        var anonymous = await http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/hangfire", coordinator)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/hangfire/runs", supplier)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(http, "/hangfire", tenant)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, "/hangfire", "tbm_000000000000_wrong")).StatusCode);
        var runsPage = await (await Get(http, "/hangfire/runs", coordinator)).Content.ReadAsStringAsync();
        Assert.Contains(store.Latest("FK")!.RunId, runsPage, StringComparison.Ordinal);

        // Signing in with a key gives a cookie that opens the dashboard; revoking the key closes it.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };
        var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = coordinator, ["returnUrl"] = "/hangfire/runs" }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/hangfire/runs", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/runs")).StatusCode);
        var refused = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = tenant }));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        keys.Revoke(keys.List().First(k => k.Role == "coordinator" && k.Name is null).Id);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/hangfire/runs")).StatusCode);

        // On demand: a supplier may recalculate its own runs only; a changed package is published.
        Workspace.Change(Path.Combine(_workspace.Models, "SKV"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, "/recalculate/FK", supplier)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post(http, "/recalculate/LM", operations)).StatusCode);
        var accepted = await Post(http, "/recalculate/SKV?year=2025", supplier);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Wait.Until(() => store.Attempts("SKV").Count == 2 && store.Attempts("SKV")[0].Status == AttemptStatus.Published, TimeSpan.FromSeconds(90), "the on-demand run");
        Assert.Equal("on-demand", store.Attempts("SKV")[0].Trigger);
        Assert.Equal(store.Attempts("SKV")[0].RunId, store.Latest("SKV", 2025)!.RunId);

        await app.StopAsync();
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", key);
        return http.SendAsync(request);
    }
}
