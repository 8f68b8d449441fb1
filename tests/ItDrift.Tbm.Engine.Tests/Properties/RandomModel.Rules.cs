using System.Globalization;

namespace ItDrift.Tbm.Tests.Properties;

public static partial class RandomModel
{
    private sealed partial class Generator
    {
        private List<long> StepValues(int count)
        {
            var style = rng.Next(0, 3);
            var values = new List<long>();
            long value = style == 2 ? rng.Next(-5, 5) : 0;
            for (var i = 0; i < count; i++)
            {
                value = style switch
                {
                    0 => i + 1,
                    1 => 10 * (i + 1),
                    _ => value + (i == 0 ? 0 : rng.Next(1, 8)),
                };
                values.Add(value);
            }

            return values;
        }

        private string[] Rule(long step, string source, List<string> candidates)
        {
            var roll = rng.Next(0, 100);
            var max = Math.Min(4, candidates.Count);
            if (roll < 25)
            {
                // driver, targets from the driver rows
                DriverSpec spec;
                if (rng.Chance(0.35))
                {
                    spec = SharedDriver();
                }
                else
                {
                    spec = OwnDriver(rng.Sample(candidates, rng.Next(1, Math.Min(6, candidates.Count) + 1)));
                }

                return [Int(step), source, "driver", spec.Name, string.Empty];
            }

            if (roll < 45)
            {
                // driver with listed targets: a listed target may lack a row, a row may name an unlisted target
                var listed = rng.Sample(candidates, rng.Next(1, Math.Min(5, candidates.Count) + 1));
                DriverSpec spec;
                if (listed.All(_tenants.Contains) && rng.Chance(0.5))
                {
                    spec = SharedDriver();
                }
                else
                {
                    var rows = listed.ToList();
                    if (rows.Count > 1 && rng.Chance(0.3))
                    {
                        rows.RemoveAt(rng.Next(0, rows.Count));
                    }

                    var unlisted = candidates.Except(listed).ToList();
                    if (unlisted.Count > 0 && rng.Chance(0.3))
                    {
                        rows.Add(rng.Pick(unlisted));
                    }

                    spec = OwnDriver(rows);
                }

                return [Int(step), source, "driver", spec.Name, string.Join(';', listed)];
            }

            if (roll < 65)
            {
                return [Int(step), source, "even", string.Empty, string.Join(';', rng.Sample(candidates, rng.Next(1, max + 1)))];
            }

            if (roll < 85)
            {
                var weighted = rng.Sample(candidates, rng.Next(1, max + 1))
                    .Select(t => t + ":" + DecimalText(rng.Next(1, 3), wholeMinimum: 0));
                return [Int(step), source, "fixed", string.Empty, string.Join(';', weighted)];
            }

            return [Int(step), source, "direct", string.Empty, rng.Pick(candidates)];
        }

        private DriverSpec SharedDriver()
        {
            var name = rng.Pick(SharedDriverNames);
            var existing = _driverSpecs.FirstOrDefault(d => d.Name == name);
            if (existing is not null)
            {
                return existing;
            }

            var spec = new DriverSpec(name, [.. _tenants]);
            _driverSpecs.Add(spec);
            return spec;
        }

        private DriverSpec OwnDriver(List<string> targets)
        {
            var index = _ownDriverCount++;
            var name = index < OwnDriverNames.Length
                ? OwnDriverNames[index]
                : OwnDriverNames[index % OwnDriverNames.Length] + "-" + Int(index);
            var spec = new DriverSpec(name, targets);
            _driverSpecs.Add(spec);
            return spec;
        }
    }
}
