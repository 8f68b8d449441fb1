using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>Errors in a Swedish (<c>;</c>) CSV file show what the user typed, and say how to write what needs quoting.</summary>
public sealed class SwedishCsvMessageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The file in the Swedish dialect; a list of even targets, which holds the separator, quoted.</summary>
    private static string Swedish(string csv) => csv.Replace(',', ';').Replace("T-A;T-B;T-C", "\"T-A;T-B;T-C\"", StringComparison.Ordinal);

    [Fact]
    public void Validate_ShowsTheUsersText_ForAnAmountWithThreeDecimals()
    {
        var files = SmallModel.Files();
        files["ledger.csv"] = Swedish(files["ledger.csv"]).Replace("100.00", "830 500,505", StringComparison.Ordinal).Replace(".", ",", StringComparison.Ordinal);
        var error = Assert.Single(TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files)).Errors);
        Assert.Equal(("ledger.csv", 2, "amount", "'830 500,505' has more than two decimals: amounts are SEK to the öre, never rounded"), (error.File, error.Line, error.Column, error.Reason));
    }

    [Fact]
    public void Validate_SaysToQuoteFixedWeights_WhenTheySplitASemicolonRow()
    {
        var files = SmallModel.Files();
        files["rules.csv"] = Swedish(files["rules.csv"]).Replace("INF-VM:2;FUN-SUP:1", "INF-VM:0,7;FUN-SUP:0,3", StringComparison.Ordinal);
        var error = Assert.Single(TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files)).Errors);
        Assert.Equal(("rules.csv", 2, "the row has 6 fields; the header has 5; in a ';' file quote a targets list: \"INF-VM:0,7;INF-STO:0,3\""), (error.File, error.Line, error.Reason));
    }

    [Fact]
    public void Validate_AcceptsQuotedFixedWeights_InASemicolonFile()
    {
        var files = SmallModel.Files();
        files["rules.csv"] = Swedish(files["rules.csv"]).Replace("INF-VM:2;FUN-SUP:1", "\"INF-VM:0,7;FUN-SUP:0,3\"", StringComparison.Ordinal);
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }
}
