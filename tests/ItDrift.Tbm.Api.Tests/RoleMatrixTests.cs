using System.IO.Compression;
using System.Net;
using System.Text;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// Every endpoint × every kind of caller × own and other tenant: who gets 200, who 404 (the resource
/// does not exist for them) and who 401 (no or bad credentials). And for every 200 a tenant gets, the
/// body (unzipped for workbooks) names no other tenant: nothing of another tenant by any route. A
/// prospect (a tenant key bound to FK for a tenant FK does not have yet) may only quote for itself.
/// </summary>
[Collection("api")]
public sealed class RoleMatrixTests(ApiFixture api)
{
    /// <summary>
    /// Who may read a route: any reader of the run, only the tenant named in it (and the supplier's side), only the supplier's side,
    /// or (a quote) the tenant or prospect the order names, and the supplier's side.
    /// </summary>
    public enum Audience
    {
        Run,
        OwnTenant,
        SupplierSide,
        OwnQuote,
    }

    /// <summary>The order the matrix quotes: INF-VM, which three tenants share, for the tenant in the route's place.</summary>
    private const string QuoteBody = """{"tenantId": "{tenant}", "name": "Ny myndighet", "employees": 40, "quantities": {"INF-VM": 2}}""";

    private static readonly (string Path, Audience Audience)[] Endpoints =
    [
        ("", Audience.Run),
        ("/prices", Audience.Run),
        ("/prices?format=csv", Audience.Run),
        ("/prices?format=arrow", Audience.Run),
        ("/prices/export.xlsx", Audience.Run),
        ("/tenants/{tenant}/fees", Audience.OwnTenant),
        ("/tenants/{tenant}/fees?format=csv", Audience.OwnTenant),
        ("/tenants/{tenant}/fees?format=arrow", Audience.OwnTenant),
        ("/tenants/{tenant}/fees/INF-VM/explain", Audience.OwnTenant),
        ("/tenants/{tenant}/fees/export.xlsx", Audience.OwnTenant),
        ("/tenants/{tenant}/trueup", Audience.OwnTenant),
        ("/tenants/{tenant}/trueup?format=csv", Audience.OwnTenant),
        ("/tenants/{tenant}/trueup?format=arrow", Audience.OwnTenant),
        ("/tenants/{tenant}/trueup/export.xlsx", Audience.OwnTenant),
        ("/fees", Audience.SupplierSide),
        ("/fees?format=csv", Audience.SupplierSide),
        ("/fees?format=arrow", Audience.SupplierSide),
        ("/fees?tenant=T-A", Audience.SupplierSide),
        ("/fees/export.xlsx", Audience.SupplierSide),
        ("/unallocated", Audience.SupplierSide),
        ("/unallocated?format=csv", Audience.SupplierSide),
        ("/reconciliation", Audience.SupplierSide),
        ("/reconciliation?format=arrow", Audience.SupplierSide),
        ("/balance", Audience.SupplierSide),
        ("/balance?format=csv", Audience.SupplierSide),
        ("/balance/export.xlsx", Audience.SupplierSide),
        ("/kpi", Audience.SupplierSide),
        ("/kpi?format=csv", Audience.SupplierSide),
        ("/kpi/distributions", Audience.SupplierSide),
        ("/kpi/distributions?format=arrow", Audience.SupplierSide),
        ("/invoice-lines?year=2025", Audience.Run), // a tenant: its own lines only, so the body names no other tenant
        ("/invoice-lines?year=2026&format=csv", Audience.Run),
        ("POST /quote", Audience.OwnQuote),
    ];

    private static readonly string[] Callers =
        ["tenant T-A", "tenant T-B", "tenant T-X", "prospect T-NEW", "prospect T-NEW of SKV", "supplier FK", "supplier SKV", "coordinator", "esv", "anonymous", "bad", "revoked"];

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var caller in Callers)
        {
            foreach (var (path, audience) in Endpoints)
            {
                var tenants = audience switch
                {
                    Audience.OwnTenant => new[] { "T-A", "T-B" },
                    Audience.OwnQuote => ["T-A", "T-B", "T-NEW"],
                    _ => ["-"],
                };
                foreach (var tenant in tenants)
                {
                    data.Add(caller, path, tenant);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_AnswersByRole_ForOwnAndOtherTenant(string caller, string path, string tenant)
    {
        var audience = Endpoints.First(e => e.Path == path).Audience;
        var post = path.StartsWith("POST ", StringComparison.Ordinal);
        var url = $"/v1/runs/{api.Store.FkRun}{(post ? path[5..] : path).Replace("{tenant}", tenant, StringComparison.Ordinal)}";
        var expected = caller switch
        {
            "anonymous" or "bad" or "revoked" => HttpStatusCode.Unauthorized,
            "coordinator" or "esv" or "supplier FK" => HttpStatusCode.OK,
            "supplier SKV" or "tenant T-X" or "prospect T-NEW of SKV" => HttpStatusCode.NotFound,
            "prospect T-NEW" => audience == Audience.OwnQuote && tenant == "T-NEW" ? HttpStatusCode.OK : HttpStatusCode.NotFound,
            _ => audience switch
            {
                Audience.Run => HttpStatusCode.OK,
                Audience.OwnTenant or Audience.OwnQuote when caller == "tenant " + tenant => HttpStatusCode.OK,
                _ => HttpStatusCode.NotFound,
            },
        };

        using var client = api.Client(caller);
        using var response = post
            ? await client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(QuoteBody.Replace("{tenant}", tenant, StringComparison.Ordinal), Encoding.UTF8, "application/json"))
            : await client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(expected == response.StatusCode, $"{caller} {(post ? "POST" : "GET")} {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{Encoding.UTF8.GetString(body)}");

        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Errors are problem details, and a 404 reads the same whether the thing exists or not.
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return;
        }

        if (caller.StartsWith("tenant ", StringComparison.Ordinal) || caller.StartsWith("prospect ", StringComparison.Ordinal))
        {
            var text = Text(body, response.Content.Headers.ContentType?.MediaType);
            var own = caller.Split(' ')[1];
            foreach (var other in new[] { "T-A", "T-B", "T-C", "T-D", "Myndighet A", "Myndighet B", "Myndighet C", "Myndighet D" }.Where(o => !o.EndsWith(own[^1..], StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(other, text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("tenant T-A", "FK")]
    [InlineData("tenant T-X", "SKV")]
    [InlineData("supplier FK", "FK")]
    [InlineData("supplier SKV", "SKV")]
    [InlineData("coordinator", "FK,SKV")]
    [InlineData("esv", "FK,SKV")]
    public async Task Runs_ListOnlyTheCallersRuns(string caller, string suppliers)
    {
        using var client = api.Client(caller);
        var list = await client.GetStringAsync(new Uri("/v1/runs", UriKind.Relative));
        var latest = await client.GetStringAsync(new Uri("/v1/runs/latest", UriKind.Relative));
        foreach (var (supplier, run) in new[] { ("FK", api.Store.FkRun), ("SKV", api.Store.SkvRun) })
        {
            var visible = suppliers.Split(',').Contains(supplier);
            Assert.Equal(visible, list.Contains(run, StringComparison.Ordinal));
            Assert.Equal(visible, latest.Contains(run, StringComparison.Ordinal));
            using var detail = await client.GetAsync(new Uri($"/v1/runs/{run}", UriKind.Relative));
            Assert.Equal(visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, detail.StatusCode);
        }
    }

    [Theory]
    [InlineData("/v1/runs/..")]
    [InlineData("/v1/runs/%2E%2E/prices")]
    [InlineData("/v1/runs/.work/prices")]
    [InlineData("/v1/runs/{run}/tenants/..%2F..%2Fetc/fees")]
    [InlineData("/v1/runs/{run}/tenants/T-A%20/fees")]
    [InlineData("/v1/runs/{run}/tenants/T-A/fees/..%2F..%2Ffees/explain")]
    [InlineData("/v1/runs/nosuchrun/prices")]
    public async Task Route_WithPathTraversalOrUnknownIds_IsNotFound(string path)
    {
        using var client = api.Client("coordinator");
        using var response = await client.GetAsync(new Uri(path.Replace("{run}", api.Store.FkRun, StringComparison.Ordinal), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The body as text; a workbook's XML parts unzipped and joined.</summary>
    private static string Text(byte[] body, string? mediaType)
    {
        if (mediaType?.Contains("spreadsheetml", StringComparison.Ordinal) != true)
        {
            return Encoding.UTF8.GetString(body);
        }

        using var zip = new ZipArchive(new MemoryStream(body));
        var text = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
