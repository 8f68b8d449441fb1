using System.Globalization;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm runs list|show|mark-final|prune</c>: the runs store from the command line.</summary>
internal static class RunsCommand
{
    public static int List(RunStore store, string? supplier, int? attempts, TextWriter stdout)
    {
        var runs = store.List(supplier);
        var latest = runs.Select(r => r.Supplier).Distinct().ToDictionary(s => s, s => store.Latest(s)?.RunId, StringComparer.Ordinal);
        stdout.WriteLine($"{"supplier",-12} {"run",-16} {"published (UTC)",-20} {"years",-15} {"package",-20} marks");
        foreach (var r in runs)
        {
            var marks = string.Join(" ", new[] { latest.GetValueOrDefault(r.Supplier) == r.RunId ? "latest" : null, r.Final is null ? null : "final" }.OfType<string>());
            stdout.WriteLine($"{r.Supplier,-12} {r.RunId,-16} {Time(r.PublishedAt),-20} {string.Join(",", r.FiscalYears),-15} {r.Package ?? "",-20} {marks}".TrimEnd());
        }

        if (runs.Count == 0)
        {
            stdout.WriteLine($"(no published runs in {store.Root})");
        }

        if (attempts is { } count)
        {
            stdout.WriteLine();
            PrintAttempts(store.Attempts(supplier).Take(count), stdout);
        }

        return CommandLine.Ok;
    }

    internal static void PrintAttempts(IEnumerable<RunAttempt> attempts, TextWriter stdout)
    {
        stdout.WriteLine($"{"started (UTC)",-20} {"package",-20} {"trigger",-10} {"status",-12} {"run",-16} error");
        foreach (var a in attempts)
        {
            stdout.WriteLine($"{Time(a.StartedAt),-20} {a.Package,-20} {a.Trigger,-10} {a.Status.ToString().ToLowerInvariant(),-12} {a.RunId ?? "",-16} {a.Error ?? (a.Status == AttemptStatus.Running ? a.Stage : "")}".TrimEnd());
        }
    }

    public static int Show(RunStore store, string runId, string? supplier, TextWriter stdout)
    {
        var run = Find(store, runId, supplier);
        stdout.WriteLine($"Run {run.RunId} of {run.Supplier}");
        stdout.WriteLine($"  folder:     {run.Directory}");
        stdout.WriteLine($"  published:  {Time(run.PublishedAt)} UTC");
        if (run.StartedAt is { } started)
        {
            stdout.WriteLine($"  computed:   {Time(started)} – {(run.FinishedAt is { } f ? Time(f) : "?")} UTC");
        }

        stdout.WriteLine($"  years:      {string.Join(", ", run.FiscalYears)}");
        stdout.WriteLine($"  package:    {run.Package ?? "(published by hand)"}");
        stdout.WriteLine($"  final:      {(run.Final is { } m ? $"yes, since {Time(m.MarkedAt)} UTC{(m.Reason is null ? "" : ": " + m.Reason)}" : "no")}");
        var latestYears = store.LatestByYear(run.Supplier).Where(y => y.Value.RunId == run.RunId).Select(y => y.Key).ToList();
        stdout.WriteLine($"  latest for: {(latestYears.Count == 0 ? "no year" : string.Join(", ", latestYears))}");
        if (File.Exists(Path.Combine(run.Directory, "run.json")))
        {
            var manifest = RunManifest.Read(run.Directory);
            stdout.WriteLine($"  engine:     {manifest.EngineVersion}");
            stdout.WriteLine("  inputs:");
            foreach (var input in manifest.Inputs)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {input.Sha256}  {input.File} ({input.Bytes:N0} bytes)"));
            }

            foreach (var (option, value) in manifest.Options ?? new Dictionary<string, string>())
            {
                stdout.WriteLine($"  option:     {option} {value}");
            }

            stdout.WriteLine("  rows:");
            foreach (var (table, rows) in manifest.Rows)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {table,-22} {rows,12:N0}"));
            }
        }

        var attempts = store.Attempts(run.Supplier).Where(a => a.RunId == run.RunId).ToList();
        if (attempts.Count > 0)
        {
            stdout.WriteLine("  attempts:");
            foreach (var a in attempts)
            {
                stdout.WriteLine($"    {a.Id} {a.Trigger} {a.Status.ToString().ToLowerInvariant()} on {a.Process}{(a.Error is null ? "" : ": " + a.Error)}");
            }
        }

        return CommandLine.Ok;
    }

    public static int MarkFinal(RunStore store, string runId, string? supplier, string? reason, TextWriter stdout)
    {
        var run = Find(store, runId, supplier);
        var marked = store.MarkFinal(run.Supplier, run.RunId, reason);
        stdout.WriteLine($"Run {marked.RunId} of {marked.Supplier} is final since {Time(marked.Final!.MarkedAt)} UTC{(marked.Final.Reason is null ? "" : ": " + marked.Final.Reason)}; it is never pruned.");
        return CommandLine.Ok;
    }

    public static int Prune(RunStore store, int keep, bool dryRun, string? supplier, TextWriter stdout)
    {
        var result = store.Prune(keep, dryRun, supplier);
        foreach (var r in result.Removed)
        {
            stdout.WriteLine($"{(dryRun ? "would remove" : "removed")} {r.Supplier}/{r.RunId} (published {Time(r.PublishedAt)} UTC)");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Removed.Count} run(s) {(dryRun ? "would be " : "")}removed, {result.Kept.Count} kept (the {keep} newest per supplier, final and latest ones); {result.WorkFoldersRemoved} leftover work folder(s) removed"));
        return CommandLine.Ok;
    }

    private static PublishedRun Find(RunStore store, string runId, string? supplier)
    {
        var found = store.List(supplier).Where(r => r.RunId == runId).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw TbmException.NotFound($"no published run {runId}{(supplier is null ? "" : " of " + supplier)} in {store.Root}"),
            _ => throw new UsageException($"run {runId} exists for several suppliers ({string.Join(", ", found.Select(r => r.Supplier))}); add --supplier"),
        };
    }

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
