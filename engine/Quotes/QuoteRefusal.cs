namespace ItDrift.Tbm.Quotes;

/// <summary>Why the engine refuses to quote an order: for a host that words the refusal in its reader's language.</summary>
public enum QuoteRefusalReason
{
    /// <summary>The order itself is not valid (tenant id, name, organisation number, employees, number of services).</summary>
    Order,

    /// <summary>The order's tenant id names an object of the package, not a tenant.</summary>
    TenantIdIsObject,

    /// <summary>A service has no allocation rule in the package.</summary>
    UnknownService,

    /// <summary>A service is not charged by a key (its rule is even, fixed or direct), so it cannot be ordered by quantity.</summary>
    NotKeyed,

    /// <summary>A service charges other objects, not tenants.</summary>
    ChargesObjects,

    /// <summary>A quantity is outside 0–10^12 or has more than six decimals.</summary>
    Quantity,

    /// <summary>The first year asked for is not a fee year of the package.</summary>
    FromYear,

    /// <summary>The package has no cost lines to quote from.</summary>
    NoCostLines,
}

/// <summary>
/// An order the engine cannot quote (<see cref="TbmErrorKind.Usage"/>): the English message for the command
/// line and the API, and the reason and service as data, so a host can say it in Swedish without reading the text.
/// </summary>
public sealed class QuoteRefusedException : TbmException
{
    /// <summary>A refusal for <paramref name="reason"/>, about <paramref name="service"/> when one service is the cause.</summary>
    public QuoteRefusedException(QuoteRefusalReason reason, string message, string? service = null)
        : base(TbmErrorKind.Usage, message)
    {
        Reason = reason;
        Service = service;
    }

    /// <summary>Why the order was refused.</summary>
    public QuoteRefusalReason Reason { get; }

    /// <summary>The service the refusal is about, if one is.</summary>
    public string? Service { get; }

    /// <summary>The rule's method, for <see cref="QuoteRefusalReason.NotKeyed"/>.</summary>
    public string? Method { get; init; }
}
