using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using ItDrift.Tbm.Tests.Properties;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Fuzz;

/// <summary>A model package as files (name → bytes), and what was done to it.</summary>
/// <param name="Files">The files.</param>
/// <param name="What">The mutations, for a failure's report.</param>
/// <param name="Invariant">Whether every mutation must leave the run's results as they were.</param>
internal sealed record Mutant(Dictionary<string, byte[]> Files, string What, bool Invariant);

/// <summary>
/// Mutates a valid model package, seeded: CSV cells, lines and headers; model.json values of every JSON
/// type; a table moved into model.xlsx or to Parquet (which must not change a result), then perhaps a
/// byte of it flipped or its XML broken; and rewrites that must not change a result (rows reordered,
/// columns reordered, cells padded with spaces).
/// </summary>
internal sealed class ModelMutator(SplitMix64 random, string scratch)
{
    /// <summary>Values that have broken readers and checks somewhere: boundaries, wrong types, odd ids.</summary>
    private static readonly string[] Interesting =
    [
        "", " ", "0", "-0", "1", "-1", "2.5", "0.000001", "1e3", ".5", "5.", "NaN", "abc", "T-A", "UNMAPPED", "*",
        "999999999999999.99", "-999999999999999.99", "1000000000000000.00", "999999999999.999999", "100.005",
        "2147483648", "-2147483649", "99999999999", "1899", "3000", "2025", "13", "0,5", "1 000,00", "210 000,00",
        "(12,50)", "−5", "..", ".work", "a b", "Samordnad och säker statlig it-drift", new string('x', 300),
        "T-A;T-A", "T-A:0", "T-A:-1", "T-A:1e3", "X:1;Y", "\"", "a\u0000b", "\u202Eevil", "actual", "BUDGET", "driver",
    ];

    private static readonly string[] JsonValues =
    [
        "null", "true", "0", "-1", "1.5", "\"\"", "\"x\"", "[]", "{}", "[[\"4000\",\"8999\"]]", "[[4000]]", "[[8999,4000]]",
        "[[4000,8999],[3000,3999]]", "[\"a\"]", "[-1,0,1]", "[0,0]", "[-11]", "{\"default\":\"three-year\"}", "{\"2025\":7}",
        "\"three-year\"", "\"price-list\"", "{\"id\":\"..\",\"name\":\"x\",\"orgNr\":\"202100-5521\"}",
        "{\"id\":\".work\",\"name\":\"x\",\"orgNr\":\"202100-5521\"}", "2147483648",
    ];

    private static readonly string[] JsonPaths = ["supplier", "supplier.id", "supplier.name", "supplier.orgNr", "costAccounts", "currency", "taxonomy", "name", "feeModel", "threeYearWindow"];

    private int _files;

    public Mutant Mutate(Dictionary<string, byte[]> package)
    {
        var files = package.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var steps = new List<string>();
        var invariant = true;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var (what, keeps) = random.Next(0, 11) switch
            {
                0 or 1 or 2 => CsvCell(files),
                3 => CsvLine(files),
                10 => CsvColumn(files),
                4 => Json(files),
                5 => ToSheet(files),
                6 => ToParquet(files),
                _ => Rewrite(files),
            };
            steps.Add(what);
            invariant &= keeps;
        }

        return new Mutant(files, string.Join("; ", steps), invariant);
    }

    private List<string> CsvNames(Dictionary<string, byte[]> files) =>
        [.. files.Keys.Where(k => k.EndsWith(".csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static List<string> Lines(byte[] bytes) => [.. Encoding.UTF8.GetString(bytes).Split('\n').Where(l => l.Length > 0)];

    private static byte[] Join(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    /// <summary>A cell replaced by an interesting value or by another cell of the package.</summary>
    private (string, bool) CsvCell(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var lines = Lines(files[name]);
        if (lines.Count < 2)
        {
            return ($"{name}: nothing", true);
        }

        var at = random.Next(1, lines.Count);
        var fields = lines[at].Split(',');
        var column = random.Next(0, fields.Length);
        string value;
        if (random.Chance(0.3))
        {
            var other = Lines(files[random.Pick(CsvNames(files))]);
            var cells = other.Skip(1).SelectMany(l => l.Split(',')).ToList();
            value = cells.Count > 0 ? random.Pick(cells) : "";
        }
        else
        {
            value = random.Pick(Interesting);
        }

        fields[column] = value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        lines[at] = string.Join(',', fields);
        files[name] = Join(lines);
        return ($"{name} line {at + 1} field {column + 1} = '{Shown(value)}'", false);
    }

    /// <summary>A column's every cell set to one large value, and a line repeated: sums of valid cells that may overflow.</summary>
    private (string, bool) CsvColumn(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var lines = Lines(files[name]);
        var column = random.Next(0, lines[0].Split(',').Length);
        var value = random.Pick(["999999999999999.99", "-999999999999999.99", "999999999999.999999", "0.000001", "0"]);
        var rewritten = lines.Take(1).Concat(lines.Skip(1).Select(l => l.Split(',') is var f && column < f.Length ? string.Join(',', f.Select((c, i) => i == column ? value : c)) : l)).ToList();
        var copies = random.Next(1, 25);
        if (rewritten.Count > 1)
        {
            rewritten.AddRange(Enumerable.Repeat(rewritten[^1], copies));
        }

        files[name] = Join(rewritten);
        return ($"{name} column {column + 1} all '{value}', last line repeated {copies} times", false);
    }

    /// <summary>A line removed or doubled, or a column removed.</summary>
    private (string, bool) CsvLine(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var lines = Lines(files[name]);
        var at = random.Next(0, lines.Count);
        switch (random.Next(0, 3))
        {
            case 0:
                lines.RemoveAt(at);
                files[name] = Join(lines);
                return ($"{name} line {at + 1} removed", false);
            case 1:
                lines.Insert(at, lines[at]);
                files[name] = Join(lines);
                return ($"{name} line {at + 1} doubled", false);
            default:
                var column = random.Next(0, lines[0].Split(',').Length);
                files[name] = Join(lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != column))));
                return ($"{name} column {column + 1} removed", false);
        }
    }

    /// <summary>A model.json property set to a value of any JSON type, or removed.</summary>
    private (string, bool) Json(Dictionary<string, byte[]> files)
    {
        if (!files.TryGetValue("model.json", out var bytes) || JsonNode.Parse(bytes) is not JsonObject root)
        {
            return ("model.json: nothing", true);
        }

        var path = random.Pick(JsonPaths).Split('.');
        var parent = path.Length == 1 ? root : root[path[0]] as JsonObject;
        if (parent is null)
        {
            return ($"model.json {string.Join('.', path)}: no parent", true);
        }

        var value = random.Chance(0.15) ? null : random.Pick(JsonValues);
        if (value is null)
        {
            parent.Remove(path[^1]);
        }
        else
        {
            parent[path[^1]] = JsonNode.Parse(value);
        }

        files["model.json"] = Encoding.UTF8.GetBytes(root.ToJsonString());
        return ($"model.json {string.Join('.', path)} = {value ?? "(removed)"}", false);
    }

    /// <summary>A table moved into model.xlsx as a sheet of inline strings; perhaps then a byte flipped or its XML cut.</summary>
    private (string, bool) ToSheet(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var lines = Lines(files[name]);
        if (files.ContainsKey("model.xlsx") || lines.Any(l => l.Contains('"', StringComparison.Ordinal)))
        {
            return ($"{name}: not moved to a sheet", true);
        }

        var rows = new StringBuilder();
        for (var r = 0; r < lines.Count; r++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"<row r=\"{r + 1}\">");
            foreach (var (cell, c) in lines[r].Split(',').Select((v, i) => (v, i)))
            {
                if (cell.Length > 0)
                {
                    rows.Append(CultureInfo.InvariantCulture, $"<c r=\"{(char)('A' + c)}{r + 1}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(cell)}</t></is></c>");
                }
            }

            rows.Append("</row>");
        }

        var path = Path.Combine(scratch, $"sheet{_files++}.xlsx");
        HandWrittenXlsx.Write(path, [(Path.GetFileNameWithoutExtension(name), rows.ToString())]);
        files.Remove(name);
        var xlsx = File.ReadAllBytes(path);
        if (random.Chance(0.5))
        {
            files["model.xlsx"] = xlsx;
            return ($"{name} moved to model.xlsx", true);
        }

        var at = random.Next(0, xlsx.Length);
        xlsx[at] ^= (byte)random.Next(1, 256);
        files["model.xlsx"] = xlsx;
        return ($"{name} moved to model.xlsx, byte {at} flipped", false);
    }

    /// <summary>A table written as Parquet (every column text); perhaps then a byte flipped.</summary>
    private (string, bool) ToParquet(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var csv = Path.Combine(scratch, $"table{_files}.csv");
        var parquet = Path.Combine(scratch, $"table{_files++}.parquet");
        File.WriteAllBytes(csv, files[name]);
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true, header = true, delim = ',', quote = '\"')) TO '{parquet}' (FORMAT parquet)";
            try
            {
                command.ExecuteNonQuery();
            }
            catch (DuckDBException)
            {
                return ($"{name}: not written as Parquet", true);
            }
        }

        files.Remove(name);
        var bytes = File.ReadAllBytes(parquet);
        var stem = Path.GetFileNameWithoutExtension(name) + ".parquet";
        if (random.Chance(0.4))
        {
            files[stem] = bytes;
            return ($"{name} written as Parquet", true);
        }

        var at = random.Next(0, bytes.Length);
        bytes[at] ^= (byte)random.Next(1, 256);
        files[stem] = bytes;
        return ($"{name} written as Parquet, byte {at} flipped", false);
    }

    /// <summary>Rewrites that must not change a result: data rows reordered, columns reordered, cells padded.</summary>
    private (string, bool) Rewrite(Dictionary<string, byte[]> files)
    {
        var name = random.Pick(CsvNames(files));
        var lines = Lines(files[name]);
        if (lines.Any(l => l.Contains('"', StringComparison.Ordinal)))
        {
            return ($"{name}: not rewritten", true);
        }

        switch (random.Next(0, 3))
        {
            case 0:
                var data = lines.Skip(1).ToList();
                random.Shuffle(data);
                files[name] = Join(lines.Take(1).Concat(data));
                return ($"{name} rows reordered", true);
            case 1:
                var width = lines[0].Split(',').Length;
                var order = Enumerable.Range(0, width).ToList();
                random.Shuffle(order);
                files[name] = Join(lines.Select(l => l.Split(',') is var f && f.Length == width ? string.Join(',', order.Select(i => f[i])) : l));
                return ($"{name} columns reordered", true);
            default:
                files[name] = Join(lines.Select(l => string.Join(',', l.Split(',').Select(c => c.Length > 0 ? " " + c + "\t" : c))));
                return ($"{name} cells padded with spaces", true);
        }
    }

    private static string Shown(string value) => value.Length <= 20 ? value : value[..20] + "…";
}
