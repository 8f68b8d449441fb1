using System.Globalization;

namespace ItDrift.Tbm.Datasets;

/// <summary>One (cost centre, account, project) combination the ledger books to, with everything a line of it needs pre-encoded.</summary>
internal sealed class Cell
{
    public required int CentreIndex { get; init; }

    public required CostCentreDef Centre { get; init; }

    public required CostKind Kind { get; init; }

    public required AccountDef Booking { get; init; }

    /// <summary>The account its lines book to: the booking's, at scale a sub-account of it.</summary>
    public required int Account { get; init; }

    public required string Project { get; init; }

    /// <summary>What texts name (a product, a supplier); <see langword="null"/>: drawn from the kind's list.</summary>
    public required string? Subject { get; init; }

    /// <summary>First-year amount before budget bias, in öre.</summary>
    public long BaseOre { get; set; }

    /// <summary>Index into <see cref="DemoPlan.ObjectIds"/>; −1 when no mapping row matches (UNMAPPED).</summary>
    public int ObjectIndex { get; set; }

    public byte[] CentreField { get; set; } = [];

    public byte[] ProjectField { get; set; } = [];

    /// <summary>Ledger texts per month (0–11), already escaped and encoded.</summary>
    public byte[][][] Texts { get; set; } = [];

    /// <summary>Credit-note texts per month.</summary>
    public byte[][][] Credits { get; set; } = [];
}

internal sealed partial class DemoPlan
{
    /// <summary>Plan lines (budget, forecast) are written at this many periods a year: 12, 6, 4, 3, 2 or 1.</summary>
    private static readonly int[] Granularities = [12, 6, 4, 3, 2, 1];

    public List<Cell> Cells { get; } = [];

    /// <summary>Services, then towers, then the shared objects: the index space of <see cref="Cell.ObjectIndex"/>.</summary>
    public string[] ObjectIds { get; }

    /// <summary>Monthly amounts in öre: [scenario][year][cell × 12 + month].</summary>
    public long[][][] Amounts { get; private set; } = [];

    /// <summary>Actual ledger lines per [year][cell × 12 + month].</summary>
    public int[][] LineCounts { get; private set; } = [];

    /// <summary>Budget and forecast lines are written this many times a year per cell.</summary>
    public int PlanGranularity { get; private set; }

    /// <summary>Capitalised IT investments per [year][month] in öre (a balance-sheet pair, skipped by the engine).</summary>
    public long[][] Investments { get; private set; } = [];

    /// <summary>Ledger lines in all.</summary>
    public long LedgerLines { get; private set; }

    /// <summary>Ledger lines that are neither actual costs nor plan lines: fee revenue and the balance-sheet pairs.</summary>
    public long OtherLines { get; private set; }

    private void BuildCells()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("cells"));
        var mapping = Mapping.OrderBy(m => m.Priority).ToList();
        for (var c = 0; c < Catalogue.CostCentres.Length; c++)
        {
            var centre = Catalogue.CostCentres[c];
            var fte = centre.FteTenths;
            if (fte > 0)
            {
                // Monthly salary around 52 000 SEK, employer's fees 31.42 %, pension about 6 %.
                var salary = Rng.Ppm(fte * 52_000L * 12 * 100 / 10, rng.Between(920_000, 1_120_000));
                AddCell(c, CostKind.Salary, "", salary, null);
                AddCell(c, CostKind.SocialFees, "", Rng.Ppm(salary, 314_200), null);
                AddCell(c, CostKind.Pension, "", Rng.Ppm(salary, 60_000), null);
                AddCell(c, CostKind.Training, "", fte * 15_000L * 100 / 10, null);
                AddCell(c, CostKind.OtherStaff, "", fte * 6_000L * 100 / 10, null);
                AddCell(c, CostKind.Travel, "", fte * 8_000L * 100 / 10, null);
            }

            foreach (var item in centre.Costs)
            {
                var ore = item.Ksek * 1_000L * 100;
                if (Catalogue.ProjectsPerConsultingCell > 0 && item.Kind == CostKind.Consulting && item.Project.Length == 0)
                {
                    // At scale consultants also book to development projects: a share of the item to each of a few.
                    var projects = Rng.For(Options.Seed, Rng.Stream("projects:" + centre.Id));
                    for (var p = 0; p < Catalogue.ProjectsPerConsultingCell; p++)
                    {
                        var share = ore / (Catalogue.ProjectsPerConsultingCell + 1);
                        AddCell(c, item.Kind, string.Create(CultureInfo.InvariantCulture, $"P-{FirstYear % 100:00}{projects.Between(1, 60):00}"), share, item.Subject);
                        ore -= share;
                    }
                }

                AddCell(c, item.Kind, item.Project, ore, item.Subject);
            }
        }

        foreach (var cell in Cells)
        {
            var match = mapping.FirstOrDefault(m => m.Matches(cell.Account, cell.Centre.Id, cell.Project));
            cell.ObjectIndex = match is null ? -1 : Array.IndexOf(ObjectIds, match.ObjectId);
            cell.CentreField = CsvOut.LedgerField(cell.Centre.Id);
            cell.ProjectField = CsvOut.LedgerField(cell.Project);
            DrawTexts(rng, cell);
        }

        void AddCell(int centreIndex, CostKind kind, string project, long ore, string? subject)
        {
            var booking = DemoData.Account(kind);
            var account = Catalogue.AccountOf(Options.Seed, Catalogue.CostCentres[centreIndex], booking);
            var existing = Cells.Find(x => x.CentreIndex == centreIndex && x.Account == account && x.Project == project);
            if (existing is not null)
            {
                existing.BaseOre += ore;
                return;
            }

            Cells.Add(new Cell
            {
                CentreIndex = centreIndex,
                Centre = Catalogue.CostCentres[centreIndex],
                Kind = kind,
                Booking = booking,
                Account = account,
                Project = project,
                Subject = subject,
                BaseOre = ore,
            });
        }
    }

    /// <summary>Each template of the cell's kind instantiated once per month, with a supplier and subject drawn for the cell.</summary>
    private void DrawTexts(Rng rng, Cell cell)
    {
        var set = DemoData.Texts(cell.Kind);
        var subject = cell.Subject;
        cell.Texts = new byte[12][][];
        cell.Credits = new byte[12][][];
        for (var m = 0; m < 12; m++)
        {
            cell.Texts[m] = [.. set.Templates.Select(t => CsvOut.LedgerField(Fill(t)))];
            cell.Credits[m] = [.. (set.Credits ?? DemoData.CreditTemplates).Select(t => CsvOut.LedgerField(Fill(t)))];

            string Fill(string template)
            {
                var vendor = set.Vendors[rng.Below(set.Vendors.Length)];
                return (vendor.Length == 0 ? template.Replace(", {v}", "", StringComparison.Ordinal) : template)
                    .Replace("{m}", DemoData.Months[m], StringComparison.Ordinal)
                    .Replace("{q}", ((m / 3) + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{c}", cell.Centre.Name, StringComparison.Ordinal)
                    .Replace("{d}", subject ?? set.Subjects[rng.Below(set.Subjects.Length)], StringComparison.Ordinal)
                    .Replace("{v}", vendor, StringComparison.Ordinal)
                    .Replace("{n}", rng.Between(1_000, 99_999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// Budget per cell and year (growth, staff changes, a small planning margin), actual around it (±6 %),
    /// forecast three quarters of the way to actual; actual spread over the months by the kind's season,
    /// budget and forecast evenly (as budgets usually are entered).
    /// </summary>
    private void DrawAmounts()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("amounts"));
        Amounts = new long[Scenarios.Length][][];
        for (var s = 0; s < Scenarios.Length; s++)
        {
            Amounts[s] = new long[Years][];
            for (var y = 0; y < Years; y++)
            {
                Amounts[s][y] = new long[Cells.Count * 12];
            }
        }

        for (var i = 0; i < Cells.Count; i++)
        {
            var cell = Cells[i];
            var growth = 1_000_000L;
            for (var y = 0; y < Years; y++)
            {
                if (y > 0)
                {
                    growth = Rng.Ppm(growth, cell.Booking.GrowthPpm);
                }

                var level = Rng.Ppm(cell.BaseOre, growth);
                if (IsStaff(cell.Kind) && cell.Centre.FteTenths > 0)
                {
                    level = (long)((Int128)level * Fte[cell.CentreIndex][y] / cell.Centre.FteTenths);
                }

                var budget = rng.Scale(level, 1_000_000, 1_030_000);
                var actual = Rng.Ppm(budget, rng.Triangular(940_000, 1_060_000));
                var forecast = rng.Scale(budget + ((actual - budget) * 3 / 4), 990_000, 1_010_000);
                Spread(Amounts[Actual][y], i, actual, cell.Booking.Season);
                Spread(Amounts[Budget][y], i, budget, DemoData.EvenSeason);
                Spread(Amounts[Forecast][y], i, forecast, DemoData.EvenSeason);
            }
        }
    }

    /// <summary>Balance-sheet pairs (asset debit, payable credit): investments of 0.5–4 million SEK a month.</summary>
    private void DrawInvestments()
    {
        var rng = Rng.For(Options.Seed, Rng.Stream("investments"));
        Investments = new long[Years][];
        for (var y = 0; y < Years; y++)
        {
            Investments[y] = new long[12];
            for (var m = 0; m < 12; m++)
            {
                Investments[y][m] = rng.Between(50_000_000, 400_000_000);
            }
        }
    }

    /// <summary>
    /// Decides how many lines each part of the ledger gets so that the total is exactly <see cref="DemoModelOptions.LedgerLines"/>:
    /// fee revenue (12 a tenant and year) and balance-sheet pairs first, then budget and forecast at the finest
    /// granularity that stays within a fifth of the lines, then actual cost lines: each cell at least one a year,
    /// the rest by amount × the kind's line frequency, by largest remainder.
    /// </summary>
    private void CountLines()
    {
        var total = (long)Options.LedgerLines;
        var revenueLines = 0L;
        for (var y = 0; y < Years; y++)
        {
            revenueLines += 12L * InvoicedPerTenant[y].Count(a => a > 0);
        }

        OtherLines = revenueLines + (Years * 12L * 2);
        var cellYears = (long)Cells.Count * Years;
        PlanGranularity = Granularities.FirstOrDefault(g => 2 * cellYears * g * 5 <= total, 1);
        var actualLines = total - OtherLines - (2 * cellYears * PlanGranularity);
        if (actualLines < cellYears)
        {
            var minimum = OtherLines + (3 * cellYears);
            throw new TooFewLedgerLinesException(Options.LedgerLines, minimum, Years);
        }

        LedgerLines = total;
        LineCounts = new int[Years][];
        for (var y = 0; y < Years; y++)
        {
            var lines = (actualLines / Years) + (y < actualLines % Years ? 1 : 0);
            LineCounts[y] = CountYear(y, lines);
            CarryEmptyMonths(y);
        }
    }

    private int[] CountYear(int y, long lines)
    {
        var amounts = Amounts[Actual][y];
        var counts = new int[amounts.Length];
        var weights = new Int128[amounts.Length];
        for (var i = 0; i < Cells.Count; i++)
        {
            // Every cell gets a line in its largest month; the rest follow amount × frequency.
            var best = i * 12;
            for (var m = 0; m < 12; m++)
            {
                var at = (i * 12) + m;
                weights[at] = (Int128)Math.Max(0, amounts[at]) * Cells[i].Booking.LinesPerMsek;
                if (amounts[at] > amounts[best])
                {
                    best = at;
                }
            }

            counts[best] = 1;
        }

        var rest = lines - Cells.Count;
        Int128 sum = 0;
        foreach (var w in weights)
        {
            sum += w;
        }

        var remainders = new (Int128 Remainder, int Index)[weights.Length];
        long given = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var share = rest * weights[i];
            counts[i] += checked((int)(share / sum));
            given += (long)(share / sum);
            remainders[i] = (share % sum, i);
        }

        Array.Sort(remainders, static (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; k < rest - given; k++)
        {
            counts[remainders[k].Index]++;
        }

        return counts;
    }

    /// <summary>A month that got no line hands its amount to the cell's next month with lines (or the last one before it), so no money is lost.</summary>
    private void CarryEmptyMonths(int y)
    {
        var amounts = Amounts[Actual][y];
        var counts = LineCounts[y];
        for (var i = 0; i < Cells.Count; i++)
        {
            var carry = 0L;
            var lastWithLines = -1;
            for (var m = 0; m < 12; m++)
            {
                var at = (i * 12) + m;
                if (counts[at] == 0)
                {
                    carry += amounts[at];
                    amounts[at] = 0;
                }
                else
                {
                    amounts[at] += carry;
                    carry = 0;
                    lastWithLines = at;
                }
            }

            if (carry != 0)
            {
                amounts[lastWithLines] += carry;
            }
        }
    }

    private static void Spread(long[] target, int cell, long amount, int[] season)
    {
        var weight = season.Sum();
        var given = 0L;
        var largest = 0;
        for (var m = 0; m < 12; m++)
        {
            var part = (long)((Int128)amount * season[m] / weight);
            target[(cell * 12) + m] = part;
            given += part;
            if (season[m] > season[largest])
            {
                largest = m;
            }
        }

        target[(cell * 12) + largest] += amount - given;
    }

    private static bool IsStaff(CostKind kind) =>
        kind is CostKind.Salary or CostKind.SocialFees or CostKind.Pension or CostKind.Training or CostKind.OtherStaff or CostKind.Travel;
}
