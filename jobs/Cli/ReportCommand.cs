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
}
