using System.Globalization;

namespace ItDrift.Tbm.Model;

/// <summary>Formatting of öre amounts in the run folder's text form (<c>-1234.50</c>, docs/model-format.md §4.1): invariant, two decimals, no separators.</summary>
public static class Money
{
    /// <summary>Formats öre as SEK with exactly two decimals.</summary>
    public static string Format(long ore)
    {
        var magnitude = ore < 0 ? -(Int128)ore : ore;
        var text = (magnitude / 100).ToString(CultureInfo.InvariantCulture) + "." + ((int)(magnitude % 100)).ToString("00", CultureInfo.InvariantCulture);
        return ore < 0 ? "-" + text : text;
    }

    /// <summary>Formats öre as SEK for people: a space between groups of three digits, a decimal point, two decimals (<c>-1 234 567.50</c>); invariant.</summary>
    public static string FormatGrouped(long ore)
    {
        var text = Format(ore);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integer = text[..dot].TrimStart('-');
        var grouped = new System.Text.StringBuilder();
        for (var i = 0; i < integer.Length; i++)
        {
            if (i > 0 && (integer.Length - i) % 3 == 0)
            {
                grouped.Append(' ');
            }

            grouped.Append(integer[i]);
        }

        return (ore < 0 ? "-" : "") + grouped + text[dot..];
    }
}

/// <summary>How the ledger's lines split into cost lines and skipped (non-cost) lines.</summary>
public sealed record LedgerCounts(long Lines, long CostLines, long SkippedLines, long SkippedAmount)
{
    /// <summary>The skipped lines (outside <c>costAccounts</c>) per BAS account class, in class order.</summary>
    public IReadOnlyList<SkippedClass> SkippedByClass { get; init; } = [];
}

/// <summary>The ledger lines of one account class that are not costs (outside <c>costAccounts</c>) and are skipped.</summary>
/// <param name="AccountClass">The BAS account class: the first digit of the account (<c>1</c>–<c>9</c>), or <c>other</c> for an account of fewer than four digits (see <see cref="AccountClasses"/>).</param>
/// <param name="Lines">Ledger lines.</param>
/// <param name="Amount">Their sum, in öre.</param>
/// <param name="Periods">The same per fiscal year and scenario, in that order.</param>
public sealed record SkippedClass(string AccountClass, long Lines, long Amount, IReadOnlyList<SkippedPeriod> Periods)
{
    /// <summary>What the class holds, for people (<c>assets</c>, <c>revenue</c> …).</summary>
    public string Name => AccountClasses.Name(AccountClass);

    /// <summary>Whether skipping the class is expected (BAS classes 1–3: balance sheet and revenue); any other skipped account is warned about.</summary>
    public bool Expected => AccountClasses.IsBalanceSheetOrRevenue(AccountClass);
}

/// <summary>The skipped lines of one account class in one fiscal year and scenario.</summary>
public sealed record SkippedPeriod(int FiscalYear, string Scenario, long Lines, long Amount);

/// <summary>
/// BAS account classes: the first digit of a four-digit account. 1 assets, 2 equity and liabilities,
/// 3 revenue, 4–8 costs and financial items; 9 is not a class of BAS costs. A longer account (a ledger that
/// extends the BAS accounts with sub-account digits, such as <c>312100</c>) has the class of its first digit,
/// as its four-digit BAS account does. An account of fewer than four digits, or 0 or below, has no BAS
/// class: <see cref="Other"/>.
/// </summary>
public static class AccountClasses
{
    /// <summary>The class of an account of fewer than four digits (or 0 or below).</summary>
    public const string Other = "other";

    /// <summary>The SQL expression giving an account's class (VARCHAR) from the INTEGER <paramref name="account"/>.</summary>
    public static string Sql(string account) =>
        $"(CASE WHEN {account} >= 1000 THEN left(CAST({account} AS VARCHAR), 1) ELSE '{Other}' END)";

    /// <summary>Whether a class is the balance sheet (1, 2) or revenue (3).</summary>
    public static bool IsBalanceSheetOrRevenue(string accountClass) => accountClass is "1" or "2" or "3";

    /// <summary>The class's contents, in English.</summary>
    public static string Name(string accountClass) => accountClass switch
    {
        "1" => "assets",
        "2" => "equity and liabilities",
        "3" => "revenue",
        "4" => "goods and services bought",
        "5" or "6" => "other external costs",
        "7" => "personnel and depreciation",
        "8" => "financial items",
        "9" => "not a BAS class",
        _ => "not a BAS account (fewer than four digits)",
    };

    /// <summary>How a class is named in a report: <c>class 3 (revenue)</c>, <c>accounts of fewer than four digits (not BAS accounts)</c>.</summary>
    public static string Label(string accountClass) =>
        accountClass == Other ? "accounts of fewer than four digits (not BAS accounts)" : $"class {accountClass} ({Name(accountClass)})";
}
