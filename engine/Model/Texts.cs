using System.Globalization;
using System.Text;

namespace ItDrift.Tbm.Model;

/// <summary>Free text a caller gives (an agency's name): what may be echoed back into a terminal, a workbook or a page.</summary>
internal static class Texts
{
    /// <summary>
    /// Whether <paramref name="text"/> holds no control character (NUL, escapes, line breaks) and no
    /// bidirectional-formatting character (the embeddings, overrides and isolates U+202A–U+202E,
    /// U+2066–U+2069, and the marks U+200E, U+200F, U+061C), which can make a name read as something else.
    /// </summary>
    public static bool IsPlain(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control || rune.Value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C)
            {
                return false;
            }
        }

        return true;
    }
}
