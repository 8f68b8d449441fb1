using System.Globalization;
using System.Text.Json;

namespace ItDrift.Tbm.Output;

/// <summary>
/// The folders the engine writes as output — a run folder, an errors-only folder, an imported SIE ledger,
/// exported workbooks, a generated package: written into a temporary sibling folder and renamed into place
/// at the end, so a crash never leaves half of one. Each carries a marker file, <see cref="MarkerFile"/>,
/// naming what wrote it and listing every file it wrote.
/// </summary>
/// <remarks>
/// The engine never deletes what it did not write. An existing folder is replaced only when it is empty,
/// or when it carries the marker and holds nothing the marker does not list; any other existing folder
/// is refused (<see cref="TbmException"/> of kind conflict: the command line's exit 2), and nothing is written. The
/// check is made before the work starts and again just before the rename, and of the folder replaced only
/// the files the marker lists are deleted. The marker is deterministic (the engine version and the
/// sorted file names), so identical inputs still give identical folders.
/// </remarks>
public static class OutputFolder
{
    /// <summary>The marker file in every output folder.</summary>
    public const string MarkerFile = ".tbm-output";

    private const string Product = "ItDrift.Tbm";

    /// <summary>
    /// Checks that <paramref name="output"/> may be written (absent, empty, or an earlier output of the
    /// engine holding only its own files) and returns a fresh temporary sibling folder to write into.
    /// </summary>
    /// <exception cref="TbmException">The folder may not be replaced; the message names it and says why.</exception>
    public static string Prepare(string output)
    {
        output = Path.GetFullPath(output);
        EnsureReplaceable(output);
        var parent = Path.GetDirectoryName(output) ?? throw TbmException.Usage($"'{output}' is a root folder; the output must be a folder inside one");
        Directory.CreateDirectory(parent);
        var temporary = Sibling(output, "tmp");
        Directory.CreateDirectory(temporary);
        return temporary;
    }

    /// <summary>
    /// Writes the marker into <paramref name="temporary"/> (naming <paramref name="content"/> and listing
    /// every file in it), checks <paramref name="output"/> again, and replaces it by <paramref name="temporary"/>.
    /// </summary>
    /// <param name="temporary">The folder from <see cref="Prepare"/>, with everything written.</param>
    /// <param name="output">The output folder.</param>
    /// <param name="content">What the folder is, for people: <c>run folder</c>, <c>workbooks</c> …</param>
    /// <exception cref="TbmException">The folder may not be replaced (something else was put in it meanwhile).</exception>
    /// <exception cref="IOException">A file the engine did not write appeared in the old folder while it was being replaced; it is left where the message says.</exception>
    public static void MoveIntoPlace(string temporary, string output, string content) => MoveIntoPlace(temporary, output, content, recordContents: false);

    /// <summary>
    /// <see cref="MoveIntoPlace(string, string, string)"/>; with <paramref name="recordContents"/> the marker also
    /// records each file's SHA-256, so a folder the user is meant to edit (a generated model package) is
    /// never replaced once a file in it was changed.
    /// </summary>
    /// <param name="temporary">The folder from <see cref="Prepare"/>, with everything written.</param>
    /// <param name="output">The output folder.</param>
    /// <param name="content">What the folder is, for people.</param>
    /// <param name="recordContents">Whether the marker records the files' contents.</param>
    /// <exception cref="TbmException">The folder may not be replaced.</exception>
    public static void MoveIntoPlace(string temporary, string output, string content, bool recordContents)
    {
        output = Path.GetFullPath(output);
        WriteMarker(temporary, content, recordContents);
        EnsureReplaceable(output);
        if (!Directory.Exists(output))
        {
            Directory.Move(temporary, output);
            return;
        }

        var own = ReadMarker(output) ?? new HashSet<string>(StringComparer.Ordinal); // none: the folder was empty
        var old = Sibling(output, "old");
        Directory.Move(output, old);
        Directory.Move(temporary, output);
        DeleteOwn(old, own);
    }

    /// <summary>Why <paramref name="output"/> may not be replaced by the engine, or <see langword="null"/> when it may.</summary>
    public static string? Refusal(string output)
    {
        output = Path.GetFullPath(output);
        if (File.Exists(output))
        {
            return $"'{output}' is a file; the output must be a folder";
        }

        if (!Directory.Exists(output))
        {
            return null;
        }

        if (new DirectoryInfo(output).LinkTarget is not null)
        {
            return $"'{output}' is a link; the output must be a folder (name the folder it points to, or a new one)";
        }

        if (!Directory.EnumerateFileSystemEntries(output).Any())
        {
            return null;
        }

        const string Advice = "Nothing was written; choose an empty or new folder, or remove it yourself";
        if (ReadMarker(output) is not { } own)
        {
            return $"'{output}' is not empty and was not written by {Product} (it has no {MarkerFile}). {Advice}.";
        }

        var foreign = Foreign(output, own);
        if (foreign.Count > 0)
        {
            var shown = string.Join(", ", foreign.Take(3)) + (foreign.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $" and {foreign.Count - 3} more") : "");
            return $"'{output}' holds files {Product} did not write ({shown}). {Advice}.";
        }

        var changed = Changed(output);
        if (changed.Count > 0)
        {
            var shown = string.Join(", ", changed.Take(3)) + (changed.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $" and {changed.Count - 3} more") : "");
            return $"'{output}' holds files changed since {Product} wrote them ({shown}). {Advice}.";
        }

        return null;
    }

    /// <summary>The files a folder's marker lists (relative, with <c>/</c>), or <see langword="null"/> when it has no valid marker.</summary>
    public static IReadOnlySet<string>? ReadMarker(string folder)
    {
        var path = Path.Combine(folder, MarkerFile);
        if (!File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("writtenBy", out var writtenBy) || writtenBy.ValueKind != JsonValueKind.String
                || writtenBy.GetString()?.StartsWith(Product, StringComparison.Ordinal) != true
                || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.String || file.GetString() is not { Length: > 0 } name || !IsPlainRelative(name))
                {
                    return null;
                }

                set.Add(name);
            }

            return set;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void EnsureReplaceable(string output)
    {
        if (Refusal(output) is { } reason)
        {
            throw TbmException.Conflict(reason);
        }
    }

    /// <summary>A fresh hidden sibling of <paramref name="output"/>: <c>.NAME.KIND-PID-RANDOM</c>.</summary>
    private static string Sibling(string output, string kind) => Path.Combine(
        Path.GetDirectoryName(output)!,
        string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(output)}.{kind}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"));

    /// <summary>The files whose content differs from the SHA-256 the marker recorded (none when it recorded none).</summary>
    private static List<string> Changed(string folder)
    {
        var changed = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, MarkerFile)));
            if (!json.RootElement.TryGetProperty("sha256", out var hashes) || hashes.ValueKind != JsonValueKind.Object)
            {
                return changed;
            }

            foreach (var file in hashes.EnumerateObject())
            {
                var path = Path.Combine(folder, file.Name.Replace('/', Path.DirectorySeparatorChar));
                if (IsPlainRelative(file.Name) && File.Exists(path) && !string.Equals(Hash(path), file.Value.GetString(), StringComparison.Ordinal))
                {
                    changed.Add(file.Name);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A marker that cannot be read names nothing as changed; ReadMarker has judged it already.
        }

        changed.Sort(StringComparer.Ordinal);
        return changed;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static void WriteMarker(string folder, string content, bool recordContents)
    {
        var files = Files(folder);
        using var stream = File.Create(Path.Combine(folder, MarkerFile));
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("writtenBy", $"{Product} {EngineInfo.Version}");
            json.WriteString("content", content);
            json.WriteString("note", $"{Product} replaces this folder only while it holds nothing but the files listed here.");
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStringValue(file);
            }

            json.WriteEndArray();
            if (recordContents)
            {
                json.WriteStartObject("sha256");
                foreach (var file in files)
                {
                    json.WriteString(file, Hash(Path.Combine(folder, file.Replace('/', Path.DirectorySeparatorChar))));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    /// <summary>Every file below <paramref name="folder"/> but the marker, relative with <c>/</c>, ordinally.</summary>
    private static List<string> Files(string folder)
    {
        var files = new List<string>();
        void Walk(string directory)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo sub && entry.LinkTarget is null)
                {
                    Walk(sub.FullName);
                }
                else
                {
                    files.Add(Relative(folder, entry.FullName));
                }
            }
        }

        Walk(folder);
        files.Remove(MarkerFile);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>What is in <paramref name="folder"/> that <paramref name="own"/> does not list: files, links, and folders holding none of the listed files.</summary>
    private static List<string> Foreign(string folder, IReadOnlySet<string> own)
    {
        var foreign = new List<string>();
        var ownFolders = Ancestors(own);

        void Walk(string directory)
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var relative = Relative(folder, entry.FullName);
                if (entry.LinkTarget is not null)
                {
                    foreign.Add(relative); // the engine writes no links
                }
                else if (entry is DirectoryInfo sub)
                {
                    if (ownFolders.Contains(relative))
                    {
                        Walk(sub.FullName);
                    }
                    else
                    {
                        foreign.Add(relative + "/");
                    }
                }
                else if (relative != MarkerFile && !own.Contains(relative))
                {
                    foreign.Add(relative);
                }
            }
        }

        Walk(folder);
        return foreign;
    }

    /// <summary>Deletes the files <paramref name="own"/> lists and the marker, then the folders left empty; anything else stays, and is reported.</summary>
    private static void DeleteOwn(string folder, IReadOnlySet<string> own)
    {
        foreach (var file in own.Append(MarkerFile))
        {
            File.Delete(Path.Combine(folder, file.Replace('/', Path.DirectorySeparatorChar)));
        }

        try
        {
            // Deepest first: a folder is empty once the files and folders below it are gone.
            foreach (var sub in Ancestors(own).OrderByDescending(f => f.Length))
            {
                var path = Path.Combine(folder, sub.Replace('/', Path.DirectorySeparatorChar));
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: false);
                }
            }

            Directory.Delete(folder, recursive: false);
        }
        catch (IOException e)
        {
            throw new IOException($"files {Product} did not write appeared in the previous output while it was replaced; they are kept in '{folder}'", e);
        }
    }

    /// <summary>The folders the files are in (<c>a/b/c.csv</c>: <c>a</c> and <c>a/b</c>).</summary>
    private static HashSet<string> Ancestors(IEnumerable<string> files)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var slash = file.LastIndexOf('/'); slash > 0; slash = file.LastIndexOf('/', slash - 1))
            {
                folders.Add(file[..slash]);
            }
        }

        return folders;
    }

    private static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');

    private static bool IsPlainRelative(string name) =>
        !Path.IsPathRooted(name) && !name.Contains('\\', StringComparison.Ordinal) && name.Split('/').All(part => part.Length > 0 && part is not "." and not "..");
}
