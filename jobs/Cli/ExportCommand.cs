using System.Globalization;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm export --run DIR --out DIR [--workbook NAME] [--tenant ID] [--year Y]</c>: the read API's
/// workbooks from the command line, from a run folder (published or not). Without <c>--workbook</c>
/// it writes them all: the price list, the fee-area balance, the full fee table, and every tenant's
/// fee specification (and true-up, when the run has one). The folder is replaced as a whole, like a run
/// folder's <c>--out</c>: only when it is new, empty, or an earlier output of the engine holding only its own files.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The workbooks <c>--workbook</c> names.</summary>
    public static IReadOnlyCollection<string> WorkbookNames => [.. WorkbookExport.Names.Keys];

    public static int Execute(string runFolder, string output, string? workbook, string? tenant, int? year, TextWriter stdout)
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
            requests.AddRange(tenants.Select(t => new WorkbookRequest(kind, perTenant ? t : null, year)));
        }
        else
        {
            requests.Add(new WorkbookRequest(WorkbookKind.PriceList, null, year));
            requests.Add(new WorkbookRequest(WorkbookKind.Balance));
            requests.Add(new WorkbookRequest(WorkbookKind.FeeTable));
            IEnumerable<string> tenants = tenant is null ? run.Tenants.Keys.Order(StringComparer.Ordinal) : [tenant];
            foreach (var t in tenants)
            {
                requests.Add(new WorkbookRequest(WorkbookKind.FeeSpecification, t, year));
                if (run.Has("trueup"))
                {
                    requests.Add(new WorkbookRequest(WorkbookKind.TrueUp, t, year));
                }
            }
        }

        try
        {
            foreach (var request in requests)
            {
                WorkbookExport.Check(run, request);
            }
        }
        catch (WorkbookException e)
        {
            throw new UsageException(e.Message);
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

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests.Count} workbook{(requests.Count == 1 ? "" : "s")} from run {run.RunId} written to {folder}"));
        return CommandLine.Ok;
    }
}
