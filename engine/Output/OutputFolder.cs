namespace ItDrift.Tbm.Output;

/// <summary>
/// Output folders are written beside their final place and renamed into it at the end, so a crash
/// never leaves half of one; an existing folder is replaced only when it is an earlier output.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Files that mark a folder as an earlier output of the engine.</summary>
    private static readonly string[] Markers = ["run.json", "errors.csv", "ingest-report.json"];

    /// <summary>Checks that <paramref name="output"/> may be written and returns a fresh temporary sibling folder.</summary>
    public static string Prepare(string output)
    {
        if (File.Exists(output))
        {
            throw new ArgumentException($"'{output}' is a file; the output must be a folder");
        }

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()
            && !Markers.Any(m => File.Exists(Path.Combine(output, m))))
        {
            throw new ArgumentException($"'{output}' exists and is not an earlier output; choose an empty or new folder");
        }

        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(output)}.tmp-{Environment.ProcessId}");
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        return temporary;
    }

    /// <summary>Replaces <paramref name="output"/> (if any) by <paramref name="temporary"/>.</summary>
    public static void MoveIntoPlace(string temporary, string output)
    {
        if (Directory.Exists(output))
        {
            var old = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.old-{Environment.ProcessId}");
            Directory.Move(output, old);
            Directory.Move(temporary, output);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(temporary, output);
        }
    }
}
