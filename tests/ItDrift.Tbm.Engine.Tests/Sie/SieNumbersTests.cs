using System.Text;
using ItDrift.Tbm.Ingest.Sie;

namespace ItDrift.Tbm.Tests.Sie;

public sealed class SieNumbersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 100L)]
    [InlineData("-1", -100L)]
    [InlineData("1.5", 150L)]
    [InlineData("-0.05", -5L)]
    [InlineData("1234567.89", 123456789L)]
    [InlineData("007.10", 710L)]
    [InlineData("9999999999999999.99", 999999999999999999L)]
    public void TryParseOre_ReadsExactOre_SieAmounts(string text, long expected)
    {
        Assert.Equal(SieAmountError.None, SieNumbers.TryParseOre(Encoding.ASCII.GetBytes(text), out var ore));
        Assert.Equal(expected, ore);
    }

    [Theory]
    [InlineData("", nameof(SieAmountError.Empty))]
    [InlineData("1.005", nameof(SieAmountError.TooManyDecimals))]
    [InlineData("-0.001", nameof(SieAmountError.TooManyDecimals))]
    [InlineData("1,50", nameof(SieAmountError.NotANumber))]
    [InlineData("+1", nameof(SieAmountError.NotANumber))]
    [InlineData("1.", nameof(SieAmountError.NotANumber))]
    [InlineData(".5", nameof(SieAmountError.NotANumber))]
    [InlineData("-", nameof(SieAmountError.NotANumber))]
    [InlineData("1e3", nameof(SieAmountError.NotANumber))]
    [InlineData("1 000", nameof(SieAmountError.NotANumber))]
    [InlineData("12.3a", nameof(SieAmountError.NotANumber))]
    [InlineData("10000000000000000", nameof(SieAmountError.TooLarge))]
    public void TryParseOre_RefusesWithReason_NonSieAmounts(string text, string error)
    {
        Assert.Equal(error, SieNumbers.TryParseOre(Encoding.ASCII.GetBytes(text), out _).ToString());
    }

    [Theory]
    [InlineData("20240229", true)]
    [InlineData("20230229", false)]
    [InlineData("20241301", false)]
    [InlineData("2024011", false)]
    [InlineData("2024-01-01", false)]
    public void TryParseDate_AcceptsCalendarDatesOnly_YyyyMmDd(string text, bool valid)
    {
        Assert.Equal(valid, SieNumbers.TryParseDate(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Checksum_IsTheStandardCrc32_OfTheSpecsCheckValue()
    {
        // SIE 4B chapter 10's CRC-32 (EDB88320h, reflected, FFFFFFFFh in and out) is the one the reader takes from System.IO.Hashing.
        var crc = new System.IO.Hashing.Crc32();
        crc.Append("123456789"u8);

        Assert.Equal(0xCBF43926u, crc.GetCurrentHashAsUInt32());
    }
}
