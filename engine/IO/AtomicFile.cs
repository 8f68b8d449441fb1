using System.Globalization;

namespace ItDrift.Tbm.IO;

/// <summary>
/// The one way the engine writes a file that others read: into a temporary name beside it, flushed to disk,
/// then renamed into place — a reader sees the old file or the new one, never half of either, and a crash
/// leaves no half-written file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> whole through <paramref name="write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="overwrite">Replace an existing file; <see langword="false"/>: an existing file is an <see cref="IOException"/> and stays as it was.</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) whole.</summary>
    public static void WriteAllText(string path, string text, bool overwrite = true) =>
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)), overwrite);
}
