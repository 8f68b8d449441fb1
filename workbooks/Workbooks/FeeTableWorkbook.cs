using System.Globalization;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Avgiftstabell: the run's whole fee table (every fiscal year, scenario, tenant, service and cost
/// pool) for the supplier's own staff. It can run to a million rows, so it is streamed from DuckDB
/// straight into the workbook with SpreadCheetah: constant memory, seconds rather than the minutes and
/// gigabytes an in-memory workbook needs at that size.
/// </summary>
/// <remarks>
/// A sheet holds at most <see cref="RowsPerSheet"/> data rows (Excel's limit is 1 048 576 rows); larger
/// tables continue on further sheets. Each sheet ends with its total as a formula, stored with its value.
/// </remarks>
internal static class FeeTableWorkbook
{
    public const int RowsPerSheet = 1_000_000;

    private static readonly string[] Headings = ["Avgiftsår", "Scenario", "Kund", "Kundens namn", "Tjänst", "Tjänstens namn", "Kostnadspool", "Belopp"];

    public static async Task WriteAsync(RunFolder run, Stream output, CancellationToken cancellationToken, int rowsPerSheet = RowsPerSheet, string? scenario = null)
    {
        // fees.parquet is written in this order (docs/model-format.md §4.1) and DuckDB keeps a file's order, so the rows
        // are streamed as they are: no sort and no join holding the whole table (names come from the run's
        // snapshot, looked up per row).
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        var fees = run.Table("fees");
        // One scenario's rows when asked for (a filter keeps the file's order).
        var where = scenario is null ? "" : " WHERE scenario = ?";
        var total = scenario is null ? connection.Scalar<long>($"SELECT count(*) FROM {fees}") : connection.Scalar<long>($"SELECT count(*) FROM {fees}{where}", scenario);
        using var command = connection.CreateCommand();
        command.UseStreamingMode = true;
        command.CommandText = $"SELECT fiscal_year, scenario, tenant, service, cost_pool, amount FROM {fees}{where}";
        if (scenario is not null)
        {
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter(scenario));
        }

        using var reader = command.ExecuteReader();

        var options = new SpreadCheetahOptions { DefaultDateTimeFormat = null };
        options.DocumentProperties = new SpreadCheetah.Metadata.DocumentProperties { Title = $"Avgiftstabell – {run.SupplierName}", Author = "ItDrift.Tbm", Subject = $"Körning {run.RunId}" };
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(output, options, cancellationToken).ConfigureAwait(false);
        var heading = spreadsheet.AddStyle(new Style { Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xDD, 0xE6, 0xF0) } });
        var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(Excel.MoneyFormat) });
        var moneyTotal = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(Excel.MoneyFormat), Font = { Bold = true } });
        var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true } });

        var cells = new Cell[Headings.Length];
        var sheet = 0;
        long written = 0;
        var more = reader.Read();
        do
        {
            sheet++;
            var rowsHere = (int)Math.Min(rowsPerSheet, Math.Max(0, total - written));
            var worksheet = new WorksheetOptions { FrozenRows = 1 };
            worksheet.AutoFilter = new AutoFilterOptions($"A1:H{(rowsHere + 1).ToString(CultureInfo.InvariantCulture)}");
            foreach (var (column, width) in new[] { 10.0, 10, 14, 36, 12, 36, 22, 18 }.Select((w, i) => (i + 1, w)))
            {
                worksheet.Column(column).Width = width;
            }

            var name = sheet == 1 ? "Avgifter" : "Avgifter " + sheet.ToString(CultureInfo.InvariantCulture);
            await spreadsheet.StartWorksheetAsync(name, worksheet, cancellationToken).ConfigureAwait(false);
            await spreadsheet.AddHeaderRowAsync(Headings, heading, cancellationToken).ConfigureAwait(false);
            var sum = 0m;
            for (var i = 0; i < rowsHere && more; i++)
            {
                var amount = reader.GetDecimal(5);
                var tenant = reader.GetString(2);
                var service = reader.GetString(3);
                sum += amount;
                cells[0] = new Cell(reader.GetInt32(0));
                cells[1] = new Cell(Excel.Scenario(reader.GetString(1)));
                cells[2] = new Cell(tenant);
                cells[3] = new Cell(run.Tenant(tenant).Name);
                cells[4] = new Cell(service);
                cells[5] = new Cell(run.Object(service).Name);
                cells[6] = new Cell(CostPools.Name(reader.GetString(4)));
                cells[7] = new Cell(amount, money);
                await spreadsheet.AddRowAsync(cells, cancellationToken).ConfigureAwait(false);
                written++;
                more = reader.Read();
            }

            var last = (rowsHere + 1).ToString(CultureInfo.InvariantCulture);
            await spreadsheet.AddRowAsync(
                [new Cell("Summa", bold), new Cell(""), new Cell(""), new Cell(""), new Cell(""), new Cell(""), new Cell(""), new Cell(new Formula(rowsHere == 0 ? "0" : $"SUM(H2:H{last})"), sum, moneyTotal)],
                cancellationToken).ConfigureAwait(false);
        }
        while (more);

        await spreadsheet.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
