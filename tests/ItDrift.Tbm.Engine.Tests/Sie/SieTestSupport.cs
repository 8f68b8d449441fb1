using System.Text;
using ItDrift.Tbm.Ingest.Sie;

namespace ItDrift.Tbm.Tests.Sie;

/// <summary>A ledger line copied out of the reader's buffers.</summary>
internal sealed record CollectedLine(
    int SourceLine,
    int YearIndex,
    int FiscalYear,
    int Period,
    string Scenario,
    SieLineSource Source,
    int Account,
    string CostCenter,
    string Project,
    string OtherDimensions,
    long AmountOre,
    string Voucher,
    string Text,
    DateOnly? TransactionDate);

/// <summary>Keeps every line; for small files only.</summary>
internal sealed class CollectingSink : ILedgerSink
{
    public List<CollectedLine> Lines { get; } = [];

    public void Add(in SieLedgerLine line) => Lines.Add(new CollectedLine(
        line.SourceLine,
        line.YearIndex,
        line.FiscalYear,
        line.Period,
        line.ScenarioName,
        line.Source,
        line.Account,
        line.CostCenter.ToString(),
        line.Project.ToString(),
        line.OtherDimensions.ToString(),
        line.AmountOre,
        line.Voucher.ToString(),
        line.Text.ToString(),
        line.TransactionDate));
}

/// <summary>Counts and sums without keeping anything, as the DuckDB appender would stream.</summary>
internal sealed class CountingSink : ILedgerSink
{
    public long Lines { get; private set; }

    public Int128 Amount { get; private set; }

    public long TextChars { get; private set; }

    public void Add(in SieLedgerLine line)
    {
        Lines++;
        Amount += line.AmountOre;
        TextChars += line.Text.Length + line.CostCenter.Length + line.Project.Length + line.Voucher.Length;
    }
}

internal static class SieTestData
{
    /// <summary>The repository's copy of the public SIE files (datasets/sie-public, MIT, with their licence).</summary>
    public static string PublicDirectory { get; } = Support.Repository.Combine("datasets", "sie-public");

    public static string PublicFile(string name) => Path.Combine(PublicDirectory, name);

    /// <summary>Every SIE file of the public set (the licence file aside).</summary>
    public static TheoryData<string> PublicFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(PublicDirectory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path) is not "LICENSE" and not "README.md")
            {
                data.Add(Path.GetFileName(path));
            }
        }

        return data;
    }

    /// <summary>Reads SIE text given as a C# string, written in <paramref name="encoding"/> (CP437 by default).</summary>
    public static (SieReadReport Report, List<CollectedLine> Lines) Read(string text, Encoding? encoding = null, SieReaderOptions? options = null)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = (encoding ?? Encoding.GetEncoding(437)).GetBytes(text);
        var sink = new CollectingSink();
        using var stream = new MemoryStream(bytes);
        var report = SieReader.Read(stream, sink, options);
        return (report, sink.Lines);
    }
}
