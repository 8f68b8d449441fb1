namespace ItDrift.Tbm.IO;

/// <summary>
/// The one exclusive lock file of the codebase: held by an open file, so the operating system drops it the
/// moment its holder dies (no stale lock after a crash or a kill).
/// </summary>
/// <remarks>
/// .NET takes <c>flock(LOCK_EX | LOCK_NB)</c> for <see cref="FileShare.None"/> on Unix, which fails at once when
/// another process holds the lock, so this tries again with a short, growing pause until the timeout.
/// </remarks>
public static class FileLock
{
    /// <summary>Takes the lock at <paramref name="path"/>, waiting while another process or thread holds it; dispose to release.</summary>
    /// <exception cref="TimeoutException">It was not free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public static IDisposable Acquire(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        var delay = 5;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"the lock {path} was held elsewhere for longer than {timeout}", e);
                }

                cancellationToken.WaitHandle.WaitOne(delay);
                delay = Math.Min(delay * 2, 250);
            }
        }
    }
}
