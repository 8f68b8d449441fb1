using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Fees;

/// <summary>A fee area is a name, any text without control characters, wherever it is named (docs/model-format.md §1.4).</summary>
public sealed class FeeAreaNameTests : IDisposable
{
    private const string Area = "Samordnad och säker statlig it-drift";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Run_AcceptsAFeeAreaName_InObjectsRevenueAndBalances()
    {
        var files = SmallModel.Files();
        files["objects.csv"] = files["objects.csv"].Replace("object_id,kind,name", "object_id,kind,name,fee_area", StringComparison.Ordinal)
            .Replace("Virtual machines", $"Virtual machines, {Area} ", StringComparison.Ordinal).Replace("Data Center", "Data Center,", StringComparison.Ordinal).Replace("Support", "Support,", StringComparison.Ordinal);
        files["revenue.csv"] = $"fee_area,fiscal_year,revenue\n{Area},2025,100.00\n";
        files["balances.csv"] = $"fee_area,fiscal_year,opening_balance\n\"  {Area}\",2025,5.00\n";
        var model = SmallModel.Write(_temp.Combine("model"), files);
        var validated = TbmEngine.Validate(model);
        Assert.True(validated.Succeeded, string.Join("\n", validated.Errors));
        var ran = TbmEngine.Run(new RunOptions(model, _temp.Combine("out")));
        Assert.True(ran.Succeeded, string.Join("\n", ran.Errors));
        var balance = File.ReadAllLines(Path.Combine(ran.OutputDirectory!, "balance.csv"));
        Assert.Contains(balance, l => l.StartsWith(Area + ",2025,5.00,100.00,", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RefusesAFeeAreaName_WithAControlCharacter()
    {
        var files = SmallModel.Files();
        files["revenue.csv"] = "fee_area,fiscal_year,revenue\nIT\u0007drift,2025,100.00\n";
        var error = Assert.Single(TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files)).Errors);
        Assert.Equal(("revenue.csv", 2, "fee_area", "'IT\u0007drift' holds a control character: a name is text without them"), (error.File, error.Line, error.Column, error.Reason));
    }
}
