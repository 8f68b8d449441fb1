using System.Globalization;

namespace ItDrift.Tbm.Output;

/// <summary>
/// Single files the engine writes where it is told (<c>--out FILE</c>: the baseline template, the status
/// report): written to a temporary name beside the file and renamed into place, never over an existing
/// file. A file at that name may be one a person filled in or edited, and the engine cannot tell its own
/// untouched file from that, so it never replaces one: it never deletes what it did not write.
/// </summary>
internal static class OutputFile
{
    /// <summary>Refuses a name where something already is (checked before the work starts).</summary>
    /// <exception cref="TbmException">Something is there; the message names it and says what to do.</exception>
    public static void EnsureAbsent(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw Refused(path);
        }
    }

    /// <summary>
    /// Writes the file through <paramref name="write"/> (given a temporary name beside it, with the same
    /// extension) and renames it to <paramref name="path"/>, which must not exist; the temporary file never stays.
    /// </summary>
    /// <exception cref="TbmException">Something is at <paramref name="path"/> (before, or appeared meanwhile).</exception>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        path = Path.GetFullPath(path);
        EnsureAbsent(path);
        try
        {
            IO.AtomicFile.WriteThroughPath(path, write, overwrite: false);
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path))
        {
            throw Refused(path);
        }
    }

    private static TbmException Refused(string path) =>
        TbmException.Conflict($"'{path}' exists; nothing was written. Choose another file name (--out), or remove it yourself");
}
