using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Hosting;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm serve</c> starts the read API's own program (the jobs program does not reference the API): where it
/// looks for it, what it says when it is not there, and — through the README's <c>./tbm</c>, which builds both —
/// that the API gets the options, its output comes through, and a signal to <c>tbm</c> stops the API too.
/// </summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Locate_IsTheVariable_WhenSet_OtherwiseApiBesideTbm()
    {
        var bin = Path.Combine(Path.GetTempPath(), "bin");
        Assert.Equal(Path.Combine(bin, "api", "ItDrift.Tbm.Api.dll"), ApiProcess.Locate(null, bin));
        Assert.Equal(Path.Combine(bin, "api", "ItDrift.Tbm.Api.dll"), ApiProcess.Locate(" ", bin));
        Assert.Equal(Path.GetFullPath("elsewhere/Api.dll"), ApiProcess.Locate("elsewhere/Api.dll", bin));
    }

    [Fact]
    public void Serve_WithoutTheApiBesideTbm_SaysWhereItLooked_InOneLine_AndExits1()
    {
        // The test output holds tbm.dll but no api/ folder.
        var (code, stdout, stderr) = RunTbm(null, "serve");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"tbm: the read API is not built beside tbm: there is no {Path.Combine(AppContext.BaseDirectory, "api", "ItDrift.Tbm.Api.dll")} "
            + "(the ./tbm script builds it there; or set TBM_API_DLL to the API's ItDrift.Tbm.Api.dll)", line);
    }

    [Fact]
    public void Serve_WithTbmApiDllNamingNothing_SaysSo_InOneLine_AndExits1()
    {
        var missing = Path.Combine(Path.GetTempPath(), "tbm-no-api-" + Guid.NewGuid().ToString("N")[..8], "ItDrift.Tbm.Api.dll");
        var (code, stdout, stderr) = RunTbm(missing, "serve", "--runs", "runs");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"tbm: TBM_API_DLL names {missing}, which does not exist (it must name the read API's ItDrift.Tbm.Api.dll)", line);
    }

    [Fact]
    public void Serve_WithAnOptionTheApiDoesNotTake_ExitsWith2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, CommandLine.Run(["serve", "--model", "x"], stdout, stderr));
        Assert.Contains("unknown option '--model'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_OnAPortAlreadyTaken_ExitsWith2_InOneLine_NamingUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var runs = Path.Combine(Path.GetTempPath(), "tbm-serve-" + Guid.NewGuid().ToString("N")[..8]);

        var (code, _, stderr) = RunTbm(ExplainCommandTests.ApiDll(), "serve", "--urls", url, "--runs", runs);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"tbm serve: --urls {url}: the address is already in use (another program listens there); choose another port", line);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_ThroughTheScript_ServesWithItsOptions_AndASignalToTbmStopsTheApi(string signal)
    {
        using var workspace = new Workspace();
        Directory.CreateDirectory(workspace.Runs);
        var (_, key) = new ApiKeyStore(workspace.Keys).Add(AccessGrant.Create(Role.Coordinator, null, null));
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The script ends in `exec dotnet tbm.dll`, so this process is tbm itself once it is built.
        foreach (var a in new[] { Path.Combine(Repository.Root, "tbm"), "serve", "--urls", url, "--runs", "runs", "--keys", "keys.json" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("TBM_API_DLL");
        var output = new StringBuilder();
        using var tbm = Process.Start(start)!;
        tbm.OutputDataReceived += (_, e) => Append(output, e.Data);
        tbm.ErrorDataReceived += (_, e) => Append(output, e.Data);
        tbm.BeginOutputReadLine();
        tbm.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // The first use may build tbm and the API (minutes on a busy machine).
            Wait.Until(() => Answers(http, tbm), TimeSpan.FromMinutes(10), $"tbm serve on {url}", () => Text(output));

            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Contains("\"runsStore\":true", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/runs");
            request.Headers.Add("X-Api-Key", key);
            using var runs = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, runs.StatusCode);

            Signal(tbm.Id, signal);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await tbm.WaitForExitAsync(patience.Token);
            Assert.True(tbm.ExitCode == 0, $"exit {tbm.ExitCode}:\n{Text(output)}");
        }
        finally
        {
            if (!tbm.HasExited)
            {
                tbm.Kill(entireProcessTree: true);
            }
        }

        // Nothing is left listening: the API stopped with tbm.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("/health", UriKind.Relative)));
        var text = Text(output);
        Assert.Contains($"Serving the read API over {workspace.Runs}", text, StringComparison.Ordinal);
        Assert.Contains($"Now listening on: {url}", text, StringComparison.Ordinal);
        Assert.Contains("(coordinator) GET /v1/runs -> 200", text, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) RunTbm(string? apiDll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tbm.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("TBM_API_DLL");
        if (apiDll is not null)
        {
            start.Environment["TBM_API_DLL"] = apiDll;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static bool Answers(HttpClient http, Process tbm)
    {
        if (tbm.HasExited)
        {
            Assert.Fail($"tbm serve exited with {tbm.ExitCode}");
        }

        try
        {
            using var health = http.GetAsync(new Uri("/health", UriKind.Relative)).GetAwaiter().GetResult();
            return health.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
