using System.Globalization;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Properties;

/// <summary>
/// The fee bridge between two random runs adds up exactly: on every line the volume and price effects make
/// the change, the cost pools make the line, and the lines make the two sides' fees.
/// </summary>
public sealed class FeeBridgePropertyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Bridge_AddsUpExactly_BetweenRandomRuns()
    {
        var bridged = 0;
        var why = new List<string>();
        for (var seed = 1UL; seed <= 8; seed++)
        {
            var from = Run($"from-{seed}", seed);
            var to = Run($"to-{seed}", seed + 1000);
            var output = _temp.Combine($"bridge-{seed}");
            FeeBridgeResult result;
            try
            {
                result = FeeBridge.Write(new BridgeSide(from), new BridgeSide(to), output);
            }
            catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
            {
                why.Add($"seed {seed}: {e.Message}");
                continue; // a random run may have no fees, or several scenarios but no actual in its latest year
            }

            bridged++;
            var lines = Rows(Path.Combine(output, FeeBridge.ChangesFile));
            var pools = Rows(Path.Combine(output, FeeBridge.ChangesByPoolFile));
            foreach (var line in lines)
            {
                var (c0, c1, change, v, p) = (M(line, "fee_from"), M(line, "fee_to"), M(line, "change"), M(line, "volume_effect"), M(line, "price_effect"));
                Assert.Equal(c1 - c0, change);
                Assert.Equal(change, v + p);
                switch (line["kind"])
                {
                    case "new": Assert.Equal((0m, change), (c0, v)); break;
                    case "ended": Assert.Equal((0m, change), (c1, v)); break;
                    case "unsplit": Assert.Equal(0m, v); break;
                    default: Assert.Equal("split", line["kind"]); break;
                }

                var towers = Rows(Path.Combine(output, FeeBridge.ChangesByTowerFile));
                foreach (var pool in pools.Where(r => r["tenant"] == line["tenant"] && r["service"] == line["service"]))
                {
                    // The towers behind a pool add up to it in every column, the price effect included.
                    var behind = towers.Where(r => r["tenant"] == pool["tenant"] && r["service"] == pool["service"] && r["cost_pool"] == pool["cost_pool"]).ToList();
                    foreach (var column in new[] { "fee_from", "fee_to", "change", "volume_effect", "price_effect" })
                    {
                        Assert.Equal(M(pool, column), behind.Sum(r => M(r, column)));
                    }
                }

                var own = pools.Where(r => r["tenant"] == line["tenant"] && r["service"] == line["service"]).ToList();
                foreach (var column in new[] { "fee_from", "fee_to", "change", "volume_effect", "price_effect" })
                {
                    Assert.Equal(M(line, column), own.Sum(r => M(r, column)));
                }
            }

            Assert.Equal(result.FeeFrom / 100m, lines.Sum(l => M(l, "fee_from")));
            Assert.Equal(result.FeeTo / 100m, lines.Sum(l => M(l, "fee_to")));
            Assert.Equal(result.FeeFrom + result.VolumeEffect + result.PriceEffect, result.FeeTo);
            Assert.Equal(FeesOf(from, result.From), result.FeeFrom / 100m);
            Assert.Equal(FeesOf(to, result.To), result.FeeTo / 100m);
        }

        Assert.True(bridged >= 4, $"only {bridged} of 8 random pairs could be bridged: {string.Join("; ", why)}");
    }

    private string Run(string name, ulong seed)
    {
        var output = _temp.Combine(name, "run");
        var model = _temp.Combine(name, "model");
        var described = RandomModel.Write(model, seed, RandomModelOptions.WithLines(200));
        var result = TbmEngine.Run(new RunOptions(model, output));
        Assert.True(result.Succeeded, described + "\n" + string.Join("\n", result.Errors.Take(3)));
        return output;
    }

    /// <summary>The run's fees.csv summed over the bridged year and scenario.</summary>
    private static decimal FeesOf(string run, BridgeEnd end) =>
        Rows(Path.Combine(run, "fees.csv"))
            .Where(r => r["fiscal_year"] == end.FiscalYear.ToString(CultureInfo.InvariantCulture) && r["scenario"] == end.Scenario)
            .Sum(r => M(r, "amount"));

    private static decimal M(Dictionary<string, string> row, string column) =>
        row[column].Length == 0 ? 0m : decimal.Parse(row[column], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>A CSV the engine wrote (no quoted commas in these tables' ids and numbers) as rows by column name.</summary>
    private static List<Dictionary<string, string>> Rows(string file)
    {
        var all = File.ReadAllLines(file);
        var header = all[0].Split(',');
        return [.. all.Skip(1).Select(l => header.Zip(Split(l)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    private static string[] Split(string line)
    {
        // Cost pool names may be quoted ("Facilities, Power"): split on commas outside quotes.
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}
