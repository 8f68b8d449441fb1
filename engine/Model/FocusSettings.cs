using System.Text.RegularExpressions;

namespace ItDrift.Tbm.Model;

/// <summary>
/// <c>model.json</c>'s <c>focus</c>: how the rows of a FOCUS cost file (FinOps FOCUS 1.x) become ledger lines.
/// Every row's cost goes to <see cref="Account"/>; its cost centre and project are the values of two FOCUS columns
/// (or tags), so the package's <c>mapping</c> rules place cloud costs as they place the ledger's.
/// </summary>
/// <param name="Cost">The cost column: <c>BilledCost</c> (what the invoice says, the default) or <c>EffectiveCost</c> (amortised).</param>
/// <param name="Account">The cost account the rows are booked on; required when the package has a FOCUS file.</param>
/// <param name="CostCenter">The FOCUS column (or <c>Tags.key</c>) whose value is the cost centre; default <c>ServiceCategory</c>.</param>
/// <param name="Project">The FOCUS column (or <c>Tags.key</c>) whose value is the project; default <c>ResourceId</c>.</param>
public sealed partial record FocusSettings(string Cost, int? Account, string CostCenter, string Project)
{
    /// <summary>No <c>focus</c> in <c>model.json</c>: BilledCost, no account, ServiceCategory and ResourceId.</summary>
    public static FocusSettings Default { get; } = new("BilledCost", null, "ServiceCategory", "ResourceId");

    /// <summary>The cost columns a FOCUS file may be allocated by.</summary>
    public static IReadOnlyList<string> CostColumns { get; } = ["BilledCost", "EffectiveCost"];

    /// <summary>The line of <c>focus</c> in <c>model.json</c>, for error reports; 0 when it is not given.</summary>
    internal int Line { get; init; }

    /// <summary>The tag key when <paramref name="source"/> is <c>Tags.key</c>, else <see langword="null"/>.</summary>
    internal static string? TagKey(string source) => source.StartsWith("Tags.", StringComparison.Ordinal) ? source["Tags.".Length..] : null;

    /// <summary>Whether a <c>costCenter</c>/<c>project</c> setting names a column (letters, digits, <c>_</c>) or a tag.</summary>
    internal static bool IsSourceColumn(string source) =>
        TagKey(source) is { } key ? key.Length > 0 && !key.Any(char.IsControl) : ColumnName().IsMatch(source);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ColumnName();
}
