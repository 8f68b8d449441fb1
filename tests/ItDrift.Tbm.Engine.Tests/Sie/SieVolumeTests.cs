using System.Diagnostics;
using System.Globalization;
using System.Text;
using ItDrift.Tbm.Ingest.Sie;
using Xunit.Abstractions;

namespace ItDrift.Tbm.Tests.Sie;

/// <summary>A synthetic SIE 4 file of a million #TRANS rows: read once, timed for the report (timing
/// targets belong in benchmarks, so nothing here asserts a time), and checked for flat memory.</summary>
public sealed class SieVolumeTests(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;

    [Fact]
    public void Read_StreamsWithFlatMemory_MillionTransactionRows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sie-volume-{Environment.ProcessId}.se");
        try
        {
            var expected = Generate(path, Rows);
            var sink = new CountingSink();
            var size = new FileInfo(path).Length;

            // Warm up the code paths (JIT) on a small read, then measure one full read.
            SieReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("#FLAGGA 0\n#RAR 0 20240101 20241231\n#VER A 1 20240101 \"\"\n{\n#TRANS 1 {} 1\n#TRANS 2 {} -1\n}\n")), new CountingSink());
            GC.Collect();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var report = SieReader.Read(path, sink);
            clock.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Rows:N0} #TRANS rows, {size / 1e6:F1} MB: {clock.Elapsed.TotalMilliseconds:F0} ms ({Rows / clock.Elapsed.TotalSeconds:N0} rows/s), {allocated / 1024.0:F0} KiB allocated"));
            Assert.Equal(Rows, sink.Lines);
            Assert.Equal(0, sink.Amount);
            Assert.Equal(expected, report.Years.Single().AmountOre + 0);
            Assert.Empty(report.Issues);
            // Flat memory: what the reader allocates does not grow with the rows (well under a byte a row).
            Assert.True(allocated < Rows / 2, $"allocated {allocated} bytes for {Rows} rows");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Balanced vouchers of four rows, with objects, texts and dates; fixed seed.</summary>
    private static long Generate(string path, int rows)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var random = new Random(20240101);
        using var writer = new StreamWriter(path, false, Encoding.GetEncoding(437), 1 << 16);
        writer.Write("#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#PROGRAM \"Generator\" 1\n#GEN 20250110\n#FNAMN \"Syntetiska myndigheten\"\n#RAR 0 20240101 20241231\n#RAR -1 20230101 20231231\n");
        foreach (var account in new[] { 1930, 2640, 5410, 6250, 6540 })
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"#KONTO {account} \"Konto {account}\"\n"));
        }

        long total = 0;
        for (var voucher = 1; voucher <= rows / 4; voucher++)
        {
            var date = new DateOnly(2024, 1, 1).AddDays(random.Next(366));
            var net = random.Next(1, 10_000_000);
            var vat = net / 4;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"#VER A {voucher} {date:yyyyMMdd} \"Faktura {voucher} från leverantör\"\n{{\n"));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\t#TRANS 5410 {{1 \"{100 + (voucher % 40)}\" 6 \"P{voucher % 13}\"}} {net / 100}.{net % 100:00} {date:yyyyMMdd} \"Licenser\"\n"));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\t#TRANS 6540 {{1 \"{100 + (voucher % 40)}\"}} {vat / 100}.{vat % 100:00} {date:yyyyMMdd} \"Drift\"\n"));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\t#TRANS 2640 {{}} {vat / 100}.{vat % 100:00}\n"));
            var sum = net + vat + vat;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\t#TRANS 1930 {{}} -{sum / 100}.{sum % 100:00}\n}}\n"));
            total += 0;
        }

        return total;
    }
}
