namespace ItDrift.Tbm.Indicators;

/// <summary>How an indicator's value is measured, and so how it is stored and rounded.</summary>
internal enum Measure
{
    /// <summary>Kronor, exact in öre (or rounded half away from zero to öre where a division is involved).</summary>
    Money,

    /// <summary>A percentage, rounded half away from zero to two decimals.</summary>
    Percent,

    /// <summary>A whole number.</summary>
    Count,

    /// <summary>A quantity in the unit of a key or service, exact to six decimals.</summary>
    Quantity,

    /// <summary>A calendar year, or a number of years.</summary>
    Year,
}

/// <summary>One key indicator: its stable id, names, unit and definition (docs/indicators.md has the same).</summary>
/// <param name="Id">Stable id, <c>scope.name</c>; never reused for another meaning.</param>
/// <param name="Scope">What the subject is: <c>service</c>, <c>tenant</c>, <c>tenant_service</c>, <c>baseline</c>, <c>supplier</c>, <c>quality</c> or <c>key</c>.</param>
/// <param name="NameSv">Swedish name, for reports.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Unit">The unit written in the kpi table (quantities: the service's or baseline line's own unit instead).</param>
/// <param name="Measure">How the value is stored and rounded.</param>
/// <param name="Definition">The formula, in one sentence.</param>
/// <param name="Fact">A fact taken from the run's tables (and, when runs are combined, read back from <c>kpi.parquet</c>) rather than derived from other facts.</param>
/// <param name="Distributed">Whether the cross-agency distributions include it.</param>
internal sealed record Indicator(string Id, string Scope, string NameSv, string NameEn, string Unit, Measure Measure, string Definition, bool Fact = false, bool Distributed = false);

/// <summary>Every key indicator the engine computes (docs/indicators.md), in report order.</summary>
/// <remarks>
/// Ratios are exact integer divisions rounded half away from zero: money to öre, percentages to two
/// decimals. A ratio whose denominator is zero or missing is not written (no row), never written as 0.
/// </remarks>
internal static class IndicatorCatalogue
{
    /// <summary>The key whose volumes count a tenant's users (the catalogue's default key of END-OFF).</summary>
    public const string UsersKey = "users";

    /// <summary>The key whose volumes count a tenant's workstations (the catalogue's default key of END-CLI).</summary>
    public const string WorkstationsKey = "client_devices";

    public static readonly IReadOnlyList<Indicator> All =
    [
        // Per service.
        new("service.units", "service", "Volym", "Units", "unit", Measure.Quantity,
            "Σ of the tenants' volumes of the service's key (prices.csv units); only for services priced by a key."),
        new("service.cost", "service", "Kostnad (summa avgifter)", "Cost (total fees)", "SEK", Measure.Money,
            "Σ of what the service delivered to tenants (fees.csv amount)."),
        new("service.unit_cost", "service", "Kostnad per enhet", "Cost per unit", "SEK/unit", Measure.Money,
            "priced cost ÷ units, half away from zero to öre; priced cost is the cost of the suppliers that price the service by a key.", Distributed: true),
        new("service.tenants", "service", "Anslutna kunder", "Tenants connected", "count", Measure.Count,
            "Tenants with a non-zero fee or a positive volume for the service."),
        new("service.tenant_share", "service", "Andel av kunderna", "Share of all tenants", "%", Measure.Percent,
            "100 × service.tenants ÷ tenants with any fee or volume in the year."),
        new("service.unit_cost_change", "service", "Förändring av kostnad per enhet", "Change in cost per unit", "SEK/unit", Measure.Money,
            "unit_cost(Y) − unit_cost(Y−1), same scenario."),
        new("service.unit_cost_change_pct", "service", "Förändring av kostnad per enhet (%)", "Change in cost per unit (%)", "%", Measure.Percent,
            "100 × (unit_cost(Y) − unit_cost(Y−1)) ÷ unit_cost(Y−1)."),
        new("service.cost_change", "service", "Förändring av kostnad", "Change in total fee", "SEK", Measure.Money,
            "cost(Y) − cost(Y−1), same scenario."),
        new("service.cost_change_pct", "service", "Förändring av kostnad (%)", "Change in total fee (%)", "%", Measure.Percent,
            "100 × (cost(Y) − cost(Y−1)) ÷ cost(Y−1)."),

        // Per tenant.
        new("tenant.fee", "tenant", "Total avgift", "Total fee", "SEK", Measure.Money,
            "Σ of the tenant's fees (full cost, fees.csv), over all suppliers when runs are combined.", Distributed: true),
        new("tenant.employees", "tenant", "Anställda", "Employees", "count", Measure.Count,
            "tenants.employees; combined: the largest value any supplier reports.", Fact: true),
        new("tenant.users", "tenant", "Användare", "Users", "users", Measure.Quantity,
            "The tenant's volume of the key 'users'; combined: the largest value any supplier reports.", Fact: true),
        new("tenant.workstations", "tenant", "Arbetsplatser", "Workstations", "workstations", Measure.Quantity,
            "The tenant's volume of the key 'client_devices'; combined: the largest value any supplier reports.", Fact: true),
        new("tenant.fee_per_employee", "tenant", "Avgift per anställd", "Fee per employee", "SEK/employee", Measure.Money,
            "tenant.fee ÷ tenant.employees, half away from zero to öre.", Distributed: true),
        new("tenant.fee_per_user", "tenant", "Avgift per användare", "Fee per user", "SEK/user", Measure.Money,
            "tenant.fee ÷ tenant.users, half away from zero to öre.", Distributed: true),
        new("tenant.fee_per_workstation", "tenant", "Avgift per arbetsplats", "Fee per workstation", "SEK/workstation", Measure.Money,
            "tenant.fee ÷ tenant.workstations, half away from zero to öre.", Distributed: true),
        new("tenant.baseline_year", "tenant", "Nollägets år", "Baseline year", "year", Measure.Year,
            "The latest year ≤ Y of the tenant's baseline version; combined: the oldest among the lines used.", Fact: true),
        new("tenant.baseline_age", "tenant", "Nollägets ålder", "Baseline age", "years", Measure.Year,
            "Y − tenant.baseline_year.", Distributed: true),
        new("tenant.baseline_cost", "tenant", "Kostnad i nolläget", "Baseline cost", "SEK", Measure.Money,
            "B = Σ baseline.cost of the tenant's lines."),
        new("tenant.baseline_change", "tenant", "Förändring mot nolläget", "Change against baseline", "SEK", Measure.Money,
            "tenant.fee − B = Σ over lines of (c1 − c0) = volume + unit-cost + unsplit effect.", Distributed: true),
        new("tenant.baseline_change_pct", "tenant", "Förändring mot nolläget (%)", "Change against baseline (%)", "%", Measure.Percent,
            "100 × tenant.baseline_change ÷ B.", Distributed: true),
        new("tenant.volume_effect", "tenant", "Volymeffekt", "Volume effect", "SEK", Measure.Money,
            "Σ baseline.volume_effect over the tenant's lines.", Distributed: true),
        new("tenant.unit_cost_effect", "tenant", "Styckkostnadseffekt", "Unit-cost effect", "SEK", Measure.Money,
            "Σ baseline.unit_cost_effect over the tenant's lines.", Distributed: true),
        new("tenant.unsplit_change", "tenant", "Ej uppdelad förändring", "Change not split", "SEK", Measure.Money,
            "Σ baseline.unsplit_change over the tenant's lines."),

        // Per tenant and service: the facts the tenant and service indicators are built from.
        new("tenant_service.fee", "tenant_service", "Avgift för tjänsten", "Fee for the service", "SEK", Measure.Money,
            "Σ fees.csv amount of the tenant and service.", Fact: true),
        new("tenant_service.quantity", "tenant_service", "Volym av tjänsten", "Quantity of the service", "unit", Measure.Quantity,
            "The tenant's volume of the service's key (its weight in the service's driver rule), when positive.", Fact: true),

        // Per baseline line (a baseline row's service or service area, or '*' for fees the baseline does not cover).
        new("baseline.cost", "baseline", "Kostnad i egen regi (nolläge)", "In-house cost (baseline)", "SEK", Measure.Money,
            "c0: the baseline row's cost.", Fact: true),
        new("baseline.quantity", "baseline", "Volym i nolläget", "Baseline quantity", "unit", Measure.Quantity,
            "q0: the baseline row's quantity, in the row's unit.", Fact: true),
        new("baseline.fee", "baseline", "Avgift nu", "Fee now", "SEK", Measure.Money,
            "c1: the tenant's fees matched to the line (its service; else its service area; else '*')."),
        new("baseline.current_quantity", "baseline", "Volym nu", "Quantity now", "unit", Measure.Quantity,
            "q1: the tenant's volume of the line's service (0 when a priced service has no volume); none for areas and '*'."),
        new("baseline.change", "baseline", "Förändring", "Change", "SEK", Measure.Money,
            "c1 − c0."),
        new("baseline.volume_effect", "baseline", "Volymeffekt", "Volume effect", "SEK", Measure.Money,
            "V = c0 × (q1 − q0) ÷ q0, half away from zero to öre, when q0 > 0, q1 is known and the units agree; else 0."),
        new("baseline.unit_cost_effect", "baseline", "Styckkostnadseffekt", "Unit-cost effect", "SEK", Measure.Money,
            "U = (c1 − c0) − V when the line is split (= q1 × (p1 − p0)); else 0."),
        new("baseline.unsplit_change", "baseline", "Ej uppdelad förändring", "Change not split", "SEK", Measure.Money,
            "c1 − c0 when the line cannot be split (no quantity on either side, units differ, an area or '*'); else 0."),

        // Per supplier.
        new("supplier.cost", "supplier", "IT-driftkostnad", "IT operations cost", "SEK", Measure.Money,
            "The ledger's cost total (reconciliation.csv ledger_total).", Fact: true),
        new("supplier.allocated", "supplier", "Fördelat till kunder", "Allocated to tenants", "SEK", Measure.Money,
            "Σ fees.csv amount."),
        new("supplier.unallocated", "supplier", "Ej fördelat", "Unallocated", "SEK", Measure.Money,
            "Σ unallocated.csv amount, every reason (unmapped included).", Fact: true),
        new("supplier.unmapped", "supplier", "Ej mappat", "Unmapped", "SEK", Measure.Money,
            "Σ unallocated.csv amount with reason unmapped.", Fact: true),
        new("supplier.unallocated_share", "supplier", "Andel ej fördelat", "Share unallocated", "%", Measure.Percent,
            "100 × supplier.unallocated ÷ supplier.cost.", Distributed: true),
        new("supplier.unmapped_share", "supplier", "Andel ej mappat", "Share unmapped", "%", Measure.Percent,
            "100 × supplier.unmapped ÷ supplier.cost.", Distributed: true),
        new("supplier.tenants", "supplier", "Kunder", "Tenants", "count", Measure.Count,
            "Tenants with any fee or volume in the year.", Distributed: true),
        new("supplier.services", "supplier", "Tjänster som erbjuds", "Services offered", "count", Measure.Count,
            "Objects of kind service with a non-zero cost or positive units in the year.", Distributed: true),

        // Per TBM service type.
        new("service_type.cost", "service_type", "Kostnad per TBM-tjänstetyp", "Cost per TBM service type", "SEK", Measure.Money,
            "Σ fees.csv amount of the services of the TBM service type (objects.service_type); all suppliers: the sum of each supplier's own classification."),

        // Data quality.
        new("quality.keys_missing_volumes", "quality", "Nycklar med saknade volymer", "Keys with missing volumes", "count", Measure.Count,
            "Keys with key.missing_volumes = 1."),
        new("quality.tenants_without_baseline", "quality", "Kunder utan nolläge", "Tenants without a baseline", "count", Measure.Count,
            "Tenants of the year (supplier.tenants) with no baseline of a year ≤ Y."),
        new("quality.unclassified_fees", "quality", "Avgifter på oklassade tjänster", "Fees on unclassified services", "SEK", Measure.Money,
            "Σ fees.csv amount of services with no catalogue_service (docs/catalogue.md)."),
        new("quality.unclassified_share", "quality", "Andel avgifter på oklassade tjänster", "Share of fees on unclassified services", "%", Measure.Percent,
            "100 × quality.unclassified_fees ÷ supplier.allocated."),
        new("key.missing_targets", "key", "Mottagare utan volym", "Targets without a volume", "count", Measure.Count,
            "Targets listed by a driver rule of the key that have no drivers row for the year and scenario.", Fact: true),
        new("key.no_volume", "key", "Belopp utan volym", "Amount left without volume", "SEK", Measure.Money,
            "Σ unallocated.csv amount with reason no-volume on sources whose rule uses the key.", Fact: true),
        new("key.missing_volumes", "key", "Saknade volymer", "Missing volumes", "count", Measure.Count,
            "1 when key.missing_targets > 0 or some rule using the key has a zero total volume, else 0.", Fact: true),
    ];

    public static Indicator? Find(string id) => All.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.Ordinal));

    /// <summary>The factor from an indicator's integer measure to millionths of its unit (the kpi table's internal form).</summary>
    public static long Scale(Measure measure) => measure switch
    {
        Measure.Money => 10_000, // öre → millionths of a krona
        Measure.Percent => 10_000, // hundredths of a percent → millionths of a percent
        Measure.Count or Measure.Year => 1_000_000,
        Measure.Quantity => 1, // already millionths
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
    };
}
