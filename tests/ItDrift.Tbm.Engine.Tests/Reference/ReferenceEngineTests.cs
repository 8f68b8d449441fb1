using System.Text;
using ItDrift.Tbm.Tests.Properties;

namespace ItDrift.Tbm.Tests.Reference;

/// <summary>
/// The reference engine against a package small enough to compute by hand (the arithmetic is in the
/// comments), so that the property tests rest on something checked independently.
/// </summary>
public sealed class ReferenceEngineTests
{
    // T-DC (Hardware 100.00 − 0.01 = 9 999 öre) goes fixed 2:1 to S-SRV (6 666) and S-MAIL (3 333), no
    // remainder. S-MAIL: Hardware 3 333 even → 1 111 each; Staff 10 → 3 each, the leftover öre to the smallest
    // id A. S-SRV by servers A 1.5, B 0.25, C 0 (W = 1.75): Hardware 6 666 → A 5 713 r 1.25, B 952 r 0.5,
    // leftover to A; Staff 1 000 (6100/KS2) → A 857 r 0.25, B 142 r 1.5, leftover to B. 5000/KS2 matches
    // nothing (UNMAPPED), 8600 goes to O-X which has no rule, 1930 is not a cost account. The budget's S-SRV
    // 5.00 has no driver rows: no-volume. Price S-SRV = 76.66 / 1.75 = 43.8057 → 43.81.
    // 2025: S-SRV −0.05 split 1:1 → A −0.03 (the leftover öre, tie to A), B −0.02; price −2.5 öre → −0.03.
    // Balance: 15.00 − 4.00 = 11.00, and 10 × 11.00 = 110.00 is not above 110.09 → false; 2025 takes revenue
    // 100.00 from revenue.csv; 2026 has revenue but no cost lines and still gets a row.
    private static readonly Dictionary<string, string> Package = new(StringComparer.Ordinal)
    {
        ["model.json"] = """{"supplier": {"id": "LEV", "name": "Lev", "orgNr": "202100-5489"}, "currency": "SEK", "taxonomy": "tbm-v4"}""",
        ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,5999,Hardware\n6000,8999,Staff\n",
        ["objects.csv"] = "object_id,kind,name\nT-DC,tower,Datacenter\nS-SRV,service,Server\nS-MAIL,service,\"E-post, allt\"\nO-X,other,Övrigt\n",
        ["tenants.csv"] = "tenant_id,name\nA,Alfa\nB,Beta\nC,\"Gamma; \"\"C\"\"\"\n",
        ["mapping.csv"] = "priority,account_from,account_to,cost_center,project,object_id\n1,4000,4999,*,*,T-DC\n2,4000,8999,KS1,*,S-MAIL\n3,6000,6999,*,,S-SRV\n0,8500,8999,*,*,O-X\n",
        ["rules.csv"] = "step,source,method,driver,targets\n1,T-DC,fixed,,S-SRV:2;S-MAIL:1.0\n2,S-SRV,driver,servers,\n2,S-MAIL,even,,C;B;A\n",
        ["drivers.csv"] = "fiscal_year,scenario,driver,target,quantity\n2024,,servers,A,1.5\n2024,actual,servers,B,0.250\n2024,actual,servers,C,0\n2025,actual,servers,A,1\n2025,actual,servers,B,1.000000\n",
        ["ledger.csv"] = "fiscal_year,period,scenario,account,cost_center,amount,text\n"
            + "2024,1,actual,4100,KS1,100,a\n2024,2,,4200,,-0.01,b\n2024,3,actual,6100,KS2,10.00,c\n"
            + "2024,4,actual,7000,KS1,0.1,d\n2024,5,actual,5000,KS2,3.00,\"e, f\"\n2024,6,actual,8600,KS1,1.00,g\n"
            + "2024,7,actual,1930,,999.00,h\n2024,1,budget,6100,KS2,5.00,i\n2025,3,actual,6100,KS2,-0.05,j\n",
        ["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2024,A,S-SRV,60.00\n2024,A,S-SRV,5\n2024,C,S-SRV,1.00\n2023,A,S-SRV,9.00\n2025,B,S-SRV,0.00\n",
        ["balances.csv"] = "fee_area,fiscal_year,opening_balance\nIT-drift,2024,15.00\n",
        ["revenue.csv"] = "fee_area,fiscal_year,revenue\nIT-drift,2025,100.00\nIT-drift,2026,50\n",
    };

    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["fees.csv"] = """
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2024,actual,A,S-MAIL,Hardware,11.11
            2024,actual,A,S-MAIL,Staff,0.04
            2024,actual,A,S-SRV,Hardware,57.14
            2024,actual,A,S-SRV,Staff,8.57
            2024,actual,B,S-MAIL,Hardware,11.11
            2024,actual,B,S-MAIL,Staff,0.03
            2024,actual,B,S-SRV,Hardware,9.52
            2024,actual,B,S-SRV,Staff,1.43
            2024,actual,C,S-MAIL,Hardware,11.11
            2024,actual,C,S-MAIL,Staff,0.03
            2025,actual,A,S-SRV,Staff,-0.03
            2025,actual,B,S-SRV,Staff,-0.02

            """,
        ["unallocated.csv"] = """
            fiscal_year,scenario,object,cost_pool,reason,amount
            2024,actual,O-X,Staff,no-rule,1.00
            2024,actual,UNMAPPED,Hardware,unmapped,3.00
            2024,budget,S-SRV,Staff,no-volume,5.00

            """,
        ["reconciliation.csv"] = """
            fiscal_year,scenario,ledger_total,allocated_total,unallocated_total,difference
            2024,actual,114.09,110.09,4.00,0.00
            2024,budget,5.00,0.00,5.00,0.00
            2025,actual,-0.05,-0.05,0.00,0.00

            """,
        ["prices.csv"] = """
            fiscal_year,scenario,service,units,cost,unit_price
            2024,actual,S-SRV,1.75,76.66,43.81
            2025,actual,S-SRV,2,-0.05,-0.03

            """,
        ["balance.csv"] = """
            fee_area,fiscal_year,opening,revenue,cost,result,closing,surplus_flag
            IT-drift,2024,15.00,110.09,114.09,-4.00,11.00,false
            IT-drift,2025,11.00,100.00,-0.05,100.05,111.05,true
            IT-drift,2026,111.05,50.00,0.00,50.00,161.05,true

            """,
        ["trueup.csv"] = """
            fiscal_year,tenant,service,final,invoiced,trueup
            2024,A,S-MAIL,11.15,0.00,11.15
            2024,A,S-SRV,65.71,65.00,0.71
            2024,B,S-MAIL,11.14,0.00,11.14
            2024,B,S-SRV,10.95,0.00,10.95
            2024,C,S-MAIL,11.14,0.00,11.14
            2024,C,S-SRV,0.00,1.00,-1.00
            2025,A,S-SRV,-0.03,0.00,-0.03
            2025,B,S-SRV,-0.02,0.00,-0.02

            """,
    };

    [Fact]
    public void Run_MatchesHandCalculation_SmallPackage()
    {
        var directory = WritePackage();
        try
        {
            AssertFiles(ReferenceEngine.Run(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_MatchesHandCalculation_SwedishDialect()
    {
        var directory = WritePackage();
        var swedish = directory + "-sv";
        try
        {
            RandomModel.WriteSwedishDialect(directory, swedish);
            Assert.Contains("2024;;servers;A;1,5", File.ReadAllText(Path.Combine(swedish, "drivers.csv")), StringComparison.Ordinal);
            AssertFiles(ReferenceEngine.Run(swedish));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            Directory.Delete(swedish, recursive: true);
        }
    }

    [Fact]
    public void TbmEngine_Run_MatchesHandCalculation_SmallPackage()
    {
        var directory = WritePackage();
        var run = directory + "-run";
        var result = TbmEngine.Run(new RunOptions(directory, run));
        Assert.True(result.Succeeded, string.Join('\n', result.Errors.Select(e => e.File + ":" + e.Column + ": " + e.Reason)));
        AssertFiles(Directory.GetFiles(run, "*.csv")
            .Where(f => EngineMatchesReferenceTests.ContractTables.Contains(Path.GetFileName(f), StringComparer.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal));
        Directory.Delete(directory, recursive: true);
        Directory.Delete(run, recursive: true);
    }

    [Theory]
    [InlineData(10, new long[] { 1, 1, 1 }, new long[] { 4, 3, 3 })]
    [InlineData(-10, new long[] { 1, 1, 1 }, new long[] { -4, -3, -3 })]
    [InlineData(2, new long[] { 1, 1, 1 }, new long[] { 1, 1, 0 })]
    [InlineData(-1, new long[] { 1, 2, 0 }, new long[] { 0, -1, 0 })]
    [InlineData(9_223_372_036_854_775_807, new long[] { 999_999_999_999, 1 }, new long[] { 9_223_372_036_845_552_435, 9_223_372 })]
    public void Split_SumsToSourceAndGivesLeftoverToLargestRemainder(long amount, long[] weights, long[] expected)
    {
        var named = weights.Select((w, i) => (Target: new string((char)('A' + i), 1), Weight: w)).ToList();
        var shares = ReferenceEngine.Split(amount, named).Select(s => s.Share).ToArray();
        Assert.Equal(expected, shares);
        Assert.Equal(amount, shares.Sum());
    }

    [Theory]
    [InlineData(5, 2_000_000, 3)]
    [InlineData(-5, 2_000_000, -3)]
    [InlineData(7666, 1_750_000, 4381)]
    [InlineData(1, 3_000_000, 0)]
    [InlineData(0, 1, 0)]
    public void UnitPrice_RoundsHalfAwayFromZero(long cost, long units, long expected) =>
        Assert.Equal(expected, ReferenceEngine.UnitPrice(cost, units));

    [Theory]
    [InlineData("12", 2, 1200)]
    [InlineData("-0.05", 2, -5)]
    [InlineData("1.5", 6, 1_500_000)]
    [InlineData(".25", 2, 25)]
    public void ParseScaled_IsExact(string text, int decimals, long expected) =>
        Assert.Equal(expected, ReferenceCsv.ParseScaled(text, decimals, decimalComma: false));

    [Fact]
    public void ParseScaled_RejectsTooManyDecimals() =>
        Assert.Throws<FormatException>(() => ReferenceCsv.ParseScaled("1.005", 2, decimalComma: false));

    [Theory]
    [InlineData(242_500_000, "242.5")]
    [InlineData(534_000_000, "534")]
    [InlineData(1, "0.000001")]
    [InlineData(0, "0")]
    public void FormatQuantity_IsShortestExact(long micro, string expected) =>
        Assert.Equal(expected, ReferenceCsv.FormatQuantity(micro));

    [Fact]
    public void Parse_HandlesQuotesBlankLinesAndCrlf()
    {
        var records = ReferenceCsv.Parse("a,b\r\n\"x, \"\"y\"\"\",\"line\nbreak\"\r\n\r\n\n", ',');
        Assert.Equal(2, records.Count);
        Assert.Equal(new[] { "x, \"y\"", "line\nbreak" }, records[1]);
    }

    private static string WritePackage()
    {
        var directory = Directory.CreateTempSubdirectory("tbm-handmade-").FullName;
        foreach (var (name, text) in Package)
        {
            File.WriteAllText(Path.Combine(directory, name), text, new UTF8Encoding(false));
        }

        return directory;
    }

    private static void AssertFiles(IReadOnlyDictionary<string, string> actual)
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in Expected)
        {
            Assert.Equal(text.ReplaceLineEndings("\n"), actual[name]);
        }
    }
}
