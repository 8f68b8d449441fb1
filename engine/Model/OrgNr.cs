using System.Diagnostics.CodeAnalysis;

namespace ItDrift.Tbm.Model;

/// <summary>A Swedish organisation number, <c>NNNNNN-NNNN</c>, whose last digit is the Luhn check digit of the first nine.</summary>
public readonly record struct OrgNr
{
    private OrgNr(string value) => Value = value;

    /// <summary>The canonical form <c>NNNNNN-NNNN</c>.</summary>
    public string Value { get; }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Parses <c>NNNNNN-NNNN</c> or <c>NNNNNNNNNN</c>; on failure <paramref name="reason"/> says why.</summary>
    public static bool TryParse(string? text, out OrgNr orgNr, [NotNullWhen(false)] out string? reason)
    {
        orgNr = default;
        var s = (text ?? string.Empty).Trim();
        Span<int> digits = stackalloc int[10];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                if (n == 10)
                {
                    reason = $"organisation number '{s}' has more than 10 digits";
                    return false;
                }

                digits[n++] = c - '0';
            }
            else if (c != '-' || i != 6 || n != 6)
            {
                reason = $"organisation number '{s}' is not of the form NNNNNN-NNNN";
                return false;
            }
        }

        if (n != 10)
        {
            reason = $"organisation number '{s}' must have 10 digits";
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var d = digits[i] * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }

        var check = (10 - (sum % 10)) % 10;
        if (check != digits[9])
        {
            reason = $"organisation number '{s}' has a wrong check digit (expected {check})";
            return false;
        }

        var plain = s.Replace("-", string.Empty, StringComparison.Ordinal);
        orgNr = new OrgNr(string.Concat(plain.AsSpan(0, 6), "-", plain.AsSpan(6)));
        reason = null;
        return true;
    }
}
