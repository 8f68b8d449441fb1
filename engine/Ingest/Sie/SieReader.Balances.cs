namespace ItDrift.Tbm.Ingest.Sie;

internal sealed partial class SieReader
{
    private readonly Dictionary<BalanceKey, BalanceCell> _periodCells = [];
    private readonly Dictionary<(int YearIndex, int Account), BalanceCell> _yearCells = [];
    private readonly Dictionary<(int YearIndex, int Account), Int128> _periodYearSums = [];
    private long _periodRows;
    private long _budgetRows;
    private long _yearRows;

    private readonly record struct BalanceKey(bool Budget, int YearIndex, int YearMonth, int Account, string Objects);

    /// <summary>A balance row, or the sum of rows with the same key. Balance files are small: they are bounded
    /// by accounts × months × objects, never by the number of transactions.</summary>
    private sealed class BalanceCell(int firstLine, int yearIndex, int yearMonth, int account, (int Dimension, string Id)[] objects)
    {
        public int FirstLine { get; } = firstLine;

        public int YearIndex { get; } = yearIndex;

        public int YearMonth { get; } = yearMonth;

        public int Account { get; } = account;

        public (int Dimension, string Id)[] Objects { get; } = objects;

        public Int128 Amount { get; set; }
    }

    private readonly Dictionary<(string Record, int YearIndex, SiePlacement Placement), MisplacedRows> _misplaced = [];

    private sealed class MisplacedRows(int firstLine)
    {
        public int FirstLine { get; } = firstLine;

        public long Rows { get; private set; }

        public int FirstMonth { get; private set; } = int.MaxValue;

        public int LastMonth { get; private set; }

        public void Add(int yearMonth)
        {
            Rows++;
            FirstMonth = Math.Min(FirstMonth, yearMonth);
            LastMonth = Math.Max(LastMonth, yearMonth);
        }
    }

    private sealed class BalanceGroup
    {
        public BalanceCell? Total { get; set; }

        public List<BalanceCell> Breakdown { get; } = [];

        public List<BalanceCell> Others { get; } = [];
    }

    /// <summary><c>#PSALDO</c>/<c>#PBUDGET årsnr period konto {objekt} saldo kvantitet</c>, aggregated until the end.</summary>
    private void OnPeriodBalance(ReadOnlySpan<byte> line, bool budget)
    {
        var record = budget ? "#PBUDGET" : "#PSALDO";
        if (budget)
        {
            _budgetRows++;
        }
        else
        {
            _periodRows++;
        }

        if (!TryYearIndex(line, record) || !TryAccount(line, 3, record, SieSeverity.Error, out var account))
        {
            NotEmitted($"{record} with a malformed field");
            return;
        }

        _ = SieNumbers.TryParseYearIndex(SieFields.Raw(line, _fields[1]), out var yearIndex);
        if (_fields.Count < 3 || !SieNumbers.TryParseYearMonth(SieFields.Raw(line, _fields[2]), out var yearMonth))
        {
            Issue(_lineNumber, record, "period", SieIssueKind.MalformedField, SieSeverity.Error,
                $"period {FieldQuote(line, 2)} is not a month written ÅÅÅÅMM");
            NotEmitted($"{record} with a malformed field");
            return;
        }

        var shift = 0;
        _objectCount = 0;
        if (_fields.Count <= 4 || _fields[4].Kind != SieFieldKind.List)
        {
            shift = -1;
            Issue(_lineNumber, record, "objects", SieIssueKind.MalformedField, SieSeverity.Warning,
                "no object list after the account (SIE 4B writes {} when there is none); read as empty");
        }
        else if (!ReadObjects(line, _fields[4], record))
        {
            NotEmitted($"{record} with a malformed field");
            return;
        }

        if (!TryAmount(line, 5 + shift, record, out var amount))
        {
            NotEmitted($"{record} with a malformed field");
            return;
        }

        var objects = new (int Dimension, string Id)[_objectCount];
        for (var i = 0; i < _objectCount; i++)
        {
            objects[i] = (_objects[i].Dimension, Text(line, _fields.Child(_objects[i].Child)));
        }

        var key = new BalanceKey(budget, yearIndex, yearMonth, account, string.Join(';', objects.Select(o => $"{o.Dimension}={o.Id}")));
        if (!_periodCells.TryGetValue(key, out var cell))
        {
            cell = new BalanceCell(_lineNumber, yearIndex, yearMonth, account, objects);
            _periodCells.Add(key, cell);
        }

        cell.Amount += amount;
    }

    /// <summary><c>#RES årsnr konto saldo kvantitet</c>: a result account's total for a year.</summary>
    private void OnYearBalance(ReadOnlySpan<byte> line)
    {
        _yearRows++;
        if (!TryYearIndex(line, "#RES") || !TryAccount(line, 2, "#RES", SieSeverity.Error, out var account) || !TryAmount(line, 3, "#RES", out var amount))
        {
            NotEmitted("#RES with a malformed field");
            return;
        }

        _ = SieNumbers.TryParseYearIndex(SieFields.Raw(line, _fields[1]), out var yearIndex);
        if (!_yearCells.TryGetValue((yearIndex, account), out var cell))
        {
            cell = new BalanceCell(_lineNumber, yearIndex, 0, account, []);
            _yearCells.Add((yearIndex, account), cell);
        }

        cell.Amount += amount;
    }

    private bool TryYearIndex(ReadOnlySpan<byte> line, string record)
    {
        if (_fields.Count > 1 && SieNumbers.TryParseYearIndex(SieFields.Raw(line, _fields[1]), out _))
        {
            return true;
        }

        Issue(_lineNumber, record, "year", SieIssueKind.MalformedField, SieSeverity.Error,
            $"year number {FieldQuote(line, 1)} is not 0, -1, -2, …");
        return false;
    }

    /// <summary>
    /// At the end of the file: the ledger comes from its most detailed data. #TRANS lines were sent while
    /// reading; without them the period balances are sent, else the year balances. Budgets always.
    /// </summary>
    private void EmitBalances()
    {
        if (_transactionRows > 0)
        {
            _report.Basis = SieLedgerBasis.Transactions;
            CheckTransactionTotals();
            if (_periodRows > 0)
            {
                NotEmitted("#PSALDO (the file has #TRANS, which are more detailed)", _periodRows);
            }

            if (_yearRows > 0)
            {
                NotEmitted("#RES (the file has #TRANS, which are more detailed)", _yearRows);
            }
        }
        else if (_periodRows > 0)
        {
            _report.Basis = SieLedgerBasis.PeriodBalances;
            EmitPeriodBalances(budget: false);
            CheckYearTotals();
            if (_yearRows > 0)
            {
                NotEmitted("#RES (the file has #PSALDO, which are more detailed)", _yearRows);
            }
        }
        else if (_yearRows > 0)
        {
            _report.Basis = SieLedgerBasis.YearBalances;
            EmitYearBalances();
        }

        if (_budgetRows > 0)
        {
            EmitPeriodBalances(budget: true);
        }

        foreach (var ((record, yearIndex, placement), block) in _misplaced.OrderBy(pair => pair.Value.FirstLine))
        {
            var declared = _calendar.ByIndex(yearIndex);
            var months = Invariant($"{block.Rows} lines from {record} rows of year number {yearIndex} (months {block.FirstMonth}–{block.LastMonth}, the first at this line)");
            var reason = placement == SiePlacement.BeyondEighteen
                ? $"{months} fall after the eighteenth month of their fiscal year; a fiscal year is at most 18 months and ledger periods are 1–18, so they are not emitted"
                : declared is null
                    ? $"{months} have no #RAR {yearIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)} with the year's dates; they are not emitted"
                    : Invariant($"{months} lie outside that year ({declared.Start:yyyy-MM-dd} to {declared.End:yyyy-MM-dd}), so the file labels them with the wrong year or month; they are not emitted");
            Issue(block.FirstLine, record, "period", placement == SiePlacement.BeyondEighteen ? SieIssueKind.PeriodOutOfRange : SieIssueKind.OutsideFiscalYears,
                yearIndex == 0 ? SieSeverity.Error : SieSeverity.Warning, reason);
        }
    }

    /// <summary>
    /// Period balances come in two readings, told apart by the rows themselves:
    /// <list type="bullet">
    /// <item><b>totals</b> (SIE 4B #PSALDO 5, and 8.9–8.13): a row with <c>{}</c> is the account's total and
    /// each row with one object breaks it down by that object's dimension, each dimension on its own. Adding
    /// all rows would count the amount once per dimension. The total is used, split by the objects of
    /// <see cref="SieReaderOptions.BreakdownDimension"/> with the rest on a line without object. Where a month
    /// has object rows but no <c>{}</c> row, the rows of one dimension (the breakdown dimension if present)
    /// are the account total.</item>
    /// <item><b>partition</b> (what several programs write: rows with two or more objects, such as
    /// <c>{1 "Nord" 7 "101"}</c>): each row is one combination of objects, the <c>{}</c> row is the part
    /// without objects, and the rows add up to the account. Each row is a line.</item>
    /// </list>
    /// A file with any row of two or more objects is read as a partition.
    /// </summary>
    private void EmitPeriodBalances(bool budget)
    {
        var record = budget ? "#PBUDGET" : "#PSALDO";
        var cells = _periodCells.Where(pair => pair.Key.Budget == budget).Select(pair => pair.Value).OrderBy(cell => cell.FirstLine).ToList();
        if (cells.Count == 0)
        {
            return;
        }

        var partition = cells.Exists(cell => cell.Objects.Length > 1);
        if (!budget)
        {
            _report.PeriodBalanceReading = partition ? "partition" : "totals";
        }

        if (partition)
        {
            foreach (var cell in cells)
            {
                EmitBalance(record, budget, cell, cell.Amount, cell.Objects, cell.FirstLine);
            }

            return;
        }

        var groups = new Dictionary<(int, int, int), BalanceGroup>();
        var order = new List<BalanceGroup>();
        foreach (var cell in cells)
        {
            if (!groups.TryGetValue((cell.YearIndex, cell.YearMonth, cell.Account), out var group))
            {
                group = new BalanceGroup();
                groups.Add((cell.YearIndex, cell.YearMonth, cell.Account), group);
                order.Add(group);
            }

            if (cell.Objects.Length == 0)
            {
                group.Total = cell;
            }
            else if (cell.Objects[0].Dimension == _options.BreakdownDimension)
            {
                group.Breakdown.Add(cell);
            }
            else
            {
                group.Others.Add(cell);
            }
        }

        long otherRows = 0;
        foreach (var group in order)
        {
            if (group.Total is { } total)
            {
                var rest = total.Amount;
                foreach (var part in group.Breakdown)
                {
                    EmitBalance(record, budget, part, part.Amount, part.Objects, part.FirstLine);
                    rest -= part.Amount;
                }

                if (group.Breakdown.Count == 0 || rest != 0)
                {
                    EmitBalance(record, budget, total, rest, [], total.FirstLine);
                }

                otherRows += group.Others.Count;
                continue;
            }

            // No {} row: the account total is not written. Programs that enter budgets per cost centre
            // write only the object rows, so the rows of one dimension are taken as the whole account.
            var dimension = group.Breakdown.Count > 0 ? _options.BreakdownDimension : group.Others.Min(cell => cell.Objects[0].Dimension);
            var rows = group.Breakdown.Count > 0 ? group.Breakdown : group.Others.FindAll(cell => cell.Objects[0].Dimension == dimension);
            Int128 sum = 0;
            foreach (var part in rows)
            {
                EmitBalance(record, budget, part, part.Amount, part.Objects, part.FirstLine);
                sum += part.Amount;
            }

            var others = group.Others.Where(cell => cell.Objects[0].Dimension != dimension).ToList();
            otherRows += others.Count;
            foreach (var byDimension in others.GroupBy(cell => cell.Objects[0].Dimension))
            {
                var otherSum = byDimension.Aggregate(Int128.Zero, (acc, cell) => acc + cell.Amount);
                if (otherSum != sum)
                {
                    var first = rows[0];
                    Issue(first.FirstLine, record, "objects", SieIssueKind.BalanceMismatch, SieSeverity.Warning,
                        Invariant($"account {first.Account} month {first.YearMonth} has no account total row {{}}, and its objects of dimension {dimension} sum to {SieNumbers.FormatOre(sum)} but those of dimension {byDimension.Key} to {SieNumbers.FormatOre(otherSum)}; dimension {dimension} is used"));
                }
            }
        }

        if (otherRows > 0)
        {
            NotEmitted(Invariant($"{record} breakdown by a dimension other than {_options.BreakdownDimension} (its account total is used)"), otherRows);
        }
    }

    private void EmitBalance(string record, bool budget, BalanceCell cell, Int128 amount, (int Dimension, string Id)[] objects, int sourceLine)
    {
        if (!budget)
        {
            ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_periodYearSums, (cell.YearIndex, cell.Account), out _);
            sum += amount;
        }

        var placement = _calendar.Place(cell.YearIndex, cell.YearMonth, out var fiscalYear, out var period);
        if (placement != SiePlacement.InYear)
        {
            // Some programs label whole blocks of rows with the wrong year number (Visma writes its budget
            // twice, once as year -1 with year 0's months): one issue per block, not one per row.
            if (!_misplaced.TryGetValue((record, cell.YearIndex, placement), out var block))
            {
                block = new MisplacedRows(sourceLine);
                _misplaced.Add((record, cell.YearIndex, placement), block);
            }

            block.Add(cell.YearMonth);
            NotEmitted(placement == SiePlacement.Outside ? OutsideYearsReason : BeyondEighteenReason);
            return;
        }

        if (amount < long.MinValue || amount > long.MaxValue)
        {
            Issue(sourceLine, record, "amount", SieIssueKind.MalformedField, SieSeverity.Error, "the balance does not fit in 64 bits of öre");
            NotEmitted($"{record} with a malformed field");
            return;
        }

        string costCenter = "", project = "", other = "";
        foreach (var (dimension, id) in objects)
        {
            switch (dimension)
            {
                case 1:
                    costCenter = id;
                    break;
                case 6:
                    project = id;
                    break;
                default:
                    other = other.Length == 0 ? Invariant($"{dimension}={id}") : Invariant($"{other};{dimension}={id}");
                    break;
            }
        }

        Emit(new SieLedgerLine
        {
            SourceLine = sourceLine,
            YearIndex = cell.YearIndex,
            FiscalYear = fiscalYear,
            Period = period,
            Scenario = budget ? SieScenario.Budget : SieScenario.Actual,
            Source = budget ? SieLineSource.PeriodBudget : SieLineSource.PeriodBalance,
            Account = cell.Account,
            CostCenter = costCenter,
            Project = project,
            OtherDimensions = other,
            AmountOre = (long)amount,
        });
    }

    /// <summary>
    /// SIE 1 files have only year totals: each <c>#RES</c> becomes one year-level line in the fiscal year's last
    /// period (12, or fewer months for a short year), and the report says so (<see cref="SieReadReport.YearLevel"/>).
    /// Balance accounts (#IB/#UB) carry no cost and are not sent.
    /// </summary>
    private void EmitYearBalances()
    {
        foreach (var cell in _yearCells.Values.OrderBy(c => c.FirstLine))
        {
            var year = _calendar.ByIndex(cell.YearIndex);
            if (year is null)
            {
                Issue(cell.FirstLine, "#RES", "year", SieIssueKind.OutsideFiscalYears, SieSeverity.Error,
                    Invariant($"#RES year number {cell.YearIndex} has no #RAR with its dates; not emitted"));
                NotEmitted(OutsideYearsReason);
                continue;
            }

            Emit(new SieLedgerLine
            {
                SourceLine = cell.FirstLine,
                YearIndex = cell.YearIndex,
                FiscalYear = year.FiscalYear,
                Period = Math.Min(year.Months, 18),
                Scenario = SieScenario.Actual,
                Source = SieLineSource.YearBalance,
                Account = cell.Account,
                AmountOre = (long)cell.Amount,
            });
        }
    }
}
