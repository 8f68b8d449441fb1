using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ItDrift.Tbm.Quotes;

/// <summary>
/// An order as JSON, the one schema of an order (docs/fees.md, quotes): the body of the read API's
/// <c>POST /v1/runs/{runId}/quote</c> and the file of <c>tbm quote --order</c>.
/// </summary>
/// <remarks>
/// <c>{"tenantId": "T-NEW", "name": "Nya myndigheten", "employees": 40, "orgNr": "202100-5521",
/// "quantities": {"INF-VM": 3}, "fromYear": 2026}</c>; <see cref="QuoteOrderJson.Read"/> reads it, and the
/// engine checks every value when it quotes.
/// </remarks>
public sealed record QuoteOrderDocument
{
    /// <summary>The ordering tenant's id.</summary>
    [Required]
    [Description("The ordering tenant: a new id for a prospective tenant, or an existing tenant's id for its changed order. A tenant key may name only its own id.")]
    public string? TenantId { get; init; }

    /// <summary>The agency's name.</summary>
    [Required]
    [StringLength(QuoteOrderJson.MaxNameLength, MinimumLength = 1)]
    [Description("The agency's name, without control or bidirectional-formatting characters (kept for an existing tenant: the run's name is shown).")]
    public string? Name { get; init; }

    /// <summary>The agency's employees.</summary>
    [Required]
    [Range(0, QuoteOrderJson.MaxEmployees)]
    [Description("The agency's employees, for per-employee connection costs.")]
    public int? Employees { get; init; }

    /// <summary>The agency's organisation number, when known.</summary>
    [Description("The agency's organisation number, NNNNNN-NNNN, when known.")]
    public string? OrgNr { get; init; }

    /// <summary>Quantity per service id.</summary>
    [Required]
    [Description("Quantity per service id, in the unit of the service's key (servers, users, TB …): ≥ 0, at most six decimals, 1–200 services. For an existing tenant the quantities replace its current ones on the services named (0 cancels).")]
    public Dictionary<string, decimal>? Quantities { get; init; }

    /// <summary>The first fee year to quote.</summary>
    [Description("The first fee year to quote, one of the package's fee years; default the first year without an actual outcome, else the last year.")]
    public int? FromYear { get; init; }
}

/// <summary>Reads an order's JSON (<see cref="QuoteOrderDocument"/>) for the command line and the read API alike.</summary>
public static class QuoteOrderJson
{
    /// <summary>The longest name of an agency accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>More employees than any Swedish agency has (the whole state has about 270 000).</summary>
    public const int MaxEmployees = 1_000_000;

    /// <summary>
    /// Web defaults (camelCase; numbers also as strings, as the API's OpenAPI document describes), but a
    /// misspelt or repeated property is an error, not a silent default.
    /// </summary>
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>The order in <paramref name="utf8"/>.</summary>
    /// <exception cref="TbmException">Not an order (kind <see cref="TbmErrorKind.Usage"/>): the message says what is wrong.</exception>
    public static QuoteOrder Read(ReadOnlySpan<byte> utf8)
    {
        QuoteOrderDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<QuoteOrderDocument>(utf8, Options);
        }
        catch (JsonException e)
        {
            throw TbmException.Usage($"the order is not valid JSON of the expected shape: {e.Message}");
        }

        if (document is null)
        {
            throw TbmException.Usage("the body must be a JSON object: the order");
        }

        if (Missing(document) is { } missing)
        {
            throw TbmException.Usage(missing);
        }

        var order = new QuoteOrder(document.TenantId!, document.Name!, document.Employees!.Value, document.OrgNr, document.Quantities!, document.FromYear);
        if (QuoteEngine.Problem(order) is { } problem)
        {
            throw TbmException.Usage(problem);
        }

        return order;
    }

    private static string? Missing(QuoteOrderDocument document) =>
        string.IsNullOrEmpty(document.TenantId) ? "tenantId is required"
        : string.IsNullOrWhiteSpace(document.Name) ? "name is required"
        : document.Employees is null ? "employees is required"
        : document.Quantities is null ? string.Create(CultureInfo.InvariantCulture, $"quantities is required: {{\"SERVICE\": quantity, …}}")
        : null;
}
