using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>A FOCUS 1.x cost file as the ledger (docs/focus.md): hand-worked figures, and every problem with its line and column.</summary>
public sealed class FocusSourceTests : IDisposable
{
    private const string Json = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "focus": {"account": 5460}}""";

    // Four rows, two of them one ledger cell (January, Compute, vm-1): 10.004 + 0.003 = 10.007 → 10.01 kr.
    // Storage 20.00 and a credit of −1.50 on vm-2. Ledger total 28.51 kr, 0.003 kr above the file's exact 28.507.
    private const string Focus = """
        BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceCategory,ResourceId,Tags
        10.004,9.00,SEK,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,Compute,vm-1,"{""team"":""KS1""}"
        0.003,0,SEK,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,Compute,vm-1,"{""team"":""KS1""}"
        20.00,20.00,SEK,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,Storage,disk-7,"{""team"":""KS2""}"
        -1.50,-1.50,SEK,2025-02-01T00:00:00Z,2025-03-01T00:00:00Z,Compute,vm-2,{}

        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Files(string focus, string json = Json, string file = "focus.csv")
    {
        var files = SmallModel.Files();
        files.Remove("ledger.csv");
        files["model.json"] = json;
        files[file] = focus.ReplaceLineEndings("\n");
        return files;
    }

    private (RunResult Result, string Output) Run(Dictionary<string, string> files)
    {
        var output = _temp.Combine("run");
        return (TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output)), output);
    }

    private static string[] Rows(string folder, string file, string prefix) =>
        [.. File.ReadAllLines(Path.Combine(folder, file)).Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void Run_BooksAFocusFileOnItsAccount_SummedPerCellAndRoundedOnce()
    {
        var (result, output) = Run(Files(Focus));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        // 5460 maps to FUN-SUP (5000–5999, *), split evenly over T-A, T-B, T-C: 2 851 öre = 951 + 950 + 950.
        Assert.Equal(["2025,actual,28.51,28.51,0.00,0.00"], Rows(output, "reconciliation.csv", "2025,"));
        Assert.Equal(
            ["2025,actual,T-A,FUN-SUP,Software,9.51", "2025,actual,T-B,FUN-SUP,Software,9.50", "2025,actual,T-C,FUN-SUP,Software,9.50"],
            Rows(output, "fees.csv", "2025,"));
        Assert.Contains(result.Warnings, w => w.File == "focus.csv" && w.Message.Contains("differs from the file's exact total by 0.003 SEK", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_TakesTheCostCentreFromATag_AndTheEffectiveCost_WhenModelJsonSaysSo()
    {
        var json = """{"supplier": {"id": "FK", "name": "FK", "orgNr": "202100-5521"}, "focus": {"account": 5460, "cost": "EffectiveCost", "costCenter": "Tags.team"}}""";
        var files = Files(Focus, json);
        // Team KS1's costs to INF-VM (vms: T-A 1.5, T-B 1), the rest to FUN-SUP (even).
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n0,5460,5460,KS1,INF-VM\n2,5000,5999,*,FUN-SUP\n";

        var (result, output) = Run(files);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        // EffectiveCost: KS1 9.00 + 0 = 9.00 → T-A 5.40, T-B 3.60; KS2 20.00 and the untagged −1.50 → 18.50 → 6.17/6.17/6.16.
        Assert.Equal(["2025,actual,27.50,27.50,0.00,0.00"], Rows(output, "reconciliation.csv", "2025,"));
        Assert.Equal(["2025,actual,T-A,FUN-SUP,Software,6.17", "2025,actual,T-A,INF-VM,Software,5.40"], Rows(output, "fees.csv", "2025,actual,T-A,"));
        Assert.Equal(["2025,actual,T-B,FUN-SUP,Software,6.17", "2025,actual,T-B,INF-VM,Software,3.60"], Rows(output, "fees.csv", "2025,actual,T-B,"));
        Assert.DoesNotContain(result.Warnings, w => w.File == "focus.csv");
    }

    [Theory]
    [InlineData("SEK,2025-01-01T00:00:00Z", "USD,2025-01-01T00:00:00Z", "BillingCurrency", "'USD' is not SEK")]
    [InlineData("10.004,9.00,SEK,2025-01-01T00:00:00Z", "1.2E-5,9.00,SEK,2025-01-01T00:00:00Z", "BilledCost", "'1.2E-5' is not a cost")]
    [InlineData("10.004,9.00,SEK,2025-01-01T00:00:00Z", "10.004,9.00,SEK,januari 2025", "ChargePeriodStart", "'januari 2025' is not a FOCUS date-time")]
    public void Run_ReportsABadCell_WithItsLineAndColumn(string good, string bad, string column, string reason)
    {
        var focus = Focus.ReplaceLineEndings("\n");
        var at = focus.IndexOf(good, StringComparison.Ordinal);
        var (result, _) = Run(Files(string.Concat(focus.AsSpan(0, at), bad, focus.AsSpan(at + good.Length))));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("focus.csv", 2, column), (error.File, error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ReportsAMissingColumn_AndAMissingAccount()
    {
        var (missing, _) = Run(Files(Focus.Replace("BillingCurrency", "Currency", StringComparison.Ordinal)));
        var error = Assert.Single(missing.Errors);
        Assert.Equal(("focus.csv", 1, "BillingCurrency"), (error.File, error.Line, error.Column));
        Assert.Contains("the FOCUS column 'BillingCurrency' is missing", error.Reason, StringComparison.Ordinal);

        var (noAccount, _) = Run(Files(Focus, """{"supplier": {"id": "FK", "name": "FK", "orgNr": "202100-5521"}}"""));
        error = Assert.Single(noAccount.Errors);
        Assert.Equal(("model.json", "focus.account"), (error.File, error.Column));
        Assert.Contains("focus.csv is a FOCUS cost file", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAnUnknownCostColumn_InModelJson()
    {
        var json = """
            {"supplier": {"id": "FK", "name": "FK", "orgNr": "202100-5521"},
             "focus": {"account": 5460, "cost": "ListCost"}}
            """;
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), Files(Focus, json)));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("model.json", 2, "focus.cost"), (error.File, error.Line, error.Column));
        Assert.Contains("'ListCost' is not a cost column", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ReadsTypedParquet_TimestampsWithAZone_DoubleCosts_AndMapTags()
    {
        var model = SmallModel.Write(_temp.Combine("model"), Files(Focus));
        File.Delete(Path.Combine(model, "focus.csv"));
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            // The same four rows, typed as a cloud provider's export types them: UTC time stamps, DOUBLE costs, MAP tags.
            connection.Execute($$"""
                COPY (SELECT * FROM (VALUES
                    (10.004::DOUBLE, 9.0::DOUBLE, 'SEK', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'Compute', 'vm-1', MAP {'team': 'KS1'}),
                    (0.003::DOUBLE, 0.0::DOUBLE, 'SEK', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'Compute', 'vm-1', MAP {'team': 'KS1'}),
                    (20.0::DOUBLE, 20.0::DOUBLE, 'SEK', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'Storage', 'disk-7', MAP {'team': 'KS2'}),
                    (-1.5::DOUBLE, -1.5::DOUBLE, 'SEK', TIMESTAMPTZ '2025-02-01 00:00:00+00', 'Compute', 'vm-2', MAP {'x': 'y'}))
                    AS t(BilledCost, EffectiveCost, BillingCurrency, ChargePeriodStart, ServiceCategory, ResourceId, Tags))
                TO {{Duck.Literal(Path.Combine(model, "cloud-2025.focus.parquet"))}} (FORMAT parquet)
                """);
        }

        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(model, output));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["2025,actual,28.51,28.51,0.00,0.00"], Rows(output, "reconciliation.csv", "2025,"));
    }
}
