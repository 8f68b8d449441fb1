using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Golden;

/// <summary>
/// Every hand-worked scenario in <c>datasets/scenarios/NAME/</c>: the run of <c>model/</c> must equal each
/// file of <c>expected/</c> byte for byte (the README beside them has the hand calculation).
/// </summary>
public sealed class ScenarioTests
{
    internal static string ScenariosFolder() => Repository.Combine("datasets", "scenarios");

    private static List<string> Names() =>
        Directory.GetDirectories(ScenariosFolder()).Order(StringComparer.Ordinal)
            .Where(folder => Directory.Exists(Path.Combine(folder, "model")))
            .Select(folder => Path.GetFileName(folder))
            .ToList();

    public static TheoryData<string> Scenarios() => new(Names());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_MatchesItsHandWorkedExpectation(string scenario)
    {
        var folder = Path.Combine(ScenariosFolder(), scenario);
        using var temp = new TempFolder();
        var output = temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(Path.Combine(folder, "model"), output));
        var expectedFiles = Directory.GetFiles(Path.Combine(folder, "expected")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expectedFiles);
        Assert.True(result.Succeeded || expectedFiles.Any(f => f.EndsWith("errors.csv", StringComparison.Ordinal)), string.Join("\n", result.Errors));
        foreach (var expected in expectedFiles)
        {
            var actual = Path.Combine(output, Path.GetFileName(expected));
            Assert.True(File.Exists(actual), $"{scenario}: the run wrote no {Path.GetFileName(expected)}");
            Assert.Equal(File.ReadAllText(expected).ReplaceLineEndings("\n"), File.ReadAllText(actual));
        }

        if (result.Succeeded)
        {
            Assert.All(result.Reconciliation, r => Assert.Equal(0, r.Difference));
        }
    }

    [Fact]
    public void Scenarios_CoverTheRequiredCases()
    {
        var names = Names();
        Assert.True(names.Count >= 5, $"only {names.Count} scenarios: {string.Join(", ", names)}");
        Assert.All(names, n => Assert.True(File.Exists(Path.Combine(ScenariosFolder(), n, "README.md")), $"{n} has no README with its hand calculation"));
    }
}
