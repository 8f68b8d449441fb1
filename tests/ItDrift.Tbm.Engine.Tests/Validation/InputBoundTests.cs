using System.Globalization;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Validation;

/// <summary>Inputs whose cost grows with their size are bounded with a clear model error (docs/model-format.md §1.4, §3.2).</summary>
public sealed class InputBoundTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Validate_RefusesMoreThan200DistinctSteps_AtTheFirstStepBeyond()
    {
        // A chain O1 → O2 → … → O201 → T-A, one step each.
        var files = SmallModel.Files();
        files["objects.csv"] += string.Concat(Enumerable.Range(1, 201).Select(i => $"O{i},service,Chain {i}\n"));
        files["rules.csv"] += string.Concat(Enumerable.Range(1, 201).Select(i => $"{i + 2},O{i},direct,,{(i < 201 ? $"O{i + 1}" : "T-A")}\n"));
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        var error = Assert.Single(result.Errors);
        Assert.Equal(
            ("rules.csv", 203, "step", "the rules have 203 distinct steps; the engine allocates at most 200, one statement a step: give rules that do not feed each other the same step"),
            (error.File, error.Line, error.Column, error.Reason));
    }

    [Fact]
    public void Validate_RefusesMoreThan1000CostAccountRanges()
    {
        var files = SmallModel.Files();
        var ranges = string.Join(", ", Enumerable.Range(0, 1001).Select(i => string.Create(CultureInfo.InvariantCulture, $"[{4000 + (i * 4)}, {4003 + (i * 4)}]")));
        files["model.json"] = "{\"supplier\": {\"id\": \"FK\", \"name\": \"Försäkringskassan\", \"orgNr\": \"202100-5521\"},\n \"costAccounts\": [" + ranges + "]}";
        var error = Assert.Single(TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files)).Errors);
        Assert.Equal(("model.json", 2, "costAccounts", "has 1001 ranges; at most 1000: merge adjacent ranges"), (error.File, error.Line, error.Column, error.Reason));
    }
}
