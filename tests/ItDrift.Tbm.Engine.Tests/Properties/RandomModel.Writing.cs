using System.Globalization;
using System.Text;
using ItDrift.Tbm.Tests.Reference;

namespace ItDrift.Tbm.Tests.Properties;

public static partial class RandomModel
{
    private sealed partial class Generator
    {
        private void WriteAll()
        {
            WriteModelJson(_costRanges, _writeCostAccounts);
            WriteTable("cost_pools", ["account_from", "account_to", "cost_pool"], _pools);
            WriteTable("objects", ["object_id", "kind", "name", "service_type", "unit"], _objects
                .Select(o => new[] { o.Id, o.Kind, "Objekt " + o.Id, o.Kind == "service" ? rng.Pick(ServiceTypes) : string.Empty, o.Kind == "service" ? "st" : string.Empty })
                .ToList());
            WriteTenants(_tenants, _years[0]);
            var mappingHeader = new[] { "priority", "account_from", "account_to", "cost_center", "project", "object_id" };
            WriteTable("mapping", _mappingHasProject ? mappingHeader : [.. mappingHeader.Where(h => h != "project")], _mapping
                .Select(m => _mappingHasProject ? m : m.Where((_, i) => i != 4).ToArray())
                .ToList());
            WriteTable("rules", ["step", "source", "method", "driver", "targets"], _rules);
            if (_driverSpecs.Count > 0 || rng.Chance(0.5))
            {
                var driverHeader = new[] { "fiscal_year", "scenario", "driver", "target", "quantity" };
                if (_driverPeriods.All(p => p.Scenario == Actual) && rng.Chance(0.4))
                {
                    WriteTable("drivers", [.. driverHeader.Where(h => h != "scenario")], _driverRows.Select(r => r.Where((_, i) => i != 1).ToArray()).ToList());
                }
                else
                {
                    WriteTable("drivers", driverHeader, _driverRows);
                }
            }

            WriteTable("ledger", [.. _ledgerHeader], _ledger);
            if (_invoiced is not null)
            {
                WriteTable("invoiced", ["fiscal_year", "tenant", "service", "amount"], _invoiced);
            }

            if (_revenue is not null)
            {
                WriteTable("revenue", ["fee_area", "fiscal_year", "revenue"], _revenue);
            }

            if (_balances is not null)
            {
                WriteTable("balances", ["fee_area", "fiscal_year", "opening_balance"], _balances);
            }
        }

        /// <summary>A positive decimal with up to 6 decimals, sometimes written with trailing zeros.</summary>
        private string DecimalText(int wholeDigits, int wholeMinimum)
        {
            var decimals = rng.Chance(0.4) ? 0 : rng.Next(1, 7);
            var whole = rng.NextLong(wholeMinimum, Pow10(wholeDigits));
            var fraction = decimals == 0 ? 0 : rng.NextLong(0, Pow10(decimals)) * Pow10(6 - decimals);
            var micro = (whole * 1_000_000) + fraction;
            if (micro == 0)
            {
                micro = rng.NextLong(1, 10_000_000);
            }

            var text = ReferenceCsv.FormatQuantity(micro);
            var point = text.IndexOf('.', StringComparison.Ordinal);
            if (point < 0 && rng.Chance(0.1))
            {
                text += ".0";
            }
            else if (point >= 0 && text.Length - point - 1 < 6 && rng.Chance(0.2))
            {
                text += "0";
            }

            return text;
        }

        private long RandomAmount(bool allowNegative)
        {
            var ore = rng.Next(0, 4) switch
            {
                0 => rng.NextLong(1, 1_000),
                1 => rng.NextLong(1, 1_000_000),
                2 => rng.NextLong(1, 100_000_000),
                _ => rng.NextLong(1, 10_000_000_000),
            };
            if (rng.Chance(0.25))
            {
                ore = ore / 100 * 100;
            }

            return allowNegative && rng.Chance(0.12) ? -ore : ore;
        }

        /// <summary>SEK in the canonical dialect, in the shapes exports use: <c>12</c>, <c>12.5</c>, <c>12.50</c>.</summary>
        private string MoneyText(long ore)
        {
            var full = ReferenceCsv.FormatMoney(ore);
            if (ore % 100 == 0 && rng.Chance(0.5))
            {
                return full[..^3];
            }

            if (ore % 10 == 0 && rng.Chance(0.5))
            {
                return full[..^1];
            }

            return full;
        }

        private string ScenarioCell(string scenario) => scenario == Actual && rng.Chance(0.3) ? string.Empty : scenario;

        private void WriteModelJson(List<(int From, int To)> costRanges, bool writeCostAccounts)
        {
            var sb = new StringBuilder();
            sb.Append("{\n  \"supplier\": {\"id\": \"LEV-").Append(Int(rng.Next(1, 100)))
                .Append("\", \"name\": \"Leverantörsmyndigheten\", \"orgNr\": \"").Append(OrgNr(rng)).Append("\"},\n");
            if (rng.Chance(0.7))
            {
                sb.Append("  \"name\": \"Slumpmodell\",\n");
            }

            if (writeCostAccounts)
            {
                sb.Append("  \"costAccounts\": [")
                    .AppendJoin(", ", costRanges.Select(r => "[" + Int(r.From) + ", " + Int(r.To) + "]"))
                    .Append("],\n");
            }

            sb.Append("  \"currency\": \"SEK\",\n  \"taxonomy\": \"tbm-v4\"\n}\n");
            File.WriteAllText(Path.Combine(directory, "model.json"), sb.ToString(), new UTF8Encoding(false));
        }

        private void WriteTenants(List<string> tenants, int firstYear)
        {
            var header = new List<string> { "tenant_id", "name" };
            var hasOrgNr = rng.Chance(0.8);
            var hasEmployees = rng.Chance(0.5);
            var hasConnected = rng.Chance(0.3);
            if (hasOrgNr)
            {
                header.Add("org_nr");
            }

            if (hasEmployees)
            {
                header.Add("employees");
            }

            if (hasConnected)
            {
                header.Add("connected_from");
            }

            var rows = tenants.Select(t =>
            {
                var row = new List<string> { t, rng.Pick(TenantNames) };
                if (hasOrgNr)
                {
                    row.Add(OrgNr(rng));
                }

                if (hasEmployees)
                {
                    row.Add(Int(rng.Next(10, 20_000)));
                }

                if (hasConnected)
                {
                    row.Add(Int(firstYear - rng.Next(0, 5)));
                }

                return row.ToArray();
            }).ToList();
            WriteTable("tenants", [.. header], rows);
        }

        /// <summary>Writes one table, varied the way real exports vary when <see cref="RandomModelOptions.FileVariations"/>.</summary>
        private void WriteTable(string name, string[] header, List<string[]> rows)
        {
            var columns = header.ToList();
            var data = rows.Select(r => r.ToList()).ToList();
            var newline = "\n";
            var bom = false;
            var blankTail = false;
            if (options.FileVariations)
            {
                if (rng.Chance(0.08))
                {
                    columns.Add("comment");
                    foreach (var row in data)
                    {
                        row.Add(rng.Chance(0.5) ? "x, y" : string.Empty);
                    }
                }

                if (rng.Chance(0.2))
                {
                    var order = Enumerable.Range(0, columns.Count).ToList();
                    rng.Shuffle(order);
                    columns = order.Select(i => columns[i]).ToList();
                    data = data.Select(r => order.Select(i => r[i]).ToList()).ToList();
                }

                if (rng.Chance(0.1))
                {
                    columns = columns.Select(c => c.ToUpperInvariant()).ToList();
                }

                newline = rng.Chance(0.2) ? "\r\n" : "\n";
                bom = rng.Chance(0.15);
                blankTail = rng.Chance(0.15);
            }

            var sb = new StringBuilder();
            ReferenceCsv.AppendRecord(sb, columns, ',', newline);
            foreach (var row in data)
            {
                ReferenceCsv.AppendRecord(sb, row, ',', newline);
            }

            if (blankTail)
            {
                sb.Append(newline).Append(newline);
            }

            File.WriteAllText(Path.Combine(directory, name + ".csv"), sb.ToString(), new UTF8Encoding(bom));
        }

        private static long Pow10(int n)
        {
            long result = 1;
            for (var i = 0; i < n; i++)
            {
                result *= 10;
            }

            return result;
        }

        private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
