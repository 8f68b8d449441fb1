using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>The real server process on loopback, called with a plain HTTP client.</summary>
[Collection("api")]
public sealed class RealServerTests(ApiFixture api)
{
    [Fact]
    public async Task Server_OnLoopback_ServesATenantItsFees_AndNothingElse()
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "ItDrift.Tbm.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--runs", api.Store.Runs, "--keys", api.Store.KeysFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = api.Store.Root,
        };
        using var server = Process.Start(start)!;
        var output = server.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealth(http, server);

            using var own = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees");
            own.Headers.Add("X-Api-Key", api.Store.Keys["tenant T-A"]);
            using var ownResponse = await http.SendAsync(own);
            Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
            Assert.Contains("\"tenant\":\"T-A\"", await ownResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var other = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{api.Store.FkRun}/tenants/T-B/fees");
            other.Headers.Add("X-Api-Key", api.Store.Keys["tenant T-A"]);
            using var otherResponse = await http.SendAsync(other);
            Assert.Equal(HttpStatusCode.NotFound, otherResponse.StatusCode);

            using var anonymous = await http.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

            // A quote through Kestrel: the tenant's own figures; and an order body past the limit, announced
            // with Expect: 100-continue, refused before it is sent.
            using var quote = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{api.Store.FkRun}/quote")
            {
                Content = new StringContent("""{"tenantId": "T-A", "name": "Myndighet A", "employees": 10, "quantities": {"INF-VM": 2}}""", Encoding.UTF8, "application/json"),
            };
            quote.Headers.Add("X-Api-Key", api.Store.Keys["tenant T-A"]);
            using var quoteResponse = await http.SendAsync(quote);
            var quoteText = await quoteResponse.Content.ReadAsStringAsync();
            Assert.True(quoteResponse.StatusCode == HttpStatusCode.OK, quoteText);
            Assert.DoesNotContain("T-B", quoteText, StringComparison.Ordinal);

            using var tooLarge = new HttpRequestMessage(HttpMethod.Post, $"/v1/runs/{api.Store.FkRun}/quote")
            {
                Content = new StringContent($"{{\"tenantId\": \"T-A\", \"name\": \"{new string('x', 100_000)}\", \"employees\": 1, \"quantities\": {{\"INF-VM\": 1}}}}", Encoding.UTF8, "application/json"),
            };
            tooLarge.Headers.Add("X-Api-Key", api.Store.Keys["tenant T-A"]);
            tooLarge.Headers.ExpectContinue = true;
            using var tooLargeResponse = await http.SendAsync(tooLarge);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeResponse.StatusCode);
            Assert.Equal("application/problem+json", tooLargeResponse.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        Assert.Contains($"http://127.0.0.1:{port}", await output, StringComparison.Ordinal);
    }

    private static async Task WaitForHealth(HttpClient http, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited)
            {
                Assert.Fail("the server exited: " + await server.StandardError.ReadToEndAsync());
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // not listening yet
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
