namespace ItDrift.Tbm.Billing;

/// <summary>What an invoice line bills: part of the year's preliminary fee, the year's true-up, or an instalment.</summary>
public enum InvoiceLineKind
{
    /// <summary>A share of the tenant's fee for the year (preliminärt avgiftsuttag), spread over the billing periods.</summary>
    Preliminary,

    /// <summary>The year's true-up (avräkning): final fee minus what was invoiced; negative is a credit.</summary>
    TrueUp,

    /// <summary>A month's instalment of a connection cost or an asset (avbetalning).</summary>
    Instalment,
}

/// <summary>
/// A party to an invoice: the supplier (seller) or a tenant (buyer). <paramref name="Reference"/> is the buyer's
/// invoice reference (fakturareferens) when the billing plan gives one; <paramref name="EndpointId"/> its electronic
/// address, <c>0007:</c> and the ten-digit organisation number unless the plan names another.
/// </summary>
/// <param name="Id">The supplier's or the tenant's id in the model package.</param>
/// <param name="Name">The agency's name.</param>
/// <param name="OrgNr">The organisation number, <c>NNNNNN-NNNN</c>; empty when the package gives none.</param>
/// <param name="Reference">The buyer's invoice reference, or null.</param>
/// <param name="EndpointId">The Peppol endpoint as <c>scheme:id</c> (e.g. <c>0007:2021005489</c>), or null when there is no organisation number.</param>
public sealed record InvoiceParty(string Id, string Name, string OrgNr, string? Reference, string? EndpointId);

/// <summary>
/// One line of an invoice basis (fakturaunderlag): a row of <c>invoice_lines.csv</c>. Amounts are öre.
/// </summary>
/// <param name="Tenant">The buyer's tenant id.</param>
/// <param name="FiscalYear">The fiscal year the amount belongs to (for a true-up, the year it settles).</param>
/// <param name="InvoicePeriod">The first month (1–12) of the billing period the line is invoiced in, counted in the invoice's fiscal year.</param>
/// <param name="Service">The service billed (for an instalment, the service the connection or asset belongs to).</param>
/// <param name="Kind">Preliminary, true-up or instalment.</param>
/// <param name="Amount">The amount in öre; negative is a credit.</param>
public sealed record InvoiceLine(string Tenant, int FiscalYear, int InvoicePeriod, string Service, InvoiceLineKind Kind, long Amount);

/// <summary>
/// One invoice: one tenant, one billing period. <see cref="Total"/> is the sum of its lines (no VAT: fees
/// between state agencies are outside the scope of VAT, see docs/billing.md).
/// </summary>
/// <param name="Number">The invoice number (BT-1), unique per supplier and deterministic from the run: the same run gives the same numbers.</param>
/// <param name="Seller">The supplier.</param>
/// <param name="Buyer">The tenant.</param>
/// <param name="IssueDate">The invoice date (BT-2).</param>
/// <param name="DueDate">The due date (BT-9).</param>
/// <param name="Currency">Always <c>SEK</c> (BT-5).</param>
/// <param name="Lines">The lines, ordered by kind, service and fiscal year.</param>
public sealed record Invoice(
    string Number,
    InvoiceParty Seller,
    InvoiceParty Buyer,
    DateOnly IssueDate,
    DateOnly DueDate,
    string Currency,
    IReadOnlyList<InvoiceLine> Lines)
{
    /// <summary>The invoice total in öre: the sum of its lines.</summary>
    public long Total => Lines.Sum(line => line.Amount);
}
