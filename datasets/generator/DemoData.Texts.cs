namespace ItDrift.Tbm.Datasets;

/// <summary>Swedish ledger texts: templates with <c>{m}</c> (month), <c>{d}</c> (subject), <c>{v}</c> (supplier) and <c>{n}</c> (a number).</summary>
/// <param name="Templates">Texts of the ordinary (debit) lines.</param>
/// <param name="Subjects">What <c>{d}</c> is drawn from; <c>[""]</c> when the templates have none.</param>
/// <param name="Vendors">What <c>{v}</c> is drawn from; an empty name drops <c>", {v}"</c> from a template.</param>
/// <param name="Credits">Texts of credit lines; <see langword="null"/>: <see cref="DemoData.CreditTemplates"/>.</param>
internal sealed record TextSet(string[] Templates, string[] Subjects, string[] Vendors, string[]? Credits = null);

internal static partial class DemoData
{
    /// <summary>Credit notes and corrections; some contain commas and quotes so that CSV quoting is exercised.</summary>
    public static readonly string[] CreditTemplates =
    [
        "Kreditfaktura {n}, {v}",
        "Rättelse felkontering {m}",
        "Återförd periodisering, {m}",
        "Kreditering enligt avtal, vite för \"avvikelse i leverans\"",
    ];

    /// <summary>Corrections of a payroll run.</summary>
    public static readonly string[] PayrollCredits = ["Rättelse lön {m}", "Återkrav, felaktigt utbetald lön {m}", "Löneavdrag tjänstledighet, {m}"];

    public static TextSet Texts(CostKind kind) => kind switch
    {
        CostKind.Salary => new(["Lön {m}", "Månadslön {m}, {c}", "Lönetillägg {m}", "Retroaktiv lön, RALS {m}"], [""], [""], PayrollCredits),
        CostKind.SocialFees => new(["Arbetsgivaravgifter {m}", "Arbetsgivaravgift, lönekörning {m}"], [""], [""], PayrollCredits),
        CostKind.Pension => new(["Pensionspremie {m}, {v}", "Avgiftsbestämd ålderspension {m}"], [""], ["Statens tjänstepensionsverk"], PayrollCredits),
        CostKind.Training => new(["Kursavgift {d}, {v}", "Utbildning: {d}", "Certifiering {d}"],
            ["ITIL 4 Foundation", "Kubernetes (CKA)", "Red Hat RHCSA", "Azure Administrator", "Cisco CCNA", "Projektledning i staten", "Informationssäkerhet ISO 27001"],
            ["Informator Utbildning AB", "Learning Tree International AB", "Cornerstone AB", "Addskills AB"]),
        CostKind.OtherStaff => new(["Friskvårdsbidrag {m}", "Personalaktivitet, avdelningsdag", "Kaffe och frukt {m}, {v}", "Företagshälsovård, {v}", "Rekrytering, annonsering"],
            [""], ["Avonova Hälsa AB", "Martin & Servera AB", "Feelgood Företagshälsovård AB"]),
        CostKind.Travel => new(["Resa Sundsvall–Stockholm, {v}", "Hotell {m}, {v}", "Flyg Östersund–Stockholm, {v}", "Taxi, jourutryckning {m}", "Konferensresa {d}"],
            ["leverantörsmöte", "kundmöte", "DIGG:s nätverk för it-drift"], ["SJ AB", "Scandic Hotels AB", "SAS", "Taxi Kurir AB"]),
        CostKind.RentDataCentre => new(["Hyra datahall, kvartal {q}, {v}", "Lokalhyra datahall {m}, {v}"], [""], ["Specialfastigheter Sverige AB", "Diös Fastigheter AB"]),
        CostKind.RentOffice => new(["Lokalhyra kontor, kvartal {q}, {v}", "Kontorshyra {m}, {v}"], [""], ["Vasakronan AB", "Diös Fastigheter AB"]),
        CostKind.Power => new(["El datahall {m}, {v}", "Nätavgift el {m}, {v}", "Fjärrkyla {m}, {v}"], [""], ["Vattenfall AB", "Sundsvall Energi AB", "Jämtkraft AB"]),
        CostKind.Guarding => new(["Bevakning och larm {m}, {v}", "Passersystem, service {m}", "Lokalvård {m}, {v}"], [""], ["Securitas Sverige AB", "Avarn Security AB", "Samhall AB"]),
        CostKind.HardwareLease => new(["Leasing servrar, avtal {n}, {v}", "Hyra IT-utrustning {m}, {v}", "Leasingavgift {m}, avtal {n}"], [""],
            ["Atea Finance AB", "Dell Financial Services", "HPE Financial Services"]),
        CostKind.HardwareMaintenance => new(["Serviceavtal hårdvara {m}, {v}", "Reservdelar, diskbyte", "Felavhjälpning på plats, ärende {n}"], [""],
            ["Dell Technologies", "Hewlett Packard Enterprise", "IBM Svenska AB", "NetApp AB", "Cisco Systems Sweden AB"]),
        CostKind.HardwarePurchase => new(["Bärbara datorer, {v}", "Skärmar och dockningsstationer, {v}", "Mobiltelefoner, {v}", "Tangentbord, möss och headset"], [""],
            ["Atea Sverige AB", "Dustin Sverige AB", "Advania Sverige AB"]),
        CostKind.Licence => new(["Licenser {d}, {v}", "Årsavgift {d}", "Tilläggslicenser {d}, {v}"],
            ["Microsoft 365 E3", "Red Hat Enterprise Linux", "Oracle Database"], ["Crayon AB", "Atea Sverige AB", "SoftwareOne Sweden AB"]),
        CostKind.SoftwareSupport => new(["Support och underhåll {d}", "Förnyelse supportavtal {d}, {v}"], ["programvara"], ["Crayon AB", "Atea Sverige AB"]),
        CostKind.Consulting => new(["Konsultarvode {m}, {v}", "Avrop {n}, ramavtal \"IT-konsulttjänster 2023\"", "Timdebitering {m}, {v}", "Konsultstöd {d}, {v}"],
            ["drift och förvaltning"], ["CGI Sverige AB", "Sopra Steria Sverige AB", "Knowit AB", "Tietoevry Sweden AB", "Netlight Consulting AB", "Softronic AB"]),
        CostKind.ManagementConsulting => new(["Verksamhetsutveckling, {v}", "Utredning tjänstekatalog, {v}", "Förstudie \"Samordnad statlig it-drift\", {v}"], [""],
            ["Governo AB", "PwC Sverige", "KPMG AB", "Ernst & Young AB"]),
        CostKind.ItServices => new(["Driftavtal {d} {m}, {v}", "Tjänsteavgift {d}, {m}"], ["drift"], ["Tietoevry Sweden AB", "Postnord Strålfors AB", "Iron Mountain AB"]),
        CostKind.Cloud => new(["Molntjänst {d} {m}", "Prenumeration {d}, {v}"], ["Microsoft Azure", "Amazon Web Services"], ["Crayon AB", "Microsoft Ireland Operations Ltd"]),
        CostKind.Telephony => new(["Mobilabonnemang {m}, {v}", "Växeltjänst {m}, {v}", "Samtalsavgifter {m}"], [""], ["Telia Sverige AB", "Tele2 Sverige AB", "Telavox AB"]),
        CostKind.DataCommunication => new(["Datakommunikation {m}, {v}", "WAN-förbindelser {m}, {v}", "Fiber Sundsvall–Östersund, {v}"], [""], ["Telia Sverige AB", "Tele2 Sverige AB", "GlobalConnect AB"]),
        CostKind.InternalServices => new(["Tjänsteavgift {m}, {d}", "Avgift enligt överenskommelse, {d}"], ["Statens servicecenter"], [""]),
        CostKind.OtherOperating => new(["Kontorsmaterial, {v}", "Porto {m}, {v}", "Prenumerationer och facklitteratur", "Kopieringspapper {m}", "Övriga driftkostnader {m}"], [""],
            ["Lyreco Sverige AB", "PostNord Sverige AB"]),
        CostKind.Financial => new(["Ränta lån Riksgälden, {m}", "Räntekostnad anläggningslån {m}"], [""], [""]),
        CostKind.DepreciationSoftware => new(["Avskrivning immateriella tillgångar {m}"], [""], [""]),
        CostKind.DepreciationHardware => new(["Avskrivning IT-utrustning {m}", "Avskrivning servrar och lagring {m}"], [""], [""]),
        CostKind.DepreciationPremises => new(["Avskrivning förbättringsutgifter {m}"], [""], [""]),
        CostKind.Transfer => new(["Medfinansiering gemensam digital infrastruktur, {d}"], ["DIGG"], [""]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
