using System.Globalization;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm export --run DIR --out DIR [--workbook NAME] [--tenant ID] [--year Y] [--scenario S]</c>: the read API's
/// workbooks from the command line, from a run folder (published or not). Without <c>--workbook</c>
/// it writes them all: the price list, the fee-area balance, the full fee table, and every tenant's
/// fee specification (and true-up, when the run has one). The folder is replaced as a whole, like a run
/// folder's <c>--out</c>: only when it is new, empty, or an earlier output of the engine holding only its own files.
/// <c>--scenario</c> picks the price list's prices and the fee table's rows; the fee specification is the fee
/// model's whatever is asked (and says so); the balance and the true-up are of the actual outcome only, so
/// another scenario is refused for them by name and leaves them out of "all of them".
/// </summary>
internal static class ExportCommand
{
    /// <summary>The workbooks <c>--workbook</c> names.</summary>
    public static IReadOnlyCollection<string> WorkbookNames => [.. WorkbookExport.Names.Keys];

    public static int Execute(string runFolder, string output, string? workbook, string? tenant, int? year, TextWriter stdout, string? scenario = null)
    {
        var run = RunFolder.Open(runFolder);
        var requests = new List<WorkbookRequest>();
        if (workbook is { } name)
        {
            if (!WorkbookExport.Names.TryGetValue(name, out var kind))
            {
                throw new UsageException($"--workbook must be one of {string.Join(", ", WorkbookExport.Names.Keys)}, not '{name}'");
            }

            var perTenant = kind is WorkbookKind.FeeSpecification or WorkbookKind.TrueUp;
            IEnumerable<string?> tenants = perTenant && tenant is null ? run.Tenants.Keys.Order(StringComparer.Ordinal) : [tenant];
            requests.AddRange(tenants.Select(t => new WorkbookRequest(kind, perTenant ? t : null, year) { Scenario = scenario }));
        }
        else
        {
            // The balance and the true-up are of the actual outcome only: another scenario leaves them out.
            var actual = scenario is null or "actual";
            requests.Add(new WorkbookRequest(WorkbookKind.PriceList, null, year) { Scenario = scenario });
            if (actual)
            {
                requests.Add(new WorkbookRequest(WorkbookKind.Balance) { Scenario = scenario });
            }

            requests.Add(new WorkbookRequest(WorkbookKind.FeeTable) { Scenario = scenario });
            IEnumerable<string> tenants = tenant is null ? run.Tenants.Keys.Order(StringComparer.Ordinal) : [tenant];
            foreach (var t in tenants)
            {
                requests.Add(new WorkbookRequest(WorkbookKind.FeeSpecification, t, year) { Scenario = scenario });
                if (actual && run.Has("trueup"))
                {
                    requests.Add(new WorkbookRequest(WorkbookKind.TrueUp, t, year) { Scenario = scenario });
                }
            }
        }

        try
        {
            foreach (var request in requests)
            {
                WorkbookExport.Check(run, request with { Scenario = null });
            }
        }
        catch (WorkbookException e)
        {
            throw new UsageException(e.Message);
        }

        try
        {
            foreach (var request in requests)
            {
                WorkbookExport.CheckScenario(run, request);
            }
        }
        catch (WorkbookException e)
        {
            throw new UsageException($"--scenario {scenario}: {e.Message}");
        }

        // Like a run folder: written beside its place and renamed into it, replacing only an earlier export (or run) of the engine.
        var folder = Path.GetFullPath(output);
        if (string.Equals(Path.TrimEndingDirectorySeparator(folder), Path.TrimEndingDirectorySeparator(run.Directory), StringComparison.Ordinal))
        {
            throw new UsageException("--out is the run folder itself; the workbooks go into a folder of their own");
        }

        var temporary = OutputFolder.Prepare(folder);
        var names = new List<string>();
        try
        {
            foreach (var request in requests)
            {
                var file = WorkbookExport.FileName(run, request);
                using (var stream = File.Create(Path.Combine(temporary, file)))
                {
                    WorkbookExport.WriteAsync(run, request, stream).GetAwaiter().GetResult();
                }

                names.Add(file);
            }

            OutputFolder.MoveIntoPlace(temporary, folder, "workbooks");
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        foreach (var file in names)
        {
            stdout.WriteLine(Path.Combine(folder, file));
        }

        if (workbook is null && scenario is not (null or "actual"))
        {
            stdout.WriteLine($"The balance and the true-up are of the actual outcome only: left out for --scenario {scenario}.");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests.Count} workbook{(requests.Count == 1 ? "" : "s")} from run {run.RunId} written to {folder}"));
        return CommandLine.Ok;
    }
}
