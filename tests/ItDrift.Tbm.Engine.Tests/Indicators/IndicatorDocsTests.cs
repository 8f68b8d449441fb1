using ItDrift.Tbm.Indicators;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>Every indicator the engine computes is defined in docs/indicators.md, with the same names and unit.</summary>
public sealed class IndicatorDocsTests
{
    private static string Docs()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "docs", "indicators.md")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        return File.ReadAllText(Path.Combine(folder!.FullName, "docs", "indicators.md"));
    }

    [Fact]
    public void Docs_DefineEveryIndicator_WithItsNamesAndUnit()
    {
        var docs = Docs();
        foreach (var i in IndicatorCatalogue.All)
        {
            Assert.Contains($"| `{i.Id}` | {i.NameSv} | {i.NameEn} | {i.Unit} | {i.Definition} |", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Catalogue_HasUniqueIds_InTheirScope()
    {
        Assert.Equal(IndicatorCatalogue.All.Count, IndicatorCatalogue.All.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(IndicatorCatalogue.All, i => Assert.StartsWith(i.Scope + ".", i.Id, StringComparison.Ordinal));
    }
}
