using System.Globalization;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Swedish number formatting for text in the workbooks (a number inside a sentence; cells hold typed numbers
/// with format codes, see <see cref="Excel"/>). Built in code, not taken from <c>CultureInfo("sv-SE")</c>: that
/// culture does not exist under invariant globalization (containers), and where it exists its data changes with
/// the ICU version (its minus sign is U+2212). Nothing here depends on the process culture.
/// </summary>
internal static class Swedish
{
    /// <summary>Decimal comma, a no-break space between thousands, and the ASCII hyphen-minus as the minus sign.</summary>
    public static readonly NumberFormatInfo Numbers = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u00A0",
        NumberGroupSizes = [3],
        NegativeSign = "-",
        PositiveSign = "+",
    });

    /// <summary>An amount in kronor with öre: <c>1 234 567,89 kr</c> (no-break spaces).</summary>
    public static string Kronor(decimal amount) => amount.ToString("#,##0.00", Numbers) + "\u00A0kr";

    /// <summary>A whole number with thousands separated: <c>12 345</c>.</summary>
    public static string Whole(long number) => number.ToString("#,##0", Numbers);

    /// <summary>A scenario inside a sentence: <c>utfall</c>, <c>budget</c>, <c>prognos</c>.</summary>
    public static string Scenario(string scenario) => Excel.Scenario(scenario).ToLowerInvariant();
}
