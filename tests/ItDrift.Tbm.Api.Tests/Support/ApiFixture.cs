using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>The test runs store and the API over it, in process (WebApplicationFactory), shared by the tests of the <c>api</c> collection.</summary>
public sealed class ApiFixture : IDisposable
{
    public ApiFixture()
    {
        Store = new TestStore();
        Factory = new ApiFactory(Store, Logs);
    }

    public TestStore Store { get; }

    public ApiFactory Factory { get; }

    /// <summary>Every log line the API wrote, with its category.</summary>
    public ConcurrentQueue<(string Category, string Message)> Logs { get; } = new();

    /// <summary>A client sending the key of <paramref name="caller"/> (see <see cref="TestStore.Keys"/>), or no key for <c>anonymous</c>.</summary>
    public HttpClient Client(string caller)
    {
        var client = Factory.CreateClient();
        if (caller != "anonymous")
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", Store.Keys[caller]);
        }

        return client;
    }

    public void Dispose()
    {
        Factory.Dispose();
        Store.Dispose();
    }
}

/// <summary>
/// The API configured with the test store's runs and keys (and its response cache's files in the store's
/// folder), its logs captured; <paramref name="settings"/> adds or overrides configuration.
/// </summary>
public sealed class ApiFactory(TestStore store, ConcurrentQueue<(string Category, string Message)> logs, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public TestStore Store { get; } = store;

    /// <summary>A client sending the key of <paramref name="caller"/> (see <see cref="TestStore.Keys"/>).</summary>
    public HttpClient Client(string caller)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Store.Keys[caller]);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("runs", Store.Runs);
        builder.UseSetting("keys", Store.KeysFile);
        builder.UseSetting("ResponseCache:Folder", Path.Combine(Store.Root, "cache-" + Guid.NewGuid().ToString("N")[..8]));
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(logs))));
    }
}

/// <summary>Keeps every log message in memory for assertions.</summary>
internal sealed class CapturingLoggerProvider(ConcurrentQueue<(string Category, string Message)> logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logs);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string Category, string Message)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}

[CollectionDefinition("api")]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>;
