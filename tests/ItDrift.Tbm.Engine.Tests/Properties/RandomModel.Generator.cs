using System.Globalization;
using System.Text;
using ItDrift.Tbm.Tests.Reference;

namespace ItDrift.Tbm.Tests.Properties;

public static partial class RandomModel
{
    private const string Actual = "actual";
    private const string FeeArea = "IT-drift";

    // Ids mix cases and the characters `_`, `-`, `.` on purpose: ordinal order differs from culture order.
    private static readonly string[] TowerIds = ["T-DC", "T-COMPUTE", "T-STORAGE", "T-NETWORK", "T-EUC", "T_APP", "T.SEC", "t-mgmt"];
    private static readonly string[] ServiceIds = ["S-SERVER", "S-BACKUP", "S-MAIL", "S-WORKPLACE", "S-DB", "S-IAM", "S-SUPPORT", "s-print", "S.WEB", "42-ARCHIVE"];
    private static readonly string[] OtherIds = ["O-SHARED", "O-PROJECT", "o_overhead"];
    private static readonly string[] TenantIds = ["FK", "SKV", "TRV", "LM", "BV", "ESV", "DIGG", "KAMK", "msb", "SCB", "lst-AB", "Polisen", "DO.1", "A_1"];
    private static readonly string[] TenantNames =
    [
        "Försäkringskassan", "Skatteverket", "Trafikverket, IT", "Lantmäteriet; Gävle", "Myndigheten för \"digital\" förvaltning",
        "Länsstyrelsen i Stockholms län", "Ekonomistyrningsverket", "Kammarkollegiet", "Statistiska centralbyrån",
    ];

    private static readonly string[] ServiceTypes = ["Infrastructure", "Platform", "End User"];
    private static readonly string[] PoolNames = ["Internal_Labor", "External_Labor", "Outside_Services", "Hardware", "Software", "Facilities-Power", "Telecom", "Other", "Internal.Services", "cloud"];
    private static readonly string[] OwnDriverNames = ["servers", "vm", "tb", "tickets", "licenses", "devices", "cases", "mailboxes", "ports", "racks", "seats", "db.instances", "backup_tb", "Apps"];
    private static readonly string[] SharedDriverNames = ["employees", "users"];
    private static readonly string[] CostCenters = ["100", "110", "2000", "KS-IT", "ks-adm", "A.1"];
    private static readonly string[] Projects = ["P1", "P-2024", "INFRA", "x_9"];
    private static readonly string[] Texts = ["Licens, Microsoft", "Hyra \"Hus A\"", "Konsult; projekt X", "El & värme", "Lön", "Återbetalning", "Server 12", string.Empty];

    private sealed class DriverSpec(string name, List<string> targets)
    {
        public string Name { get; } = name;

        public List<string> Targets { get; } = targets;
    }

    /// <summary>Draws one model from the seed, step by step; the draws happen in a fixed order so a seed is stable.</summary>
    private sealed partial class Generator(SplitMix64 rng, RandomModelOptions options, string directory)
    {
        private readonly List<DriverSpec> _driverSpecs = [];
        private readonly Dictionary<(int Year, string Scenario), long> _costTotals = [];
        private readonly List<int> _years = [];
        private readonly List<(int Year, string Scenario)> _periods = [];
        private readonly List<string[]> _pools = [];
        private readonly Dictionary<string, int> _stepIndex = new(StringComparer.Ordinal);
        private readonly List<string[]> _rules = [];
        private readonly List<string[]> _driverRows = [];
        private readonly List<string[]> _mapping = [];
        private readonly List<string> _ledgerHeader = [];
        private readonly List<string[]> _ledger = [];
        private int _ownDriverCount;
        private (int Year, string Scenario)? _zeroSumPeriod;
        private int? _nonCostYear;
        private List<(int From, int To)> _costRanges = [];
        private bool _writeCostAccounts;
        private List<int> _costAccounts = [];
        private List<int> _nonCostAccounts = [];
        private List<(string Id, string Kind)> _objects = [];
        private List<string> _objectIds = [];
        private List<string> _tenants = [];
        private int _stepCount;
        private List<(int Year, string Scenario)> _driverPeriods = [];
        private List<string> _costCenters = [];
        private List<string> _projects = [];
        private bool _mappingHasProject;
        private List<string[]>? _invoiced;
        private List<string[]>? _revenue;
        private List<string[]>? _balances;

        public string Generate()
        {
            ChooseYears();
            ChooseCostAccounts();
            ChooseObjectsAndRules();
            ChooseDriverRows();
            ChooseMapping();
            ChooseLedger();
            ChooseOptionalTables();
            WriteAll();
            return string.Create(
                CultureInfo.InvariantCulture,
                $"years {string.Join('/', _years)}, {_periods.Count} periods, {_tenants.Count} tenants, {_objects.Count} objects, {_rules.Count} rules over {_stepCount} steps, {_driverSpecs.Count} drivers, {_mapping.Count} mapping rows, {_ledger.Count} ledger lines, invoiced {_invoiced is not null}, revenue {_revenue is not null}, balances {_balances is not null}");
        }

        /// <summary>1-3 fiscal years with actual, budget and forecast; a period that cancels out; a year without costs.</summary>
        private void ChooseYears()
        {
            var firstYear = rng.Next(2019, 2025);
            _years.Add(firstYear);
            var yearCount = rng.Next(1, 4);
            while (_years.Count < yearCount)
            {
                _years.Add(_years[^1] + (rng.Chance(0.15) ? 2 : 1));
            }

            foreach (var year in _years)
            {
                if (rng.Chance(0.85))
                {
                    _periods.Add((year, Actual));
                }

                if (rng.Chance(0.45))
                {
                    _periods.Add((year, "budget"));
                }

                if (rng.Chance(0.35))
                {
                    _periods.Add((year, "forecast"));
                }
            }

            if (_periods.Count == 0)
            {
                _periods.Add((firstYear, Actual));
            }

            if (!options.PositiveOnly && rng.Chance(0.2))
            {
                var candidate = (_years[^1], "forecast");
                if (!_periods.Contains(candidate))
                {
                    _zeroSumPeriod = candidate;
                }
            }

            _nonCostYear = rng.Chance(0.2) ? _years[^1] + 1 : null;
        }

        /// <summary>costAccounts (often the default), cost pools partitioning them, and a chart of accounts.</summary>
        private void ChooseCostAccounts()
        {
            _writeCostAccounts = true;
            if (rng.Chance(0.45))
            {
                _costRanges = [(4000, 8999)];
                _writeCostAccounts = false;
            }
            else if (rng.Chance(0.3))
            {
                _costRanges = [(4000, 8999)];
            }
            else
            {
                var a = 3000 + (100 * rng.Next(0, 21));
                var b = a + 500 + (100 * rng.Next(0, 21));
                var c = b + 1 + (100 * rng.Next(0, 11));
                var d = Math.Min(9999, c + 300 + (100 * rng.Next(0, 21)));
                _costRanges = [(a, b), (c, d)];
            }

            // A pool name may come back on a second range.
            var unusedPoolNames = rng.Sample(PoolNames, PoolNames.Length);
            foreach (var (from, to) in _costRanges)
            {
                var cuts = new SortedSet<int>();
                var pieces = rng.Next(1, 5);
                while (cuts.Count < pieces - 1)
                {
                    cuts.Add(rng.Next(from + 1, to + 1));
                }

                var start = from;
                foreach (var end in cuts.Select(cut => cut - 1).Append(to))
                {
                    string pool;
                    if ((_pools.Count > 0 && rng.Chance(0.2)) || unusedPoolNames.Count == 0)
                    {
                        pool = rng.Pick(_pools)[2];
                    }
                    else
                    {
                        pool = unusedPoolNames[^1];
                        unusedPoolNames.RemoveAt(unusedPoolNames.Count - 1);
                    }

                    _pools.Add([Int(start), Int(end), pool]);
                    start = end + 1;
                }
            }

            var costChart = new SortedSet<int>();
            var costChartSize = rng.Next(6, 26);
            while (costChart.Count < costChartSize)
            {
                var (from, to) = rng.Pick(_costRanges);
                costChart.Add(rng.Next(from, to + 1));
            }

            var nonCostChart = new SortedSet<int>();
            var nonCostSize = rng.Next(1, 5);
            while (nonCostChart.Count < nonCostSize)
            {
                var account = rng.Next(1000, 10000);
                if (!IsCost(account))
                {
                    nonCostChart.Add(account);
                }
            }

            _costAccounts = [.. costChart];
            _nonCostAccounts = [.. nonCostChart];
        }

        private bool IsCost(int account) => _costRanges.Any(r => r.From <= account && account <= r.To);

        /// <summary>Towers, services, other objects and tenants; rules over 1-4 steps, some objects without one.</summary>
        private void ChooseObjectsAndRules()
        {
            _objects = rng.Sample(TowerIds, rng.Next(1, 5)).Select(id => (Id: id, Kind: "tower"))
                .Concat(rng.Sample(ServiceIds, rng.Next(1, 7)).Select(id => (Id: id, Kind: "service")))
                .Concat(rng.Sample(OtherIds, rng.Next(0, 3)).Select(id => (Id: id, Kind: "other")))
                .ToList();
            _objectIds = _objects.Select(o => o.Id).ToList();
            _tenants = rng.Sample(TenantIds, rng.Next(2, 9));

            _stepCount = rng.Next(1, 5);
            var stepValues = StepValues(_stepCount);
            foreach (var id in _objectIds)
            {
                if (!rng.Chance(0.12))
                {
                    _stepIndex[id] = rng.Next(0, _stepCount);
                }
            }

            if (_stepIndex.Count == 0)
            {
                _stepIndex[_objectIds[0]] = _stepCount - 1;
            }

            // A rule may send money to tenants, to objects with a strictly later step, or to objects without a rule.
            foreach (var id in _objectIds.Where(_stepIndex.ContainsKey))
            {
                var k = _stepIndex[id];
                var candidates = _tenants
                    .Concat(_objectIds.Where(o => o != id && (!_stepIndex.TryGetValue(o, out var j) || j > k)))
                    .ToList();
                _rules.Add(Rule(stepValues[k], id, candidates));
            }

            rng.Shuffle(_rules);
        }

        /// <summary>Driver rows per period, with zero quantities, missing keys and keys with no volume at all.</summary>
        private void ChooseDriverRows()
        {
            _driverPeriods = [.. _periods];
            if (_zeroSumPeriod is { } zeroSum)
            {
                _driverPeriods.Add(zeroSum);
            }

            // Sometimes volumes for a period that has no cost lines: no prices for it.
            if (rng.Chance(0.2))
            {
                var extra = (_years[^1] + 1, "budget");
                if (!_driverPeriods.Contains(extra))
                {
                    _driverPeriods.Add(extra);
                }
            }

            foreach (var (year, scenario) in _driverPeriods)
            {
                foreach (var spec in _driverSpecs)
                {
                    if (rng.Chance(0.07))
                    {
                        continue;
                    }

                    var allZero = rng.Chance(0.05);
                    var chosen = spec.Targets.Where(_ => rng.Chance(0.75)).ToList();
                    if (chosen.Count == 0)
                    {
                        chosen.Add(rng.Pick(spec.Targets));
                    }

                    foreach (var target in chosen)
                    {
                        var quantity = allZero || rng.Chance(0.1) ? "0" : DecimalText(rng.Next(1, 6), wholeMinimum: 0);
                        _driverRows.Add([Int(year), ScenarioCell(scenario), spec.Name, target, quantity]);
                    }
                }
            }
        }

        /// <summary>Overlapping ranges, distinct priorities, wildcards, and gaps that leave accounts unmapped.</summary>
        private void ChooseMapping()
        {
            _costCenters = rng.Sample(CostCenters, rng.Next(2, CostCenters.Length + 1));
            _projects = rng.Sample(Projects, rng.Next(1, Projects.Length + 1));
            _mappingHasProject = rng.Chance(0.75);
            var priorities = new HashSet<int>();
            var mappingCount = rng.Next(3, 15);
            for (var i = 0; i < mappingCount; i++)
            {
                int priority;
                do
                {
                    priority = rng.Next(1, 1000);
                }
                while (!priorities.Add(priority));

                int from, to;
                if (rng.Chance(0.7))
                {
                    var account = rng.Pick(_costAccounts);
                    from = Math.Max(1000, account - rng.Next(0, 300));
                    to = Math.Min(9999, account + rng.Next(0, 1500));
                }
                else
                {
                    from = rng.Next(1000, 10000);
                    to = Math.Min(9999, from + rng.Next(0, 3000));
                }

                var costCenter = rng.Chance(0.5) ? "*" : rng.Chance(0.9) ? rng.Pick(_costCenters) : "999-unused";
                var project = rng.Chance(0.5) ? "*" : rng.Chance(0.25) ? string.Empty : rng.Pick(_projects);
                _mapping.Add([Int(priority), Int(from), Int(to), costCenter, project, rng.Pick(_objectIds)]);
            }

            // Sometimes a catch-all behind every other row.
            if (rng.Chance(0.2))
            {
                _mapping.Add(["1000", "1000", "9999", "*", "*", rng.Pick(_objectIds)]);
            }
        }

        /// <summary>Ledger lines: optional columns, blanks, credits, non-cost accounts, text that needs quoting.</summary>
        private void ChooseLedger()
        {
            var lineCount = rng.Next(options.MinLedgerLines, options.MaxLedgerLines + 1);
            var weightedPeriods = _periods.Concat(_periods.Where(p => p.Scenario == Actual)).ToList();
            var hasScenario = _periods.Any(p => p.Scenario != Actual) || _zeroSumPeriod is not null || rng.Chance(0.5);
            var hasCostCenter = rng.Chance(0.9);
            var hasProject = rng.Chance(0.75);
            var hasVoucher = rng.Chance(0.7);
            var hasText = rng.Chance(0.6);
            var newlineInText = rng.Chance(0.25);

            void AddLine(int year, string scenario, int account, long amount)
            {
                var row = new List<string> { Int(year), Int(rng.Next(1, 13)) };
                if (hasScenario)
                {
                    row.Add(ScenarioCell(scenario));
                }

                row.Add(Int(account));
                if (hasCostCenter)
                {
                    row.Add(rng.Chance(0.12) ? string.Empty : rng.Pick(_costCenters));
                }

                if (hasProject)
                {
                    row.Add(rng.Chance(0.5) ? string.Empty : rng.Pick(_projects));
                }

                row.Add(MoneyText(amount));
                if (hasVoucher)
                {
                    row.Add("V" + Int(rng.Next(1, 100_000)));
                }

                if (hasText)
                {
                    row.Add(newlineInText && rng.Chance(0.01) ? "Rad 1\nRad 2" : rng.Pick(Texts));
                }

                _ledger.Add([.. row]);
                if (IsCost(account))
                {
                    _costTotals[(year, scenario)] = _costTotals.GetValueOrDefault((year, scenario)) + amount;
                }
            }

            for (var i = 0; i < lineCount; i++)
            {
                var (year, scenario) = rng.Pick(weightedPeriods);
                var account = rng.Chance(0.88) ? rng.Pick(_costAccounts) : rng.Pick(_nonCostAccounts);
                AddLine(year, scenario, account, RandomAmount(allowNegative: !options.PositiveOnly));
            }

            if (_zeroSumPeriod is { } zero)
            {
                var account = rng.Pick(_costAccounts);
                var amount = RandomAmount(allowNegative: false);
                AddLine(zero.Year, zero.Scenario, account, amount);
                AddLine(zero.Year, zero.Scenario, account, -amount);
            }

            if (_nonCostYear is { } nonCostYear)
            {
                for (var i = rng.Next(1, 4); i > 0; i--)
                {
                    AddLine(nonCostYear, Actual, rng.Pick(_nonCostAccounts), RandomAmount(allowNegative: !options.PositiveOnly));
                }
            }

            _ledgerHeader.AddRange(["fiscal_year", "period"]);
            if (hasScenario)
            {
                _ledgerHeader.Add("scenario");
            }

            _ledgerHeader.Add("account");
            if (hasCostCenter)
            {
                _ledgerHeader.Add("cost_center");
            }

            if (hasProject)
            {
                _ledgerHeader.Add("project");
            }

            _ledgerHeader.Add("amount");
            if (hasVoucher)
            {
                _ledgerHeader.Add("voucher");
            }

            if (hasText)
            {
                _ledgerHeader.Add("text");
            }
        }

        /// <summary>invoiced (duplicate keys, a year without costs), revenue (a year without costs), balances.</summary>
        private void ChooseOptionalTables()
        {
            var actualCostYears = _costTotals.Keys.Where(k => k.Scenario == Actual).Select(k => k.Year).Order().ToList();
            if (rng.Chance(0.5))
            {
                _invoiced = [];
                var sources = _stepIndex.Keys.Order(StringComparer.Ordinal).ToList();
                var invoiceYears = actualCostYears.ToList();
                if (rng.Chance(0.3))
                {
                    invoiceYears.Add(_years[^1] + 2);
                }

                foreach (var year in invoiceYears)
                {
                    foreach (var tenant in _tenants)
                    {
                        foreach (var service in rng.Sample(sources, rng.Next(0, Math.Min(3, sources.Count) + 1)))
                        {
                            _invoiced.Add([Int(year), tenant, service, MoneyText(RandomAmount(allowNegative: rng.Chance(0.1)))]);
                            if (rng.Chance(0.1))
                            {
                                _invoiced.Add([Int(year), tenant, service, MoneyText(RandomAmount(allowNegative: false))]);
                            }
                        }
                    }
                }
            }

            if (rng.Chance(0.4))
            {
                _revenue = [];
                foreach (var year in actualCostYears.Where(_ => rng.Chance(0.8)))
                {
                    var cost = _costTotals[(year, Actual)];
                    _revenue.Add([FeeArea, Int(year), MoneyText(cost / 100 * rng.Next(70, 141))]);
                }

                if (rng.Chance(0.2))
                {
                    _revenue.Add([FeeArea, Int(_years[0] - 1), MoneyText(RandomAmount(allowNegative: false))]);
                }
            }

            // The opening balance belongs to the first row of balance.csv.
            var balanceYears = actualCostYears.Concat(_revenue?.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)) ?? []).ToList();
            if (balanceYears.Count > 0 && rng.Chance(0.4))
            {
                _balances = [[FeeArea, Int(balanceYears.Min()), MoneyText(RandomAmount(allowNegative: true))]];
            }
        }
    }
}
