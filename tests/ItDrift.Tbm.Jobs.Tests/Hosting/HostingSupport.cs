using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Runs;
using Npgsql;

namespace ItDrift.Tbm.Tests.Hosting;

/// <summary>A fresh folder for a test: models/, runs/ and keys.json inside; deleted afterwards.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "tbm-jobs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Models);
    }

    public string Root { get; }

    public string Models => Path.Combine(Root, "models");

    public string Runs => Path.Combine(Root, "runs");

    public string Keys => Path.Combine(Root, "keys.json");

    public RunStore Store() => new(Runs);

    /// <summary>
    /// A valid demo package for <paramref name="supplier"/> under models/, in the folder <paramref name="folder"/>
    /// (default: the supplier id), which is the package's key (the same seed and size give the same files).
    /// </summary>
    public string Package(string supplier, int ledgerLines = 6_000, int seed = 2026, string? folder = null)
    {
        folder = Path.Combine(Models, folder ?? supplier);
        DemoModelGenerator.Write(folder, new DemoModelOptions(Seed: seed, LedgerLines: ledgerLines));
        var manifest = Path.Combine(folder, "model.json");
        File.WriteAllText(manifest, SupplierId().Replace(File.ReadAllText(manifest), $"\"id\": \"{supplier}\"", 1));
        return folder;
    }

    /// <summary>Changes a package's inputs (one more ledger line, a copy of the last), keeping it valid.</summary>
    public static void Change(string package)
    {
        var ledger = Path.Combine(package, "ledger.csv");
        var last = File.ReadLines(ledger).Last(l => l.Length > 0);
        File.AppendAllText(ledger, last + "\n");
    }

    /// <summary>Every file of a folder with its SHA-256, to prove it did not change.</summary>
    public static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))),
            StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static Regex SupplierId() => new("\"id\":\\s*\"[^\"]*\"");
}

/// <summary>Polls until a condition holds, or fails the test with what it was waiting for.</summary>
internal static class Wait
{
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, Func<string>? context = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {what}{(context is null ? "" : "\n" + context())}");
            }

            Thread.Sleep(50);
        }
    }
}

/// <summary>A real <c>tbm host</c> process (the test output holds <c>tbm.dll</c> and its runtime config).</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public HostProcess(Workspace workspace, string? postgres, params string[] extra)
    {
        Port = FreePort();
        var tbm = Path.Combine(AppContext.BaseDirectory, "tbm.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { tbm, "host", "--models", workspace.Models, "--runs", workspace.Runs, "--keys", workspace.Keys, "--urls", Url }.Concat(extra))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("TBM_JOBS_POSTGRES");
        start.Environment.Remove("ConnectionStrings__Jobs");
        if (postgres is not null)
        {
            start.Environment["TBM_JOBS_POSTGRES"] = postgres;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits for the health endpoint to answer 200.</summary>
    public void WaitHealthy(HttpClient http)
    {
        Wait.Until(() =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the host exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                return http.GetAsync(Url + "/health").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"host on {Url} to be healthy", () => Output);
    }

    /// <summary>SIGKILL: no shutdown, no clean-up, as a power cut or the OOM killer would.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then waits for a graceful exit.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(40_000))
        {
            _process.Kill();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A test that needs PostgreSQL: <c>TBM_TEST_POSTGRES</c> names a server (a connection string whose
/// user may create databases). Skipped with the reason when it is unset, except in CI, where
/// <c>.ci/run</c> starts a server and sets it, so a missing one fails rather than passes silently.
/// </summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "TBM_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{Variable} is not set: no PostgreSQL to test against (.ci/run starts one and sets it; locally e.g. {Variable}=\"Host=127.0.0.1;Port=5432;Username=postgres\")";
        }
    }
}

/// <summary>A fresh database on the test server, dropped afterwards: each test its own queue.</summary>
internal sealed class PostgresDatabase : IDisposable
{
    private readonly string _admin;

    public PostgresDatabase()
    {
        _admin = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} must be set in CI (.ci/run sets it)");
        Name = "tbm_test_" + Guid.NewGuid().ToString("N")[..12];
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
