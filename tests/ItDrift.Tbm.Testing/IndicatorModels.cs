using System.Globalization;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>
/// Two small suppliers worked by hand for the indicator tests (docs/indicators.md has the same numbers).
/// </summary>
/// <remarks>
/// <para><b>FK</b>, 2024 and 2025, one cost pool, each account range mapped straight to a service:</para>
/// <list type="bullet">
/// <item>INF-VM by key <c>vms</c>: 2024 1 000.00 over T-A 4, T-B 6 (400 / 600; 10 units, 100.00 a unit);
///   2025 1 320.00 over T-A 5, T-B 6 (600 / 720; 11 units, 120.00).</item>
/// <item>END-OFF by key <c>users</c>, listed targets T-A;T-B;T-C: 2024 600.00 over 20 / 10 / 30 (200 / 100 / 300;
///   10.00 a user); 2025 over 30 / 10 and no row for T-C (450 / 150; 15.00): one listed target without a volume.</item>
/// <item>FUN-SUP even over T-A;T-B;T-C: 2024 300.00 (100 each), 2025 330.00 (110 each).</item>
/// <item>Account 7999 is unmapped: 100.00 in 2024, 50.00 in 2025.</item>
/// </list>
/// <para>Fees 2025: T-A 1 160.00, T-B 980.00, T-C 110.00 (2024: 700.00, 800.00, 400.00). T-A has 100 employees,
/// 30 users (key users) and 40 workstations (key client_devices); T-B 50 employees and 10 users; T-C neither.</para>
/// <para>Baselines (table): T-A 2023 INF-VM 500.00 for 4 virtual servers, END-OFF 300.00 for 25 users, area FUN 50.00;
/// T-B 2024 INF-VM 900.00 without a quantity; T-C none.</para>
/// <para><b>SKV</b>, 2025 only: INF-VM 900.00 by <c>vms</c> over T-A 1, T-E 2 (300 / 600; 3 units, 300.00);
/// APP-OPS 300.00 even over T-A;T-E;T-F (100 each). Fees: T-A 400.00, T-E 700.00, T-F 100.00.</para>
/// </remarks>
internal static class IndicatorModels
{
    public static Dictionary<string, string> Fk() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2024,1,4010,K1,1000.00
            2024,1,5010,K1,600.00
            2024,1,6010,K1,300.00
            2024,1,7999,K1,100.00
            2025,1,4010,K1,1320.00
            2025,1,5010,K1,600.00
            2025,1,6010,K1,330.00
            2025,1,7999,K1,50.00
            """,
        ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,8999,Other",
        ["objects.csv"] = """
            object_id,kind,name,area,unit
            INF-VM,service,Virtuell maskintjänst,INF,virtual server
            END-OFF,service,Kontorsstödstjänster,END,user
            FUN-SUP,service,Support,FUN,ticket
            """,
        ["tenants.csv"] = """
            tenant_id,name,employees
            T-A,Myndighet A,100
            T-B,Myndighet B,50
            T-C,Myndighet C,
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,4999,*,INF-VM
            2,5000,5999,*,END-OFF
            3,6000,6999,*,FUN-SUP
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,INF-VM,driver,vms,
            1,END-OFF,driver,users,T-A;T-B;T-C
            1,FUN-SUP,even,,T-A;T-B;T-C
            """,
        ["drivers.csv"] = """
            fiscal_year,driver,target,quantity
            2024,vms,T-A,4
            2024,vms,T-B,6
            2025,vms,T-A,5
            2025,vms,T-B,6
            2024,users,T-A,20
            2024,users,T-B,10
            2024,users,T-C,30
            2025,users,T-A,30
            2025,users,T-B,10
            2025,client_devices,T-A,40
            """,
        ["baseline.csv"] = """
            tenant,year,service,cost,quantity,unit,employees
            T-A,2023,INF-VM,500.00,4,virtual server,90
            T-A,2023,END-OFF,300.00,25,user,90
            T-A,2023,FUN,50.00,,,90
            T-B,2024,INF-VM,900.00,,,
            """,
    };

    public static Dictionary<string, string> Skv() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "SKV", "name": "Skatteverket", "orgNr": "202100-5448"}}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2025,1,4010,K1,900.00
            2025,1,5010,K1,300.00
            """,
        ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,8999,Other",
        ["objects.csv"] = """
            object_id,kind,name,area,unit
            INF-VM,service,Virtuell maskintjänst,INF,virtual server
            APP-OPS,service,Applikationsdrift,APP,application
            """,
        ["tenants.csv"] = """
            tenant_id,name,employees
            T-A,Myndighet A,100
            T-E,Myndighet E,20
            T-F,Myndighet F,30
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,4999,*,INF-VM
            2,5000,5999,*,APP-OPS
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,INF-VM,driver,vms,
            1,APP-OPS,even,,T-A;T-E;T-F
            """,
        ["drivers.csv"] = """
            fiscal_year,driver,target,quantity
            2025,vms,T-A,1
            2025,vms,T-E,2
            """,
    };

    /// <summary>Runs a package and returns its run folder.</summary>
    public static string Run(TempFolder temp, string name, Dictionary<string, string> files)
    {
        var output = temp.Combine("out-" + name);
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(temp.Combine(name), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    /// <summary>Runs FK and SKV and publishes both into one runs store; returns the store and the run ids.</summary>
    public static (string Runs, string Fk, string Skv) Publish(TempFolder temp)
    {
        var store = new RunStore(temp.Combine("runs"));
        string PublishOne(string name, Dictionary<string, string> files)
        {
            var work = store.NewWorkFolder();
            var result = TbmEngine.Run(new RunOptions(SmallModel.Write(temp.Combine(name), files), work));
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
            return result.RunId!;
        }

        return (store.Root, PublishOne("fk", Fk()), PublishOne("skv", Skv()));
    }
}

/// <summary><c>kpi.csv</c> read into a lookup by year, scenario, scope, subject and indicator.</summary>
internal sealed class KpiFile
{
    private readonly Dictionary<string, (decimal Value, string Unit, string Version)> _rows = new(StringComparer.Ordinal);

    public KpiFile(string runFolder)
    {
        var lines = File.ReadAllLines(Path.Combine(runFolder, "kpi.csv"));
        Assert.Equal("fiscal_year,scenario,scope,subject,indicator,value,unit,baseline_version", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var f = Split(line);
            Assert.True(_rows.TryAdd($"{f[0]}|{f[1]}|{f[2]}|{f[3]}|{f[4]}", (decimal.Parse(f[5], NumberStyles.Number, CultureInfo.InvariantCulture), f[6], f[7])), "duplicate row " + line);
        }

        Lines = lines;
    }

    public IReadOnlyList<string> Lines { get; }

    public decimal? Value(int year, string scope, string subject, string indicator, string scenario = "actual") =>
        _rows.TryGetValue(FormattableString.Invariant($"{year}|{scenario}|{scope}|{subject}|{indicator}"), out var row) ? row.Value : null;

    public string? Version(int year, string scope, string subject, string indicator) =>
        _rows.TryGetValue(FormattableString.Invariant($"{year}|actual|{scope}|{subject}|{indicator}"), out var row) ? row.Version : null;

    public string? Unit(int year, string scope, string subject, string indicator) =>
        _rows.TryGetValue(FormattableString.Invariant($"{year}|actual|{scope}|{subject}|{indicator}"), out var row) ? row.Unit : null;

    /// <summary>RFC 4180 fields of one line (units may be quoted), by the engine's own splitter.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        ItDrift.Tbm.Ingest.CsvTableReader.Split(line, ',', fields, out _);
        return fields;
    }
}

/// <summary>A clock that says what the test tells it.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
