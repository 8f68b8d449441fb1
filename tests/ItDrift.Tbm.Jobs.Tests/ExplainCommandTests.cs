using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm explain</c> on the hand-worked package <c>datasets/scenarios/chain-step-down</c> (its README has every
/// figure): the text a person reads, and the JSON, which is the read API's to the byte of every value.
/// </summary>
public sealed class ExplainCommandTests : IDisposable
{
    /// <summary>The API's program as the solution builds it (jobs does not reference the API: tbm serve runs it).</summary>
    internal static string ApiDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(Repository.Root, "api", "bin", configuration, "net10.0", "ItDrift.Tbm.Api.dll");
    }

    private static readonly string Scenario = Path.Combine(Repository.Root, "datasets", "scenarios", "chain-step-down", "model");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-explain-" + Guid.NewGuid().ToString("N")[..8]);

    public ExplainCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Out, string Err) Tbm(params string[] args) => CommandLineTests.Tbm(args);

    private string RunFolder()
    {
        var run = Path.Combine(_root, "run");
        var (code, _, err) = Tbm("run", "--model", Scenario, "--out", run);
        Assert.True(code == 0, err);
        return run;
    }

    [Fact]
    public void Explain_TSCB_VirtualServers_AsWorkedByHand()
    {
        var run = RunFolder();

        // README §2–4: INF-VM gets 6/8 of the data centre (racks) and T-SCB 40 of its 80 virtual servers.
        var (code, json, err) = Tbm("explain", "--run", run, "--tenant", "T-SCB", "--service", "INF-VM", "--year", "2025", "--json");
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(json);
        var fee = document.RootElement;
        Assert.Equal(60_208.33m, fee.GetProperty("amount").GetDecimal());
        Assert.Equal(3, fee.GetProperty("tenantsOfService").GetInt32());
        var origins = fee.GetProperty("origins").EnumerateArray().ToList();
        Assert.Equal(60_208.33m, origins.Sum(o => o.GetProperty("amount").GetDecimal()));
        Assert.Equal(60_208.33m, fee.GetProperty("byCostPool").EnumerateArray().Sum(p => p.GetProperty("amount").GetDecimal()));

        var steps = fee.GetProperty("steps").EnumerateArray().ToList();
        JsonElement Step(string source, string target, string pool) => steps.Single(s =>
            s.GetProperty("source").GetString() == source && s.GetProperty("target").GetString() == target && s.GetProperty("costPool").GetString() == pool);
        var racks = Step("TWR-DC", "INF-VM", "Facilities & Power");
        Assert.Equal("racks", racks.GetProperty("driver").GetString());
        Assert.Equal(0.75m, racks.GetProperty("share").GetDecimal());
        Assert.Equal(45_000.00m, racks.GetProperty("delivered").GetDecimal());
        var servers = Step("INF-VM", "T-SCB", "Facilities & Power");
        Assert.Equal("driver", servers.GetProperty("method").GetString());
        Assert.Equal(0.5m, servers.GetProperty("share").GetDecimal());
        Assert.Equal(0.5m, Step("FUN-SEC", "INF-VM", "Internal Labor").GetProperty("share").GetDecimal()); // fixed 50/30/20

        // The data-centre rent, 60 000.00 on 5011 KS-DC: 6/8 · 40/80 = 37.5 % of it, 22 500.00.
        var rent = origins.Single(o => o.GetProperty("account").GetInt32() == 5011);
        Assert.Equal("KS-DC", rent.GetProperty("costCenter").GetString());
        Assert.Equal("TWR-DC", rent.GetProperty("object").GetString());
        Assert.Equal(60_000.00m, rent.GetProperty("ledgerAmount").GetDecimal());
        Assert.Equal(0.375m, rent.GetProperty("share").GetDecimal());
        Assert.Equal(22_500.00m, rent.GetProperty("amount").GetDecimal());

        // Security staff, 30 000.00 on 4011 KS-SEC: 50 % to INF-VM, then half of that: 7 500.00; IT management,
        // 50 000.00 on KS-MGT: (40 % + 26.6667 % · 50 %) · 50 % = 13 333.33 (README: 20 833.33 in Internal Labor).
        Assert.Equal(7_500.00m, origins.Single(o => o.GetProperty("costCenter").GetString() == "KS-SEC").GetProperty("amount").GetDecimal());
        Assert.Equal(13_333.33m, origins.Single(o => o.GetProperty("costCenter").GetString() == "KS-MGT").GetProperty("amount").GetDecimal());

        // The same as text: amounts grouped like every command's, shares in per cent.
        var (textCode, text, _) = Tbm("explain", "--run", run, "--tenant", "T-SCB", "--service", "INF-VM");
        Assert.Equal(0, textCode);
        Assert.Contains("T-SCB (Statistiska centralbyrån): INF-VM", text, StringComparison.Ordinal);
        Assert.Contains("2025 actual: fee 60 208.33 kr", text, StringComparison.Ordinal);
        Assert.Matches(@"TWR-DC\s+driver\s+racks\s+INF-VM\s+Facilities & Power\s+45 000\.00\s+75\.0000 %\s+22 500\.00", text);
        Assert.Matches(@"TWR-DC\s+Facilities & Power\s+5011\s+KS-DC\s+60 000\.00\s+37\.5000 %\s+22 500\.00", text);
        Assert.Matches(@"total\s+60 208\.33", text);

        // README §4: 40 of INF-VM's 80 virtual servers at 120 416.66 ÷ 80 = 1 505.20825 → 1 505.21: 60 208.40, seven
        // öre above the fee (0.00175 per server from the price's rounding; the split's remainders net to nothing).
        Assert.Matches(@"quantity\s+unit price\s+quantity × unit price\s+fee\s+difference\s+40\s+1 505\.21\s+60 208\.40\s+60 208\.33\s+-0\.07", text);
        Assert.Contains("Unit price = the service's cost to tenants 120 416.66 ÷ 80 units, rounded half away from zero to öre", text, StringComparison.Ordinal);
        var price = fee.GetProperty("price");
        Assert.Equal(40m, price.GetProperty("quantity").GetDecimal());
        Assert.Equal(1_505.21m, price.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(60_208.40m, price.GetProperty("priced").GetDecimal());
        Assert.Equal(-0.07m, price.GetProperty("difference").GetDecimal());
        Assert.DoesNotContain(ItDrift.Tbm.Jobs.Cli.ExplainCommand.Hidden, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_WithoutAService_ExplainsEveryFeeOfTheTenantInThePeriod()
    {
        var run = RunFolder();
        var (code, json, err) = Tbm("explain", "--run", run, "--tenant", "T-KOV", "--json");
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(json);
        var fees = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["ANSL-KOV", "END-OFF", "INF-STO", "INF-VM"], fees.Select(f => f.GetProperty("service").GetString()));
        Assert.All(fees, f => Assert.Equal(f.GetProperty("amount").GetDecimal(), f.GetProperty("origins").EnumerateArray().Sum(o => o.GetProperty("amount").GetDecimal())));
        Assert.Equal(44_450.34m, fees.Sum(f => f.GetProperty("amount").GetDecimal())); // README §5

        var (_, text, _) = Tbm("explain", "--run", run, "--tenant", "T-KOV");
        Assert.Contains("T-KOV's fees in 2025 actual: 44 450.34 kr over 4 services", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AsTheTenant_ShowsWhatTheDisclosurePolicyHidesAsADash()
    {
        var run = RunFolder();

        // ANSL-KOV charges T-KOV alone: the project's cost is T-KOV's own fee, but the ledger lines behind it are not shown.
        var (code, text, err) = Tbm("explain", "--run", run, "--tenant", "T-KOV", "--service", "ANSL-KOV", "--as", "tenant");
        Assert.True(code == 0, err);
        Assert.Matches(@"ANSL-KOV\s+Outside Services\s+5410\s+KS-PROJ\s+–\s+–\s+9 000\.00", text);
        var (_, supplier, _) = Tbm("explain", "--run", run, "--tenant", "T-KOV", "--service", "ANSL-KOV");
        Assert.Matches(@"ANSL-KOV\s+Outside Services\s+5410\s+KS-PROJ\s+9 000\.00\s+100\.0000 %\s+9 000\.00", supplier);
    }

    [Fact]
    public void Explain_ExitsWith2_WithOneLine_WhenThereIsNoSuchFee()
    {
        var run = RunFolder();
        var (code, _, err) = Tbm("explain", "--run", run, "--tenant", "T-SCB", "--service", "ANSL-KOV");
        Assert.Equal(2, code);
        Assert.StartsWith("tbm: tenant T-SCB has no fee for ANSL-KOV in run ", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(2, Tbm("explain", "--run", run, "--tenant", "T-SCB", "--year", "2019").Code);
        Assert.Equal(2, Tbm("explain", "--run", Path.Combine(_root, "none"), "--tenant", "T-SCB").Code);
    }

    [Fact]
    public async Task Json_IsTheReadApisExplanation_ForTheSupplierAndForTheTenant()
    {
        // The run published into a store, keys made with `tbm keys add`, and the API's own program serving them.
        var runs = Path.Combine(_root, "runs");
        var keys = Path.Combine(_root, "keys.json");
        var (code, _, err) = Tbm("run", "--model", Scenario, "--publish", "--runs", runs);
        Assert.True(code == 0, err);
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(runs, "SKV")));
        var runId = Path.GetFileName(run);
        var supplierKey = Tbm("keys", "add", "--role", "supplier", "--supplier", "SKV", "--keys", keys).Out.Trim();
        var tenantKey = Tbm("keys", "add", "--role", "tenant", "--tenant", "T-KOV", "--supplier", "SKV", "--keys", keys).Out.Trim();

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [ApiDll(), "--urls", $"http://127.0.0.1:{port}", "--runs", runs, "--keys", keys])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        using var server = Process.Start(start)!;
        _ = server.StandardOutput.ReadToEndAsync();
        var serverErrors = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitForHealth(http, server, serverErrors);

            foreach (var (tenant, service, key, view) in new[]
            {
                ("T-SCB", "INF-VM", supplierKey, "supplier"),
                ("T-KOV", "ANSL-KOV", supplierKey, "supplier"),
                ("T-KOV", "ANSL-KOV", tenantKey, "tenant"),
                ("T-KOV", "INF-STO", tenantKey, "tenant"),
            })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{runId}/tenants/{tenant}/fees/{service}/explain?fiscalYear=2025");
                request.Headers.Add("X-Api-Key", key);
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, body);

                var cli = Tbm("explain", "--run", run, "--tenant", tenant, "--service", service, "--year", "2025", "--as", view, "--json");
                Assert.True(cli.Code == 0, cli.Err);
                var api = JsonNode.Parse(body);
                var ours = JsonNode.Parse(cli.Out);
                Assert.True(JsonNode.DeepEquals(api, ours), $"{tenant} {service} as {view}:\nAPI {body}\nCLI {ours?.ToJsonString()}");
                Assert.Equal(Names(api), Names(ours));
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>Every property name in a JSON document, with its path, in document order.</summary>
    private static List<string> Names(JsonNode? node, string path = "")
    {
        var names = new List<string>();
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    names.Add(path + "." + name);
                    names.AddRange(Names(value, path + "." + name));
                }

                break;
            case JsonArray a:
                names.AddRange(a.SelectMany(item => Names(item, path + "[]")).Distinct(StringComparer.Ordinal));
                break;
        }

        return names;
    }

    private static async Task WaitForHealth(HttpClient http, Process server, Task<string> errors)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited)
            {
                Assert.Fail("the API exited: " + await errors);
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail("the API did not answer /health within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
