using System.Globalization;

namespace ItDrift.Tbm.Datasets;

/// <summary>Which demo model package <see cref="DemoModelGenerator"/> writes.</summary>
/// <param name="Seed">
/// Names the package: the same options give byte-identical files on every machine. Default 2026.
/// </param>
/// <param name="LedgerLines">
/// The exact number of lines in <c>ledger.csv</c>. Default 200 000. The money does not depend on it (a
/// mid-size supplier, about 500 million SEK of cost a year): more lines only cut it finer. Budget and
/// forecast lines take at most a fifth (monthly per cell when that fits, else coarser, down to once a year); fee
/// revenue and balance-sheet lines about 450 a year; the rest are actual cost lines. The least accepted is
/// about 1 800 a fiscal year (the exception names the exact figure); the design streams, so 50 million is fine.
/// </param>
/// <param name="FirstYear">The first fiscal year. Default 2024.</param>
/// <param name="Years">
/// How many consecutive fiscal years, 1–20. Default 3 (enough for the three-year fee model's window).
/// </param>
public sealed record DemoModelOptions(int Seed = 2026, int LedgerLines = 200_000, int FirstYear = 2024, int Years = 3)
{
    /// <summary>The largest scale <see cref="ForScale"/> accepts: 1 000 million ledger lines.</summary>
    public const int MaxScale = 1_000;

    /// <summary>
    /// 0 (the default): the demo supplier, a mid-size agency with the 20 catalogue services and 36 real customer
    /// agencies. N ≥ 1: the same supplier grown to a national shared-service centre (hundreds of cost centres,
    /// thousands of accounts, up to 60 services and 300 tenants; see <c>ScaleCatalogue</c>); use
    /// <see cref="ForScale"/>, which also sets N million ledger lines.
    /// </summary>
    public int Scale { get; init; }

    /// <summary>How <c>ledger</c> is written: canonical CSV (the default), the Swedish spreadsheet CSV, or Parquet. The other tables are always canonical CSV.</summary>
    public LedgerFormat LedgerFormat { get; init; } = LedgerFormat.Csv;

    /// <summary>A scale package: about <paramref name="scale"/> million ledger lines with cardinalities that grow with it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not 1–<see cref="MaxScale"/>.</exception>
    public static DemoModelOptions ForScale(int scale, int seed = 2026, LedgerFormat format = LedgerFormat.Parquet)
    {
        if (scale is < 1 or > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"the scale is 1–{MaxScale} (million ledger lines)");
        }

        return new DemoModelOptions(seed, scale * 1_000_000) { Scale = scale, LedgerFormat = format };
    }

    internal void Validate()
    {
        if (Scale is < 0 or > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, $"the scale is 0–{MaxScale}");
        }

        if (Years is < 1 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(Years), Years, "a package spans 1–20 fiscal years");
        }

        if (FirstYear < 1990 || FirstYear + Years - 1 > 2999)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstYear), FirstYear, "fiscal years must lie in 1990–2999");
        }

        if (LedgerLines < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LedgerLines), LedgerLines, "a ledger needs lines");
        }
    }
}

/// <summary>The options ask for fewer ledger lines than the package's years, tenants and cells need.</summary>
/// <param name="lines">The lines asked for.</param>
/// <param name="minimum">The fewest lines a package of these options can have.</param>
/// <param name="years">The fiscal years of the package.</param>
public sealed class TooFewLedgerLinesException(int lines, long minimum, int years)
    : ArgumentOutOfRangeException(nameof(DemoModelOptions.LedgerLines), lines, string.Create(CultureInfo.InvariantCulture, $"a package of {years} fiscal year(s) needs at least {minimum} ledger lines"))
{
    /// <summary>The fewest lines a package of these options can have.</summary>
    public long Minimum { get; } = minimum;

    /// <summary>The fiscal years of the package.</summary>
    public int Years { get; } = years;
}
