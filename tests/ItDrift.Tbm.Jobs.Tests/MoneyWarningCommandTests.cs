using System.Text.Json;
using ItDrift.Tbm.Jobs.Cli;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm validate</c> and <c>tbm run</c> say what is skipped as not costs, per account class, and warn (exit 0)
/// about money that would vanish silently: a ledger account mistyped 4011 → 9011 holding 980 000.00, a mistyped
/// cost centre holding 2 500.00, and a listed tenant without a driver row.
/// </summary>
public sealed class MoneyWarningCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tbm-money-" + Guid.NewGuid().ToString("N")[..8]);

    public MoneyWarningCommandTests()
    {
        var model = Path.Combine(_folder, "model");
        Directory.CreateDirectory(model);
        foreach (var (name, text) in Package())
        {
            File.WriteAllText(Path.Combine(model, name), text.ReplaceLineEndings("\n") + "\n");
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private const string Skipped =
        "Skipped, not costs (outside costAccounts): class 1 (assets) 1 line 12 345.67 kr; class 2 (equity and liabilities) 1 line -8 000.00 kr; "
        + "class 3 (revenue) 2 lines -1 150 000.00 kr; class 9 (not a BAS class) 1 line 980 000.00 kr";

    private static readonly string[] Warnings =
    [
        "warning: ledger: account 9011, class 9 (not a BAS class), is outside costAccounts and not a balance-sheet or revenue account, so it is skipped, not allocated: "
            + "980 000.00 kr on 1 line in 2025 actual. Correct the account, or add it to costAccounts if it is a cost",
        "warning: ledger: account 4011, cost centre 'KS-NTE', no project, matches no mapping row, so it stays unallocated (UNMAPPED): "
            + "2 500.00 kr on 2 lines in 2025 actual. Correct the cost centre or account, or add a mapping row",
        "warning: rules.csv: line 2: tenant 'T-KFM' is a listed target of INF-NET but has no row for driver 'network_connections' in 2025 actual, where other targets have one: "
            + "it pays nothing for INF-NET there. Add its row to drivers (quantity 0 if it uses none)",
    ];

    [Fact]
    public void Validate_NamesTheAccountAndItsAmount_AndTheSkippedClasses_AndExitsWith0()
    {
        var (code, stdout, stderr) = Tbm("validate", "--model", Path.Combine(_folder, "model"));
        Assert.True(code == 0, stderr);
        Assert.Equal([Skipped, "The model is valid, with 3 warnings."], Lines(stdout));
        Assert.Equal(Warnings, Lines(stderr));
    }

    [Fact]
    public void Run_PrintsTheSame_AndRunJsonCarriesThem()
    {
        var output = Path.Combine(_folder, "run");
        var (code, stdout, stderr) = Tbm("run", "--model", Path.Combine(_folder, "model"), "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Equal(Skipped, Lines(stdout)[0]);
        Assert.StartsWith("Run ", Lines(stdout)[1], StringComparison.Ordinal);
        Assert.Equal(Warnings, Lines(stderr));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "run.json")));
        Assert.Equal(Warnings.Select(w => w["warning: ".Length..]), json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        var nine = json.RootElement.GetProperty("ledger").GetProperty("skippedByClass").EnumerateArray().Single(c => c.GetProperty("class").GetString() == "9");
        Assert.Equal("980000.00", nine.GetProperty("amount").GetString());
        Assert.Equal(1, nine.GetProperty("lines").GetInt64());
    }

    [Fact]
    public void Validate_SaysSo_WhenNothingIsSkippedOrWarned()
    {
        var model = Path.Combine(_folder, "model");
        File.WriteAllText(Path.Combine(model, "ledger.csv"), "fiscal_year,period,account,cost_center,amount\n2025,1,4011,KS-NET,100.00\n");
        File.AppendAllText(Path.Combine(model, "drivers.csv"), "2025,network_connections,T-KFM,0\n");
        var (code, stdout, stderr) = Tbm("validate", "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Equal(["Skipped, not costs (outside costAccounts): none", "The model is valid."], Lines(stdout));
        Assert.Equal("", stderr);
    }

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Trafikverket 2025: 4011 KS-NET 40 000.00 to INF-NET; the typo 9011 (980 000.00); the typo KS-NTE (2 000.00 + 500.00);
    /// revenue 3011 (−150 000.00 and −1 000 000.00), bank 1930 (12 345.67), payables 2440 (−8 000.00). INF-NET goes by
    /// network connections to T-POL;T-TULL;T-KFM, and T-KFM has no row.
    /// </summary>
    private static Dictionary<string, string> Package() => new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "TRV", "name": "Trafikverket", "orgNr": "202100-6297"}, "costAccounts": [[4000, 8999]]}""",
        ["ledger.csv"] = """
            fiscal_year,period,account,cost_center,amount
            2025,1,4011,KS-NET,40000.00
            2025,1,9011,KS-NET,980000.00
            2025,2,4011,KS-NTE,2000.00
            2025,3,4011,KS-NTE,500.00
            2025,6,3011,KS-NET,-150000.00
            2025,7,3011,KS-NET,-1000000.00
            2025,12,1930,,12345.67
            2025,12,2440,,-8000.00
            """,
        ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,8999,Internal Labor",
        ["objects.csv"] = "object_id,kind,name\nINF-NET,service,Nätverk",
        ["tenants.csv"] = "tenant_id,name\nT-POL,Polismyndigheten\nT-TULL,Tullverket\nT-KFM,Kronofogdemyndigheten",
        ["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n10,4000,4999,KS-NET,INF-NET",
        ["rules.csv"] = "step,source,method,driver,targets\n1,INF-NET,driver,network_connections,T-POL;T-TULL;T-KFM",
        ["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,network_connections,T-POL,10\n2025,network_connections,T-TULL,6",
    };
}
