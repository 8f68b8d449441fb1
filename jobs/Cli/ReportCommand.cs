using System.Globalization;
using ItDrift.Tbm.Indicators;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm report status --year Y --runs DIR [--out FILE] [--tenant ID] [--scenario S]</c>: the yearly
/// status report over every supplier's published runs, for the coordinator and ESV, or one tenant's edition.
/// </summary>
internal static class ReportCommand
{
    public static int Execute(string? action, Options options, TextWriter stdout, TextWriter stderr) => action switch
    {
        null => throw new UsageException("tbm report needs one of: status"),
        "status" => Status(options, stdout, stderr),
        _ => throw new UsageException($"unknown report '{action}' (status)"),
    };

    private static int Status(Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("year", "runs", "out", "tenant", "scenario");
        if (options.Optional("year") is null)
        {
            throw new UsageException("option --year is required");
        }

        var year = options.Integer("year", 0);
        var tenant = options.Optional("tenant");
        var scenario = options.Optional("scenario") ?? "actual";
        if (scenario is not ("actual" or "budget" or "forecast"))
        {
            throw new UsageException($"--scenario is actual, budget or forecast, not '{scenario}'");
        }

        var output = options.Optional("out")
            ?? string.Create(CultureInfo.InvariantCulture, $"statusrapport-{year}{(tenant is null ? "" : "-" + tenant)}.xlsx");
        var result = StatusReport.Write(new StatusReportOptions(year, options.Required("runs"), output) { Tenant = tenant, Scenario = scenario });
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
