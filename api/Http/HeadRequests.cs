namespace ItDrift.Tbm.Api.Http;

/// <summary>
/// Answers <c>HEAD</c> on every <c>GET</c> endpoint as <c>GET</c> would, without the body (RFC 9110 §9.3.2):
/// the request goes through routing, access control and the endpoint as a <c>GET</c>, with a response body
/// that discards what is written, so the status and headers are those of the <c>GET</c>.
/// </summary>
internal sealed class HeadRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var body = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body!));
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            // The access log says what was asked.
            context.Request.Method = HttpMethods.Head;
            context.Features.Set(body);
        }
    }
}
