using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ItDrift.Tbm.Api.OpenApi;

/// <summary>The OpenAPI document's title and description, and its security schemes (API key; bearer token when configured) on every <c>/v1</c> operation.</summary>
internal sealed class DocumentInfo(JwtSettings jwt) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var bearer = jwt.Enabled;
        document.Info = new OpenApiInfo
        {
            Title = "ItDrift.Tbm read API",
            Version = "v1",
            Description = """
                Read-only access to published TBM runs: fees, prices, true-up, unallocated money, reconciliation and
                fee-area balance, each fee's explanation back to the ledger, the Excel workbooks, and quotes (what an
                order would cost, and its effect on the other tenants: the one POST, which stores nothing). Tables are JSON
                pages, or whole as CSV (`Accept: text/csv`) or Arrow IPC streams (`Accept: application/vnd.apache.arrow.stream`).
                Roles: tenant (its own rows only), supplier (its own runs), coordinator and ESV (everything). Whatever a
                caller may not read answers 404. Errors are RFC 9457 problem details.
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiKeyAuthentication.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.Header,
            Description = "A key made with `tbm keys add --role ROLE [--tenant ID | --supplier ID]`.",
        };
        if (bearer)
        {
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT naming the role (and tenant or supplier) in its claims.",
            };
        }

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v1", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, document)] = [] });
                if (bearer)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
                }
            }
        }

        return Task.CompletedTask;
    }
}
