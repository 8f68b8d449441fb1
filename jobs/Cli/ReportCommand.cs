using System.Globalization;
using ItDrift.Tbm.Indicators;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm report status --year Y --runs DIR [--out FILE] [--tenant ID] [--scenario S]</c>: the yearly
/// status report over every supplier's published runs, for the coordinator and ESV, or one tenant's edition.
/// </summary>
internal static class ReportCommand
{
    /// <summary><c>tbm report status</c>; <paramref name="output"/> defaults to <c>statusrapport-YEAR[-TENANT].xlsx</c>.</summary>
    public static int Status(int year, string runs, string? output, string? tenant, string scenario, TextWriter stdout, TextWriter stderr)
    {
        output ??= string.Create(CultureInfo.InvariantCulture, $"statusrapport-{year}{(tenant is null ? "" : "-" + tenant)}.xlsx");
        var result = StatusReport.Write(new StatusReportOptions(year, runs, output) { Tenant = tenant, Scenario = scenario });
        foreach (var note in result.View.Notes)
        {
            stderr.WriteLine($"note: {note}");
        }

        var used = result.View.Sources.Where(s => s.FiscalYear == year && s.HasIndicators).ToList();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Status report {year} ({scenario}) over {used.Count} supplier{(used.Count == 1 ? "" : "s")}: {string.Join(", ", used.Select(s => $"{s.Supplier} run {s.RunId}"))}"));
        stdout.WriteLine($"Written to {result.OutputPath}");
        return CommandLine.Ok;
    }

    /// <summary><c>tbm report tariffs</c>; <paramref name="output"/> defaults to <c>tariffer-YEAR.xlsx</c>.</summary>
    public static int Tariffs(int year, string runs, string? output, string scenario, bool register, TextWriter stdout, TextWriter stderr)
    {
        output ??= string.Create(CultureInfo.InvariantCulture, $"tariffer-{year}.xlsx");
        var csv = output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !output.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            throw TbmException.Usage($"--out {output}: give a file ending in .xlsx or .csv");
        }

        if (register && !csv)
        {
            throw TbmException.Usage("--register: the workbook has the register as a sheet; give it with a .csv --out");
        }

        var view = TariffReport.Write(new TariffReportOptions(year, runs, output) { Scenario = scenario, Register = register });
        foreach (var note in view.Notes)
        {
            stderr.WriteLine($"note: {note}");
        }

        var suppliers = view.Register.Select(r => r.Supplier).Distinct().Count();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Tariffs {year} ({scenario}): {view.Summaries.Count} catalogue services priced by {suppliers} supplier{(suppliers == 1 ? "" : "s")}, {view.Register.Count} services in the register"));
        stdout.WriteLine($"Written to {Path.GetFullPath(output)}");
        return CommandLine.Ok;
    }
}
