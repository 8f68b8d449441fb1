using System.Globalization;
using System.Text;

namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>Why an amount could not be read.</summary>
internal enum SieAmountError
{
    None,
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// <summary>Reads SIE numbers and dates straight from the file's ASCII bytes, culture-free.</summary>
internal static class SieNumbers
{
    /// <summary>16 integer digits: at most 10^18 öre, inside <see cref="long"/> with room for the sign.</summary>
    private const int MaxIntegerDigits = 16;

    /// <summary>
    /// An amount in öre, exactly (SIE 4B 5.9): an optional minus, digits, and optionally a point followed by one
    /// or two digits. No plus sign, no decimal comma, no exponent, no thousands separators.
    /// </summary>
    public static SieAmountError TryParseOre(ReadOnlySpan<byte> text, out long ore)
    {
        ore = 0;
        if (text.IsEmpty)
        {
            return SieAmountError.Empty;
        }

        var i = 0;
        var negative = text[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        long whole = 0;
        var digits = 0;
        while (i < text.Length && IsDigit(text[i]))
        {
            if (digits == 0 && whole == 0 && text[i] == (byte)'0')
            {
                // Leading zeros do not count towards the size limit.
            }
            else
            {
                digits++;
                if (digits > MaxIntegerDigits)
                {
                    return SieAmountError.TooLarge;
                }
            }

            whole = (whole * 10) + (text[i] - (byte)'0');
            i++;
        }

        var integerEnd = i;
        long fraction = 0;
        var decimals = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            while (i < text.Length && IsDigit(text[i]))
            {
                if (decimals == 2)
                {
                    return AllDigits(text[i..]) ? SieAmountError.TooManyDecimals : SieAmountError.NotANumber;
                }

                fraction = (fraction * 10) + (text[i] - (byte)'0');
                decimals++;
                i++;
            }

            if (decimals == 0)
            {
                return SieAmountError.NotANumber;
            }
        }

        if (i != text.Length || integerEnd == (negative ? 1 : 0))
        {
            return SieAmountError.NotANumber;
        }

        if (decimals == 1)
        {
            fraction *= 10;
        }

        var value = (whole * 100) + fraction;
        ore = negative ? -value : value;
        return SieAmountError.None;
    }

    /// <summary>A date written <c>ÅÅÅÅMMDD</c> (SIE 4B 5.10) that exists in the calendar.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 8 || !AllDigits(text))
        {
            return false;
        }

        var year = Digits(text[..4]);
        var month = Digits(text.Slice(4, 2));
        var day = Digits(text.Slice(6, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>A period written <c>ÅÅÅÅMM</c>, as <c>year * 100 + month</c>.</summary>
    public static bool TryParseYearMonth(ReadOnlySpan<byte> text, out int yearMonth)
    {
        yearMonth = 0;
        if (text.Length != 6 || !AllDigits(text))
        {
            return false;
        }

        var year = Digits(text[..4]);
        var month = Digits(text.Slice(4, 2));
        if (year < 1 || month is < 1 or > 12)
        {
            return false;
        }

        yearMonth = (year * 100) + month;
        return true;
    }

    /// <summary>A non-negative integer of at most nine digits (accounts, dimensions).</summary>
    public static bool TryParseNatural(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 9 || !AllDigits(text))
        {
            return false;
        }

        value = Digits(text);
        return true;
    }

    /// <summary>A year number: 0, -1, -2, … (a plus sign or positive years are not SIE).</summary>
    public static bool TryParseYearIndex(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length > 0 && text[0] == (byte)'-' && TryParseNatural(text[1..], out var n) && n <= 1000)
        {
            value = -n;
            return true;
        }

        return TryParseNatural(text, out value) && value == 0;
    }

    /// <summary>Öre written back as SIE would: <c>-1234.50</c>.</summary>
    public static string FormatOre(Int128 ore)
    {
        var negative = ore < 0;
        var abs = negative ? -ore : ore;
        var text = string.Create(CultureInfo.InvariantCulture, $"{abs / 100}.{(int)(abs % 100):00}");
        return negative ? "-" + text : text;
    }

    /// <summary>Up to 40 bytes of a field for a message, as ASCII with other bytes shown as <c>?</c>.</summary>
    public static string Quote(ReadOnlySpan<byte> text)
    {
        var shown = text.Length > 40 ? text[..40] : text;
        var builder = new StringBuilder(shown.Length + 5);
        builder.Append('\'');
        foreach (var b in shown)
        {
            builder.Append(b is >= 32 and < 127 ? (char)b : '?');
        }

        if (shown.Length < text.Length)
        {
            builder.Append('…');
        }

        return builder.Append('\'').ToString();
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool AllDigits(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        return true;
    }

    private static int Digits(ReadOnlySpan<byte> text)
    {
        var value = 0;
        foreach (var b in text)
        {
            value = (value * 10) + (b - '0');
        }

        return value;
    }
}
