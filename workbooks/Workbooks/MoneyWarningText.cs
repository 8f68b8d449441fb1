using System.Globalization;
using System.Text.RegularExpressions;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// A run's warning about money in Swedish, for the Anmärkningar sheet. The run keeps its warnings in English
/// (<c>run.json</c>, the command line); the kind and the periods with their amounts are data, and what the
/// warning is about (the account, cost centre, target, key) is read from the engine's own wording
/// (engine/Validation/MoneyChecks.cs). Should that wording change, the Swedish text still says what kind of
/// money it is and how much, without naming the account, and the English text stays beside it.
/// </summary>
internal static partial class MoneyWarningText
{
    public static string Swedish(RunMoneyWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var text = warning.Text;
        var amounts = Periods(warning, withAmounts: true);
        var periods = Periods(warning, withAmounts: false);
        switch (warning.Kind)
        {
            case Model.MoneyWarning.SkippedAccount when warning.Summary:
                return $"… och {More(text)}konton till utanför kostnadskontona och BAS-klass 1–3 hoppas över och fördelas inte: {amounts}.";
            case Model.MoneyWarning.SkippedAccount:
                return $"{Account(text)}ligger utanför kostnadskontona (costAccounts) och är inget balans- eller intäktskonto, så det hoppas över och fördelas inte: {amounts}. "
                    + "Rätta kontot, eller lägg till det i costAccounts om det är en kostnad.";
            case Model.MoneyWarning.Unmapped when warning.Summary:
                return $"… och {More(text)}konton och kostnadsställen till matchar ingen mappningsrad och förblir ofördelade (UNMAPPED): {amounts}. trail/mapped_lines.parquet har varje rad.";
            case Model.MoneyWarning.Unmapped:
                return $"{Account(text)}{CostCentre(text)}matchar ingen mappningsrad, så det förblir ofördelat (UNMAPPED): {amounts}. "
                    + "Rätta kostnadsställe eller konto, eller lägg till en mappningsrad.";
            case Model.MoneyWarning.MissingDriverRow when warning.Summary:
                return $"… och {More(text)}mottagare till i fördelningsregler saknar rad för nyckeln och får inget från regeln, i {periods}.";
            case Model.MoneyWarning.MissingDriverRow:
                return MissingRow(text, periods);
            default:
                return text;
        }
    }

    private static string MissingRow(string text, string periods)
    {
        var match = MissingRowPattern().Match(text);
        if (!match.Success)
        {
            return $"En mottagare i en fördelningsregel saknar rad för nyckeln i {periods} och får inget från regeln. Lägg till raden i drivers (antal 0 om den inte använder något).";
        }

        var tenant = match.Groups["who"].Value == "tenant";
        var target = match.Groups["target"].Value;
        var source = match.Groups["source"].Value;
        var where = string.Create(CultureInfo.InvariantCulture, $"{match.Groups["file"].Value} rad {match.Groups["line"].Value}");
        var who = tenant ? $"Kunden '{target}'" : $"Objektet '{target}'";
        var outcome = tenant ? $"den betalar inget för {source} där" : $"det får inget från {source} där";
        var listed = match.Groups["listed"].Success
            ? $"är angiven mottagare i {source} men saknar rad för nyckeln '{match.Groups["driver"].Value}' i {periods}, där andra mottagare har en"
            : $"saknar rad för nyckeln '{match.Groups["driver"].Value}' i {periods} men tar andra tjänster där";
        return $"{who} ({where}) {listed}: {outcome}. Lägg till raden i drivers (antal 0 om {(tenant ? "den" : "det")} inte använder något).";
    }

    /// <summary><c>2025 utfall 980 000,00 kr, 2025 budget 20 000,00 kr</c>, or without amounts <c>2025 utfall, 2025 budget</c>.</summary>
    private static string Periods(RunMoneyWarning warning, bool withAmounts) =>
        string.Join(", ", warning.Periods.Select(p =>
            p.FiscalYear.ToString(CultureInfo.InvariantCulture) + " " + Workbooks.Swedish.Scenario(p.Scenario)
            + (withAmounts && p.Amount is { } amount ? " " + Workbooks.Swedish.Kronor(amount) : "")));

    private static string Account(string text) =>
        AccountPattern().Match(text) is { Success: true } m ? $"Konto {m.Groups[1].Value} " : "Ett konto ";

    private static string CostCentre(string text)
    {
        if (text.Contains(", no cost centre,", StringComparison.Ordinal))
        {
            return "utan kostnadsställe ";
        }

        return CostCentrePattern().Match(text) is { Success: true } m ? $"på kostnadsställe '{m.Groups[1].Value}' " : "";
    }

    private static string More(string text) =>
        MorePattern().Match(text) is { Success: true } m ? Workbooks.Swedish.Whole(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) + " " : "";

    [GeneratedRegex(@"\baccount (\d+),", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@", cost centre '((?:[^']|'')*)',", RegexOptions.CultureInvariant)]
    private static partial Regex CostCentrePattern();

    [GeneratedRegex(@"… and (\d+) more", RegexOptions.CultureInvariant)]
    private static partial Regex MorePattern();

    [GeneratedRegex(@"^(?<file>[^:]+): line (?<line>\d+): (?<who>tenant|object) '(?<target>[^']+)' (?:(?<listed>is a listed target of) (?<lsource>\S+) but )?has no row for driver '(?<driver>[^']+)' .*?: it (?:pays nothing for|receives nothing from) (?<source>\S+) there", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRowPattern();
}
