namespace ItDrift.Tbm.Datasets;

/// <summary>
/// The rule of a tower or shared object. For a <c>driver</c> rule the quantities per target are drawn
/// around <paramref name="Volumes"/> (first year) with <paramref name="GrowthPpm"/> a year and rounded to
/// <paramref name="Decimals"/>; <paramref name="ListTargets"/> writes the targets into the rule instead of
/// leaving them to the driver rows.
/// </summary>
internal sealed record ObjectRule(
    int Step,
    string Source,
    string Method,
    string? Driver,
    (string Target, long Volume)[] Volumes,
    string? Targets = null,
    int Decimals = 0,
    long GrowthPpm = 1_000_000,
    bool ListTargets = false);

internal static partial class DemoData
{
    /// <summary>Tenant-level keys: how much of a key one employee of a tenant stands for, in millionths, and its yearly growth.</summary>
    /// <param name="Driver">The driver's name in <c>drivers.csv</c>.</param>
    /// <param name="PerEmployeeMicro">Volume per employee at the first year (before the tenant's own intensity factor).</param>
    /// <param name="FloorMicro">The least a using tenant has.</param>
    /// <param name="Decimals">Decimals kept in the drivers file.</param>
    /// <param name="GrowthPpm">Yearly change of the volume, in millionths (1 000 000: none).</param>
    internal sealed record TenantKey(string Driver, long PerEmployeeMicro, long FloorMicro, int Decimals, long GrowthPpm);

    /// <summary>The step-3 keys, one per catalogue driver except <c>developers</c> (PLT-DEV is shared evenly).</summary>
    public static readonly TenantKey[] TenantKeys =
    [
        new("racks", 2_500, 1_000_000, 1, 1_010_000),
        new("network_connections", 3_000, 1_000_000, 0, 1_000_000),
        new("physical_servers", 12_000, 2_000_000, 0, 970_000),
        new("virtual_servers", 90_000, 3_000_000, 0, 1_045_000),
        new("managed_servers", 40_000, 2_000_000, 0, 1_020_000),
        new("storage_tb", 35_000, 500_000, 2, 1_120_000),
        new("vdc_vcpus", 120_000, 16_000_000, 0, 1_060_000),
        new("databases", 20_000, 2_000_000, 0, 1_030_000),
        new("app_platform_instances", 20_000, 2_000_000, 0, 1_040_000),
        new("container_vcpus", 80_000, 8_000_000, 0, 1_150_000),
        new("monitored_servers", 100_000, 3_000_000, 0, 1_040_000),
        new("support_tickets", 2_200_000, 20_000_000, 0, 970_000),
        new("employees", 1_000_000, 1_000_000, 0, 1_005_000),
        new("users", 1_120_000, 5_000_000, 0, 1_010_000),
        new("client_devices", 1_250_000, 5_000_000, 0, 1_010_000),
        new("connected_users", 800_000, 5_000_000, 0, 1_015_000),
        new("applications", 25_000, 3_000_000, 0, 1_020_000),
        new("application_hours", 2_000_000, 150_000_000, 0, 990_000),
        new("saas_licences", 600_000, 5_000_000, 0, 1_080_000),
    ];

    /// <summary>Steps 1 and 2: shared objects onto towers, towers onto services.</summary>
    public static readonly ObjectRule[] ObjectRules =
    [
        // Administration follows the staff: each tower's full-time equivalents (drawn from the cost centres).
        new(1, Overhead, "driver", "staff_fte", [], Decimals: 1),

        // Office space in square metres per tower, as agreed with the facilities unit.
        new(1, Offices, "fixed", null, [], Targets: "TWR-APP:840;TWR-COMPUTE:520;TWR-DELIVERY:1220.5;TWR-EUC:410;TWR-ITM:380;TWR-NETWORK:260;TWR-OUTPUT:150;TWR-PLATFORM:450;TWR-SECURITY:300;TWR-STORAGE:180"),

        new(2, "TWR-DC", "driver", "dc_racks",
            [("INF-DC", 38), ("INF-NET", 18), ("INF-PHYS", 22), ("INF-SRV", 30), ("INF-STO", 46), ("INF-VM", 64), ("PLT-CONT", 8), ("PLT-DATA", 14), ("PLT-VDC", 12)],
            Decimals: 1, GrowthPpm: 1_015_000),
        new(2, "TWR-COMPUTE", "driver", "compute_hosts",
            [("FUN-MON", 12), ("INF-PHYS", 140), ("INF-SRV", 210), ("INF-VM", 420), ("PLT-APP", 80), ("PLT-CONT", 60), ("PLT-DATA", 120), ("PLT-DEV", 24), ("PLT-VDC", 90)],
            GrowthPpm: 1_030_000),
        new(2, "TWR-STORAGE", "driver", "storage_tb_alloc",
            [("APP-OPS", 260), ("END-OFF", 380), ("INF-SRV", 450), ("INF-STO", 2400), ("INF-VM", 900), ("PLT-CONT", 120), ("PLT-DATA", 1100), ("PLT-VDC", 300)],
            Decimals: 2, GrowthPpm: 1_110_000),
        new(2, "TWR-NETWORK", "driver", "network_ports",
            [("END-CON", 2600), ("INF-DC", 400), ("INF-NET", 1800), ("INF-PHYS", 600), ("INF-SRV", 250), ("INF-VM", 300)],
            GrowthPpm: 1_010_000),
        new(2, "TWR-PLATFORM", "driver", "platform_instances",
            [("PLT-APP", 310), ("PLT-CONT", 140), ("PLT-DATA", 520), ("PLT-DEV", 60), ("PLT-VDC", 90)],
            GrowthPpm: 1_040_000),
        new(2, "TWR-OUTPUT", "direct", null, [], Targets: "END-OFF"),
        new(2, "TWR-EUC", "driver", "end_user_devices",
            [("END-CLI", 16500), ("END-CON", 9000), ("END-OFF", 14000)],
            GrowthPpm: 1_010_000),
        new(2, "TWR-APP", "driver", "app_hours",
            [("APP-MGT", 72000), ("APP-OPS", 48000), ("APP-SAAS", 9000)],
            GrowthPpm: 1_000_000, ListTargets: true),
        new(2, "TWR-DELIVERY", "driver", "delivery_hours",
            [("APP-OPS", 8000), ("FUN-MON", 21000), ("FUN-SUP", 52000), ("INF-SRV", 6000)],
            GrowthPpm: 995_000),
        new(2, "TWR-SECURITY", "fixed", null, [], Targets: "END-CLI:10;END-CON:15;FUN-SEC:60;INF-NET:15"),
        // IT management is shared evenly: every service needs governance, whatever its size. (Literal, not
        // built from Services: static fields of a partial class initialise in no guaranteed order.)
        new(2, "TWR-ITM", "even", null, [], Targets: "APP-MGT;APP-OPS;APP-SAAS;END-CLI;END-CON;END-OFF;FUN-MON;FUN-SEC;FUN-SUP;INF-DC;INF-NET;INF-PHYS;INF-SRV;INF-STO;INF-VM;PLT-APP;PLT-CONT;PLT-DATA;PLT-DEV;PLT-VDC"),
    ];
}
