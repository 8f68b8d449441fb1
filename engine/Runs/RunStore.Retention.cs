using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Runs;

/// <summary>What a prune removed (or, on a dry run, would remove) and what it kept.</summary>
/// <param name="Removed">The runs removed.</param>
/// <param name="Kept">The runs kept.</param>
/// <param name="WorkFoldersRemoved">Leftover work folders of dead processes removed.</param>
public sealed record PruneResult(IReadOnlyList<PublishedRun> Removed, IReadOnlyList<PublishedRun> Kept, int WorkFoldersRemoved);

/// <content>Retention: final marks, pruning old runs, cleaning up after dead processes.</content>
public sealed partial class RunStore
{
    /// <summary>
    /// Marks a published run final: the run an invoice or a fee decision was based on. A run that was
    /// ever marked final is never pruned; marking it again keeps the first mark.
    /// </summary>
    /// <exception cref="TbmException">There is no such run.</exception>
    public PublishedRun MarkFinal(string supplier, string runId, string? reason)
    {
        CheckIds(supplier, runId);
        EnsureStore();
        var supplierFolder = Path.Combine(Root, supplier);
        using (Lock(Path.Combine(supplierFolder, SupplierLock)))
        {
            if (Read(supplier, runId) is null)
            {
                throw TbmException.NotFound($"run {runId} of {supplier} is not in the store");
            }

            var marks = new SortedDictionary<string, FinalMark>(ReadFinalMarks(supplier).ToDictionary(), StringComparer.Ordinal);
            marks.TryAdd(runId, new FinalMark(_time.GetUtcNow(), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()));
            WriteJsonAtomically(Path.Combine(supplierFolder, FinalFile), new FinalDocument(1, marks));
            return Read(supplier, runId)!;
        }
    }

    /// <summary>
    /// Removes old runs: per supplier it keeps the <paramref name="keep"/> newest published runs, every run
    /// ever marked final, and every run <c>latest.json</c> names (overall or for a year); it removes the
    /// rest, and the work folders that dead processes left behind.
    /// </summary>
    /// <param name="keep">How many of the newest runs to keep per supplier (≥ 1).</param>
    /// <param name="dryRun">Only report what would be removed.</param>
    /// <param name="supplier">Only this supplier.</param>
    /// <exception cref="TbmException">The folder is not a runs store (see <see cref="StoreMarker"/>): nothing is removed.</exception>
    public PruneResult Prune(int keep, bool dryRun = false, string? supplier = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var removed = new List<PublishedRun>();
        var kept = new List<PublishedRun>();
        if (!RequireStore())
        {
            return new PruneResult(removed, kept, 0);
        }

        foreach (var s in supplier is null ? Suppliers() : [supplier])
        {
            var supplierFolder = Path.Combine(Root, s);
            if (!Ids.IsPathSegment(s) || !System.IO.Directory.Exists(supplierFolder))
            {
                continue;
            }

            using (Lock(Path.Combine(supplierFolder, SupplierLock)))
            {
                var runs = List(s);
                var latest = ReadLatest(s);
                var pinned = latest is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>([latest.RunId, .. latest.Years.Values], StringComparer.Ordinal);
                for (var i = 0; i < runs.Count; i++)
                {
                    var run = runs[i];
                    if (i < keep || run.Final is not null || pinned.Contains(run.RunId))
                    {
                        kept.Add(run);
                        continue;
                    }

                    removed.Add(run);
                    if (!dryRun)
                    {
                        Remove(run.Directory);
                    }
                }
            }
        }

        if (!dryRun)
        {
            UpdateCatalogue(TrimCatalogue);
        }

        var work = dryRun ? 0 : CleanWorkFolders(TimeSpan.FromDays(2));
        return new PruneResult(removed, kept, work);
    }

    /// <summary>
    /// Removes work folders (half-written runs) of processes on this machine that no longer run, and any
    /// older than <paramref name="staleAfter"/> whatever machine left them.
    /// </summary>
    /// <returns>How many were removed.</returns>
    /// <remarks>Only folders named as the store names its own are looked at; anything else in them is left alone.</remarks>
    /// <exception cref="TbmException">The folder is not a runs store (see <see cref="StoreMarker"/>): nothing is removed.</exception>
    public int CleanWorkFolders(TimeSpan staleAfter)
    {
        var removed = 0;
        if (!RequireStore())
        {
            return removed;
        }

        foreach (var folder in new[] { WorkFolder, TrashFolder }.Select(f => Path.Combine(Root, f)).Where(System.IO.Directory.Exists))
        {
            foreach (var entry in System.IO.Directory.EnumerateDirectories(folder))
            {
                if (!StoreFolderName().IsMatch(Path.GetFileName(entry)))
                {
                    continue; // not a folder the store or the engine named: not ours to remove
                }

                var name = Path.GetFileName(entry).TrimStart('.');
                var stale = _time.GetUtcNow() - System.IO.Directory.GetLastWriteTimeUtc(entry) > staleAfter;
                if (stale || folder.EndsWith(TrashFolder, StringComparison.Ordinal) || IsDeadLocalProcess(name))
                {
                    try
                    {
                        System.IO.Directory.Delete(entry, recursive: true);
                        removed++;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // still in use or already gone: a later clean-up gets it
                    }
                }
            }
        }

        return removed;
    }

    /// <summary>
    /// How the store names its work and trash folders (<c>machine-pid-incarnation-guid</c>), and the engine its
    /// temporary and replaced siblings of a work folder (<c>.NAME.tmp-pid-random</c>, <c>.NAME.old-pid-random</c>).
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[A-Za-z0-9-]+-[0-9]+-[A-Za-z0-9]+-[0-9a-f]{32}|\.[A-Za-z0-9-]+-[0-9]+-[A-Za-z0-9]+-[0-9a-f]{32}\.(?:tmp|old)-[0-9]+(?:-[0-9a-f]{8})?)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex StoreFolderName();

    private static bool IsDeadLocalProcess(string workName)
    {
        // "<machine>-<pid>-<incarnation>-<guid>" (the engine's temporary sibling adds ".tmp-<pid>")
        var machine = MachineTag() + "-";
        if (!workName.StartsWith(machine, StringComparison.Ordinal))
        {
            return false; // another machine's: only its age tells
        }

        var parts = workName[machine.Length..].Split('-', 3);
        if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return !string.Equals(parts[1], Incarnation, StringComparison.Ordinal);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    private void Remove(string runFolder)
    {
        // A rename first: readers then see the run whole or not at all, never half deleted.
        var trash = Path.Combine(Root, TrashFolder, $"{ProcessTag}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        System.IO.Directory.Move(runFolder, trash);
        System.IO.Directory.Delete(trash, recursive: true);
    }

    private List<RunAttempt> TrimCatalogue(IReadOnlyList<RunAttempt> attempts)
    {
        // The history of every published run stays, and running attempts; of failed, interrupted and
        // cancelled ones, the newest per package.
        var keep = new HashSet<RunAttempt>(ReferenceEqualityComparer.Instance);
        foreach (var group in attempts.GroupBy(a => a.Package, StringComparer.Ordinal))
        {
            var others = 0;
            foreach (var a in group.OrderByDescending(a => a.StartedAt))
            {
                if (a.Status is AttemptStatus.Running or AttemptStatus.Published || others++ < AttemptsKeptPerPackage)
                {
                    keep.Add(a);
                }
            }
        }

        return [.. attempts.Where(keep.Contains)];
    }

    private IReadOnlyDictionary<string, FinalMark> ReadFinalMarks(string supplier)
    {
        var file = Path.Combine(Root, supplier, FinalFile);
        if (!File.Exists(file))
        {
            return new Dictionary<string, FinalMark>(StringComparer.Ordinal);
        }

        var document = JsonSerializer.Deserialize<FinalDocument>(File.ReadAllText(file), JsonOptions);
        return document is null ? new Dictionary<string, FinalMark>(StringComparer.Ordinal) : new Dictionary<string, FinalMark>(document.Runs, StringComparer.Ordinal);
    }

    private sealed record FinalDocument(int Version, IDictionary<string, FinalMark> Runs);
}
