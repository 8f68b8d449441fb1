using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClosedXML.Excel;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Makes a written .xlsx package byte-identical for identical inputs, whatever the clock, the time zone
/// or the process: every workbook the product writes (the reports, the streamed fee table, the status
/// report, the baseline template) goes through <see cref="Normalize"/> once, after its library wrote it.
/// </summary>
/// <remarks>
/// <para>What the libraries leave to chance, and what takes its place:</para>
/// <list type="bullet">
/// <item>System.IO.Packaging (under ClosedXML) names the core-properties part with a random GUID
/// (<c>package/services/metadata/core-properties/3f…e1.psmdcp</c>): renamed to <see cref="CorePropertiesPart"/>,
/// and the package relationship pointing at it follows.</item>
/// <item>It gives relationships it creates itself random ids (<c>R4b4653eb7e564c21</c>): each becomes
/// <c>R1</c>, <c>R2</c> … in the order of its .rels file (an id already used there is skipped), and the
/// part that owns the .rels file is rewritten to match (ids are only ever referenced from their owner).</item>
/// <item>Zip entries carry the local time of writing: every entry gets <see cref="EntryTime"/>
/// (1980-01-01 00:00, the earliest a zip entry can say), which is the same in every time zone.</item>
/// <item>The core properties' <c>dcterms:created</c> and <c>dcterms:modified</c> are the clock's: both
/// become the time the caller names (a run's publication, a report's own date), in UTC to the second, or
/// are left out when the input has no time.</item>
/// <item>Entries are written in a fixed order: <c>[Content_Types].xml</c> first, then by name (ordinal).</item>
/// </list>
/// <para>The content of every part is otherwise copied as it is, and recompressed with one fixed level (the same
/// zlib gives the same bytes; the runtime's is part of the build, as the engine's DuckDB is).</para>
/// </remarks>
internal static partial class ReproduciblePackage
{
    /// <summary>The fixed name of the core-properties part (the default content type of <c>.psmdcp</c> still applies).</summary>
    public const string CorePropertiesPart = "package/services/metadata/core-properties/core.psmdcp";

    /// <summary>The time of every zip entry.</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string ContentTypes = "[Content_Types].xml";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string CorePropertiesType = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";

    /// <summary>Saves a ClosedXML workbook through <see cref="Normalize"/>.</summary>
    /// <param name="workbook">The workbook.</param>
    /// <param name="output">Where the package goes.</param>
    /// <param name="created">The document's time (its core properties' created and modified); <see langword="null"/>: none.</param>
    /// <param name="evaluateFormulae">Store formulas with their computed values (for readers that do not calculate).</param>
    public static void Save(XLWorkbook workbook, Stream output, DateTimeOffset? created, bool evaluateFormulae = false)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer, validate: false, evaluateFormulae: evaluateFormulae);
        buffer.Position = 0;
        Normalize(buffer, output, created);
    }

    /// <summary>Saves a ClosedXML workbook through <see cref="Normalize"/> to a file.</summary>
    public static void Save(XLWorkbook workbook, string path, DateTimeOffset? created, bool evaluateFormulae = false)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        Save(workbook, file, created, evaluateFormulae);
    }

    /// <summary>Copies the package in <paramref name="package"/> to <paramref name="output"/>, made reproducible.</summary>
    /// <param name="package">A readable, seekable .xlsx package.</param>
    /// <param name="output">Where the reproducible package goes.</param>
    /// <param name="created">The document's time (its core properties' created and modified); <see langword="null"/>: none.</param>
    /// <param name="level">How hard to compress: <see cref="CompressionLevel.Fastest"/> for the streamed fee table, as SpreadCheetah writes it (a million rows stay seconds).</param>
    public static void Normalize(Stream package, Stream output, DateTimeOffset? created, CompressionLevel level = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(output);
        using var source = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        var entries = source.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, StringComparer.Ordinal);

        // The renames of parts and relationship ids, decided from the small .rels parts first.
        var renamedParts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in entries.Keys.Where(IsRandomCoreProperties))
        {
            renamedParts[name] = CorePropertiesPart;
        }

        var rewritten = new Dictionary<string, string>(StringComparer.Ordinal);
        var idsByOwner = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var name in entries.Keys.Where(n => n.EndsWith(".rels", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var (text, ids) = Relationships(Read(entries[name]), renamedParts);
            rewritten[name] = text;
            if (ids.Count > 0 && OwnerOf(name) is { } owner && entries.ContainsKey(owner))
            {
                idsByOwner[owner] = ids;
            }
        }

        foreach (var (owner, ids) in idsByOwner)
        {
            var text = Read(entries[owner]);
            rewritten[owner] = ids.Aggregate(text, (t, id) => t.Replace("\"" + id.Key + "\"", "\"" + id.Value + "\"", StringComparison.Ordinal));
        }

        foreach (var (name, _) in renamedParts)
        {
            rewritten[name] = CoreProperties(Read(entries[name]), created);
        }

        if (entries.ContainsKey("docProps/core.xml"))
        {
            rewritten["docProps/core.xml"] = CoreProperties(Read(entries["docProps/core.xml"]), created);
        }

        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var name in entries.Keys.OrderBy(n => n == ContentTypes ? 0 : 1).ThenBy(n => renamedParts.GetValueOrDefault(n, n), StringComparer.Ordinal))
        {
            var entry = target.CreateEntry(renamedParts.GetValueOrDefault(name, name), level);
            entry.LastWriteTime = EntryTime;
            using var stream = entry.Open();
            if (rewritten.TryGetValue(name, out var text))
            {
                // UTF-8 as read, with a byte-order mark only where the part had one.
                var bytes = Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
            }
            else
            {
                using var content = entries[name].Open();
                content.CopyTo(stream);
            }
        }
    }

    private static bool IsRandomCoreProperties(string name) =>
        name.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && name.EndsWith(".psmdcp", StringComparison.Ordinal);

    /// <summary>The part a .rels part belongs to: <c>xl/_rels/workbook.xml.rels</c> → <c>xl/workbook.xml</c>; the package's own has none.</summary>
    private static string? OwnerOf(string rels)
    {
        var slash = rels.LastIndexOf("_rels/", StringComparison.Ordinal);
        var owner = rels[..slash] + rels[(slash + "_rels/".Length)..^".rels".Length];
        return owner.Length == 0 ? null : owner;
    }

    /// <summary>
    /// A .rels part with the random ids renumbered and the targets of renamed parts renamed; also returns the
    /// id renames. Done on the text (the ids and names are unique tokens), so the part keeps its exact form.
    /// </summary>
    private static (string Text, Dictionary<string, string> Ids) Relationships(string text, Dictionary<string, string> renamedParts)
    {
        var document = XDocument.Parse(text.TrimStart('\uFEFF'));
        XNamespace ns = RelationshipsNamespace;
        var relationships = document.Root!.Elements(ns + "Relationship").ToList();
        var used = relationships.Select(r => (string?)r.Attribute("Id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = 1;
        foreach (var relationship in relationships)
        {
            var id = (string?)relationship.Attribute("Id");
            if (id is null || !RandomId().IsMatch(id))
            {
                continue;
            }

            string renamed;
            do
            {
                renamed = "R" + (next++).ToString(CultureInfo.InvariantCulture);
            }
            while (used.Contains(renamed));
            used.Add(renamed);
            ids[id] = renamed;
            text = text.Replace("Id=\"" + id + "\"", "Id=\"" + renamed + "\"", StringComparison.Ordinal);
        }

        foreach (var relationship in relationships.Where(r => (string?)r.Attribute("Type") == CorePropertiesType))
        {
            var old = (string?)relationship.Attribute("Target");
            if (old is not null && renamedParts.ContainsKey(old.TrimStart('/')))
            {
                text = text.Replace("Target=\"" + old + "\"", "Target=\"/" + CorePropertiesPart + "\"", StringComparison.Ordinal);
            }
        }

        return (text, ids);
    }

    /// <summary>The core properties with created and modified set to <paramref name="created"/>.</summary>
    /// <remarks>Without a time (<see langword="null"/>) both are left out: the document then claims no date rather than a made-up one.</remarks>
    private static string CoreProperties(string text, DateTimeOffset? created)
    {
        var stamp = created?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return CreatedOrModified().Replace(text, m => stamp is null ? "" : m.Groups["open"].Value + stamp + m.Groups["close"].Value);
    }

    /// <summary>A part's text exactly as stored (a byte-order mark stays, as <c>\uFEFF</c>, and is written back).</summary>
    private static string Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    [GeneratedRegex(@"(?<open><(?<prefix>[A-Za-z0-9_]+):(?:created|modified)\b[^>]*>)[^<]*(?<close></\k<prefix>:(?:created|modified)>)", RegexOptions.CultureInvariant)]
    private static partial Regex CreatedOrModified();

    [GeneratedRegex("^R[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex RandomId();
}
