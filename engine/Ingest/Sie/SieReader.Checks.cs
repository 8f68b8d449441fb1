namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>Checks made at the end of the file, when all its accounts and totals are known.</summary>
internal sealed partial class SieReader
{
    /// <summary>Compares the period balances read with the file's own year totals (#RES), where it has both.</summary>
    private void CheckYearTotals()
    {
        foreach (var ((yearIndex, account), cell) in _yearCells.OrderBy(pair => pair.Value.FirstLine))
        {
            if (_periodYearSums.TryGetValue((yearIndex, account), out var sum) && sum != cell.Amount)
            {
                Issue(cell.FirstLine, "#RES", "amount", SieIssueKind.BalanceMismatch, SieSeverity.Warning,
                    Invariant($"#RES {yearIndex} for account {account} is {SieNumbers.FormatOre(cell.Amount)}, but its #PSALDO rows (read as {_report.PeriodBalanceReading}) sum to {SieNumbers.FormatOre(sum)}"));
            }
        }
    }

    /// <summary>A SIE 4E file carries both the vouchers and the year's #RES: each result account's year-0
    /// #TRANS rows must add up to its #RES 0.</summary>
    private void CheckTransactionTotals()
    {
        if (_calendar.CalendarYears)
        {
            return;
        }

        foreach (var ((yearIndex, account), cell) in _yearCells.OrderBy(pair => pair.Value.FirstLine))
        {
            var sum = yearIndex == 0 && _usedAccounts.TryGetValue(account, out var use) ? use.YearZeroSum : 0;
            if (yearIndex == 0 && sum != cell.Amount)
            {
                Issue(cell.FirstLine, "#RES", "amount", SieIssueKind.BalanceMismatch, SieSeverity.Warning,
                    Invariant($"#RES 0 for account {account} is {SieNumbers.FormatOre(cell.Amount)}, but the year's #TRANS rows read for it sum to {SieNumbers.FormatOre(sum)}"));
            }
        }
    }

    private void CheckDeclaredAccounts()
    {
        if (_report.Accounts.Count == 0)
        {
            return;
        }

        foreach (var (account, use) in _usedAccounts.OrderBy(pair => pair.Value.FirstLine))
        {
            if (!_report.Accounts.ContainsKey(account))
            {
                Issue(use.FirstLine, "#TRANS", "account", SieIssueKind.UndeclaredAccount, SieSeverity.Warning,
                    Invariant($"account {account} is used here (first use) but the file's #KONTO records do not declare it"));
            }
        }
    }
}
