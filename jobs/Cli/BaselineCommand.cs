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
    public static int Execute(string? action, string? file, Options options, TextWriter stdout, TextWriter stderr) => action switch
    {
        null => throw new UsageException("tbm baseline needs one of: template, import, list"),
        "template" => Template(options, stdout, stderr),
        "import" => Import(file, options, stdout, stderr),
        "list" => List(options, stdout),
        _ => throw new UsageException($"unknown baseline command '{action}' (template, import, list)"),
    };

    private static int Template(Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("model", "out", "tenant", "year");
        var model = options.Required("model");
        var output = options.Optional("out") ?? "nollage-mall.xlsx";
        int? year = options.Optional("year") is null ? null : options.Integer("year", 0);
        var errors = BaselineWorkbook.WriteTemplate(model, output, options.Optional("tenant"), year);
        if (errors.Count > 0)
        {
            CommandLine.ReportErrors(new RunResult { Errors = errors, ErrorCount = errors.Count }, stderr, errorsFile: null);
            return CommandLine.ModelError;
        }

        stdout.WriteLine($"Baseline template written to {Path.GetFullPath(output)}");
        return CommandLine.Ok;
    }

    private static int Import(string? file, Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("model", "store", "by", "reason", "file");
        var path = file ?? options.Optional("file") ?? throw new UsageException("tbm baseline import needs the file to read: tbm baseline import FILE --model DIR");
        var model = options.Optional("model");
        var store = new BaselineStore(Store(options), TimeProvider.System);
        var by = options.Optional("by") ?? Environment.UserName;
        var (import, versions) = BaselineWorkbook.Import(path, model, store, by, options.Optional("reason"));
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

    private static int List(Options options, TextWriter stdout)
    {
        options.AllowOnly("model", "store", "tenant");
        var store = new BaselineStore(Store(options));
        var tenant = options.Optional("tenant");
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

    private static string Store(Options options) =>
        options.Optional("store")
        ?? (options.Optional("model") is { } model ? Path.Combine(model, BaselineStore.PackageFolder)
            : throw new UsageException("give --model DIR (its store is DIR/baselines) or --store DIR"));
}
