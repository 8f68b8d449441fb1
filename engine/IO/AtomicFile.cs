using System.Globalization;

namespace ItDrift.Tbm.IO;

/// <summary>
/// The one way the code base writes a file that others read: into a temporary name beside it, flushed to
/// disk, then renamed into place — a reader sees the old file or the new one, never half of either, and a
/// crash leaves no half-written file under the real name (the temporary one is removed on every failure).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> whole through <paramref name="write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="overwrite">Replace an existing file; <see langword="false"/>: an existing file is an <see cref="IOException"/> and stays as it was.</param>
    /// <param name="ownerOnly">Create the file readable and writable by its owner only (on Unix; secrets, keys).</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true, bool ownerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteThroughPath(path, temporary =>
        {
            using var stream = new FileStream(temporary, Options(ownerOnly, FileOptions.None));
            write(stream);
            stream.Flush(flushToDisk: true);
        }, overwrite);
    }

    /// <summary>Writes <paramref name="path"/> whole through the asynchronous <paramref name="write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="overwrite">Replace an existing file; <see langword="false"/>: an existing file is an <see cref="IOException"/>.</param>
    /// <param name="cancellationToken">Given to <paramref name="write"/>; a cancelled write leaves nothing behind.</param>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, temporary) = Names(path, extension: "");
        try
        {
            var stream = new FileStream(temporary, Options(ownerOnly: false, FileOptions.Asynchronous));
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Writes <paramref name="path"/> whole through a library that wants a file name (a workbook writer):
    /// <paramref name="write"/> gets a temporary name beside it with the same extension, and what it wrote
    /// there is renamed into place.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the file at the name it is given.</param>
    /// <param name="overwrite">Replace an existing file; <see langword="false"/>: an existing file is an <see cref="IOException"/> and stays as it was.</param>
    public static void WriteThroughPath(string path, Action<string> write, bool overwrite = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, temporary) = Names(path, Path.GetExtension(path));
        try
        {
            write(temporary);
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

    /// <summary>The full path, and a temporary name beside it that no other writer uses (its folder created).</summary>
    private static (string Full, string Temporary) Names(string path, string extension)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, string.Create(CultureInfo.InvariantCulture, $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}{extension}"));
    }

    private static FileStreamOptions Options(bool ownerOnly, FileOptions options)
    {
        var result = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = options, BufferSize = 1 << 16 };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return result;
    }
}
