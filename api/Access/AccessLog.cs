using System.Diagnostics;
using ItDrift.Tbm.Hosting;

namespace ItDrift.Tbm.Api.Access;

/// <summary>
/// Logs every request to the read API: who (key id or token subject and the grant, never the key or
/// token), what (method, path, query, status) and when (UTC), under the category
/// <c>ItDrift.Tbm.Api.Access</c>.
/// </summary>
internal sealed partial class AccessLog(RequestDelegate next, ILogger<AccessLog> logger, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var when = time.GetUtcNow();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log(context, started, when);
            }
        }
    }

    /// <summary>The line itself; its arguments (the caller's grant, the redacted query) are worked out only when it is written.</summary>
    private void Log(HttpContext context, long started, DateTimeOffset when)
    {
        var request = context.Request;
        Logged(logger, when, context.User.Caller(), request.Method, request.Path.Value ?? "", Redacted(request.QueryString.Value), context.Response.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The query string with the value of anything that looks like a credential removed, in case a client put one there.</summary>
    internal static string Redacted(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=')[0];
            if (name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase)
                || name.Contains("secret", StringComparison.OrdinalIgnoreCase) || name.Contains("password", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = name + "=***";
            }
        }

        return "?" + string.Join('&', parts);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{When:O} {Caller} {Method} {Path}{Query} -> {Status} in {Milliseconds:0.0} ms")]
    private static partial void Logged(ILogger logger, DateTimeOffset when, string caller, string method, string path, string query, int status, double milliseconds);
}
