using System.Text.Json;
using ItDrift.Tbm.Access;

namespace ItDrift.Tbm.Runs;

/// <content>
/// The store's own mark: <c>ROOT/.tbm-store</c>, written the first time the store writes into its folder.
/// The store deletes only inside a folder it made (pruning runs, cleaning work folders), so a runs folder
/// given by mistake — a home folder, a project — is refused rather than cleaned.
/// </content>
public sealed partial class RunStore
{
    /// <summary>The file that marks a folder as a runs store.</summary>
    public const string StoreMarker = ".tbm-store";

    private volatile bool _marked;

    private enum StoreState
    {
        /// <summary>The folder does not exist.</summary>
        Missing,

        /// <summary>The folder exists and is empty.</summary>
        Empty,

        /// <summary>The folder carries <see cref="StoreMarker"/>.</summary>
        Marked,

        /// <summary>A store written before the mark existed: a catalogue, or a <c>latest.json</c> naming a published run.</summary>
        Unmarked,

        /// <summary>Anything else: not the store's, never written or cleaned by it.</summary>
        Foreign,
    }

    /// <summary>
    /// Makes sure the store's folder is the store's before writing into it: a new or empty folder becomes a
    /// store, and a store written before the mark existed gets it.
    /// </summary>
    /// <exception cref="TbmException">The folder has other content and is not a runs store.</exception>
    private void EnsureStore()
    {
        if (_marked)
        {
            return;
        }

        if (State() == StoreState.Foreign)
        {
            throw NotAStore();
        }

        System.IO.Directory.CreateDirectory(Root);
        var marker = Path.Combine(Root, StoreMarker);
        if (!File.Exists(marker))
        {
            IO.AtomicFile.WriteAllText(marker, "ItDrift.Tbm runs store: published runs, latest.json, final.json and catalogue.json are kept here.\n");
        }

        _marked = true;
    }

    /// <summary>Whether there is a store to prune or clean: false when the folder is missing or empty.</summary>
    /// <exception cref="TbmException">The folder has other content and is not a runs store: nothing is removed.</exception>
    private bool RequireStore()
    {
        switch (State())
        {
            case StoreState.Missing or StoreState.Empty:
                return false;
            case StoreState.Foreign:
                throw NotAStore();
            default:
                EnsureStore();
                return true;
        }
    }

    private TbmException NotAStore() =>
        TbmException.Usage($"'{Root}' is not a runs store (it is not empty and has no {StoreMarker}); nothing was written or removed. Choose the store's folder, or an empty or new one");

    private StoreState State()
    {
        if (_marked || File.Exists(Path.Combine(Root, StoreMarker)))
        {
            return StoreState.Marked;
        }

        if (!System.IO.Directory.Exists(Root))
        {
            return StoreState.Missing;
        }

        // Another thread or process may be writing the mark right now (its temporary file beside it): still empty.
        if (!System.IO.Directory.EnumerateFileSystemEntries(Root).Any(e => !Path.GetFileName(e).StartsWith(StoreMarker + ".tmp-", StringComparison.Ordinal)))
        {
            return StoreState.Empty;
        }

        return WrittenBeforeTheMark() ? StoreState.Unmarked : StoreState.Foreign;
    }

    /// <summary>A store of an engine before the mark: its catalogue, or a supplier's <c>latest.json</c> naming one of its published runs.</summary>
    private bool WrittenBeforeTheMark()
    {
        try
        {
            var catalogue = Path.Combine(Root, CatalogueFile);
            if (File.Exists(catalogue) && JsonSerializer.Deserialize<CatalogueDocument>(File.ReadAllText(catalogue), JsonOptions) is { Version: 1, Attempts: not null })
            {
                return true;
            }

            foreach (var supplier in System.IO.Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(Ids.IsPathSegment))
            {
                var latest = Path.Combine(Root, supplier, LatestFile);
                if (File.Exists(latest)
                    && JsonSerializer.Deserialize<LatestRuns>(File.ReadAllText(latest), JsonOptions) is { RunId: { } runId }
                    && Ids.IsPathSegment(runId)
                    && File.Exists(Path.Combine(Root, supplier, runId, PublicationFile)))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }

        return false;
    }
}
