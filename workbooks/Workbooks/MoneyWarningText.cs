using System.Globalization;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// A run's warning about money in Swedish, for the Anmärkningar sheet. The run keeps its warnings in English
/// (<c>run.json</c>, the command line) and, beside them, what each is about as data: its kind, periods and
/// amounts, and its typed arguments (account, cost centre, rule, target, key; docs/model-format.md §4.3).
/// The Swedish text is made from that data alone. A run folder written before <c>run.json</c> had the
/// arguments still gets a Swedish text that says what kind of money it is and how much, without naming the
/// account, and the English text stays beside it.
/// </summary>
internal static class MoneyWarningText
{
    public static string Swedish(RunMoneyWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        var arguments = warning.Arguments;
        var amounts = Periods(warning, withAmounts: true);
        var periods = Periods(warning, withAmounts: false);
        switch (warning.Kind)
        {
            case MoneyWarning.SkippedAccount when warning.Summary:
                return $"… och {More(arguments)}konton till utanför kostnadskontona och BAS-klass 1–3 hoppas över och fördelas inte: {amounts}.";
            case MoneyWarning.SkippedAccount:
                return $"{Account(arguments)}ligger utanför kostnadskontona (costAccounts) och är inget balans- eller intäktskonto, så det hoppas över och fördelas inte: {amounts}. "
                    + "Rätta kontot, eller lägg till det i costAccounts om det är en kostnad.";
            case MoneyWarning.Unmapped when warning.Summary:
                return $"… och {More(arguments)}konton och kostnadsställen till matchar ingen mappningsrad och förblir ofördelade (UNMAPPED): {amounts}. trail/mapped_lines.parquet har varje rad.";
            case MoneyWarning.Unmapped:
                return $"{Account(arguments)}{CostCentre(arguments)}matchar ingen mappningsrad, så det förblir ofördelat (UNMAPPED): {amounts}. "
                    + "Rätta kostnadsställe eller konto, eller lägg till en mappningsrad.";
            case MoneyWarning.MissingDriverRow when warning.Summary:
                return $"… och {More(arguments)}mottagare till i fördelningsregler saknar rad för nyckeln och får inget från regeln, i {periods}.";
            case MoneyWarning.MissingDriverRow:
                return MissingRow(arguments, periods);
            default:
                return warning.Text;
        }
    }

    private static string MissingRow(MoneyWarningArguments? arguments, string periods)
    {
        if (arguments is not { Target: { } target, Source: { } source, Driver: { } driver, File: { } file, Line: { } line })
        {
            return $"En mottagare i en fördelningsregel saknar rad för nyckeln i {periods} och får inget från regeln. Lägg till raden i drivers (antal 0 om den inte använder något).";
        }

        var tenant = arguments.TargetKind == "tenant";
        var where = string.Create(CultureInfo.InvariantCulture, $"{file} rad {line}");
        var who = tenant ? $"Kunden '{target}'" : $"Objektet '{target}'";
        var outcome = tenant ? $"den betalar inget för {source} där" : $"det får inget från {source} där";
        var listed = arguments.Listed == true
            ? $"är angiven mottagare i {source} men saknar rad för nyckeln '{driver}' i {periods}, där andra mottagare har en"
            : $"saknar rad för nyckeln '{driver}' i {periods} men tar andra tjänster där";
        return $"{who} ({where}) {listed}: {outcome}. Lägg till raden i drivers (antal 0 om {(tenant ? "den" : "det")} inte använder något).";
    }

    /// <summary><c>2025 utfall 980 000,00 kr, 2025 budget 20 000,00 kr</c>, or without amounts <c>2025 utfall, 2025 budget</c>.</summary>
    private static string Periods(RunMoneyWarning warning, bool withAmounts) =>
        string.Join(", ", warning.Periods.Select(p =>
            p.FiscalYear.ToString(CultureInfo.InvariantCulture) + " " + Workbooks.Swedish.Scenario(p.Scenario)
            + (withAmounts && p.Amount is { } amount ? " " + Workbooks.Swedish.Kronor(amount) : "")));

    private static string Account(MoneyWarningArguments? arguments) =>
        arguments?.Account is { } account ? string.Create(CultureInfo.InvariantCulture, $"Konto {account} ") : "Ett konto ";

    private static string CostCentre(MoneyWarningArguments? arguments) => arguments?.CostCenter switch
    {
        null => "",
        "" => "utan kostnadsställe ",
        var costCentre => $"på kostnadsställe '{costCentre}' ",
    };

    private static string More(MoneyWarningArguments? arguments) =>
        arguments?.More is { } more ? Workbooks.Swedish.Whole(more) + " " : "";
}
