using ItDrift.Tbm.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>How a jobs host runs. Every value has a default, so <c>tbm host</c> needs no options.</summary>
/// <param name="ModelsDirectory">The model packages to recalculate: a package folder, or a folder of them (default <c>models</c>).</param>
/// <param name="RunsDirectory">The runs store (default <c>runs</c>), shared by every host and the API.</param>
internal sealed record HostSettings(string ModelsDirectory, string RunsDirectory)
{
    /// <summary>The environment variable that names the PostgreSQL database of the job queue.</summary>
    public const string PostgresVariable = "TBM_JOBS_POSTGRES";

    /// <summary>The same, as an ASP.NET connection string (<c>ConnectionStrings:Jobs</c>, e.g. in appsettings.json).</summary>
    public const string ConnectionStringName = "Jobs";

    /// <summary>Where the dashboard and the health endpoint listen (default <c>http://127.0.0.1:5090</c>).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5090";

    /// <summary>When the nightly recalculation runs, as cron (default <c>0 2 * * *</c>: 02:00).</summary>
    public string Cron { get; init; } = "0 2 * * *";

    /// <summary>The time zone of <see cref="Cron"/> (default Europe/Stockholm, so 02:00 stays 02:00 across daylight saving).</summary>
    public string TimeZone { get; init; } = "Europe/Stockholm";

    /// <summary>
    /// The queue this host works and puts its packages' jobs on (default <c>default</c>). Hosts that see
    /// different model folders (a worker per supplier) need different queues; hosts on one queue must see the same folders.
    /// </summary>
    public string Queue { get; init; } = "default";

    /// <summary>Recalculations at a time on this host (default 1: the engine uses every core for one run).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Runs kept per supplier by the retention after each nightly pass, besides final and latest ones (default 20; 0 keeps all).</summary>
    public int Keep { get; init; } = 20;

    /// <summary>The API keys file (the API's), for the dashboard (default <c>keys.json</c>).</summary>
    public string KeysFile { get; init; } = ApiKeyStore.DefaultFile;

    /// <summary>The job queue's PostgreSQL connection string; <see langword="null"/>: the embedded in-memory queue.</summary>
    public string? Postgres { get; init; }

    /// <summary>How the engine may use the machine.</summary>
    public EngineSettings Engine { get; init; } = EngineSettings.Default;

    /// <summary>How long a recalculation waits for another worker that holds the same package (default 2 h).</summary>
    public TimeSpan PackageLockTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The queue's storage, for logs: never the password.</summary>
    public string StorageDescription => Postgres is null ? "in-memory" : "postgresql " + Describe(Postgres);

    /// <summary>The PostgreSQL connection string from the environment or configuration, if any.</summary>
    public static string? PostgresFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[PostgresVariable] ?? configuration.GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Configuration as the host and the CLI read it: <c>appsettings.json</c> in the working folder, then the environment.</summary>
    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary><c>host:port/database as user</c>; the password and every other setting left out.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database} as {b.Username}";
        }
        catch (ArgumentException)
        {
            return "(connection string not understood)";
        }
    }
}
