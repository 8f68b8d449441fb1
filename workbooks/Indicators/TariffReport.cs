using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using ItDrift.Tbm.Catalogue;
using ItDrift.Tbm.Output;

namespace ItDrift.Tbm.Indicators;

/// <summary>What the tariff comparison covers and where it goes.</summary>
/// <param name="FiscalYear">The year compared.</param>
/// <param name="RunsDirectory">The runs store with every supplier's published runs.</param>
/// <param name="OutputPath">The file to write: <c>.xlsx</c> for the workbook, <c>.csv</c> for one table.</param>
public sealed record TariffReportOptions(int FiscalYear, string RunsDirectory, string OutputPath)
{
    /// <summary>The scenario compared; <c>actual</c> unless said otherwise.</summary>
    public string Scenario { get; init; } = "actual";

    /// <summary>For a <c>.csv</c> file: the register of services instead of the tariffs.</summary>
    public bool Register { get; init; }

    /// <summary>The clock for the workbook's date.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The tariff comparison across suppliers (<c>tbm report tariffs</c>, docs/catalogue.md): an .xlsx with the
/// sheets <c>Tariffer</c> (unit price per catalogue service and supplier, all suppliers together) and
/// <c>Tjänsteregister</c> (which supplier delivers which catalogue service), or one of the two as CSV.
/// </summary>
public static class TariffReport
{
    /// <summary>The CSV columns of the tariffs (canonical CSV: comma, decimal point, docs/model-format.md §4.1).</summary>
    public const string TariffHeader = "catalogue_service,supplier,service,service_name,units,unit,cost,unit_price,normal_unit,normal_units,normal_unit_price,tenants,run_id";

    /// <summary>The CSV columns of the register of services.</summary>
    public const string RegisterHeader = "catalogue_service,supplier,supplier_name,service,service_name,service_type,unit,priced,run_id";

    /// <summary>Computes the comparison and writes it; a file already at the path is never replaced.</summary>
    /// <exception cref="TbmException">The runs folder does not exist, or something is at the output path already.</exception>
    public static TariffView Write(TariffReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(options.OutputPath);
        OutputFile.EnsureAbsent(full);
        var view = TariffComparison.Compute(options.RunsDirectory, options.FiscalYear, options.Scenario);
        if (full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var text = options.Register ? RegisterCsv(view) : TariffCsv(view);
            OutputFile.Write(full, path => File.WriteAllText(path, text, new UTF8Encoding(false)));
            return view;
        }

        using var workbook = Workbook(view);
        OutputFile.Write(full, path => Workbooks.ReproduciblePackage.Save(workbook, path, options.Time.GetUtcNow()));
        return view;
    }

    /// <summary>The tariffs as canonical CSV.</summary>
    public static string TariffCsv(TariffView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var csv = new StringBuilder(TariffHeader).Append('\n');
        foreach (var t in view.Tariffs)
        {
            csv.AppendJoin(',', Field(t.CatalogueService), Field(t.Supplier), Field(t.Service), Field(t.ServiceName), Quantity(t.Units), Field(t.Unit),
                Money(t.Cost), Money(t.UnitPrice), Field(t.NormalUnit), t.NormalUnits is { } u ? Quantity(u) : "", t.NormalUnitPrice is { } p ? Money(p) : "",
                t.Tenants.ToString(CultureInfo.InvariantCulture), Field(t.RunId)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The register of services as canonical CSV.</summary>
    public static string RegisterCsv(TariffView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var csv = new StringBuilder(RegisterHeader).Append('\n');
        foreach (var r in view.Register)
        {
            csv.AppendJoin(',', Field(r.CatalogueService), Field(r.Supplier), Field(r.SupplierName), Field(r.Service), Field(r.ServiceName), Field(r.ServiceType),
                Field(r.Unit), r.Priced ? "true" : "false", Field(r.RunId)).Append('\n');
        }

        return csv.ToString();
    }

    private static XLWorkbook Workbook(TariffView view)
    {
        var title = string.Create(CultureInfo.InvariantCulture, $"Tariffer per tjänst i tjänstekartan {view.FiscalYear} ({Scenario(view.Scenario)})");
        var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        workbook.Properties.Author = "ItDrift.Tbm";

        var sheet = ReportSheet.Add(workbook, "Tariffer", title);
        var row = ReportSheet.Title(sheet, 1, title);
        row = ReportSheet.Line(sheet, row, "Pris per enhet i tjänstekartans enhet; en leverantörs enhet räknas om där den går att räkna om. Lägsta, median och högsta pris visas först när minst tre leverantörer prissätter tjänsten.");
        row++;
        var columns = new ReportColumn[]
        {
            new("Tjänst (tjänstekartan)", Shown.Text, 12), new("Namn", Shown.Text, 28), new("Leverantör", Shown.Text, 12), new("Leverantörens tjänst", Shown.Text, 16),
            new("Volym", Shown.Quantity), new("Enhet", Shown.Text, 12), new("Kostnad", Shown.Money, 16), new("Pris per enhet", Shown.Money),
            new("Volym i tjänstekartans enhet", Shown.Quantity), new("Tjänstekartans enhet", Shown.Text, 12), new("Pris per tjänstekartans enhet", Shown.Money),
            new("Kunder", Shown.Count, 8), new("Lägsta pris", Shown.Money), new("Medianpris", Shown.Money), new("Högsta pris", Shown.Money), new("Körning", Shown.Text, 18),
        };
        var rows = new List<object?[]>();
        foreach (var summary in view.Summaries)
        {
            rows.Add([summary.CatalogueService, summary.NameSv, "Alla", null, null, null, summary.Cost, null, summary.Units, summary.Unit, summary.UnitPrice,
                (long)summary.Suppliers, summary.Min, summary.Median, summary.Max, summary.Suppressed ? "färre än tre leverantörer: spridning visas inte" : null]);
            foreach (var t in view.Tariffs.Where(t => t.CatalogueService == summary.CatalogueService))
            {
                rows.Add([t.CatalogueService, t.ServiceName, t.Supplier, t.Service, t.Units, t.Unit, t.Cost, t.UnitPrice, t.NormalUnits, t.NormalUnit, t.NormalUnitPrice,
                    t.Tenants, null, null, null, t.RunId]);
            }
        }

        // Services priced by no supplier in a comparable unit are still listed, without a total.
        foreach (var t in view.Tariffs.Where(t => view.Summaries.All(s => s.CatalogueService != t.CatalogueService)))
        {
            rows.Add([t.CatalogueService, t.ServiceName, t.Supplier, t.Service, t.Units, t.Unit, t.Cost, t.UnitPrice, null, t.NormalUnit, null, t.Tenants, null, null, null, t.RunId]);
        }

        ReportSheet.Table(sheet, row, columns, rows, repeatHeading: true);

        var register = ReportSheet.Add(workbook, "Tjänsteregister", title);
        row = ReportSheet.Title(register, 1, "Vilken leverantör levererar vilken tjänst i tjänstekartan");
        row++;
        ReportSheet.Table(register, row,
        [
            new("Tjänst (tjänstekartan)", Shown.Text, 12), new("Namn i tjänstekartan", Shown.Text, 28), new("Leverantör", Shown.Text, 12), new("Leverantörens namn", Shown.Text, 24),
            new("Leverantörens tjänst", Shown.Text, 16), new("Leverantörens namn på tjänsten", Shown.Text, 28), new("TBM-tjänstetyp", Shown.Text, 14), new("Enhet", Shown.Text, 12),
            new("Prissatt", Shown.Text, 8), new("Körning", Shown.Text, 18),
        ], view.Register.Select(r => new object?[]
        {
            r.CatalogueService.Length == 0 ? "(ej klassad)" : r.CatalogueService, TbmCatalogue.Service(r.CatalogueService)?.NameSv, r.Supplier, r.SupplierName,
            r.Service, r.ServiceName, r.ServiceType, r.Unit, r.Priced ? "ja" : "nej", r.RunId,
        }), repeatHeading: true);

        var notes = ReportSheet.Add(workbook, "Anteckningar", title);
        row = ReportSheet.Title(notes, 1, "Anteckningar");
        foreach (var note in view.Notes.DefaultIfEmpty("Inga."))
        {
            row = ReportSheet.Line(notes, row, note);
        }

        workbook.Worksheet(1).SetTabActive();
        return workbook;
    }

    private static string Scenario(string scenario) => scenario switch { "actual" => "utfall", "forecast" => "prognos", _ => scenario };

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Quantity(decimal value)
    {
        var text = value.ToString("0.#########", CultureInfo.InvariantCulture);
        return text;
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
