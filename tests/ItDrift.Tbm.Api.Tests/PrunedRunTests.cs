using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// A run pruned from the store while the API serves it is gone everywhere at once: every route answers
/// as for a run never published, and what the API kept of it (table copies, answers, workbook files) is
/// dropped. Its own store and server: the shared fixture's runs must stay.
/// </summary>
public sealed class PrunedRunTests : IDisposable
{
    /// <summary>Every route under a run, with how the supplier asks for it.</summary>
    private static readonly (HttpMethod Method, string Path)[] Routes =
    [
        (HttpMethod.Get, ""),
        (HttpMethod.Get, "/fees"),
        (HttpMethod.Get, "/fees?format=csv"),
        (HttpMethod.Get, "/fees?format=arrow"),
        (HttpMethod.Get, "/prices"),
        (HttpMethod.Get, "/prices?format=csv"),
        (HttpMethod.Get, "/unallocated?format=arrow"),
        (HttpMethod.Get, "/reconciliation"),
        (HttpMethod.Get, "/balance"),
        (HttpMethod.Get, "/tenants/T-A/fees"),
        (HttpMethod.Get, "/tenants/T-A/fees?format=csv"),
        (HttpMethod.Get, "/tenants/T-A/trueup"),
        (HttpMethod.Get, "/tenants/T-A/fees/INF-VM/explain?fiscalYear=2025&scenario=actual"),
        (HttpMethod.Get, "/tenants/T-A/fees/export.xlsx"),
        (HttpMethod.Get, "/tenants/T-A/trueup/export.xlsx"),
        (HttpMethod.Get, "/prices/export.xlsx"),
        (HttpMethod.Get, "/balance/export.xlsx"),
        (HttpMethod.Get, "/fees/export.xlsx"),
        (HttpMethod.Post, "/quote"),
    ];

    private readonly TestStore _store = new();
    private readonly ApiFactory _api;

    public PrunedRunTests() => _api = new ApiFactory(_store, new ConcurrentQueue<(string, string)>());

    public void Dispose()
    {
        _api.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task PrunedRun_AnswersEveryRoute404AsAnUnknownRun_AndItsCachedTablesAndAnswersAreDropped()
    {
        var old = _store.FkRun;
        var newer = PublishAnotherFkRun();
        using var client = _api.Client("supplier FK");

        // Served once, so that the API holds its tables, answers and the fee-table workbook file.
        foreach (var (method, path) in Routes)
        {
            using var response = await Send(client, method, $"/v1/runs/{old}{path}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var tables = _api.Services.GetRequiredService<RunTables>();
        var cache = _api.Services.GetRequiredService<ResponseCache>();
        Assert.True(tables.Holds("FK", old));
        Assert.True(cache.Holds("FK", old));
        Assert.NotEmpty(RunTablesInDuckDb(tables));
        Assert.NotEmpty(Directory.GetFiles(cache.Folder, "*.xlsx"));

        var pruned = new RunStore(_store.Runs).Prune(keep: 1);
        Assert.Equal([old], pruned.Removed.Select(r => r.RunId));

        // The next request, not a later one: every route answers exactly what an id never published answers.
        var unknown = await Problem(client, HttpMethod.Get, "/v1/runs/0123456789abcdef");
        Assert.Equal("There is no run 0123456789abcdef.", unknown.Detail);
        foreach (var (method, path) in Routes)
        {
            var problem = await Problem(client, method, $"/v1/runs/{old}{path}");
            Assert.True(problem.Status == HttpStatusCode.NotFound, $"{method} {path}: {(int)problem.Status} {problem.Detail}");
            Assert.Equal($"There is no run {old}.", problem.Detail);
            Assert.Equal(unknown.Title, problem.Title);
        }

        Assert.False(tables.Holds("FK", old));
        Assert.False(cache.Holds("FK", old));
        Assert.Empty(RunTablesInDuckDb(tables));
        Assert.Empty(Directory.GetFiles(cache.Folder, "*.xlsx"));

        // The listing no longer names it; the supplier's other run and the other supplier's are served as before.
        var listing = await client.GetStringAsync(new Uri("/v1/runs", UriKind.Relative));
        Assert.DoesNotContain(old, listing, StringComparison.Ordinal);
        Assert.Contains(newer, listing, StringComparison.Ordinal);
        var fees = await client.GetStringAsync(new Uri($"/v1/runs/{newer}/tenants/T-A/fees?fiscalYear=2025", UriKind.Relative));
        Assert.Contains("\"tenant\":\"T-A\"", fees, StringComparison.Ordinal);
        using var coordinator = _api.Client("coordinator");
        using var skv = await coordinator.GetAsync(new Uri($"/v1/runs/{_store.SkvRun}/tenants/T-X/fees", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, skv.StatusCode);
    }

    [Fact]
    public async Task PrunedRun_PublishedAgain_IsServedAgain()
    {
        var old = _store.FkRun;
        PublishAnotherFkRun();
        using var client = _api.Client("supplier FK");
        var before = await client.GetStringAsync(new Uri($"/v1/runs/{old}/tenants/T-A/fees?fiscalYear=2025", UriKind.Relative));

        new RunStore(_store.Runs).Prune(keep: 1);
        Assert.Equal(HttpStatusCode.NotFound, (await Problem(client, HttpMethod.Get, $"/v1/runs/{old}/tenants/T-A/fees?fiscalYear=2025")).Status);

        // The same inputs published again give the same run id: the catalog finds it in the store again.
        var store = new RunStore(_store.Runs);
        var work = store.NewWorkFolder();
        var result = TbmEngine.Run(new RunOptions(Path.Combine(_store.Root, "models", "fk"), work));
        Assert.Equal(old, store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears).Run.RunId);
        Assert.Equal(before, await client.GetStringAsync(new Uri($"/v1/runs/{old}/tenants/T-A/fees?fiscalYear=2025", UriKind.Relative)));
    }

    /// <summary>A second FK run (one more ledger line of 2025), published after the first: the first is then neither newest nor latest.</summary>
    private string PublishAnotherFkRun()
    {
        var model = Path.Combine(_store.Root, "models", "fk-2");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Path.Combine(_store.Root, "models", "fk")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        File.AppendAllText(Path.Combine(model, "ledger.csv"), "2025,12,actual,6100,KS5,10.00\n");
        var store = new RunStore(_store.Runs);
        var work = store.NewWorkFolder();
        var result = TbmEngine.Run(new RunOptions(model, work));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.File}:{e.Line} {e.Reason}")));
        return store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears).Run.RunId;
    }

    private static List<string> RunTablesInDuckDb(RunTables tables) =>
        tables.Query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'run_%'", r => r.GetString(0));

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"tenantId": "T-NEW", "name": "Myndighet Ny", "employees": 40, "quantities": {"INF-VM": 2.5}}""", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, string? Title, string? Detail)> Problem(HttpClient client, HttpMethod method, string url)
    {
        using var response = await Send(client, method, url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{method} {url}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text}");
        using var json = JsonDocument.Parse(text);
        string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        return (response.StatusCode, Text("title"), Text("detail"));
    }
}
