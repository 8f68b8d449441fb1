namespace ItDrift.Tbm.Datasets;

internal static partial class DemoData
{
    private const CostKind Rent = CostKind.RentDataCentre;
    private const CostKind Office = CostKind.RentOffice;
    private const CostKind Power = CostKind.Power;
    private const CostKind Guard = CostKind.Guarding;
    private const CostKind Lease = CostKind.HardwareLease;
    private const CostKind Maint = CostKind.HardwareMaintenance;
    private const CostKind Buy = CostKind.HardwarePurchase;
    private const CostKind Lic = CostKind.Licence;
    private const CostKind Sup = CostKind.SoftwareSupport;
    private const CostKind Cons = CostKind.Consulting;
    private const CostKind Mgmt = CostKind.ManagementConsulting;
    private const CostKind Svc = CostKind.ItServices;
    private const CostKind Cloud = CostKind.Cloud;
    private const CostKind Tel = CostKind.Telephony;
    private const CostKind Net = CostKind.DataCommunication;
    private const CostKind Inter = CostKind.InternalServices;
    private const CostKind Misc = CostKind.OtherOperating;
    private const CostKind DeprHw = CostKind.DepreciationHardware;
    private const CostKind DeprSw = CostKind.DepreciationSoftware;

    public const string ProjectM365 = "P-M365";
    public const string ProjectSaas = "P-SAAS";

    /// <summary>
    /// The IT operations department (a fictitious organisation, realistic in shape): cost centres by section,
    /// the object each is mapped to, staff and the non-staff costs of the first year in thousand SEK.
    /// Staff costs (salary, employer's fees, pension, training, other staff costs, travel) follow from the staff.
    /// </summary>
    public static readonly CostCentreDef[] CostCentres =
    [
        // Management and administration: shared overhead.
        new("KS-4010", "Avdelningsledning IT-drift", Overhead, 30, [new(Mgmt, 500), new(CostKind.Financial, 400), new(CostKind.Transfer, 200, Subject: "DIGG")]),
        new("KS-4011", "Ekonomi och verksamhetsstöd", Overhead, 35,
            [new(Inter, 2700, Subject: "Statens servicecenter"), new(Misc, 600), new(Office, 6600), new(CostKind.DepreciationPremises, 700), new(Guard, 500)]),
        new("KS-4012", "HR och kompetensförsörjning", Overhead, 25, [new(CostKind.Training, 900), new(Inter, 700, Subject: "Arbetsgivarverket")]),
        new("KS-4013", "Kommunikation", Overhead, 10, [new(Misc, 200)]),

        // IT management.
        new("KS-4020", "Styrning och arkitektur", "TWR-ITM", 40, [new(Mgmt, 1500)]),
        new("KS-4021", "Avtal och leverantörsstyrning", "TWR-ITM", 30, [new(Mgmt, 600)]),
        new("KS-4022", "Tjänsteägare och tjänsteutveckling", "TWR-ITM", 35, []),
        new("KS-4023", "Portfölj- och projektkontor", "TWR-ITM", 30, [new(Mgmt, 900)]),

        // Security and compliance.
        new("KS-4030", "Informationssäkerhet", "TWR-SECURITY", 35, [new(Mgmt, 1200)]),
        new("KS-4031", "Säkerhetsövervakning (SOC)", "TWR-SECURITY", 55, [new(Svc, 3600, Subject: "SOC-tjänst"), new(Lic, 3000, Subject: "Splunk Enterprise Security")]),
        new("KS-4032", "Behörighet och identitet", "TWR-SECURITY", 35, [new(Lic, 2100, Subject: "Microsoft Entra ID P2"), new(Cons, 1200)]),
        new("KS-4033", "Kontinuitet och säkerhetsskydd", "TWR-SECURITY", 20, [new(Cons, 600), new(Misc, 200)]),

        // Delivery.
        new("KS-4100", "Leveransstyrning", "TWR-DELIVERY", 40, [new(Mgmt, 900), new(Lic, 1800, Subject: "ServiceNow ITSM")]),
        new("KS-4110", "Driftövervakning (NOC)", "TWR-DELIVERY", 70, [new(Lic, 2100, Subject: "Zabbix och Grafana Enterprise"), new(Cons, 600)]),
        new("KS-4120", "Incident- och problemhantering", "TWR-DELIVERY", 40, []),
        new("KS-4130", "Förändrings- och releasehantering", "TWR-DELIVERY", 30, []),
        new("KS-4150", "Servicedesk Sundsvall", "FUN-SUP", 130, [new(Tel, 500), new(Lic, 900, Subject: "Telavox kontaktcenter")]),
        new("KS-4151", "Servicedesk Stockholm, jour", "FUN-SUP", 60, [new(Svc, 1800, Subject: "nattjour servicedesk")]),

        // Data centre.
        new("KS-4300", "Datahall Sundsvall", "TWR-DC", 55,
            [new(Rent, 8400), new(Power, 9600), new(Guard, 1500), new(Maint, 1800), new(DeprHw, 3600), new(CostKind.DepreciationPremises, 1200)]),
        new("KS-4301", "Datahall Östersund", "TWR-DC", 35,
            [new(Rent, 5400), new(Power, 5700), new(Guard, 1100), new(Maint, 900), new(DeprHw, 1800), new(Cons, 900, "P-2402", "kylsystem")]),
        new("KS-4302", "Kraft och kyla", "TWR-DC", 25, [new(Maint, 2700), new(Cons, 700), new(DeprHw, 2400)]),

        // Compute.
        new("KS-4310", "Serverdrift Linux", "TWR-COMPUTE", 95,
            [new(Lic, 5400, Subject: "Red Hat Enterprise Linux"), new(Sup, 900, Subject: "Red Hat Satellite"), new(Lease, 3600), new(Maint, 1500), new(Cons, 1800), new(DeprHw, 5400)]),
        new("KS-4311", "Serverdrift Windows", "TWR-COMPUTE", 85,
            [new(Lic, 6600, Subject: "Windows Server Datacenter"), new(Lease, 2400), new(DeprHw, 3600), new(Cons, 1200)]),
        new("KS-4312", "Virtualisering", "TWR-COMPUTE", 60,
            [new(Lic, 8400, Subject: "VMware vSphere Foundation"), new(Sup, 1200, Subject: "VMware vSphere Foundation"), new(DeprHw, 4200), new(Cons, 900)]),
        new("KS-4313", "Fysiska servrar", "TWR-COMPUTE", 35, [new(Maint, 3000), new(Lease, 1800), new(DeprHw, 2400)]),
        new("KS-4314", "Automation och IaC", "TWR-COMPUTE", 50, [new(Lic, 1500, Subject: "Ansible Automation Platform"), new(Cons, 2100)]),

        // Storage.
        new("KS-4320", "Lagring", "TWR-STORAGE", 50,
            [new(Lease, 1800), new(Maint, 1800), new(DeprHw, 6000), new(Lic, 1200, Subject: "NetApp ONTAP"), new(Cons, 3000, "P-2401", "migrering lagringsplattform")]),
        new("KS-4321", "Backup och återläsning", "TWR-STORAGE", 35, [new(Lic, 2700, Subject: "Veeam Backup & Replication"), new(DeprHw, 2100), new(Maint, 700)]),
        new("KS-4322", "Arkiv och långtidslagring", "TWR-STORAGE", 20, [new(Svc, 900, Subject: "bandarkiv"), new(DeprHw, 900)]),

        // Network.
        new("KS-4330", "Nätverk datacenter", "TWR-NETWORK", 55, [new(Maint, 1500), new(DeprHw, 3600), new(Lic, 900, Subject: "Cisco DNA")]),
        new("KS-4331", "WAN och kundanslutningar", "TWR-NETWORK", 40, [new(Net, 10800), new(Tel, 300)]),
        new("KS-4332", "Brandvägg, DNS och lastbalansering", "TWR-NETWORK", 35, [new(Lic, 2400, Subject: "Palo Alto Networks"), new(DeprHw, 1500)]),
        new("KS-4333", "Telefoni och kontaktcenter", "TWR-NETWORK", 30, [new(Tel, 3600), new(Lic, 1200, Subject: "Microsoft Teams Phone")]),

        // Platform.
        new("KS-4400", "Databasdrift", "TWR-PLATFORM", 70,
            [new(Lic, 9600, Subject: "Oracle Database Enterprise"), new(Sup, 1800, Subject: "Microsoft SQL Server"), new(Cons, 1200)]),
        new("KS-4401", "Middleware och integration", "TWR-PLATFORM", 55, [new(Lic, 2400, Subject: "IBM MQ"), new(Cons, 1800)]),
        new("KS-4402", "Containerplattform", "TWR-PLATFORM", 50, [new(Lic, 3000, Subject: "Red Hat OpenShift"), new(Cons, 1500), new(Cloud, 600)]),
        new("KS-4403", "Utvecklarplattform (CI/CD)", "TWR-PLATFORM", 35, [new(Lic, 1500, Subject: "GitLab Premium"), new(Cloud, 500)]),
        new("KS-4404", "Virtuellt datacenter", "TWR-PLATFORM", 30, [new(Lic, 1200, Subject: "VMware Cloud Director"), new(Cons, 600)]),

        // Output.
        new("KS-4450", "Utskrift och distribution", "TWR-OUTPUT", 30,
            [new(Svc, 3600, Subject: "utskrift och kuvertering"), new(Lease, 700), new(Misc, 1500)]),
        new("KS-4451", "Skanning och inläsning", "TWR-OUTPUT", 25, [new(Svc, 1500, Subject: "skanning av inkommande post"), new(Maint, 400)]),

        // End user.
        new("KS-4500", "Arbetsplatstjänster", "TWR-EUC", 50, [new(Buy, 2400), new(Cons, 900)]),
        new("KS-4510", "Kontorsstöd", "TWR-EUC", 35, [new(Lic, 13200, ProjectM365, "Microsoft 365 E3"), new(Sup, 600, Subject: "Microsoft Unified Support")]),
        new("KS-4520", "Klientteam", "TWR-EUC", 70, [new(Buy, 7200), new(Lease, 1800), new(DeprHw, 1200)]),
        new("KS-4530", "Mobila enheter", "TWR-EUC", 25, [new(Buy, 1800), new(Tel, 3000)]),
        new("KS-4540", "Fjärråtkomst", "TWR-EUC", 20, [new(Lic, 1200, Subject: "Citrix DaaS")]),

        // Application.
        new("KS-4600", "Applikationsförvaltning", "TWR-APP", 120, [new(Cons, 8400), new(Mgmt, 600), new(Sup, 1500, Subject: "Unit4 ERP")]),
        new("KS-4610", "Applikationsdrift", "TWR-APP", 70, [new(Svc, 3000, Subject: "applikationsdrift"), new(Lic, 1800, Subject: "Dynatrace"), new(Cons, 1800)]),
        new("KS-4620", "E-tjänster", "TWR-APP", 50, [new(Cons, 3000), new(Cloud, 900), new(DeprSw, 1500)]),
        new("KS-4630", "Integrationsplattform", "TWR-APP", 30, [new(Lic, 1500, Subject: "MuleSoft Anypoint"), new(Cons, 900)]),
        new("KS-4640", "SaaS-förvaltning", "TWR-APP", 25, [new(Cloud, 5400, ProjectSaas, "Microsoft Dynamics 365"), new(Cons, 600, ProjectSaas)]),
        new("KS-4650", "Ärendehantering", "TWR-APP", 35, [new(Lic, 2100, Subject: "Public 360"), new(Cons, 1200), new(DeprSw, 1800)]),

        // Not in the mapping: a unit created during the year and a department outside IT booking here by mistake.
        new("KS-4999", "Ny enhet, ej mappad", null, 10, [new(Cons, 500)]),
        new("KS-2110", "HR-avdelningen (felkonterat)", null, 0, [new(Misc, 200), new(CostKind.Travel, 100)]),
    ];
}
