namespace ItDrift.Tbm.Indicators;

public static partial class StatusReport
{
    /// <summary>
    /// The indicators' definitions in Swedish, for the report's Definitioner sheet (the catalogue's own, in
    /// English, are docs/indicators.md's). Every indicator of <see cref="IndicatorCatalogue"/> has one (a test
    /// holds them together).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> DefinitionsSv = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["service.units"] = "Σ av kundernas volymer av tjänstens nyckel (units i prices.csv); bara för tjänster som prissätts med en nyckel.",
        ["service.cost"] = "Σ av det tjänsten fördelade till kunder (amount i fees.csv).",
        ["service.unit_cost"] = "Prissatt kostnad ÷ volym, avrundat till öre (halva från noll); prissatt kostnad är kostnaden hos de leverantörer som prissätter tjänsten med en nyckel.",
        ["service.tenants"] = "Kunder med en avgift skild från noll eller en volym över noll för tjänsten.",
        ["service.tenant_share"] = "100 × service.tenants ÷ kunder med någon avgift eller volym under året.",
        ["service.unit_cost_change"] = "Kostnad per enhet år Y − år Y−1, samma scenario.",
        ["service.unit_cost_change_pct"] = "100 × (kostnad per enhet år Y − år Y−1) ÷ kostnad per enhet år Y−1.",
        ["service.cost_change"] = "Kostnad år Y − år Y−1, samma scenario.",
        ["service.cost_change_pct"] = "100 × (kostnad år Y − år Y−1) ÷ kostnad år Y−1.",
        ["tenant.fee"] = "Σ av kundens avgifter (full kostnad, fees.csv), över alla leverantörer när körningar kombineras.",
        ["tenant.employees"] = "Antal anställda enligt tenants.employees; kombinerat: det största värde någon leverantör anger.",
        ["tenant.users"] = "Kundens volym av nyckeln 'users'; kombinerat: det största värde någon leverantör anger.",
        ["tenant.workstations"] = "Kundens volym av nyckeln 'client_devices'; kombinerat: det största värde någon leverantör anger.",
        ["tenant.fee_per_employee"] = "tenant.fee ÷ tenant.employees, avrundat till öre (halva från noll).",
        ["tenant.fee_per_user"] = "tenant.fee ÷ tenant.users, avrundat till öre (halva från noll).",
        ["tenant.fee_per_workstation"] = "tenant.fee ÷ tenant.workstations, avrundat till öre (halva från noll).",
        ["tenant.baseline_year"] = "Det senaste året ≤ Y i kundens nollägesversion; kombinerat: det äldsta bland de rader som används.",
        ["tenant.baseline_age"] = "Y − tenant.baseline_year.",
        ["tenant.baseline_cost"] = "B = Σ baseline.cost över kundens rader.",
        ["tenant.baseline_change"] = "tenant.fee − B = Σ över raderna av (c1 − c0) = volymeffekt + styckkostnadseffekt + ej uppdelad förändring.",
        ["tenant.baseline_change_pct"] = "100 × tenant.baseline_change ÷ B.",
        ["tenant.volume_effect"] = "Σ baseline.volume_effect över kundens rader.",
        ["tenant.unit_cost_effect"] = "Σ baseline.unit_cost_effect över kundens rader.",
        ["tenant.unsplit_change"] = "Σ baseline.unsplit_change över kundens rader.",
        ["tenant_service.fee"] = "Σ amount i fees.csv för kunden och tjänsten.",
        ["tenant_service.quantity"] = "Kundens volym av tjänstens nyckel (dess vikt i tjänstens fördelningsregel), när den är över noll.",
        ["baseline.cost"] = "c0: nollägesradens kostnad.",
        ["baseline.quantity"] = "q0: nollägesradens volym, i radens enhet.",
        ["baseline.fee"] = "c1: kundens avgifter som hör till raden (dess tjänst; annars dess tjänsteområde; annars '*').",
        ["baseline.current_quantity"] = "q1: kundens volym av radens tjänst (0 när en prissatt tjänst saknar volym); ingen för tjänsteområden och '*'.",
        ["baseline.change"] = "c1 − c0.",
        ["baseline.volume_effect"] = "V = c0 × (q1 − q0) ÷ q0, avrundat till öre (halva från noll), när q0 > 0, q1 är känd och enheterna stämmer; annars 0.",
        ["baseline.unit_cost_effect"] = "U = (c1 − c0) − V när raden delas upp (= q1 × (p1 − p0)); annars 0.",
        ["baseline.unsplit_change"] = "c1 − c0 när raden inte kan delas upp (volym saknas på någon sida, enheterna skiljer sig, ett tjänsteområde eller '*'); annars 0.",
        ["supplier.cost"] = "Huvudbokens summa kostnader (ledger_total i reconciliation.csv).",
        ["supplier.allocated"] = "Σ amount i fees.csv.",
        ["supplier.unallocated"] = "Σ amount i unallocated.csv, alla orsaker (omappat medräknat).",
        ["supplier.unmapped"] = "Σ amount i unallocated.csv med orsaken unmapped.",
        ["supplier.unallocated_share"] = "100 × supplier.unallocated ÷ supplier.cost.",
        ["supplier.unmapped_share"] = "100 × supplier.unmapped ÷ supplier.cost.",
        ["supplier.tenants"] = "Kunder med någon avgift eller volym under året.",
        ["supplier.services"] = "Objekt av slaget tjänst med en kostnad skild från noll eller en volym över noll under året.",
        ["quality.keys_missing_volumes"] = "Nycklar med key.missing_volumes = 1.",
        ["quality.tenants_without_baseline"] = "Årets kunder (supplier.tenants) utan nolläge för ett år ≤ Y.",
        ["service_type.cost"] = "Σ avgifter (fees.csv) för tjänsterna av TBM-tjänstetypen (objects.service_type); alla leverantörer: summan av varje leverantörs egen klassning.",
        ["quality.unclassified_fees"] = "Σ avgifter (fees.csv) för tjänster utan catalogue_service, alltså inte klassade mot tjänstekartan.",
        ["quality.unclassified_share"] = "100 × quality.unclassified_fees ÷ supplier.allocated.",
        ["key.missing_targets"] = "Mottagare i en fördelningsregel med nyckeln som saknar rad i drivers för året och scenariot.",
        ["key.no_volume"] = "Σ amount i unallocated.csv med orsaken no-volume på källor vars regel använder nyckeln.",
        ["key.missing_volumes"] = "1 när key.missing_targets > 0 eller någon regel med nyckeln har total volym noll, annars 0.",
    };
}
