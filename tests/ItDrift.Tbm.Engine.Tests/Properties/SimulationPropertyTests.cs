using System.Globalization;
using System.Text;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Properties;

/// <summary>
/// Simulations of random runs: without changes every fee year's simulated fees are the run's to the byte; with
/// changes the bridge adds up exactly and the fees and unallocated money move by exactly the cost changed.
/// </summary>
public sealed class SimulationPropertyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Simulate_WithoutChanges_EqualsTheRun_AndWithChanges_AddsUpExactly()
    {
        var simulated = 0;
        for (var seed = 1UL; seed <= 6; seed++)
        {
            var run = _temp.Combine($"run-{seed}");
            var model = _temp.Combine($"model-{seed}");
            var described = RandomModel.Write(model, seed, RandomModelOptions.WithLines(200));
            var result = TbmEngine.Run(new RunOptions(model, run));
            Assert.True(result.Succeeded, described);
            var runFees = File.ReadAllLines(Path.Combine(run, "fees.csv"));
            if (runFees.Length == 1)
            {
                continue;
            }

            foreach (var year in result.FiscalYears)
            {
                var output = _temp.Combine($"same-{seed}-{year}");
                var same = Simulation.Write(run, Read($$"""{"year": {{year}}, "changes": []}"""), output);
                var period = string.Create(CultureInfo.InvariantCulture, $"{same.Run.FiscalYear},{same.Run.Scenario},");
                Assert.Equal([runFees[0], .. runFees.Skip(1).Where(l => l.StartsWith(period, StringComparison.Ordinal))], File.ReadAllLines(Path.Combine(output, Simulation.FeesFile)));
                Assert.Equal((0L, 0L, same.FeeFrom), (same.VolumeEffect, same.PriceEffect, same.FeeTo));
                simulated++;
            }

            // A cost pool up 7.5 %, 1 234.56 more on another, and the first tenant leaving.
            var rows = runFees.Skip(1).Select(l => l.Split(',')).ToList();
            var pools = rows.Select(r => r[4]).Where(p => !p.Contains('"', StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
            var tenant = rows.Select(r => r[2]).Order(StringComparer.Ordinal).First();
            if (pools.Count == 0)
            {
                continue;
            }

            var changed = _temp.Combine($"changed-{seed}");
            var sim = Simulation.Write(run, Read($$"""
                {"changes": [
                  {"type": "cost", "costPool": "{{pools[0]}}", "percent": 7.5},
                  {"type": "cost", "costPool": "{{pools[^1]}}", "amount": 1234.56},
                  {"type": "leave", "tenant": "{{tenant}}"}
                ]}
                """), changed);
            var lines = Rows(Path.Combine(changed, FeeBridge.ChangesFile));
            var byPool = Rows(Path.Combine(changed, FeeBridge.ChangesByPoolFile));
            foreach (var line in lines)
            {
                Assert.Equal(M(line, "fee_to") - M(line, "fee_from"), M(line, "change"));
                Assert.Equal(M(line, "change"), M(line, "volume_effect") + M(line, "price_effect"));
                var towers = Rows(Path.Combine(changed, FeeBridge.ChangesByTowerFile));
                foreach (var pool in byPool.Where(r => r["tenant"] == line["tenant"] && r["service"] == line["service"]))
                {
                    // The towers behind a pool add up to it in every column, the price effect included.
                    var behind = towers.Where(r => r["tenant"] == pool["tenant"] && r["service"] == pool["service"] && r["cost_pool"] == pool["cost_pool"]).ToList();
                    foreach (var column in new[] { "fee_from", "fee_to", "change", "volume_effect", "price_effect" })
                    {
                        Assert.Equal(M(pool, column), behind.Sum(r => M(r, column)));
                    }
                }

                var own = byPool.Where(r => r["tenant"] == line["tenant"] && r["service"] == line["service"]).ToList();
                foreach (var column in new[] { "fee_from", "fee_to", "change", "volume_effect", "price_effect" })
                {
                    Assert.Equal(M(line, column), own.Sum(r => M(r, column)));
                }
            }

            Assert.Equal(sim.CostChange, sim.FeeTo - sim.FeeFrom + sim.UnallocatedTo - sim.UnallocatedFrom);
            Assert.Equal(sim.FeeTo - sim.FeeFrom, sim.VolumeEffect + sim.PriceEffect);
            Assert.Equal(sim.FeeTo / 100m, Rows(Path.Combine(changed, Simulation.FeesFile)).Sum(r => M(r, "amount")));
            Assert.DoesNotContain(Rows(Path.Combine(changed, Simulation.FeesFile)), r => r["tenant"] == tenant);
        }

        Assert.True(simulated >= 4, $"only {simulated} periods simulated");
    }

    private static SimulationChanges Read(string json) => SimulationJson.Read(Encoding.UTF8.GetBytes(json), "changes.json");

    private static decimal M(Dictionary<string, string> row, string column) =>
        row[column].Length == 0 ? 0m : decimal.Parse(row[column], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>A CSV the engine wrote, as rows by column name (pools whose names hold commas are left out above).</summary>
    private static List<Dictionary<string, string>> Rows(string file)
    {
        var all = File.ReadAllLines(file);
        var header = all[0].Split(',');
        return [.. all.Skip(1).Where(l => !l.Contains('"', StringComparison.Ordinal)).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }
}
