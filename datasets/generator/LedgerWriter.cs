using System.Globalization;
using System.Text;

namespace ItDrift.Tbm.Datasets;

/// <summary>
/// Streams <c>ledger.csv</c> from a <see cref="DemoPlan"/>: one block per fiscal year and period, each
/// drawn from its own random stream, so blocks are independent of each other (a later parallel or
/// Parquet writer can produce them in any order and concatenate). No row objects are kept.
/// </summary>
/// <remarks>
/// Within a block: the actual cost lines of every cell, the month's fee revenue per tenant (class 3) and
/// one balance-sheet pair (classes 1 and 2), which the engine skips, then, in the periods where the plan
/// granularity puts them, one budget and one forecast line per cell. A cell's amount for the month is cut
/// into its lines by a self-correcting random split (each line a random share of what is left divided by
/// the lines left), so the lines sum exactly to the planned amount without holding them.
/// </remarks>
internal static class LedgerWriter
{
    public static readonly string[] Header = ["fiscal_year", "period", "scenario", "account", "cost_center", "project", "amount", "voucher", "text"];

    private const string RevenueCentre = "KS-4011";

    /// <summary>Writes the ledger; <paramref name="progress"/> receives the lines written so far after each block.</summary>
    /// <returns>The sum of every amount written, in öre.</returns>
    public static long Write(string path, DemoPlan plan, Action<long>? progress)
    {
        var scenarios = DemoPlan.Scenarios.Select(CsvOut.LedgerField).ToArray();
        var revenueCentre = CsvOut.LedgerField(RevenueCentre);
        var written = new long[plan.Years][];
        var total = 0L;
        using (var csv = new CsvOut(path, plan.Options.LedgerFormat == LedgerFormat.SwedishCsv, Header))
        {
            for (var y = 0; y < plan.Years; y++)
            {
                written[y] = new long[plan.Cells.Count];
                for (var m = 0; m < 12; m++)
                {
                    var block = new Block(csv, plan, y, m, scenarios);
                    total += block.WriteActual(written[y]);
                    total += block.WriteRevenue(revenueCentre);
                    total += block.WriteInvestments();
                    total += block.WritePlan();
                    progress?.Invoke(csv.Rows);
                }
            }

            if (csv.Rows != plan.LedgerLines)
            {
                throw new InvalidOperationException($"wrote {csv.Rows} ledger lines, planned {plan.LedgerLines}");
            }
        }

        for (var y = 0; y < plan.Years; y++)
        {
            for (var i = 0; i < plan.Cells.Count; i++)
            {
                var planned = 0L;
                for (var m = 0; m < 12; m++)
                {
                    planned += plan.Amounts[DemoPlan.Actual][y][(i * 12) + m];
                }

                if (planned != written[y][i])
                {
                    throw new InvalidOperationException($"cell {i} of year {plan.FirstYear + y}: wrote {written[y][i]} öre, planned {planned}");
                }
            }
        }

        return total;
    }

    /// <summary>One fiscal year and period of the ledger.</summary>
    private sealed class Block
    {
        private readonly CsvOut _csv;
        private readonly DemoPlan _plan;
        private readonly int _y;
        private readonly int _m;
        private readonly int _year;
        private readonly byte[][] _scenarios;
        private readonly Rng _rng;
        private readonly Dictionary<string, byte[]> _prefixes = new(StringComparer.Ordinal);
        private long _sequence = 2;

        public Block(CsvOut csv, DemoPlan plan, int y, int m, byte[][] scenarios)
        {
            _csv = csv;
            _plan = plan;
            _y = y;
            _m = m;
            _year = plan.FirstYear + y;
            _scenarios = scenarios;
            _rng = Rng.For(plan.Options.Seed, Rng.Stream("ledger"), _year, m + 1);
        }

        public long WriteActual(long[] written)
        {
            var amounts = _plan.Amounts[DemoPlan.Actual][_y];
            var counts = _plan.LineCounts[_y];
            var total = 0L;
            for (var i = 0; i < _plan.Cells.Count; i++)
            {
                var lines = counts[(i * 12) + _m];
                if (lines == 0)
                {
                    continue;
                }

                var cell = _plan.Cells[i];
                var booking = cell.Booking;
                var prefix = Prefix(booking.Series);
                var texts = cell.Texts[_m];
                var credits = cell.Credits[_m];
                var left = amounts[(i * 12) + _m];
                for (var k = lines; k > 0; k--)
                {
                    long amount;
                    var credit = k >= 3 && _rng.Chance(booking.CreditPpm);
                    if (k == 1)
                    {
                        amount = left;
                    }
                    else if (credit)
                    {
                        amount = -(long)((Int128)left * _rng.Between(200_000, 1_000_000) / (k * 2_000_000L));
                    }
                    else
                    {
                        amount = (long)((Int128)left * _rng.Triangular(booking.SpreadLow, booking.SpreadHigh) / (k * 1_000_000L));
                    }

                    left -= amount;
                    written[i] += amount;
                    total += amount;
                    Line(DemoPlan.Actual, cell.Account, cell.CentreField, cell.ProjectField, amount);
                    _csv.Voucher(prefix, booking.SharedVoucher ? 1 : _sequence++);
                    _csv.Raw(credit ? credits[_rng.Below(credits.Length)] : texts[_rng.Below(texts.Length)]);
                    _csv.EndRow();
                }
            }

            return total;
        }

        /// <summary>The month's preliminary fees as revenue (credit), a twelfth a month, the remainder in December.</summary>
        public long WriteRevenue(byte[] centre)
        {
            var total = 0L;
            var prefix = Prefix("KF");
            for (var t = 0; t < _plan.Catalogue.Tenants.Length; t++)
            {
                var yearly = _plan.InvoicedPerTenant[_y][t];
                if (yearly <= 0)
                {
                    continue;
                }

                var amount = -((yearly / 12) + (_m == 11 ? yearly % 12 : 0));
                total += amount;
                Line(DemoPlan.Actual, _plan.Catalogue.From(DemoData.FeeRevenueAccount), centre, [], amount);
                _csv.Voucher(prefix, _sequence++);
                _csv.Text(string.Create(CultureInfo.InvariantCulture, $"Avgift IT-drift {DemoData.Months[_m]} {_year}, {_plan.Catalogue.Tenants[t].Name}"));
                _csv.EndRow();
            }

            return total;
        }

        /// <summary>An investment capitalised on an asset account against supplier payables, one voucher.</summary>
        public long WriteInvestments()
        {
            var amount = _plan.Investments[_y][_m];
            var prefix = Prefix("AKT");
            var voucher = _sequence++;
            Line(DemoPlan.Actual, _plan.Catalogue.From(DemoData.AssetAccount), [], [], amount);
            _csv.Voucher(prefix, voucher);
            _csv.Text("Aktivering IT-utrustning " + DemoData.Months[_m]);
            _csv.EndRow();
            Line(DemoPlan.Actual, _plan.Catalogue.From(DemoData.PayablesAccount), [], [], -amount);
            _csv.Voucher(prefix, voucher);
            _csv.Text("Leverantörsskuld, investering " + DemoData.Months[_m]);
            _csv.EndRow();
            return 0;
        }

        /// <summary>Budget and forecast lines for the plan period that starts in this month, if one does.</summary>
        public long WritePlan()
        {
            var months = 12 / _plan.PlanGranularity;
            if (_m % months != 0)
            {
                return 0;
            }

            var total = 0L;
            foreach (var (scenario, label) in new[] { (DemoPlan.Budget, "Budget "), (DemoPlan.Forecast, "Helårsprognos ") })
            {
                var text = CsvOut.LedgerField(label + _year.ToString(CultureInfo.InvariantCulture));
                var amounts = _plan.Amounts[scenario][_y];
                for (var i = 0; i < _plan.Cells.Count; i++)
                {
                    var amount = 0L;
                    for (var m = _m; m < _m + months; m++)
                    {
                        amount += amounts[(i * 12) + m];
                    }

                    var cell = _plan.Cells[i];
                    total += amount;
                    Line(scenario, cell.Account, cell.CentreField, cell.ProjectField, amount);
                    _csv.Raw([]);
                    _csv.Raw(text);
                    _csv.EndRow();
                }
            }

            return total;
        }

        /// <summary>The columns up to and including the amount.</summary>
        private void Line(int scenario, int account, byte[] centre, byte[] project, long amount)
        {
            _csv.Integer(_year);
            _csv.Integer(_m + 1);
            _csv.Raw(_scenarios[scenario]);
            _csv.Integer(account);
            _csv.Raw(centre);
            _csv.Raw(project);
            _csv.Money(amount);
        }

        /// <summary>The voucher's series, year and period, e.g. <c>LF2403-</c>; the number follows in the same field.</summary>
        private byte[] Prefix(string series)
        {
            if (!_prefixes.TryGetValue(series, out var prefix))
            {
                prefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{series}{_year % 100:00}{_m + 1:00}-"));
                _prefixes.Add(series, prefix);
            }

            return prefix;
        }
    }
}
