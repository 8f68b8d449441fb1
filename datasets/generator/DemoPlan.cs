namespace ItDrift.Tbm.Datasets;

/// <summary>A row of <c>mapping.csv</c>.</summary>
internal sealed record MappingRow(int Priority, int AccountFrom, int AccountTo, string CostCentre, string Project, string ObjectId)
{
    public bool Matches(int account, string costCentre, string project) =>
        account >= AccountFrom && account <= AccountTo
        && (CostCentre == "*" || string.Equals(CostCentre, costCentre, StringComparison.Ordinal))
        && (Project == "*" || string.Equals(Project, project, StringComparison.Ordinal));
}

/// <summary>A row of <c>rules.csv</c>; <paramref name="Targets"/> as written (empty: every target with a driver row).</summary>
internal sealed record RuleRow(int Step, string Source, string Method, string? Driver, string Targets);

/// <summary>A row of <c>drivers.csv</c>, the quantity in millionths.</summary>
internal sealed record DriverRow(int FiscalYear, int Scenario, string Driver, string Target, long Micro);

/// <summary>
/// Everything about a demo package that is not a ledger line, drawn once from the seed: objects, tenants,
/// mapping, rules, drivers, the ledger's cells with their amounts per month and line counts, and the
/// expected fees. The ledger is then streamed from it (<see cref="LedgerWriter"/>) without holding rows.
/// </summary>
internal sealed partial class DemoPlan
{
    public static readonly string[] Scenarios = ["actual", "budget", "forecast"];
    public const int Actual = 0;
    public const int Budget = 1;
    public const int Forecast = 2;

    private readonly Dictionary<(int Year, int Scenario, string Driver), List<DriverRow>> _driverIndex = [];

    private DemoPlan(DemoModelOptions options)
    {
        Options = options;
        FirstYear = options.FirstYear;
        Years = options.Years;
        Catalogue = options.Scale > 0 ? ScaleCatalogue.Build(options.Scale, options.Seed) : Catalogue.Demo;
        ObjectIds = [.. Catalogue.Services.Select(s => s.Id), .. Catalogue.Towers.Select(t => t.Id), .. Catalogue.Others.Select(o => o.Id)];
    }

    public DemoModelOptions Options { get; }

    /// <summary>What the package is drawn from: the demo's fixed content, or its scaled-up version.</summary>
    public Catalogue Catalogue { get; }

    public int FirstYear { get; }

    public int Years { get; }

    public List<DriverRow> Drivers { get; } = [];

    public List<MappingRow> Mapping { get; } = [];

    public List<RuleRow> Rules { get; } = [];

    /// <summary>Which services each tenant uses (tenant index, service index).</summary>
    public bool[,] Uses { get; private set; } = new bool[0, 0];

    /// <summary>Staff per cost centre and year, in tenths of a full-time equivalent.</summary>
    public int[][] Fte { get; private set; } = [];

    public static DemoPlan Build(DemoModelOptions options)
    {
        options.Validate();
        var plan = new DemoPlan(options);
        plan.DrawStaff();
        plan.DrawTenantUsage();
        plan.BuildMapping();
        plan.BuildRules();
        plan.DrawObjectDrivers();
        plan.DrawTenantDrivers();
        plan.Drivers.Sort(static (a, b) =>
        {
            var c = a.FiscalYear.CompareTo(b.FiscalYear);
            c = c != 0 ? c : string.CompareOrdinal(Scenarios[a.Scenario], Scenarios[b.Scenario]);
            c = c != 0 ? c : string.CompareOrdinal(a.Driver, b.Driver);
            return c != 0 ? c : string.CompareOrdinal(a.Target, b.Target);
        });
        plan.BuildCells();
        plan.DrawAmounts();
        plan.EstimateFees();
        plan.DrawInvestments();
        plan.CountLines();
        return plan;
    }

    public int ConnectedYear(TenantDef tenant) => FirstYear + tenant.ConnectedOffset;

    /// <summary>The driver rows of one key in one year and scenario, by target (ordinal).</summary>
    public IReadOnlyList<DriverRow> DriverRows(int year, int scenario, string driver) =>
        _driverIndex.TryGetValue((year, scenario, driver), out var rows) ? rows : [];

    private void AddDriver(int year, int scenario, string driver, string target, long micro)
    {
        var row = new DriverRow(year, scenario, driver, target, micro);
        Drivers.Add(row);
        if (!_driverIndex.TryGetValue((year, scenario, driver), out var rows))
        {
            rows = [];
            _driverIndex.Add((year, scenario, driver), rows);
        }

        rows.Add(row);
        rows.Sort(static (a, b) => string.CompareOrdinal(a.Target, b.Target));
    }

    /// <summary>Staff per cost centre: the first year as listed, then drifting by −1.5 % to +4 % a year in steps of half a person.</summary>
    private void DrawStaff()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("staff"));
        Fte = new int[Catalogue.CostCentres.Length][];
        for (var c = 0; c < Catalogue.CostCentres.Length; c++)
        {
            Fte[c] = new int[Years];
            var tenths = (long)Catalogue.CostCentres[c].FteTenths;
            for (var y = 0; y < Years; y++)
            {
                if (y > 0)
                {
                    tenths = RoundTo(rng.Scale(tenths * 100_000, 985_000, 1_040_000), 500_000) / 100_000;
                }

                Fte[c][y] = (int)tenths;
            }
        }
    }

    /// <summary>Which tenant uses which service: the large all-round customers use everything, the others by each service's take-up.</summary>
    private void DrawTenantUsage()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("usage"));
        var tenants = Catalogue.Tenants;
        var services = Catalogue.Services;
        Uses = new bool[tenants.Length, services.Length];
        for (var t = 0; t < tenants.Length; t++)
        {
            for (var s = 0; s < services.Length; s++)
            {
                var drawn = rng.Chance(services[s].UsePpm);
                Uses[t, s] = t < DemoData.AllRoundTenants || drawn;
            }

            if (tenants[t].Id == DemoData.ZeroVolumeTenant)
            {
                Uses[t, ServiceIndex("APP-SAAS")] = true;
            }
        }
    }

    /// <summary>
    /// Mapping by priority: a few account/project rows straight onto services, premises onto the data
    /// centre or the office object, then one row per cost centre onto its tower (accounts 4000–6999, so
    /// transfers in class 7 stay unmapped, as do the two cost centres without a row).
    /// </summary>
    private void BuildMapping()
    {
        var c = Catalogue;
        Mapping.Add(new(10, c.From(5460), c.To(5469), "*", DemoData.ProjectM365, "END-OFF"));
        var priority = 11;
        foreach (var centre in c.CostCentres.Where(x => x.Section == "KS-4520"))
        {
            Mapping.Add(new(c.AccountFactor == 1 ? 20 : priority++, c.From(5400), c.To(5449), centre.Id, "*", "END-CLI"));
        }

        Mapping.Add(new(30, c.From(4000), c.To(6999), "*", DemoData.ProjectSaas, "APP-SAAS"));
        priority = 31;
        foreach (var centre in c.CostCentres.Where(x => x.Section == "KS-4610"))
        {
            Mapping.Add(new(c.AccountFactor == 1 ? 40 : priority++, c.From(5650), c.To(5699), centre.Id, "*", "APP-OPS"));
        }

        priority = c.AccountFactor == 1 ? 90 : 1_000;
        foreach (var centre in c.CostCentres.Where(x => x.ObjectId == "TWR-DC"))
        {
            Mapping.Add(new(priority++, c.From(5000), c.To(5099), centre.Id, "*", "TWR-DC"));
            Mapping.Add(new(priority++, c.From(6913), c.To(6913), centre.Id, "*", "TWR-DC"));
        }

        var offices = c.AccountFactor == 1 ? 100 : 2_000;
        Mapping.Add(new(offices, c.From(5000), c.To(5099), "*", "*", DemoData.Offices));
        Mapping.Add(new(offices + 10, c.From(6913), c.To(6913), "*", "*", DemoData.Offices));
        priority = c.AccountFactor == 1 ? 200 : 10_000;
        foreach (var centre in c.CostCentres.Where(x => x.ObjectId is not null).OrderBy(x => x.Id, StringComparer.Ordinal))
        {
            Mapping.Add(new(priority, c.From(4000), c.To(6999), centre.Id, "*", centre.ObjectId!));
            priority += 10;
        }
    }

    /// <summary>Step 1 shared objects → towers, step 2 towers → services, step 3 services → tenants.</summary>
    private void BuildRules()
    {
        foreach (var rule in Catalogue.ObjectRules)
        {
            var targets = rule.Targets
                ?? (rule.ListTargets ? string.Join(";", rule.Volumes.Select(v => v.Target).Order(StringComparer.Ordinal)) : "");
            Rules.Add(new(rule.Step, rule.Source, rule.Method, rule.Driver, targets));
        }

        var itm = Catalogue.ObjectRules.Single(r => r.Source == "TWR-ITM").Targets;
        if (itm != string.Join(";", Catalogue.Services.Select(s => s.Id).Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException("TWR-ITM must list every service");
        }

        foreach (var service in Catalogue.Services)
        {
            Rules.Add(service.Id == "PLT-DEV"
                ? new(3, service.Id, "even", null, string.Join(";", DemoData.DevelopmentTenants))
                : new(3, service.Id, "driver", service.Driver, ""));
        }

        Rules.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : string.CompareOrdinal(a.Source, b.Source));
    }

    /// <summary>Tower-level keys: staff per tower from the cost centres, the others around their listed volumes.</summary>
    private void DrawObjectDrivers()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("object-drivers"));
        foreach (var rule in Catalogue.ObjectRules.Where(r => r.Method == "driver"))
        {
            if (rule.Driver == "staff_fte")
            {
                for (var y = 0; y < Years; y++)
                {
                    var perTower = new SortedDictionary<string, long>(StringComparer.Ordinal);
                    for (var c = 0; c < Catalogue.CostCentres.Length; c++)
                    {
                        var tower = StaffTower(Catalogue.CostCentres[c]);
                        if (tower is not null)
                        {
                            perTower[tower] = perTower.GetValueOrDefault(tower) + (Fte[c][y] * 100_000L);
                        }
                    }

                    foreach (var (tower, actual) in perTower)
                    {
                        AddDriver(FirstYear + y, Actual, rule.Driver, tower, actual);
                        AddDriver(FirstYear + y, Budget, rule.Driver, tower, RoundTo(rng.Scale(actual, 970_000, 1_030_000), 100_000));
                        AddDriver(FirstYear + y, Forecast, rule.Driver, tower, actual);
                    }
                }

                continue;
            }

            foreach (var (target, volume) in rule.Volumes)
            {
                var level = volume * 1_000_000;
                for (var y = 0; y < Years; y++)
                {
                    if (y > 0)
                    {
                        level = Rng.Ppm(level, rule.GrowthPpm);
                    }

                    AddScenarios(rng, FirstYear + y, rule.Driver!, target, rng.Scale(level, 960_000, 1_040_000), Step(rule.Decimals), floor: Step(rule.Decimals));
                }
            }
        }
    }

    /// <summary>Step-3 keys per tenant and year from its head count, its own intensity and the key's growth.</summary>
    private void DrawTenantDrivers()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("tenant-drivers"));
        var tenants = Catalogue.Tenants;
        for (var t = 0; t < tenants.Length; t++)
        {
            var tenant = tenants[t];
            var itIntensity = rng.Between(600_000, 1_600_000);
            var dataIntensity = rng.Between(500_000, 3_000_000);
            var supportFactor = rng.Between(700_000, 1_400_000);
            var connected = ConnectedYear(tenant);
            foreach (var key in Catalogue.TenantKeys)
            {
                var service = ServiceIndex(Catalogue.Services.Single(s => s.Driver == key.Driver).Id);
                var intensity = key.Driver switch
                {
                    "storage_tb" => dataIntensity,
                    "support_tickets" => supportFactor,
                    "employees" => 1_000_000,
                    "users" or "client_devices" or "connected_users" => rng.Between(900_000, 1_100_000),
                    _ => itIntensity,
                };
                var level = Math.Max(key.FloorMicro, Rng.Ppm(tenant.Employees * key.PerEmployeeMicro, intensity));
                for (var y = 0; y < Years; y++)
                {
                    var year = FirstYear + y;
                    if (y > 0)
                    {
                        level = rng.Scale(Rng.Ppm(level, key.GrowthPpm), 960_000, 1_040_000);
                    }

                    if (!Uses[t, service])
                    {
                        continue;
                    }

                    if (year < connected)
                    {
                        // A tenant that connects next year is already in the budget with a zero head count.
                        if (year == connected - 1 && key.Driver == "employees")
                        {
                            for (var s = 0; s < Scenarios.Length; s++)
                            {
                                AddDriver(year, s, key.Driver, tenant.Id, 0);
                            }
                        }

                        continue;
                    }

                    if (y == 0 && tenant.Id == DemoData.ZeroVolumeTenant && key.Driver == "saas_licences")
                    {
                        for (var s = 0; s < Scenarios.Length; s++)
                        {
                            AddDriver(year, s, key.Driver, tenant.Id, 0);
                        }

                        continue;
                    }

                    AddScenarios(rng, year, key.Driver, tenant.Id, level, Step(key.Decimals), floor: Step(key.Decimals));
                }
            }
        }
    }

    /// <summary>Actual as drawn; budget within ±5 % of it; forecast three quarters of the way from budget to actual.</summary>
    private void AddScenarios(Rng rng, int year, string driver, string target, long actualMicro, long step, long floor)
    {
        var actual = Math.Max(floor, RoundTo(actualMicro, step));
        var budget = Math.Max(floor, RoundTo(rng.Scale(actualMicro, 950_000, 1_050_000), step));
        var forecast = Math.Max(floor, RoundTo(rng.Scale(((3 * actual) + budget) / 4, 990_000, 1_010_000), step));
        AddDriver(year, Actual, driver, target, actual);
        AddDriver(year, Budget, driver, target, budget);
        AddDriver(year, Forecast, driver, target, forecast);
    }

    /// <summary>The tower whose staff a cost centre counts to for the administration key.</summary>
    private static string? StaffTower(CostCentreDef centre) => centre.ObjectId switch
    {
        null => null,
        "FUN-SUP" => "TWR-DELIVERY",
        var id when id.StartsWith("TWR-", StringComparison.Ordinal) => id,
        _ => null,
    };

    public int ServiceIndex(string id) => Array.FindIndex(Catalogue.Services, s => s.Id == id);

    /// <summary>One unit of the last kept decimal, in millionths.</summary>
    private static long Step(int decimals) => decimals switch
    {
        0 => 1_000_000,
        1 => 100_000,
        2 => 10_000,
        _ => throw new ArgumentOutOfRangeException(nameof(decimals), decimals, null),
    };

    /// <summary>Rounds a non-negative value to a multiple of <paramref name="step"/>, halves up.</summary>
    private static long RoundTo(long value, long step) => (value + (step / 2)) / step * step;
}
