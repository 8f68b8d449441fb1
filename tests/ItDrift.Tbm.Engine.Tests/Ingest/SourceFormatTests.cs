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
