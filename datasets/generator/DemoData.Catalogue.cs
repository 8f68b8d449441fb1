namespace ItDrift.Tbm.Datasets;

/// <summary>A service of the common catalogue (SOU 2021:97 appendix 4, the state service map).</summary>
/// <param name="Id">The service's id (<c>INF-DC</c>, …), its <c>object_id</c> in <c>objects.csv</c>.</param>
/// <param name="AreaEn">The catalogue's service area, in English (<c>area</c>).</param>
/// <param name="NameSv">The catalogue's Swedish name of the service (<c>name</c>).</param>
/// <param name="ServiceType">Infrastructure, Platform, … (<c>service_type</c>).</param>
/// <param name="Unit">What one unit of the service is (<c>unit</c>: rack, server, TB, …).</param>
/// <param name="Driver">The driver its cost is shared by among the tenants (<c>racks</c>, <c>storage_tb</c>, …).</param>
/// <param name="UsePpm">How likely a tenant that is not one of the large all-round customers is to use it.</param>
internal sealed record ServiceDef(string Id, string AreaEn, string NameSv, string ServiceType, string Unit, string Driver, int UsePpm)
{
    /// <summary>The state service map's id it is classified under (<c>catalogue_service</c>): its own for a catalogue service, the base service's for a tier of it.</summary>
    public string CatalogueService { get; init; } = Id;
}

/// <summary>A TBM v4 tower or another cost object with the rule that empties it.</summary>
internal sealed record ObjectDef(string Id, string Kind, string Name);

/// <summary>A customer agency. <paramref name="ConnectedOffset"/> is its connection year relative to the first fiscal year.</summary>
internal sealed record TenantDef(string Id, string Name, string OrgNr, int Employees, int ConnectedOffset, string Sector);

/// <summary>
/// The fixed content of the demo package: catalogue, towers, tenants. What varies with the seed
/// (amounts, volumes, which tenant uses what) is drawn in <see cref="DemoPlan"/>.
/// </summary>
internal static partial class DemoData
{
    public const string SupplierId = "FK";
    public const string SupplierName = "Försäkringskassan";
    public const string SupplierOrgNr = "202100-5521";
    public const string FeeArea = "IT-drift";

    /// <summary>The accumulated result Försäkringskassan reported for its IT operations at the end of 2020 (SOU 2021:97 table 6.5), in öre.</summary>
    public const long OpeningBalanceOre = -14_933_000_00;

    public const string Overhead = "OH-ADM";
    public const string Offices = "OH-LOK";

    /// <summary>The 20 services of the catalogue, in its order.</summary>
    public static readonly ServiceDef[] Services =
    [
        new("INF-DC", "Infrastructure services", "Yta i datacenter", "Infrastructure", "rack", "racks", 150_000),
        new("INF-NET", "Infrastructure services", "Nätverk", "Infrastructure", "connection", "network_connections", 1_000_000),
        new("INF-PHYS", "Infrastructure services", "Fysisk maskintjänst", "Infrastructure", "server", "physical_servers", 250_000),
        new("INF-VM", "Infrastructure services", "Virtuell maskintjänst", "Infrastructure", "virtual server", "virtual_servers", 950_000),
        new("INF-SRV", "Infrastructure services", "Servertjänst", "Infrastructure", "server", "managed_servers", 750_000),
        new("INF-STO", "Infrastructure services", "Lagringskapacitet/datasäkring", "Infrastructure", "TB", "storage_tb", 1_000_000),
        new("PLT-VDC", "Platform services", "Virtuellt datacenter", "Platform", "vCPU", "vdc_vcpus", 350_000),
        new("PLT-DATA", "Platform services", "Datatjänster", "Platform", "database", "databases", 700_000),
        new("PLT-APP", "Platform services", "Applikationsplattformstjänster", "Platform", "instance", "app_platform_instances", 500_000),
        new("PLT-CONT", "Platform services", "Containerplattform", "Platform", "vCPU", "container_vcpus", 250_000),
        new("PLT-DEV", "Platform services", "Utvecklingsstödtjänster", "Platform", "developer", "developers", 0),
        new("FUN-MON", "Function services", "Övervakning", "Delivery", "monitored server", "monitored_servers", 850_000),
        new("FUN-SUP", "Function services", "Support", "Delivery", "ticket", "support_tickets", 1_000_000),
        new("FUN-SEC", "Function services", "Säkerhet och compliance", "Delivery", "employee", "employees", 1_000_000),
        new("END-OFF", "End-user services", "Kontorsstödstjänster", "End User", "user", "users", 1_000_000),
        new("END-CLI", "End-user services", "Klienttjänster", "End User", "device", "client_devices", 850_000),
        new("END-CON", "End-user services", "Anslutningstjänster", "End User", "user", "connected_users", 700_000),
        new("APP-OPS", "Application commitment", "Applikationsdrift", "Application", "application", "applications", 900_000),
        new("APP-MGT", "Application commitment", "Applikationsförvaltning", "Application", "hour", "application_hours", 600_000),
        new("APP-SAAS", "Application commitment", "Applikation som tjänst", "Application", "licence", "saas_licences", 550_000),
    ];

    /// <summary>The TBM v4 towers.</summary>
    public static readonly ObjectDef[] Towers =
    [
        new("TWR-DC", "tower", "Datacenter (Data Center)"),
        new("TWR-COMPUTE", "tower", "Beräkning (Compute)"),
        new("TWR-STORAGE", "tower", "Lagring (Storage)"),
        new("TWR-NETWORK", "tower", "Nätverk (Network)"),
        new("TWR-PLATFORM", "tower", "Plattform (Platform)"),
        new("TWR-OUTPUT", "tower", "Utskrift och distribution (Output)"),
        new("TWR-EUC", "tower", "Slutanvändare (End User)"),
        new("TWR-APP", "tower", "Applikation (Application)"),
        new("TWR-DELIVERY", "tower", "Leverans (Delivery)"),
        new("TWR-SECURITY", "tower", "Säkerhet och efterlevnad (Security & Compliance)"),
        new("TWR-ITM", "tower", "IT-ledning (IT Management)"),
    ];

    /// <summary>Shared costs that are spread onto the towers first.</summary>
    public static readonly ObjectDef[] Others =
    [
        new(Overhead, "other", "Gemensam administration, IT-drift"),
        new(Offices, "other", "Kontorslokaler"),
    ];

    /// <summary>
    /// Customer agencies with organisation numbers and head counts from public agency-register data
    /// (2024); every number passes the Luhn check. The large all-round customers come first.
    /// </summary>
    public static readonly TenantDef[] Tenants =
    [
        new("T-PM", "Pensionsmyndigheten", "202100-6255", 1652, -14, "Socialdepartementet"),
        new("T-SJV", "Statens jordbruksverk", "202100-4151", 1768, -4, "Landsbygds- och infrastrukturdepartementet"),
        new("T-SSC", "Statens servicecenter", "202100-6453", 1569, -5, "Finansdepartementet"),
        new("T-CSN", "Centrala studiestödsnämnden", "202100-1819", 1260, -5, "Utbildningsdepartementet"),
        new("T-SCB", "Statistiska centralbyrån", "202100-0837", 1055, -4, "Finansdepartementet"),
        new("T-KAMK", "Kammarkollegiet", "202100-0829", 356, -4, "Finansdepartementet"),
        new("T-KOV", "Konsumentverket", "202100-2064", 192, -4, "Finansdepartementet"),
        new("T-BOLV", "Bolagsverket", "202100-5489", 605, -3, "Klimat- och näringslivsdepartementet"),
        new("T-DIGG", "Myndigheten för digital förvaltning", "202100-6883", 152, -5, "Finansdepartementet"),
        new("T-ESV", "Ekonomistyrningsverket", "202100-5026", 150, -5, "Finansdepartementet"),
        new("T-TVV", "Tillväxtverket", "202100-6149", 532, -3, "Klimat- och näringslivsdepartementet"),
        new("T-BOV", "Boverket", "202100-3989", 234, -3, "Landsbygds- och infrastrukturdepartementet"),
        new("T-ISF", "Inspektionen för socialförsäkringen", "202100-6248", 55, -13, "Socialdepartementet"),
        new("T-EHM", "E-hälsomyndigheten", "202100-6552", 403, -3, "Socialdepartementet"),
        new("T-FOHM", "Folkhälsomyndigheten", "202100-6545", 650, -3, "Socialdepartementet"),
        new("T-LV", "Läkemedelsverket", "202100-4078", 997, -2, "Socialdepartementet"),
        new("T-SOS", "Socialstyrelsen", "202100-0555", 1001, -2, "Socialdepartementet"),
        new("T-SLV", "Livsmedelsverket", "202100-1850", 686, -2, "Landsbygds- och infrastrukturdepartementet"),
        new("T-SKOLV", "Statens skolverk", "202100-4185", 935, -2, "Utbildningsdepartementet"),
        new("T-RA", "Riksarkivet", "202100-1074", 427, -3, "Kulturdepartementet"),
        new("T-UHM", "Upphandlingsmyndigheten", "202100-6610", 73, -2, "Finansdepartementet"),
        new("T-STKT", "Statskontoret", "202100-0852", 81, -2, "Finansdepartementet"),
        new("T-VAL", "Valmyndigheten", "202100-5281", 18, -1, "Kulturdepartementet"),
        new("T-DO", "Diskrimineringsombudsmannen", "202100-6073", 109, -1, "Arbetsmarknadsdepartementet"),
        new("T-SPV", "Statens tjänstepensionsverk", "202100-0928", 237, -6, "Finansdepartementet"),
        new("T-KKV", "Konkurrensverket", "202100-4342", 207, -1, "Klimat- och näringslivsdepartementet"),
        new("T-SGU", "Sveriges geologiska undersökning", "202100-2528", 325, -2, "Klimat- och näringslivsdepartementet"),
        new("T-VINNOVA", "Verket för innovationssystem (Vinnova)", "202100-5216", 236, -1, "Klimat- och näringslivsdepartementet"),
        new("T-STEM", "Statens energimyndighet", "202100-5000", 524, -1, "Klimat- och näringslivsdepartementet"),
        new("T-PTS", "Post- och telestyrelsen", "202100-4359", 449, -2, "Finansdepartementet"),
        new("T-PRV", "Patent- och registreringsverket", "202100-2072", 298, -1, "Klimat- och näringslivsdepartementet"),
        new("T-MSB", "Myndigheten för samhällsskydd och beredskap", "202100-5984", 1378, -3, "Försvarsdepartementet"),
        new("T-SPELI", "Spelinspektionen", "202100-3310", 70, -1, "Finansdepartementet"),
        new("T-AV", "Arbetsmiljöverket", "202100-2148", 678, 0, "Arbetsmarknadsdepartementet"),
        new("T-JAMY", "Jämställdhetsmyndigheten", "202100-6693", 137, 1, "Arbetsmarknadsdepartementet"),
        new("T-IMY", "Integritetsskyddsmyndigheten", "202100-0050", 142, 2, "Justitiedepartementet"),
    ];

    /// <summary>How many of the first tenants are large all-round customers that use every service.</summary>
    public const int AllRoundTenants = 4;

    /// <summary>The tenant whose SaaS licence count is zero in the first year (a key with no volume for one tenant).</summary>
    public const string ZeroVolumeTenant = "T-SPELI";

    /// <summary>Tenants with their own development teams, who share the development-support service evenly.</summary>
    public static readonly string[] DevelopmentTenants = ["T-BOLV", "T-CSN", "T-PM", "T-SCB", "T-SJV", "T-SSC"];

    /// <summary>Swedish month names for ledger texts.</summary>
    public static readonly string[] Months =
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
}
