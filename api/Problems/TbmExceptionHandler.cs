using ItDrift.Tbm.Runs;
using Microsoft.AspNetCore.Diagnostics;

namespace ItDrift.Tbm.Api.Problems;

/// <summary>
/// Maps the engine's one exception type to problem details, once for every endpoint: a usage or model mistake
/// is 400, what does not exist 404, what is in the way 409 — with the engine's one-line message, never a
/// server path. Anything else stays a 500 without details (the exception handler's default).
/// </summary>
internal sealed class TbmExceptionHandler(IProblemDetailsService problems, RunStore store) : IExceptionHandler
{
    public static int StatusOf(TbmErrorKind kind) => kind switch
    {
        TbmErrorKind.NotFound => StatusCodes.Status404NotFound,
        TbmErrorKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        // The server's refusal of a request it could not read (a body too slow or too large, a bad header): its status, not a 500.
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = bad.StatusCode, Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(bad.StatusCode), Detail = bad.Message },
            });
        }

        if (exception is not TbmException tbm)
        {
            return false;
        }

        var status = StatusOf(tbm.Kind);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = status switch { 404 => "Not Found", 409 => "Conflict", _ => "Bad Request" },
                Detail = tbm.Message.Replace(store.Root, "the runs store", StringComparison.Ordinal),
            },
        });
    }
}
