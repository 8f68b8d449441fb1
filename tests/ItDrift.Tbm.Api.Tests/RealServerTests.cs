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

    [Fact]
    public async Task ASlowBody_IsAnsweredWithItsStatus_AndTheAccessLogSaysThatStatus_NotA200()
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
        var marker = Guid.NewGuid().ToString("N");
        string answer;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealth(http, server);

            // An order announced at 4000 bytes of which 20 come, then nothing: Kestrel gives up on the body
            // (its minimum data rate) and the request must end in that status, logged as such.
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            var head = $"POST /v1/runs/{api.Store.FkRun}/quote?marker={marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {api.Store.Keys["supplier FK"]}\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"tenantId\": \"T-NEW\", ";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            answer = await reader.ReadLineAsync(patience.Token) ?? "";
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        var logged = Assert.Single((await output).Split('\n'), l => l.Contains(marker, StringComparison.Ordinal) && l.Contains("->", StringComparison.Ordinal));
        Assert.Contains("-> 408", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_ThroughKestrel_AnswersAsGet_WithTheSameHeaders_AndNoBodyOnTheWire()
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
        _ = server.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForHealth(http, server);
            var supplier = api.Store.Keys["supplier FK"];
            var tenant = api.Store.Keys["tenant T-A"];
            var run = $"/v1/runs/{api.Store.FkRun}";
            (string Path, string? Key, int Status)[] cases =
            [
                ($"{run}/fees", supplier, 200),
                ($"{run}/fees?format=csv", supplier, 200),
                ($"{run}/tenants/T-A/fees", tenant, 200),
                ($"{run}/prices", tenant, 200),
                (run, tenant, 200),
                ($"{run}/tenants/T-B/fees", tenant, 404),
                ($"{run}/tenants/T-A/fees", null, 401),
                ("/v1/runs/0000000000000000/fees", supplier, 404),
            ];
            foreach (var (path, key, status) in cases)
            {
                var get = await Raw(port, "GET", path, key);
                var head = await Raw(port, "HEAD", path, key);
                Assert.True(get.Status == status, $"GET {path}: {get.Status}");
                Assert.True(head.Status == status, $"HEAD {path}: {head.Status}");
                Assert.True(get.Body.Length > 0, $"GET {path} has a body");
                Assert.True(head.Body.Length == 0, $"HEAD {path} sent {head.Body.Length} bytes of body");

                // The same headers but the clock's; a GET's chunked framing has no body to frame in a HEAD.
                static string Comparable(Dictionary<string, string> headers) => string.Join("\n", headers
                    .Where(h => h.Key is not ("date" or "transfer-encoding"))
                    .OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {h.Value}"));
                Assert.Equal(Comparable(get.Headers), Comparable(head.Headers));
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>One request on its own connection, read to the server's close: the status, the headers and every byte after them.</summary>
    private static async Task<(int Status, Dictionary<string, string> Headers, byte[] Body)> Raw(int port, string method, string path, string? key)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var request = $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + (key is null ? "" : $"X-Api-Key: {key}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var all = new MemoryStream();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(all, patience.Token);
        var bytes = all.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"{method} {path}: no end of headers in {bytes.Length} bytes");
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, bytes[(end + 4)..]);
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
