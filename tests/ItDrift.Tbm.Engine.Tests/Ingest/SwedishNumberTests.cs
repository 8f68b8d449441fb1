using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Tests.Ingest;

public sealed class SwedishNumberTests
{
    [Theory]
    [InlineData("1234,50", "1234.50")]
    [InlineData("1 234,50", "1234.50")]
    [InlineData("1\u00A0234\u00A0567,5", "1234567.5")]
    [InlineData("\u221212,00", "-12.00")]
    [InlineData("(12,00)", "-12.00")]
    [InlineData("-1 000", "-1000")]
    [InlineData("7", "7")]
    public void Normalise_GivesCanonicalText(string swedish, string canonical)
    {
        Assert.Equal(canonical, SwedishNumber.Normalise(swedish, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("1.234,50", "ambiguous")]
    [InlineData("12.5", "ambiguous")]
    [InlineData("1,2,3", "more than one ','")]
    [InlineData("12 34,5", "thousands separators")]
    [InlineData("(-12)", "both parentheses and a sign")]
    public void Normalise_RefusesAmbiguousNumbers(string swedish, string reason)
    {
        Assert.Null(SwedishNumber.Normalise(swedish, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("202100-5521", true)]
    [InlineData("2021005521", true)]
    [InlineData("202100-5448", true)]
    [InlineData("202100-5522", false)]
    [InlineData("20210-05521", false)]
    [InlineData("202100-552", false)]
    public void OrgNr_ChecksFormatAndCheckDigit(string text, bool valid)
    {
        Assert.Equal(valid, OrgNr.TryParse(text, out var parsed, out _));
        if (valid)
        {
            Assert.Matches("^[0-9]{6}-[0-9]{4}$", parsed.Value);
        }
    }
}
