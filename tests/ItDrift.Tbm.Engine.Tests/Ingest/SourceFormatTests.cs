using System.Globalization;
using ClosedXML.Excel;
using DuckDB.NET.Data;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Ingest;

/// <summary>A table reads the same whether it is CSV, Parquet or a sheet of model.xlsx (docs/model-format.md §1.1).</summary>
public sealed class SourceFormatTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string RunFolder(string model)
    {
        var output = _temp.Combine("run-" + Path.GetFileName(model));
        var result = TbmEngine.Run(new RunOptions(model, output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    private static void AssertSameTables(string expected, string actual)
    {
        foreach (var file in new[] { "fees.csv", "unallocated.csv", "reconciliation.csv", "prices.csv", "balance.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(expected, file)), File.ReadAllText(Path.Combine(actual, file)));
        }
    }

    [Fact]
    public void Run_GivesTheSameTables_FromParquet()
    {
        var csv = SmallModel.Write(_temp.Combine("csv"), SmallModel.Files());
        var parquet = _temp.Combine("parquet");
        Directory.CreateDirectory(parquet);
        File.Copy(Path.Combine(csv, "model.json"), Path.Combine(parquet, "model.json"));
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            foreach (var file in Directory.GetFiles(csv, "*.csv"))
            {
                using var command = connection.CreateCommand();
                var target = Path.Combine(parquet, Path.GetFileNameWithoutExtension(file) + ".parquet");
                // Typed columns as an analyst's tool would write them (amounts as DECIMAL, quantities as DOUBLE).
                command.CommandText = $"COPY (SELECT * FROM read_csv('{file}')) TO '{target}' (FORMAT parquet)";
                command.ExecuteNonQuery();
            }
        }

        AssertSameTables(RunFolder(csv), RunFolder(parquet));
    }

    [Fact]
    public void Run_GivesTheSameTables_FromModelXlsxSheets()
    {
        var files = SmallModel.Files();
        var csv = SmallModel.Write(_temp.Combine("csv"), files);
        var xlsx = _temp.Combine("xlsx");
        Directory.CreateDirectory(xlsx);
        File.Copy(Path.Combine(csv, "model.json"), Path.Combine(xlsx, "model.json"));
        using (var workbook = new XLWorkbook())
        {
            foreach (var (name, text) in files.Where(f => f.Key.EndsWith(".csv", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var sheet = workbook.Worksheets.Add(Path.GetFileNameWithoutExtension(name));
                var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                for (var r = 0; r < rows.Length; r++)
                {
                    var cells = rows[r].Split(',');
                    for (var c = 0; c < cells.Length; c++)
                    {
                        // Numbers as numbers, the way a person types them into a sheet.
                        if (r > 0 && double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !cells[c].Contains(':', StringComparison.Ordinal))
                        {
                            sheet.Cell(r + 1, c + 1).Value = number;
                        }
                        else
                        {
                            sheet.Cell(r + 1, c + 1).SetValue(cells[c]);
                        }
                    }
                }
            }

            workbook.SaveAs(Path.Combine(xlsx, "model.xlsx"));
        }

        AssertSameTables(RunFolder(csv), RunFolder(xlsx));
    }

    [Fact]
    public void Run_GivesTheSameTables_FromAHandWrittenSheet_WithSparseRowsAndInlineStrings()
    {
        var files = SmallModel.Files();
        var csv = SmallModel.Write(_temp.Combine("csv"), files);
        files.Remove("tenants.csv");
        var xlsx = SmallModel.Write(_temp.Combine("sheet"), files);

        // The table from B2: the header's names shared strings, the ids inline; T-B's and T-C's cells of
        // org_nr left out, and an empty row before T-C.
        HandWrittenXlsx.Write(
            Path.Combine(xlsx, "model.xlsx"),
            [("tenants", """
                <row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row>
                <row r="3"><c r="B3" t="inlineStr"><is><t>T-A</t></is></c><c r="C3" t="s"><v>3</v></c><c r="D3" t="inlineStr"><is><t>202100-5448</t></is></c></row>
                <row r="4"><c r="B4" t="inlineStr"><is><t>T-B</t></is></c><c r="C4" t="inlineStr"><is><t>Agency B</t></is></c></row>
                <row r="6"><c r="B6" t="inlineStr"><is><t>T-C</t></is></c><c r="C6" t="s"><v>4</v></c></row>
                """)],
            sharedStrings: "<si><t>tenant_id</t></si><si><t>name</t></si><si><t>org_nr</t></si><si><t>Agency A</t></si><si><t>Agency C</t></si>");

        var expected = RunFolder(csv);
        var actual = RunFolder(xlsx);
        AssertSameTables(expected, actual);
        Assert.Equal(Tenants(expected), Tenants(actual));
        Assert.Equal(["T-A|Agency A|202100-5448", "T-B|Agency B|", "T-C|Agency C|"], Tenants(actual));
    }

    private static List<string> Tenants(string run)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT concat_ws('|', tenant_id, name, coalesce(org_nr, '')) FROM read_parquet('{Path.Combine(run, "model", "tenants.parquet")}') ORDER BY 1";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public void Run_ReadsWindows1252_AndABom()
    {
        var files = SmallModel.Files();
        files["objects.csv"] = "object_id,kind,name\nTWR-DC,tower,Datacenter för Sverige\nINF-VM,service,Virtuell maskintjänst\nFUN-SUP,service,Support\n";
        var model = SmallModel.Write(_temp.Combine("enc"), files);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(Path.Combine(model, "objects.csv"), System.Text.Encoding.GetEncoding(1252).GetBytes(files["objects.csv"]));
        File.WriteAllText(Path.Combine(model, "tenants.csv"), files["tenants.csv"], new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var result = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }
}
