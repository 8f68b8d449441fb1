using System.Globalization;
using System.Text;
using ItDrift.Tbm.Tests.Reference;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Properties;

/// <summary>
/// Property test of reciprocal allocation (docs/model-format.md §3.2): on random packages whose services serve each
/// other (cycles of two to five services, self-loops, several cycles, keys that are 0 in a period, credits), the
/// engine's output files equal, byte for byte, those of the independent <see cref="ReferenceEngine"/>.
/// </summary>
public sealed class ReciprocalMatchesReferenceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 30; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Run_MatchesReference_RandomCycles(int seed)
    {
        var model = SmallModel.Write(_temp.Combine("model"), Package(new SplitMix64((ulong)seed), out var summary));
        var context = $"seed {seed}: {summary}";
        var expected = ReferenceEngine.Run(model);
        var run = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(model, run));
        Assert.True(result.Succeeded, context + "\n" + string.Join("\n", result.Errors));
        foreach (var table in new[] { "fees.csv", "unallocated.csv", "reconciliation.csv", "prices.csv", "balance.csv" })
        {
            Assert.True(expected[table] == File.ReadAllText(Path.Combine(run, table)), $"{context}\n{table}: reference\n{expected[table]}\nengine\n{File.ReadAllText(Path.Combine(run, table))}");
        }
    }

    /// <summary>
    /// A valid reciprocal package: a tower feeding services S-1 … S-n that send to one another at random, each with
    /// a way out by a positive weight (a tenant, or D-1, which charges the tenants) unless its key is 0 throughout
    /// a period (W = 0: it then keeps its money, no-volume); O-X has no rule.
    /// </summary>
    private static Dictionary<string, string> Package(SplitMix64 rng, out string summary)
    {
        var services = Enumerable.Range(1, rng.Next(2, 6)).Select(i => $"S-{i}").ToList();
        var tenants = Enumerable.Range(1, rng.Next(1, 4)).Select(i => $"T-{i}").ToList();
        var objects = new List<string> { "TWR-1" };
        objects.AddRange(services);
        objects.AddRange(["D-1", "O-X"]);
        var periods = new List<(int Year, string Scenario)> { (2025, "actual") };
        if (rng.Chance(0.5))
        {
            periods.Add((2025, "budget"));
        }

        var rules = new StringBuilder("step,source,method,driver,targets\n");
        var drivers = new StringBuilder("fiscal_year,scenario,driver,target,quantity\n");
        rules.Append("1,TWR-1,fixed,,").AppendJoin(';', rng.Sample(services, rng.Next(1, services.Count + 1)).Select(s => $"{s}:{rng.Next(1, 4)}")).Append('\n');
        var cycles = 0;
        foreach (var service in services)
        {
            var inside = rng.Sample(services, rng.Next(0, services.Count + 1));
            cycles += inside.Count;
            var exits = rng.Sample([.. tenants, "D-1"], rng.Next(1, tenants.Count + 2));
            var targets = inside.Concat(exits).ToList();
            rng.Shuffle(targets);
            var step = rng.Next(1, 4).ToString(CultureInfo.InvariantCulture);
            switch (rng.Next(0, 3))
            {
                case 0:
                    rules.Append(CultureInfo.InvariantCulture, $"{step},{service},even,,{string.Join(';', targets)}\n");
                    break;
                case 1:
                    rules.Append(CultureInfo.InvariantCulture, $"{step},{service},fixed,,{string.Join(';', targets.Select(t => $"{t}:{rng.Next(1, 5)}.{rng.Next(0, 100):D2}"))}\n");
                    break;
                default:
                    var key = "k-" + service;
                    rules.Append(CultureInfo.InvariantCulture, $"{step},{service},driver,{key},{string.Join(';', targets)}\n");
                    foreach (var (year, scenario) in periods)
                    {
                        var none = rng.Chance(0.2);
                        foreach (var target in targets)
                        {
                            // A way out weighs more than 0 unless the whole key is 0 in the period.
                            var quantity = none ? 0 : exits.Contains(target) ? rng.Next(1, 9) : rng.Next(0, 9);
                            drivers.Append(CultureInfo.InvariantCulture, $"{year},{scenario},{key},{target},{quantity}.{(quantity == 0 ? 0 : rng.Next(0, 1000)):D3}\n");
                        }
                    }

                    break;
            }
        }

        rules.Append("1,D-1,even,,").AppendJoin(';', tenants).Append('\n');
        var ledger = new StringBuilder("fiscal_year,period,scenario,account,cost_center,amount\n");
        var lines = rng.Next(3, 25);
        for (var i = 0; i < lines; i++)
        {
            var (year, scenario) = rng.Pick(periods);
            var ore = rng.Chance(0.3) ? rng.NextLong(-500, 500) : rng.NextLong(-2_000_000, 20_000_000);
            var amount = (ore < 0 ? "-" : "") + (Math.Abs(ore) / 100).ToString(CultureInfo.InvariantCulture) + "." + (Math.Abs(ore) % 100).ToString("D2", CultureInfo.InvariantCulture);
            ledger.Append(CultureInfo.InvariantCulture, $"{year},{rng.Next(1, 13)},{scenario},{rng.Pick([4010, 5010])},{rng.Pick(objects)},{amount}\n");
        }

        summary = $"{services.Count} services, {cycles} edges among them, {tenants.Count} tenants, {lines} lines";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model.json"] = """{"supplier": {"id": "LEV", "name": "Lev", "orgNr": "202100-5489"}, "allocation": "reciprocal"}""",
            ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n5000,5999,Hardware\n",
            ["objects.csv"] = "object_id,kind,name\n" + string.Concat(objects.Select(o => $"{o},service,{o}\n")),
            ["tenants.csv"] = "tenant_id,name\n" + string.Concat(tenants.Select(t => $"{t},{t}\n")),
            ["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n" + string.Concat(objects.Select((o, i) => $"{i + 1},4000,5999,{o},{o}\n")),
            ["rules.csv"] = rules.ToString(),
            ["drivers.csv"] = drivers.ToString(),
            ["ledger.csv"] = ledger.ToString(),
        };
    }
}
