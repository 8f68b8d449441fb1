using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// A runs store with two suppliers' published runs (FK with tenants T-A…T-D, SKV with T-X and T-Y)
/// and a keys file with a key for every kind of caller, in a temporary folder.
/// </summary>
public sealed class TestStore : IDisposable
{
    /// <param name="withTrafikverket">Publish also Trafikverket's run (<see cref="TrvModel"/>), with keys <c>tenant T-A of TRV</c>,
    /// <c>tenant T-C of TRV</c>, <c>prospect T-NEW of TRV</c> and <c>supplier TRV</c>.</param>
    public TestStore(bool withTrafikverket = false)
    {
        Root = Path.Combine(Path.GetTempPath(), "tbm-api-test-" + Guid.NewGuid().ToString("N")[..12]);
        Runs = Path.Combine(Root, "runs");
        KeysFile = Path.Combine(Root, "keys.json");
        var store = new RunStore(Runs);
        FkRun = Publish(store, Write(Path.Combine(Root, "models", "fk"), FkModel()));
        SkvRun = Publish(store, Write(Path.Combine(Root, "models", "skv"), SkvModel()));
        FkFolder = Path.Combine(Runs, "FK", FkRun);

        var keys = new ApiKeyStore(KeysFile);
        Keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tenant T-A"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-A", "FK"), "test").Key,
            ["tenant T-B"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-B", "FK"), "test").Key,
            ["tenant T-D"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-D", "FK"), "test").Key,
            ["tenant T-X"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-X", "SKV"), "test").Key,
            ["prospect T-NEW"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-NEW", "FK"), "test").Key,
            ["prospect T-NEW of SKV"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-NEW", "SKV"), "test").Key,
            ["supplier FK"] = keys.Add(AccessGrant.Create(Role.Supplier, null, "FK"), "test").Key,
            ["supplier SKV"] = keys.Add(AccessGrant.Create(Role.Supplier, null, "SKV"), "test").Key,
            ["coordinator"] = keys.Add(AccessGrant.Create(Role.Coordinator, null, null), "test").Key,
            ["esv"] = keys.Add(AccessGrant.Create(Role.Esv, null, null), "test").Key,
        };
        var (revoked, revokedKey) = keys.Add(AccessGrant.Create(Role.Coordinator, null, null), "revoked");
        keys.Revoke(revoked.Id);
        Keys["revoked"] = revokedKey;
        Keys["bad"] = "tbm_000000000000_notakeynotakeynotakeynotakeynotakeynot";
        if (withTrafikverket)
        {
            TrvRun = Publish(store, Write(Path.Combine(Root, "models", "trv"), TrvModel()));
            Keys["tenant T-A of TRV"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-A", "TRV"), "test").Key;
            Keys["tenant T-C of TRV"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-C", "TRV"), "test").Key;
            Keys["prospect T-NEW of TRV"] = keys.Add(AccessGrant.Create(Role.Tenant, "T-NEW", "TRV"), "test").Key;
            Keys["supplier TRV"] = keys.Add(AccessGrant.Create(Role.Supplier, null, "TRV"), "test").Key;
        }
    }

    /// <summary>Trafikverket's run, when the store was made with it.</summary>
    public string? TrvRun { get; }

    public string Root { get; }

    public string Runs { get; }

    public string KeysFile { get; }

    /// <summary>
    /// Keys by caller: <c>tenant T-A</c>, <c>tenant T-B</c>, <c>tenant T-D</c>, <c>tenant T-X</c>, <c>supplier FK</c>, <c>supplier SKV</c>,
    /// <c>coordinator</c>, <c>esv</c>, <c>revoked</c>, <c>bad</c>; and two prospects (tenant keys for T-NEW, a tenant of no run),
    /// <c>prospect T-NEW</c> bound to FK and <c>prospect T-NEW of SKV</c> bound to SKV.
    /// </summary>
    public Dictionary<string, string> Keys { get; }

    public string FkRun { get; }

    public string SkvRun { get; }

    /// <summary>The FK run's folder.</summary>
    public string FkFolder { get; }

    /// <summary>The lines of a CSV file of the FK run, header first.</summary>
    public string[] FkCsv(string table) => File.ReadAllLines(Path.Combine(FkFolder, table + ".csv"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort; the OS cleans temp
        }
    }

    private static string Publish(RunStore store, string model)
    {
        var work = store.NewWorkFolder();
        var result = TbmEngine.Run(new RunOptions(model, work));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => $"{e.File}:{e.Line} {e.Column} {e.Reason}")));
        return store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears).Run.RunId;
    }

    private static string Write(string folder, Dictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), text.ReplaceLineEndings("\n") + "\n");
        }

        return folder;
    }

    /// <summary>
    /// Försäkringskassan: a data-centre tower split 2:1 onto virtual machines (by VMs: T-A 1.5, T-B 1,
    /// T-C 2) and support (evenly over T-A…T-D); application X by licences to T-A and T-B only (fewer
    /// than three tenants: its aggregates are suppressed for tenants); account 7999 unmapped. Years
    /// 2024 and 2025 actual and 2025 budget; invoiced fees for 2025.
    /// </summary>
    private static Dictionary<string, string> FkModel()
    {
        var ledger = new List<string> { "fiscal_year,period,scenario,account,cost_center,amount" };
        foreach (var (year, scenario, factor) in new[] { (2024, "actual", 0.9m), (2025, "actual", 1m), (2025, "budget", 1.1m) })
        {
            foreach (var (account, centre, amount) in new[] { (4011, "KS1", 1000.00m), (4020, "KS3", 250.55m), (5011, "KS2", 300.00m), (5460, "KS1", 120.10m), (5600, "KS4", 80.00m), (6100, "KS5", 500.00m), (7999, "KS9", 3.00m), (3011, "KS1", 999.00m) })
            {
                ledger.Add(FormattableString.Invariant($"{year},{1 + (account % 12)},{scenario},{account},{centre},{decimal.Round(amount * factor, 2)}"));
            }
        }

        var drivers = new List<string> { "fiscal_year,scenario,driver,target,quantity" };
        foreach (var (year, scenario) in new[] { (2024, "actual"), (2025, "actual"), (2025, "budget") })
        {
            drivers.Add(FormattableString.Invariant($"{year},{scenario},vms,T-A,1.5"));
            drivers.Add(FormattableString.Invariant($"{year},{scenario},vms,T-B,1"));
            drivers.Add(FormattableString.Invariant($"{year},{scenario},vms,T-C,2"));
            drivers.Add(FormattableString.Invariant($"{year},{scenario},licences,T-A,10"));
            drivers.Add(FormattableString.Invariant($"{year},{scenario},licences,T-B,5"));
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "name": "FK test", "costAccounts": [[4000, 8999]]}""",
            ["ledger.csv"] = string.Join("\n", ledger),
            ["cost_pools.csv"] = """
                account_from,account_to,cost_pool
                4000,4999,Internal Labor
                5000,5399,Facilities & Power
                5400,5499,Software
                5500,8999,Other
                """,
            ["objects.csv"] = """
                object_id,kind,name,area,unit
                TWR-DC,tower,Datacenter,,
                INF-VM,service,Virtuell maskin,Infrastrukturtjänster,server
                FUN-SUP,service,Support,Funktionstjänster,ärende
                APP-X,service,Applikation X,Applikationstjänster,licens
                """,
            ["tenants.csv"] = """
                tenant_id,name,org_nr
                T-A,Myndighet A,202100-5448
                T-B,Myndighet B,
                T-C,Myndighet C,
                T-D,Myndighet D,
                """,
            ["mapping.csv"] = """
                priority,account_from,account_to,cost_center,object_id
                1,4000,4999,*,TWR-DC
                2,5000,5999,KS2,FUN-SUP
                3,5000,5999,*,INF-VM
                4,6000,6999,*,APP-X
                """,
            ["rules.csv"] = """
                step,source,method,driver,targets
                1,TWR-DC,fixed,,INF-VM:2;FUN-SUP:1
                2,INF-VM,driver,vms,
                2,FUN-SUP,even,,T-A;T-B;T-C;T-D
                2,APP-X,driver,licences,T-A;T-B
                """,
            ["drivers.csv"] = string.Join("\n", drivers),
            ["invoiced.csv"] = """
                fiscal_year,tenant,service,amount
                2025,T-A,INF-VM,500.00
                2025,T-A,FUN-SUP,100.00
                2025,T-B,INF-VM,300.00
                """,
            ["quantities.csv"] = """
                fiscal_year,object,kind,value
                2025,TWR-DC,energy_kwh,900
                2025,FUN-SUP,co2e_kg,40
                """,
        };
    }

    /// <summary>
    /// Trafikverket, 2025 actual: tower TW-X (1 000.00 kr) split by a key 1:1 onto SVC-S, used by T-A and T-B
    /// (evenly), and SVC-O (600.00 kr of its own), used by T-A, T-C and T-D by users 1 : 1 : 2. So SVC-S costs
    /// 500.00 (T-A 250.00, T-B 250.00) and SVC-O 1 100.00 (T-A 275.00, T-C 275.00, T-D 550.00). The tower's
    /// amount minus what it gave SVC-O is SVC-S's cost: whoever sees both learns T-B's fee from T-A's.
    /// </summary>
    private static Dictionary<string, string> TrvModel() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "TRV", "name": "Trafikverket", "orgNr": "202100-6297"}, "name": "TRV test"}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2025,1,4011,A,1000.00
            2025,2,5011,B,600.00
            """,
        ["cost_pools.csv"] = """
            account_from,account_to,cost_pool
            4000,4999,Internal Labor
            5000,8999,Other
            """,
        ["objects.csv"] = """
            object_id,kind,name
            TW-X,tower,Tornet
            SVC-S,service,Liten tjänst
            SVC-O,service,Annan tjänst
            """,
        ["tenants.csv"] = """
            tenant_id,name
            T-A,Myndighet A
            T-B,Myndighet B
            T-C,Myndighet C
            T-D,Myndighet D
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,4999,*,TW-X
            2,5000,8999,*,SVC-O
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,TW-X,driver,share,SVC-S;SVC-O
            2,SVC-S,driver,users,T-A;T-B
            2,SVC-O,driver,users,T-A;T-C;T-D
            """,
        ["drivers.csv"] = """
            fiscal_year,scenario,driver,target,quantity
            2025,actual,share,SVC-S,1
            2025,actual,share,SVC-O,1
            2025,actual,users,T-A,1
            2025,actual,users,T-B,1
            2025,actual,users,T-C,1
            2025,actual,users,T-D,2
            """,
    };

    /// <summary>Skatteverket: one tower shared evenly by T-X and T-Y, 2025 actual.</summary>
    private static Dictionary<string, string> SkvModel() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "SKV", "name": "Skatteverket", "orgNr": "202100-5448"}, "name": "SKV test"}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2025,1,4011,A,700.00
            2025,2,5011,A,300.01
            """,
        ["cost_pools.csv"] = """
            account_from,account_to,cost_pool
            4000,4999,Internal Labor
            5000,8999,Other
            """,
        ["objects.csv"] = """
            object_id,kind,name
            SRV,service,Servertjänst
            """,
        ["tenants.csv"] = """
            tenant_id,name
            T-X,Myndighet X
            T-Y,Myndighet Y
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,8999,*,SRV
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,SRV,even,,T-X;T-Y
            """,
    };
}
