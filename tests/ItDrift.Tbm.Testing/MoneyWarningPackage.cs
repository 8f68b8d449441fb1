namespace ItDrift.Tbm.Tests.Validation;

/// <summary>The package of the tests of warnings about money, and the warnings it gives.</summary>
/// <remarks>
/// The package, 2025 actual and 2025 budget, cost accounts 4000–8999:
/// <list type="bullet">
/// <item>skipped: 9011 (a typo of 4011) 980 000.00 actual and 20 000.00 budget: class 9, warned; 123 (three
/// digits) 50.00: no class, warned; 1930 bank 12 345.67 (class 1), 2440 payables −8 000.00 (class 2), 3011
/// revenue −150 000.00 (class 3): counted, not warned. Skipped: 6 lines, 854 395.67 in all.</item>
/// <item>unmapped: 4011 on cost centre KS-TYPO, 2 000.00 + 500.00 = 2 500.00 on 2 lines (the mapping names
/// KS1 and KS2 only): warned. 6110 is mapped to UNMAPPED on purpose (row 3): 300.00 unallocated, not warned.</item>
/// <item>SVC-A, driver users, targets T-A;T-B;T-C: T-C has no users row in 2025 actual (warned), and an explicit
/// 0 in 2025 budget (not warned). SVC-B, driver tickets, no listed targets: T-C has a row in 2025 budget but
/// none in 2025 actual, where it takes SVC-C (warned); T-D never has one (not warned).</item>
/// </list>
/// </remarks>
internal static class MoneyWarningPackage
{
    /// <summary>The package's files, each ending in a newline so that a test can append rows.</summary>
    public static Dictionary<string, string> Package() => Files().ToDictionary(f => f.Key, f => f.Value.ReplaceLineEndings("\n") + "\n", StringComparer.Ordinal);

    private static Dictionary<string, string> Files() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "costAccounts": [[4000, 8999]]}""",
        ["ledger.csv"] = """
            fiscal_year,period,scenario,account,cost_center,amount
            2025,1,actual,4011,KS1,100000.00
            2025,1,actual,9011,KS1,980000.00
            2025,1,actual,3011,KS1,-150000.00
            2025,1,actual,1930,,12345.67
            2025,1,actual,2440,,-8000.00
            2025,1,actual,123,KS1,50.00
            2025,2,actual,4011,KS-TYPO,2000.00
            2025,3,actual,4011,KS-TYPO,500.00
            2025,2,actual,5460,KS2,700.00
            2025,2,actual,6110,KS1,300.00
            2025,2,actual,7011,KS1,900.00
            2025,1,budget,4011,KS1,90000.00
            2025,1,budget,9011,KS1,20000.00
            2025,1,budget,5460,KS2,700.00
            2025,1,budget,7011,KS1,900.00
            """,
        ["cost_pools.csv"] = """
            account_from,account_to,cost_pool
            4000,4999,Internal Labor
            5000,5999,Software
            6000,6999,Other
            7000,8999,Facilities & Power
            """,
        ["objects.csv"] = """
            object_id,kind,name,area
            SVC-A,service,Service A,Tjänster
            SVC-B,service,Service B,Tjänster
            SVC-C,service,Service C,Tjänster
            """,
        ["tenants.csv"] = """
            tenant_id,name
            T-A,Agency A
            T-B,Agency B
            T-C,Agency C
            T-D,Agency D
            """,
        ["mapping.csv"] = """
            priority,account_from,account_to,cost_center,object_id
            1,4000,4999,KS1,SVC-A
            2,5000,5999,KS2,SVC-B
            3,6000,6999,*,UNMAPPED
            4,7000,7999,*,SVC-C
            """,
        ["rules.csv"] = """
            step,source,method,driver,targets
            1,SVC-A,driver,users,T-A;T-B;T-C
            1,SVC-B,driver,tickets,
            1,SVC-C,even,,T-A;T-B;T-C;T-D
            """,
        ["drivers.csv"] = """
            fiscal_year,scenario,driver,target,quantity
            2025,actual,users,T-A,10
            2025,actual,users,T-B,30
            2025,budget,users,T-A,10
            2025,budget,users,T-B,30
            2025,budget,users,T-C,0
            2025,actual,tickets,T-A,5
            2025,actual,tickets,T-B,5
            2025,budget,tickets,T-A,5
            2025,budget,tickets,T-B,5
            2025,budget,tickets,T-C,3
            """,
    };

    public const string Account9011 =
        "ledger: account 9011, class 9 (not a BAS class), is outside costAccounts and not a balance-sheet or revenue account, so it is skipped, not allocated: "
        + "2025 actual 980 000.00 kr (1 line), 2025 budget 20 000.00 kr (1 line). Correct the account, or add it to costAccounts if it is a cost";

    public const string Account123 =
        "ledger: account 123, not a BAS account (fewer than four digits), is outside costAccounts and not a balance-sheet or revenue account, so it is skipped, not allocated: "
        + "50.00 kr on 1 line in 2025 actual. Correct the account, or add it to costAccounts if it is a cost";

    public const string CostCentreTypo =
        "ledger: account 4011, cost centre 'KS-TYPO', no project, matches no mapping row, so it stays unallocated (UNMAPPED): "
        + "2 500.00 kr on 2 lines in 2025 actual. Correct the cost centre or account, or add a mapping row";

    public const string ListedTarget =
        "rules.csv: line 2: tenant 'T-C' is a listed target of SVC-A but has no row for driver 'users' in 2025 actual, where other targets have one: "
        + "it pays nothing for SVC-A there. Add its row to drivers (quantity 0 if it uses none)";

    public const string OpenRule =
        "rules.csv: line 3: tenant 'T-C' has no row for driver 'tickets' in 2025 actual (it has one in 2025 budget), and takes other services there: "
        + "it pays nothing for SVC-B there. Add its row to drivers (quantity 0 if it uses none)";
}
