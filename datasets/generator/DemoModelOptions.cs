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
    internal void Validate()
    {
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
