using System.Globalization;
using ClosedXML.Excel;
using ItDrift.Tbm.Output;

namespace ItDrift.Tbm.Indicators;

/// <summary>What the yearly status report covers.</summary>
/// <param name="FiscalYear">The year followed up.</param>
/// <param name="RunsDirectory">The runs store with every supplier's published runs.</param>
/// <param name="OutputPath">The .xlsx file to write.</param>
public sealed record StatusReportOptions(int FiscalYear, string RunsDirectory, string OutputPath)
{
    /// <summary>The scenario followed up; <c>actual</c> (the outcome) unless said otherwise.</summary>
    public string Scenario { get; init; } = "actual";

    /// <summary>
    /// A tenant's own edition: its own figures, and of the others only aggregates over at least three
    /// tenants (distributions, services and suppliers); <see langword="null"/>: the full edition for the
    /// coordinator and ESV.
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>The clock for the report's date.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>The written report and what it was built from.</summary>
public sealed record StatusReportResult(string OutputPath, CombinedView View);

/// <summary>
/// The yearly status report (<c>tbm report status</c>): an .xlsx with a summary, indicators per supplier,
/// service and tenant, distributions, baseline comparisons, data quality, history and the definitions;
/// Swedish headings, formatted for print, every figure with the run ids it comes from.
/// </summary>
public static partial class StatusReport
{
    /// <summary>Computes the combined view and writes the report.</summary>
    /// <exception cref="TbmException">The runs folder does not exist, the tenant is in no run of the year, or something is at the output path already (a report is never replaced: it may have been edited).</exception>
    public static StatusReportResult Write(StatusReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OutputFile.EnsureAbsent(Path.GetFullPath(options.OutputPath));
        var view = CombinedIndicators.Compute(options.RunsDirectory, options.FiscalYear, options.Scenario);
        if (options.Tenant is { } tenant && !view.Values.Any(v => v.Scope == "tenant" && v.Subject == tenant && v.FiscalYear == options.FiscalYear))
        {
            throw TbmException.NotFound(string.Create(CultureInfo.InvariantCulture, $"'{tenant}' has no fees or volumes in the published runs of {options.FiscalYear}"));
        }

        var report = new Report(view, options);
        using var workbook = new XLWorkbook();
        workbook.Properties.Title = report.Title;
        workbook.Properties.Author = "ItDrift.Tbm";
        workbook.Properties.Comments = "Körningar: " + string.Join(", ", view.Sources.Where(s => s.HasIndicators).Select(s => $"{s.Supplier} {s.FiscalYear} {s.RunId}"));
        report.Summary(ReportSheet.Add(workbook, "Sammanfattning", report.Title));
        report.Suppliers(ReportSheet.Add(workbook, "Leverantörer", report.Title));
        report.Services(ReportSheet.Add(workbook, "Tjänster", report.Title));
        report.Tenants(ReportSheet.Add(workbook, options.Tenant is null ? "Kunder" : "Er myndighet", report.Title));
        report.Baselines(ReportSheet.Add(workbook, "Nolläge", report.Title));
        report.Distributions(ReportSheet.Add(workbook, "Fördelningar", report.Title));
        report.Quality(ReportSheet.Add(workbook, "Datakvalitet", report.Title));
        report.History(ReportSheet.Add(workbook, "Historik", report.Title));
        report.Definitions(ReportSheet.Add(workbook, "Definitioner", report.Title));
        workbook.Worksheet(1).SetTabActive();

        var full = Path.GetFullPath(options.OutputPath);
        OutputFile.Write(full, path => Workbooks.ReproduciblePackage.Save(workbook, path, options.Time.GetUtcNow()));
        return new StatusReportResult(full, view);
    }

    /// <summary>Indicator names in Swedish, for headings.</summary>
    internal static string NameSv(string indicator) => IndicatorCatalogue.Find(indicator)?.NameSv ?? indicator;

    /// <summary>A unit in Swedish; a service's own unit (virtual server, TB …) as the package names it.</summary>
    internal static string? UnitSv(string? unit) => unit switch
    {
        "SEK" => "kr",
        "SEK/unit" => "kr/enhet",
        "SEK/employee" => "kr/anställd",
        "SEK/user" => "kr/användare",
        "SEK/workstation" => "kr/arbetsplats",
        "count" => "st",
        "year" or "years" => "år",
        "users" => "användare",
        "workstations" => "arbetsplatser",
        "unit" => "enheter",
        _ => unit,
    };

    internal static string ScenarioSv(string scenario) => scenario switch
    {
        "actual" => "utfall",
        "budget" => "budget",
        "forecast" => "prognos",
        _ => scenario,
    };
}
