using System.Globalization;
using System.Text;
using ItDrift.Tbm.Datasets;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A SIE 4 edition of the scale-1 package for the ingest benchmark: its first 500 000 actual cost lines as
/// balanced vouchers of two <c>#TRANS</c> rows each (the cost, and the supplier payable against it), one
/// file per fiscal year (<c>#RAR 0</c>), code page 437 (<c>#FORMAT PC8</c>) as finance systems export it:
/// exactly one million ledger lines.
/// </summary>
internal static class SieLedger
{
    public const int Vouchers = 500_000;
    private const int Payables = 244_100;

    private readonly record struct Line(int Year, int Period, int Account, string Centre, string Project, long Ore, string Text);

    public static string Package()
    {
        var folder = Path.Combine(BenchData.Root, "scale1-sie");
        if (File.Exists(Path.Combine(folder, ".complete")))
        {
            return folder;
        }

        var csv = BenchData.Package(1, LedgerFormat.Csv);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(csv).Where(f => Path.GetFileName(f) is not ("ledger.csv" or ".complete" or ".demo-model" or ".tbm-output")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var lines = Read(Path.Combine(csv, "ledger.csv"));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var pc8 = Encoding.GetEncoding(437);
        foreach (var year in lines.GroupBy(l => l.Year))
        {
            using var writer = new StreamWriter(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"ledger-{year.Key}.se")), false, pc8, 1 << 16);
            writer.NewLine = "\n";
            writer.WriteLine("#FLAGGA 0");
            writer.WriteLine("#FORMAT PC8");
            writer.WriteLine("#SIETYP 4");
            writer.WriteLine("#PROGRAM \"ItDrift.Tbm.Benchmarks\" 1");
            writer.WriteLine("#GEN 20250110");
            writer.WriteLine("#FNAMN \"Försäkringskassan (syntetisk)\"");
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#RAR 0 {year.Key}0101 {year.Key}1231"));
            writer.WriteLine("#DIM 1 \"Kostnadsställe\"");
            writer.WriteLine("#DIM 6 \"Projekt\"");
            foreach (var account in year.Select(l => l.Account).Append(Payables).Distinct().Order())
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#KONTO {account} \"Konto {account}\""));
            }

            foreach (var centre in year.Select(l => l.Centre).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal))
            {
                writer.WriteLine($"#OBJEKT 1 \"{centre}\" \"{centre}\"");
            }

            foreach (var project in year.Select(l => l.Project).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal))
            {
                writer.WriteLine($"#OBJEKT 6 \"{project}\" \"{project}\"");
            }

            var number = 0;
            foreach (var line in year)
            {
                number++;
                var date = string.Create(CultureInfo.InvariantCulture, $"{line.Year}{line.Period:00}15");
                var objects = (line.Centre.Length > 0 ? $"1 \"{line.Centre}\"" : "") + (line.Project.Length > 0 ? $" 6 \"{line.Project}\"" : "");
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#VER A {number} {date} \"{line.Text}\""));
                writer.WriteLine("{");
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   #TRANS {line.Account} {{{objects.Trim()}}} {Sek(line.Ore)} {date} \"{line.Text}\""));
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   #TRANS {Payables} {{}} {Sek(-line.Ore)} {date}"));
                writer.WriteLine("}");
            }
        }

        File.WriteAllText(Path.Combine(folder, ".complete"), "");
        return folder;
    }

    private static List<Line> Read(string path)
    {
        var lines = new List<Line>(Vouchers);
        var fields = new List<string>(9);
        foreach (var text in File.ReadLines(path, Encoding.UTF8).Skip(1))
        {
            Split(text, fields);
            var account = int.Parse(fields[3], CultureInfo.InvariantCulture);
            if (fields[2] != "actual" || account < 400_000 || account > 899_999)
            {
                continue;
            }

            var ore = (long)(decimal.Parse(fields[6], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100);
            lines.Add(new Line(int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), account, fields[4], fields[5], ore,
                fields[8].Replace("\"", "", StringComparison.Ordinal)));
            if (lines.Count == Vouchers)
            {
                break;
            }
        }

        return lines;
    }

    private static string Sek(long ore) => string.Create(CultureInfo.InvariantCulture, $"{(ore < 0 ? "-" : "")}{Math.Abs(ore) / 100}.{Math.Abs(ore) % 100:00}");

    // One RFC 4180 splitter for the whole code base: the engine's own.
    private static void Split(string line, List<string> fields) => ItDrift.Tbm.Ingest.CsvTableReader.Split(line, ',', fields, out _);
}
