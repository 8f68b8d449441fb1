using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>
/// The jobs host: a Hangfire server working the queue, the recurring nightly recalculation, the
/// dashboard behind the API's keys, and a health endpoint. Storage: Hangfire's in-memory storage unless a
/// PostgreSQL connection string is configured, in which case every host pointed at the database shares
/// one queue.
/// </summary>
internal static class JobsHost
{
    /// <summary>Where the dashboard is.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>Builds the host (not started).</summary>
    /// <exception cref="ArgumentException">A setting is wrong (time zone, cron, queue name).</exception>
    public static WebApplication Build(HostSettings settings, string? logFormat = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var timeZone = FindTimeZone(settings.TimeZone);
        CheckCron(settings.Cron);
        CheckQueue(settings.Queue);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.WebHost.UseUrls(settings.Urls);
        ConfigureLogging(builder.Logging, logFormat);

        var store = new RunStore(settings.RunsDirectory);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IPackageLocks>(settings.Postgres is { } cs ? new PostgresPackageLocks(cs, store) : new StorePackageLocks(store));
        builder.Services.AddSingleton<Recalculator>();
        builder.Services.AddTransient<RecalculationJobs>();
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            // Hangfire's log provider is a static that resolving its configuration points at this host's loggers;
            // the storage is made after that, so it never logs through an earlier host's disposed loggers (tests
            // build several hosts in one process).
            var configuration = services.GetRequiredService<IGlobalConfiguration>();
            var storage = CreateStorage(settings);
            configuration.UseStorage(storage);
            return storage;
        });
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHangfireServer((_, options) =>
        {
            options.Queues = [settings.Queue];
            options.WorkerCount = settings.Workers;
            options.ServerName = "tbm-" + RunStore.ProcessTag;
            options.ShutdownTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddAntiforgery();
        DashboardAccess.Add(builder.Services, new ApiKeyStore(settings.KeysFile));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", () => Results.Redirect(DashboardPath));
        app.MapGet("/health", (JobStorage s) => HostStatus.Health(s, settings, store));
        DashboardAccess.MapLogin(app);
        app.MapPost("/recalculate/{supplier}", (string supplier, int? year, HttpContext http, IBackgroundJobClient jobs, Recalculator recalculator) =>
            {
                if (!Ids.IsPathSegment(supplier) || (year is { } y && (y < 1900 || y > 9999)))
                {
                    return Results.BadRequest(new { error = "supplier must be an id and year a fiscal year" });
                }

                if (!DashboardAccess.MayRecalculate(http.User, supplier))
                {
                    return Results.Forbid();
                }

                if (recalculator.Packages.OfSupplier(supplier, year, recalculator.Store).Count == 0)
                {
                    return Results.NotFound(new { error = $"no model package of supplier {supplier} on this host" });
                }

                var id = jobs.Create<RecalculationJobs>(j => j.Recalculate(supplier, year, null, CancellationToken.None), new EnqueuedState(settings.Queue));
                return Results.Accepted(value: new { jobId = id, supplier, year });
            })
            .RequireAuthorization(DashboardAccess.Policy);
        RunsPage.Register();
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
            {
                DashboardTitle = "tbm jobs",
                AppPath = null,
                DisplayStorageConnectionString = false,
                Authorization = [],
                AsyncAuthorization = [],
                IsReadOnlyFunc = context => !DashboardAccess.MayOperate(context.GetHttpContext().User),
            })
            .RequireAuthorization(DashboardAccess.Policy)
            .LimitSupplierKeysToRunsPage();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ItDrift.Tbm.Jobs.Host");
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            var id = RecalculationJobs.NightlyIdFor(settings.Queue);
            recurring.AddOrUpdate<RecalculationJobs>(id, settings.Queue, j => j.Nightly(CancellationToken.None), settings.Cron, new RecurringJobOptions { TimeZone = timeZone });

            // Catch up at once: only packages whose inputs changed are recalculated, so this is cheap when nothing did.
            recurring.Trigger(id);
            logger.LogInformation(
                "Jobs host {Server} on {Urls}: queue '{Queue}' ({Storage}), {Workers} worker(s), nightly '{Cron}' {TimeZone}; models {Models}, runs {Runs}",
                RunStore.ProcessTag, string.Join(" ", Addresses(app)), settings.Queue, settings.StorageDescription, settings.Workers, settings.Cron, timeZone.Id,
                Path.GetFullPath(settings.ModelsDirectory), store.Root);
        });
        return app;
    }

    /// <summary>The storage the settings name: PostgreSQL when a connection string is configured, else in-memory.</summary>
    public static JobStorage CreateStorage(HostSettings settings, bool prepareSchema = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Postgres is not { } connectionString)
        {
            return new InMemoryStorage(new InMemoryStorageOptions());
        }

        var options = new PostgreSqlStorageOptions
        {
            PrepareSchemaIfNecessary = prepareSchema,
            // A fetched job stays invisible to other hosts while its host is alive (the heartbeat slides the
            // timeout) and reappears a few minutes after the host dies, for another host to finish.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            QueuePollInterval = TimeSpan.FromSeconds(5),
            EnableLongPolling = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options);
    }

    /// <summary>The addresses the started host listens on.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Console logs: one line per event (<c>text</c>, the default) or JSON with scopes (<c>json</c>).</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, string? format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        if (format == "json")
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z' ";
            });
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Hangfire", LogLevel.Information);
    }

    /// <summary>A time zone by IANA id (or Windows id).</summary>
    /// <exception cref="ArgumentException">Unknown.</exception>
    public static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"unknown time zone '{id}' (use an IANA id such as Europe/Stockholm)", e);
        }
    }

    /// <summary>
    /// Hangfire's own cron parser (<c>RecurringJobEntity.ParseCronExpression</c>: public, on an internal type,
    /// the one its recurring jobs use), or <see langword="null"/> if a later Hangfire moved it (the tests say so).
    /// </summary>
    private static readonly System.Reflection.MethodInfo? CronParser = typeof(RecurringJob).Assembly.GetType("Hangfire.RecurringJobEntity")
        ?.GetMethod("ParseCronExpression", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(string)]);

    /// <summary>
    /// Refuses a schedule Hangfire would refuse only once the host runs (a critical log line, and then a host
    /// with no nightly pass): the expression is put to Hangfire's own parser. (Not through a throwaway storage:
    /// Hangfire's static log provider may still point at an earlier host's disposed loggers.)
    /// </summary>
    /// <exception cref="TbmException">Not a cron expression.</exception>
    public static void CheckCron(string cron)
    {
        try
        {
            CronParser?.Invoke(null, [cron]);
        }
        catch (System.Reflection.TargetInvocationException)
        {
            throw TbmException.Usage($"--cron '{cron}' is not a cron expression (five fields: minute hour day month weekday, e.g. '0 2 * * *')");
        }
    }

    private static void CheckQueue(string queue)
    {
        if (queue.Length == 0 || !queue.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"queue '{queue}' must be lower-case letters, digits, _ and - (Hangfire's rule)");
        }
    }
}
