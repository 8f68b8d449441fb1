using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Billing;

/// <summary>One tenant's billing plan, resolved: its row of <c>billing</c>, else <c>model.json</c>'s default (docs/billing.md).</summary>
/// <param name="Tenant">The tenant, its name, organisation number, reference and endpoint, as the invoices name the buyer.</param>
/// <param name="Frequency"><c>monthly</c>, <c>quarterly</c>, <c>half-yearly</c> or <c>annual</c>.</param>
/// <param name="FirstPeriod">The first month billed (1–12).</param>
internal sealed record TenantBillingPlan(InvoiceParty Tenant, string Frequency, int FirstPeriod)
{
    /// <summary>The first months of the tenant's billing periods in a year.</summary>
    public IReadOnlyList<int> Starts => BillingPeriods.Starts(Frequency, FirstPeriod);
}

/// <summary>A tenant's fee or true-up for one service, in öre.</summary>
internal readonly record struct ServiceAmount(string Tenant, string Service, long Amount);

/// <summary>A month of an instalment plan: <paramref name="Month"/> 1–12 of the fiscal year invoiced.</summary>
internal readonly record struct InstalmentMonth(string Tenant, string Item, int Month, long Amount);

/// <summary>
/// The invoices of a fiscal year (docs/billing.md), from the year's fees, the previous year's true-up and the
/// year's instalment months: one invoice per tenant and billing period that has a non-zero line.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Preliminary: each (tenant, service) fee of the year split over the tenant's billing periods by the months
/// each covers, largest remainder, ties to the earlier period (<see cref="BillingPeriods.Split"/>): the lines of a
/// year sum exactly to the fee.</item>
/// <item>True-up: the previous year's true-up per (tenant, service), as it is, on the invoice of the year's first
/// billing period; the line's fiscal year is the year it settles.</item>
/// <item>Instalment: each month's instalment on the invoice of the period the month lies in (a month before the
/// first period on the first), summed per item: the lines of a year sum to the year's instalments.</item>
/// </list>
/// Invoice number: the year, the period's first month (two digits) and the tenant's place among the plan's tenants
/// in ordinal order (four digits at least): <c>2026070003</c>. Unique per supplier and year, and the same for the same run.
/// Issue date: the period's first day; due date: issue date plus the payment terms.
/// </remarks>
internal static class InvoicePlan
{
    public static IReadOnlyList<Invoice> Compute(
        int fiscalYear,
        InvoiceParty seller,
        IReadOnlyList<TenantBillingPlan> plans,
        int paymentTermsDays,
        IEnumerable<ServiceAmount> fees,
        IEnumerable<ServiceAmount> previousYearTrueUps,
        IEnumerable<InstalmentMonth> instalmentMonths)
    {
        var byTenant = plans.ToDictionary(p => p.Tenant.Id, StringComparer.Ordinal);
        var lines = new Dictionary<(string Tenant, int Period), List<InvoiceLine>>();

        TenantBillingPlan PlanOf(string tenant) => byTenant.TryGetValue(tenant, out var plan)
            ? plan
            : throw new InvalidOperationException($"tenant '{tenant}' has fees but no billing plan");

        void Add(string tenant, int period, InvoiceLine line)
        {
            if (line.Amount == 0)
            {
                return;
            }

            if (!lines.TryGetValue((tenant, period), out var list))
            {
                lines[(tenant, period)] = list = [];
            }

            list.Add(line);
        }

        foreach (var fee in fees)
        {
            var plan = PlanOf(fee.Tenant);
            var starts = plan.Starts;
            var parts = BillingPeriods.Split(fee.Amount, BillingPeriods.Lengths(starts));
            for (var i = 0; i < starts.Count; i++)
            {
                Add(fee.Tenant, starts[i], new InvoiceLine(fee.Tenant, fiscalYear, starts[i], fee.Service, InvoiceLineKind.Preliminary, parts[i]));
            }
        }

        foreach (var trueUp in previousYearTrueUps)
        {
            var first = PlanOf(trueUp.Tenant).Starts[0];
            Add(trueUp.Tenant, first, new InvoiceLine(trueUp.Tenant, fiscalYear - 1, first, trueUp.Service, InvoiceLineKind.TrueUp, trueUp.Amount));
        }

        foreach (var group in instalmentMonths
            .GroupBy(m => (m.Tenant, m.Item, Period: BillingPeriods.PeriodOf(PlanOf(m.Tenant).Starts, m.Month))))
        {
            var amount = checked(group.Sum(m => m.Amount));
            Add(group.Key.Tenant, group.Key.Period, new InvoiceLine(group.Key.Tenant, fiscalYear, group.Key.Period, group.Key.Item, InvoiceLineKind.Instalment, amount));
        }

        var sequence = plans.Select(p => p.Tenant.Id).Order(StringComparer.Ordinal)
            .Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i + 1, StringComparer.Ordinal);
        var invoices = new List<Invoice>();
        foreach (var ((tenant, period), list) in lines)
        {
            var issue = new DateOnly(fiscalYear, period, 1);
            var number = FormattableString.Invariant($"{fiscalYear:D4}{period:D2}{sequence[tenant]:D4}");
            var ordered = list.OrderBy(l => l.Kind).ThenBy(l => l.Service, StringComparer.Ordinal).ThenBy(l => l.FiscalYear).ToList();
            invoices.Add(new Invoice(number, seller, byTenant[tenant].Tenant, issue, issue.AddDays(paymentTermsDays), "SEK", ordered));
        }

        return [.. invoices.OrderBy(i => i.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal)];
    }

    /// <summary>The electronic address of an organisation number: <c>0007:</c> and its ten digits; null without one.</summary>
    public static string? EndpointOf(string? orgNr) =>
        string.IsNullOrEmpty(orgNr) ? null : "0007:" + new string([.. orgNr.Where(char.IsAsciiDigit)]);
}
