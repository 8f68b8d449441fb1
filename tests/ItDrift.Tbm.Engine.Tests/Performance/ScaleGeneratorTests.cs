using System.Security.Cryptography;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Tests.Performance;

/// <summary><c>tbm generate --scale</c>: deterministic packages whose cardinalities grow to a national supplier's.</summary>
public sealed class ScaleGeneratorTests : IDisposable
{
    private readonly PerformanceFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(LedgerFormat.Parquet)]
    [InlineData(LedgerFormat.SwedishCsv)]
    public void Write_GivesTheSameBytes_ForTheSameScaleSeedAndFormat(LedgerFormat format)
    {
        var first = _folder.Package("a", 40_000, format, seed: 11);
        var second = _folder.Package("b", 40_000, format, seed: 11);
        var other = _folder.Package("c", 40_000, format, seed: 12);

        Assert.Equal(Hashes(first), Hashes(second));
        Assert.NotEqual(Hashes(first), Hashes(other));
    }

    [Theory]
    [InlineData(1, 100, 27, 83)]
    [InlineData(10, 250, 43, 197)]
    [InlineData(50, 500, 58, 300)]
    public void ForScale_HasTheCardinalitiesOfItsSize(int scale, int leastCostCentres, int services, int tenants)
    {
        var plan = DemoPlan.Build(DemoModelOptions.ForScale(scale));

        Assert.Equal(scale * 1_000_000L, plan.LedgerLines);
        Assert.InRange(plan.Catalogue.CostCentres.Length, leastCostCentres, 999);
        Assert.Equal(services, plan.Catalogue.Services.Length);
        Assert.Equal(tenants, plan.Catalogue.Tenants.Length);
        Assert.InRange(plan.Catalogue.Services.Length, 20, 60);
        Assert.True(plan.Cells.Select(c => c.Account).Distinct().Count() >= (scale == 1 ? 500 : 1_000));
        Assert.Equal(3, plan.Years);
    }

    [Fact]
    public void Run_ReconcilesAScalePackage_InEveryLedgerFormat()
    {
        foreach (var format in new[] { LedgerFormat.Csv, LedgerFormat.SwedishCsv, LedgerFormat.Parquet })
        {
            var package = _folder.Package(format.ToString(), 30_000, format);
            var result = TbmEngine.Run(new RunOptions(package, _folder.Combine("run-" + format)));

            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Equal(30_000, result.Ledger!.Lines);
            Assert.All(result.Reconciliation, r => Assert.Equal(0, r.Difference));
        }
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory.GetFiles(folder)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
