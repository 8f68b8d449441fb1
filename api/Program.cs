using ItDrift.Tbm;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Billing;
using ItDrift.Tbm.Api.Changes;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Api.Explain;
using ItDrift.Tbm.Api.Http;
using ItDrift.Tbm.Api.Exports;
using ItDrift.Tbm.Api.OpenApi;
using ItDrift.Tbm.Api.Portal;
using ItDrift.Tbm.Api.Problems;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Api.Reports;
using ItDrift.Tbm.Api.Runs;
using ItDrift.Tbm.Api.Simulations;
using ItDrift.Tbm.Api.Tables;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Scalar.AspNetCore;

return ApiHost.Run(args, Console.Error);

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;

/// <summary>
/// The read API's composition: configuration, services, middleware and the feature endpoints. This program is
/// the API: <c>dotnet run --project api</c> runs it, <c>tbm serve</c> starts it as a child process with its own
/// options (jobs/Cli/ApiProcess.cs), and the tests and benchmarks build it in process through <see cref="Create"/>.
/// </summary>
/// <remarks>
/// Configuration (command line <c>--name value</c>, environment, <c>appsettings.json</c>):
/// <c>urls</c> (default <c>http://127.0.0.1:5080</c>), <c>runs</c> (the runs store, default <c>./runs</c>),
/// <c>keys</c> (the API keys file, default <c>./keys.json</c>), the <c>Jwt</c> section for bearer tokens, and the
/// <c>Quotes</c> section (<see cref="QuoteSettings"/>: how many quotes run at once, their queue and threads).
/// </remarks>
public static class ApiHost
{
    /// <summary>Where the API listens unless told otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Runs the API until it is stopped: exit 0; exit 2 with one line when its address is taken (another
    /// server, or a second <c>tbm serve</c>), for that is the caller's to put right with <c>--urls</c>.
    /// </summary>
    public static int Run(string[] args, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var app = Create(args);
        var urls = app.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } given ? given : DefaultUrl;
        try
        {
            app.Run();
            return 0;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            stderr.WriteLine($"tbm serve: --urls {urls}: the address is already in use (another program listens there); choose another port");
            return 2;
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }

    /// <summary>Builds the application from command-line arguments.</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Requests are logged once, by the access log; the framework's per-request lines are noise at Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // A host that cannot start (its address taken) is said in one line by Run, not as a logged trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // Settings are read when the services are first resolved, so that configuration added after this
        // method (by a test host, say) still counts.
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<TbmExceptionHandler>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RunStore(sp.GetRequiredService<IConfiguration>()["runs"] ?? "runs"));
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IConfiguration>()["keys"] ?? ApiKeyStore.DefaultFile));
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Jwt").Get<JwtSettings>() ?? new JwtSettings());
        services.AddSingleton<RunCatalog>();
        services.AddSingleton<DuckPool>();
        services.AddSingleton<RunTables>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<IRunCache>(sp => sp.GetRequiredService<RunTables>());
        services.AddSingleton<IRunCache>(sp => sp.GetRequiredService<ResponseCache>());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Quotes").Get<QuoteSettings>() ?? new QuoteSettings());
        services.AddSingleton<QuoteGate>();

        // One policy scheme in front: X-Api-Key goes to the keys file, a bearer token (when JWT is configured) to its validation.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "tbm";
                o.DefaultChallengeScheme = "tbm";
            })
            .AddPolicyScheme("tbm", "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                context.RequestServices.GetRequiredService<JwtSettings>().Enabled
                    && !context.Request.Headers.ContainsKey(ApiKeyAuthentication.Header)
                    && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtSettings>((options, jwt) => jwt.Configure(options));

        services.AddAuthorization();
        services.AddOpenApi(o => o.AddDocumentTransformer<DocumentInfo>());
        services.AddPortal();

        var app = builder.Build();

        // Outermost: the access line is written when the exception handler and status pages have set the final status.
        app.UseMiddleware<AccessLog>();
        app.UseMiddleware<HeadRequests>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Routing after HeadRequests, so a HEAD is matched to the GET endpoint (left implicit, it would run first).
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("ItDrift.Tbm read API")).AllowAnonymous();
        app.MapGet("/health", (RunStore store) => TypedResults.Ok(new Health("ok", EngineInfo.Version, Directory.Exists(store.Root))))
            .WithName("Health").WithSummary("Liveness, the engine version, and whether the runs store exists").AllowAnonymous();

        app.MapPortal();

        var v1 = app.MapGroup("/v1").RequireAuthorization();
        v1.MapGroup("/runs").WithTags("Runs").MapRunsEndpoints();
        v1.MapGroup("/reports").WithTags("Reports").MapReportEndpoints();
        v1.MapGroup("/tariffs").WithTags("Reports").MapTariffEndpoints();
        var run = v1.MapGroup("/runs/{runId}").AddEndpointFilter<RunAccessFilter>();
        run.MapGroup("").WithTags("Runs").MapRunEndpoint();
        run.MapGroup("").WithTags("Tables").MapTableEndpoints();
        run.MapGroup("").WithTags("Explain").MapExplainEndpoints();
        run.MapGroup("").WithTags("Workbooks").MapExportEndpoints();
        run.MapGroup("").WithTags("Quotes").MapQuoteEndpoints();
        run.MapGroup("").WithTags("Changes").MapChangesEndpoints();
        run.MapGroup("").WithTags("Changes").MapChangesWorkbookEndpoint();
        run.MapGroup("").WithTags("Simulations").MapSimulationEndpoints();
        run.MapGroup("").WithTags("Billing").MapInvoiceEndpoints();
        return app;
    }

    private sealed record Health(string Status, string Engine, bool RunsStore);
}
