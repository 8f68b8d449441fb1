using System.Globalization;

namespace ItDrift.Tbm.Datasets;

/// <summary>
/// What a package is drawn from: services, towers, tenants, cost centres, keys and rules. The demo package
/// uses the fixed content of <see cref="DemoData"/> (<see cref="Demo"/>); a scale package
/// (<see cref="ScaleCatalogue.Build"/>) grows it to a national supplier's size. <see cref="DemoPlan"/>
/// reads only this object, so there is one generator with one set of rules for both.
/// </summary>
internal sealed class Catalogue
{
    public required ServiceDef[] Services { get; init; }

    public required ObjectDef[] Towers { get; init; }

    public required ObjectDef[] Others { get; init; }

    public required TenantDef[] Tenants { get; init; }

    public required CostCentreDef[] CostCentres { get; init; }

    public required DemoData.TenantKey[] TenantKeys { get; init; }

    public required ObjectRule[] ObjectRules { get; init; }

    /// <summary>
    /// Accounts are the four-digit accounts of Statens baskontoplan times this factor: 1 in the demo, 100 at
    /// scale (six-digit accounts, the agency's own two-digit sub-accounts under each baskonto).
    /// </summary>
    public int AccountFactor { get; init; } = 1;

    /// <summary>Cost lines of each cell of these kinds are also spread over projects (scale only).</summary>
    public int ProjectsPerConsultingCell { get; init; }

    /// <summary>The demo package's content.</summary>
    public static Catalogue Demo { get; } = new()
    {
        Services = DemoData.Services,
        Towers = DemoData.Towers,
        Others = DemoData.Others,
        Tenants = DemoData.Tenants,
        CostCentres = DemoData.CostCentres,
        TenantKeys = DemoData.TenantKeys,
        ObjectRules = DemoData.ObjectRules,
    };

    /// <summary>The first account of a four-digit baskonto range.</summary>
    public int From(int account) => account * AccountFactor;

    /// <summary>The last account of a four-digit baskonto range.</summary>
    public int To(int account) => (account * AccountFactor) + AccountFactor - 1;

    /// <summary>
    /// The account a cell books to: the kind's baskonto, at scale with a sub-account drawn from the cost
    /// centre and kind (so that thousands of accounts are in use, as in a large agency's chart).
    /// </summary>
    public int AccountOf(int seed, CostCentreDef centre, AccountDef booking)
    {
        if (AccountFactor == 1)
        {
            return booking.Account;
        }

        var rng = Rng.For(seed, Rng.Stream("sub-account:" + centre.Id), booking.Account);
        return (booking.Account * AccountFactor) + (int)rng.Below(AccountFactor);
    }
}

/// <summary>
/// The content of a scale package (<c>tbm generate --scale N</c>): the demo's supplier grown to the size
/// of a national shared-service centre. Cost centres are the demo's sections repeated over regional
/// units, accounts get sub-accounts, services get tiers and the customer list grows from the 36 real
/// agencies to up to 300. Everything is drawn from the seed, so a scale and a seed name one package.
/// </summary>
/// <remarks>
/// Cardinalities grow with the scale but much slower than the ledger (as in reality: ten times the lines
/// is not ten times the services): at scale 1 about 100 cost centres, 27 services and 83 tenants; at
/// scale 10 about 300, 44 and 197; at scale 50 about 500, 58 and 300.
/// </remarks>
internal static class ScaleCatalogue
{
    /// <summary>Regional units a section of the demo organisation is repeated over.</summary>
    private static readonly string[] Regions =
    [
        "Sundsvall", "Östersund", "Stockholm", "Göteborg", "Malmö", "Umeå", "Luleå", "Karlstad", "Linköping", "Örebro",
        "Falun", "Gävle", "Jönköping", "Växjö", "Kalmar", "Halmstad", "Visby", "Västerås", "Uppsala", "Kristianstad",
    ];

    /// <summary>Service tiers: a second and third offering of most catalogue services, each with its own key.</summary>
    private static readonly (string Suffix, string Label, string DriverSuffix, int VolumePpm, int UsePpm)[] Tiers =
    [
        ("-HA", "hög tillgänglighet", "_ha", 350_000, 450_000),
        ("-SKYDD", "säkerhetsskyddad", "_skydd", 150_000, 200_000),
    ];

    private static readonly string[] Counties =
    [
        "Stockholms", "Uppsala", "Södermanlands", "Östergötlands", "Jönköpings", "Kronobergs", "Kalmar", "Gotlands",
        "Blekinge", "Skåne", "Hallands", "Västra Götalands", "Värmlands", "Örebro", "Västmanlands", "Dalarnas",
        "Gävleborgs", "Västernorrlands", "Jämtlands", "Västerbottens", "Norrbottens",
    ];

    private static readonly string[] Courts =
    [
        "Stockholms", "Södertörns", "Attunda", "Solna", "Uppsala", "Eskilstuna", "Nyköpings", "Linköpings", "Norrköpings",
        "Jönköpings", "Eksjö", "Växjö", "Kalmar", "Gotlands", "Blekinge", "Kristianstads", "Hässleholms", "Ystads",
        "Malmö", "Lunds", "Helsingborgs", "Halmstads", "Varbergs", "Göteborgs", "Alingsås", "Borås", "Vänersborgs",
        "Uddevalla", "Skaraborgs", "Värmlands", "Örebro", "Västmanlands", "Falu", "Mora", "Gävle", "Hudiksvalls",
        "Sundsvalls", "Ångermanlands", "Östersunds", "Umeå", "Skellefteå", "Lycksele", "Luleå", "Haparanda", "Gällivare",
    ];

    private static readonly string[] Ministries =
    [
        "Finansdepartementet", "Justitiedepartementet", "Socialdepartementet", "Utbildningsdepartementet",
        "Klimat- och näringslivsdepartementet", "Landsbygds- och infrastrukturdepartementet", "Kulturdepartementet",
        "Arbetsmarknadsdepartementet", "Försvarsdepartementet",
    ];

    /// <summary>Regional units per section of the demo organisation.</summary>
    public static int Regional(int scale) => Math.Clamp((int)Math.Round(2 * Math.Pow(scale, 0.4)), 1, Regions.Length - 1);

    /// <summary>Service tiers added to the 20 catalogue services (at most 38: every driver-priced service in two tiers).</summary>
    public static int ExtraServices(int scale) => Math.Min(38, (int)Math.Round(38 * Math.Log(1 + scale) / Math.Log(51)));

    /// <summary>Customer agencies in all, the 36 real ones included: at most 300.</summary>
    public static int TenantCount(int scale) => Math.Min(300, DemoData.Tenants.Length + (int)Math.Round(264 * Math.Log(1 + scale) / Math.Log(51)));

    public static Catalogue Build(int scale, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var (services, keys, rules) = Services(scale);
        return new Catalogue
        {
            Services = services,
            Towers = DemoData.Towers,
            Others = DemoData.Others,
            Tenants = Tenants(scale, seed),
            CostCentres = CostCentres(scale, seed),
            TenantKeys = keys,
            ObjectRules = rules,
            AccountFactor = 100,
            ProjectsPerConsultingCell = 3,
        };
    }

    /// <summary>The catalogue services plus tiers of the driver-priced ones, each with a key and a share of its towers' volumes.</summary>
    private static (ServiceDef[] Services, DemoData.TenantKey[] Keys, ObjectRule[] Rules) Services(int scale)
    {
        var extra = ExtraServices(scale);
        var services = new List<ServiceDef>(DemoData.Services);
        var keys = new List<DemoData.TenantKey>(DemoData.TenantKeys);
        var tiers = new List<(ServiceDef Tier, ServiceDef Base, int VolumePpm)>();
        foreach (var (suffix, label, driverSuffix, volumePpm, usePpm) in Tiers)
        {
            foreach (var service in DemoData.Services.Where(s => s.Id != "PLT-DEV"))
            {
                if (tiers.Count == extra)
                {
                    break;
                }

                var tier = service with
                {
                    Id = service.Id + suffix,
                    CatalogueService = service.CatalogueService,
                    NameSv = $"{service.NameSv}, {label}",
                    Driver = service.Driver + driverSuffix,
                    UsePpm = (int)Rng.Ppm(Math.Max(service.UsePpm, 100_000), usePpm),
                };
                var key = DemoData.TenantKeys.Single(k => k.Driver == service.Driver);
                tiers.Add((tier, service, volumePpm));
                services.Add(tier);
                keys.Add(key with { Driver = tier.Driver, PerEmployeeMicro = Math.Max(1, Rng.Ppm(key.PerEmployeeMicro, volumePpm)) });
            }
        }

        var all = string.Join(";", services.Select(s => s.Id).Order(StringComparer.Ordinal));
        var rules = DemoData.ObjectRules.Select(rule =>
        {
            if (rule.Source == "TWR-ITM")
            {
                return rule with { Targets = all };
            }

            if (rule.Volumes.Length == 0)
            {
                return rule;
            }

            var volumes = rule.Volumes.ToList();
            foreach (var (tier, service, volumePpm) in tiers)
            {
                var volume = rule.Volumes.FirstOrDefault(v => v.Target == service.Id).Volume;
                if (volume > 0)
                {
                    volumes.Add((tier.Id, Math.Max(1, Rng.Ppm(volume, volumePpm))));
                }
            }

            return rule with { Volumes = [.. volumes.OrderBy(v => v.Target, StringComparer.Ordinal)] };
        }).ToArray();
        return ([.. services], [.. keys], rules);
    }

    /// <summary>The 36 real agencies, then agencies of kinds that exist in the state (no organisation numbers: they are not real ones).</summary>
    private static TenantDef[] Tenants(int scale, int seed)
    {
        var count = TenantCount(scale);
        var rng = Rng.For(seed, Rng.Stream("scale-tenants"));
        var tenants = new List<TenantDef>(DemoData.Tenants);
        var names = new List<(string Id, string Name, string Sector)>();
        for (var i = 0; i < Counties.Length; i++)
        {
            names.Add(($"T-LST-{i + 1:00}", $"Länsstyrelsen i {Counties[i]} län", "Finansdepartementet"));
        }

        for (var i = 0; i < Courts.Length; i++)
        {
            names.Add(($"T-TR-{i + 1:00}", $"{Courts[i]} tingsrätt", "Justitiedepartementet"));
        }

        for (var n = 1; names.Count < count - tenants.Count; n++)
        {
            names.Add(($"T-MYN-{n:000}", $"Statlig myndighet {n:000} (syntetisk)", Ministries[(n - 1) % Ministries.Length]));
        }

        foreach (var (id, name, sector) in names.Take(count - tenants.Count))
        {
            // Head counts from 20 to about 4 000, most of them small, as among state agencies.
            var employees = (int)(20 + (rng.Below(1_000) * rng.Below(1_000) * rng.Below(4_000) / 1_000_000));
            var connected = rng.Chance(900_000) ? -(int)rng.Between(1, 12) : (int)rng.Between(0, 2);
            tenants.Add(new TenantDef(id, name, "", employees, connected, sector));
        }

        return [.. tenants];
    }

    /// <summary>Every mapped section of the demo organisation in each regional unit; staff and costs vary by unit.</summary>
    private static CostCentreDef[] CostCentres(int scale, int seed)
    {
        var units = Regional(scale);
        var rng = Rng.For(seed, Rng.Stream("scale-centres"));
        var centres = new List<CostCentreDef>();
        foreach (var centre in DemoData.CostCentres)
        {
            if (centre.ObjectId is null)
            {
                centres.Add(centre); // the unmapped ones stay single: unmapped money is an exception, not a pattern
                continue;
            }

            for (var u = 0; u < units; u++)
            {
                var factor = rng.Between(500_000, 1_500_000);
                centres.Add(new CostCentreDef(
                    string.Create(CultureInfo.InvariantCulture, $"{centre.Id}-{u + 1:00}"),
                    $"{centre.Name}, {Regions[u]}",
                    centre.ObjectId,
                    (int)Math.Max(5, Rng.Ppm(centre.FteTenths, factor)),
                    [.. centre.Costs.Select(c => c with { Ksek = (int)Math.Max(50, Rng.Ppm(c.Ksek, factor)) })],
                    Family: centre.Id));
            }
        }

        return [.. centres];
    }
}
