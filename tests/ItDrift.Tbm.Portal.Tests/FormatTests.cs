using System.Globalization;
using ItDrift.Tbm.Api.Portal;

namespace ItDrift.Tbm.Tests;

/// <summary>The portal's Swedish formats, written out by hand, under whatever culture the thread has.</summary>
public sealed class FormatTests
{
    [Theory]
    [InlineData("1234567.89", "1\u00a0234\u00a0567,89\u00a0kr")]
    [InlineData("0", "0,00\u00a0kr")]
    [InlineData("999.5", "999,50\u00a0kr")]
    [InlineData("-1000", "\u22121\u00a0000,00\u00a0kr")]
    public void Kr_FormatsSwedishKronor_UnderAnyCulture(string amount, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, new CultureInfo("de-DE"), new CultureInfo("en-US") })
            {
                CultureInfo.CurrentCulture = culture;
                Assert.Equal(expected, Html.Kr(decimal.Parse(amount, CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Num_And_Percent_UseSwedishSeparators()
    {
        Assert.Equal("12\u00a0345,5", Html.Num(12345.5m));
        Assert.Equal("2", Html.Num(2.000m));
        Assert.Equal("12,50\u00a0%", Html.Percent(0.125m));
    }
}
