namespace ItDrift.Tbm.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tbm-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort; the OS cleans temp
        }
    }
}

/// <summary>A small valid model package written from strings, for tests that change one thing.</summary>
internal static class SmallModel
{
    /// <summary>The files, each ending in a newline so a test can append rows with <c>+=</c>.</summary>
    public static Dictionary<string, string> Files() => Base().ToDictionary(f => f.Key, f => f.Value.ReplaceLineEndings("\n") + "\n", StringComparer.Ordinal);

    private static Dictionary<string, string> Base() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "costAccounts": [[4000, 8999]]}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2025,1,4011,KS1,100.00
            2025,1,5460,KS1,0.05
            2025,2,5011,KS2,-10.00
            2025,2,7999,KS9,3.00
            2025,3,3011,KS1,999.00
            """,
        ["cost_pools.csv"] = """
            account_from,account_to,cost_pool
            4000,4999,Internal Labor
            5000,5399,Facilities & Power
            5400,5499,Software
            5500,8999,Other
            """,
        ["objects.csv"] = """
            object_id,kind,name
            TWR-DC,tower,Data Center
            INF-VM,service,Virtual machines
            FUN-SUP,service,Support
            """,
        ["tenants.csv"] = """
            tenant_id,name,org_nr
            T-A,Agency A,202100-5448
            T-B,Agency B,
            T-C,Agency C,
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,4999,*,TWR-DC
            2,5000,5999,*,FUN-SUP
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,TWR-DC,fixed,,INF-VM:2;FUN-SUP:1
            2,INF-VM,driver,vms,
            2,FUN-SUP,even,,T-A;T-B;T-C
            """,
        ["drivers.csv"] = """
            fiscal_year,driver,target,quantity
            2025,vms,T-A,1.5
            2025,vms,T-B,1
            """,
    };

    public static string Write(string folder, Dictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            var normalised = text.ReplaceLineEndings("\n");
            File.WriteAllText(System.IO.Path.Combine(folder, name), normalised.EndsWith('\n') ? normalised : normalised + "\n");
        }

        return folder;
    }
}
