using System.Globalization;
using ItDrift.Tbm.Baselines;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm baseline template|import|list</c>: the tenants' baselines (nolläge) — the workbook to fill in,
/// reading it back into the versioned store, and the versions recorded.
/// </summary>
/// <remarks>
/// The store is <c>MODEL/baselines</c> unless <c>--store</c> names another folder; a run of the model
/// compares each tenant's fees with its latest version there.
/// </remarks>
internal static class BaselineCommand
{
    /// <summary>The workbook <c>tbm baseline template</c> writes unless told otherwise.</summary>
    public const string TemplateFile = "nollage-mall.xlsx";

    public static int Template(string model, string output, string? tenant, int? year, TextWriter stdout, TextWriter stderr)
    {
        var errors = BaselineWorkbook.WriteTemplate(model, output, tenant, year);
        if (errors.Count > 0)
        {
            CommandLine.ReportErrors(new RunResult { Errors = errors, ErrorCount = errors.Count }, stderr, errorsFile: null);
            return CommandLine.ModelError;
        }

        stdout.WriteLine($"Baseline template written to {Path.GetFullPath(output)}");
        return CommandLine.Ok;
    }

    public static int Import(string path, string? model, string? storeFolder, string? by, string? reason, TextWriter stdout, TextWriter stderr)
    {
        var store = new BaselineStore(Store(model, storeFolder), TimeProvider.System);
        var (import, versions) = BaselineWorkbook.Import(path, model, store, by ?? Environment.UserName, reason);
        foreach (var w in import.Warnings)
        {
            stderr.WriteLine($"warning: {w.File}: {w.Message}");
        }

        if (!import.Succeeded)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The baseline has {import.ErrorCount} error{(import.ErrorCount == 1 ? "" : "s")}; nothing was recorded:"));
            foreach (var e in import.Errors.Take(100))
            {
                var place = e.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.File}:{e.Line}") : e.File;
                stderr.WriteLine($"  {place}{(e.Column.Length > 0 ? $" [{e.Column}]" : "")}: {e.Reason}");
            }

            return CommandLine.ModelError;
        }

        foreach (var (version, isNew) in versions)
        {
            stdout.WriteLine(isNew
                ? string.Create(CultureInfo.InvariantCulture, $"Recorded {version.Tenant} {version.Label} ({version.Rows} rows) by {version.RecordedBy}: {version.Reason}")
                : $"{version.Tenant}: unchanged, {version.Label} stands");
        }

        stdout.WriteLine($"Baseline store: {store.Root}");
        return CommandLine.Ok;
    }

    public static int List(string? model, string? storeFolder, string? tenant, TextWriter stdout)
    {
        var store = new BaselineStore(Store(model, storeFolder));
        var versions = tenant is null
            ? store.LatestVersions().SelectMany(v => store.Versions(v.Tenant)).ToList()
            : store.Versions(tenant).ToList();
        stdout.WriteLine($"{"tenant",-14} {"version",-8} {"recorded (UTC)",-17} {"by",-20} {"rows",5}  reason");
        foreach (var v in versions)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{v.Tenant,-14} {v.Label,-8} {v.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),-17} {v.RecordedBy,-20} {v.Rows,5}  {v.Reason}"));
        }

        if (versions.Count == 0)
        {
            stdout.WriteLine($"(no baselines recorded in {store.Root})");
        }

        return CommandLine.Ok;
    }

    private static string Store(string? model, string? store) =>
        store
        ?? (model is not null ? Path.Combine(model, BaselineStore.PackageFolder)
            : throw new UsageException("give --model DIR (its store is DIR/baselines) or --store DIR"));
}
