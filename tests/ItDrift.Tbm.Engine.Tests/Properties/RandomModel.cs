using System.Globalization;
using System.Text;
using ItDrift.Tbm.Tests.Reference;

namespace ItDrift.Tbm.Tests.Properties;

/// <summary>How big and how strict a random model is.</summary>
public sealed record RandomModelOptions
{
    /// <summary>Fewest ledger lines (default 10).</summary>
    public int MinLedgerLines { get; init; } = 10;

    /// <summary>Most ledger lines (default 2 000); the count is drawn from the seed.</summary>
    public int MaxLedgerLines { get; init; } = 2_000;

    /// <summary>Only non-negative ledger amounts (no credit lines, no cancelling pairs).</summary>
    public bool PositiveOnly { get; init; }

    /// <summary>
    /// Vary the files the way real exports do (BOM, CRLF, header case, column order, an unknown column,
    /// blank trailing lines). On by default.
    /// </summary>
    public bool FileVariations { get; init; } = true;

    public static RandomModelOptions WithLines(int lines) => new() { MinLedgerLines = lines, MaxLedgerLines = lines };
}

/// <summary>
/// Writes random but valid model packages (docs/model-format.md §1) as CSV, one per seed, and rewrites packages in
/// another row order or in the Swedish CSV dialect.
/// </summary>
/// <remarks>
/// Validity is by construction: every rule sends money only to tenants, to objects whose rule has a strictly
/// later step, or to objects without a rule; a driver used with empty <c>targets</c> only has rows for such
/// targets. Models have a single fee area (<c>IT-drift</c>).
/// </remarks>
public static partial class RandomModel
{
    /// <summary>Columns whose values are decimal numbers, written with a decimal comma in the Swedish dialect.</summary>
    public static readonly IReadOnlyList<string> DecimalColumns = ["amount", "quantity", "revenue", "opening_balance", "cost"];

    /// <summary>Writes the model for <paramref name="seed"/> into <paramref name="directory"/>; returns a one-line summary.</summary>
    public static string Write(string directory, ulong seed, RandomModelOptions? options = null)
    {
        Directory.CreateDirectory(directory);
        var generator = new Generator(new SplitMix64(seed), options ?? new RandomModelOptions(), directory);
        return string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {generator.Generate()}");
    }

    /// <summary>
    /// Copies a package with the data rows of every table in a seeded random order (and, optionally, the
    /// columns too); same data, same dialect, LF line ends.
    /// </summary>
    public static void WriteShuffled(string source, string destination, ulong seed, bool shuffleColumns = false)
    {
        var rng = new SplitMix64(seed);
        Rewrite(source, destination, (name, separator, header, rows) =>
        {
            var order = Enumerable.Range(0, header.Length).ToList();
            if (shuffleColumns)
            {
                rng.Shuffle(order);
            }

            rng.Shuffle(rows);
            return (separator, order.Select(i => header[i]).ToArray(), rows.Select(r => order.Select(i => i < r.Length ? r[i] : string.Empty).ToArray()).ToList());
        });
    }

    /// <summary>
    /// Copies a package into the Swedish spreadsheet dialect: <c>;</c> separator, <c>,</c> as the decimal point
    /// in the decimal columns, fields holding <c>;</c> quoted. Text cells (such as <c>fixed</c> targets
    /// <c>id:0.5;id:1.5</c>) are kept as they are.
    /// </summary>
    public static void WriteSwedishDialect(string source, string destination)
    {
        Rewrite(source, destination, (name, separator, header, rows) =>
        {
            var decimals = header
                .Select((h, i) => (h, i))
                .Where(c => DecimalColumns.Contains(c.h.Trim(), StringComparer.OrdinalIgnoreCase))
                .Select(c => c.i)
                .ToHashSet();
            var converted = rows
                .Select(r => r.Select((cell, i) => decimals.Contains(i) ? cell.Replace('.', ',') : cell).ToArray())
                .ToList();
            return (';', header, converted);
        });
    }

    private static void Rewrite(
        string source,
        string destination,
        Func<string, char, string[], List<string[]>, (char Separator, string[] Header, List<string[]> Rows)> transform)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(destination, Path.GetFileName(file));
            if (!file.EndsWith(".csv", StringComparison.Ordinal))
            {
                File.Copy(file, target, overwrite: true);
                continue;
            }

            var text = File.ReadAllText(file, new UTF8Encoding(false));
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            var separator = ReferenceCsv.DetectSeparator(text);
            var records = ReferenceCsv.Parse(text, separator);
            var (newSeparator, header, rows) = transform(
                Path.GetFileNameWithoutExtension(file), separator, records[0], records.Skip(1).ToList());
            var sb = new StringBuilder();
            ReferenceCsv.AppendRecord(sb, header, newSeparator, "\n");
            foreach (var row in rows)
            {
                ReferenceCsv.AppendRecord(sb, row, newSeparator, "\n");
            }

            File.WriteAllText(target, sb.ToString(), new UTF8Encoding(false));
        }
    }

    /// <summary>A valid Swedish organisation number: the Luhn check digit over the first nine digits.</summary>
    public static string OrgNr(SplitMix64 rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var digits = new int[10];
        digits[0] = 2;
        digits[1] = rng.Next(0, 10);
        digits[2] = rng.Next(2, 10);
        for (var i = 3; i < 9; i++)
        {
            digits[i] = rng.Next(0, 10);
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var d = i % 2 == 0 ? digits[i] * 2 : digits[i];
            sum += d > 9 ? d - 9 : d;
        }

        digits[9] = (10 - (sum % 10)) % 10;
        var text = string.Concat(digits.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        return text[..6] + "-" + text[6..];
    }
}
