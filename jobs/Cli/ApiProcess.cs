using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// The read API as a child process of <c>tbm serve</c>: the jobs program does not reference the API (both stand
/// on the engine alone, docs/architecture.md), so it runs the API's own program, <c>dotnet ItDrift.Tbm.Api.dll</c>,
/// in the same working folder and environment, with the options it was given.
/// </summary>
/// <remarks>
/// <para>Where the API is: the file <c>TBM_API_DLL</c> names, when it is set; otherwise
/// <c>api/ItDrift.Tbm.Api.dll</c> in the folder that holds <c>tbm.dll</c> — where the <c>./tbm</c> script builds it
/// (<c>.tbm/bin/api/</c>). A folder of its own, so each program keeps its own dependencies.</para>
/// <para>While it runs, <c>tbm</c> stands in for it: the API's standard output and error are copied to
/// <c>tbm</c>'s as they come, SIGINT (Ctrl+C), SIGTERM and SIGQUIT sent to <c>tbm</c> are passed on to the API, which
/// stops gracefully, and <c>tbm</c> exits with the API's exit code. On Windows, Ctrl+C reaches every process
/// of the console by itself. A <c>tbm</c> killed outright (SIGKILL) cannot pass anything on: the API then runs on.</para>
/// </remarks>
internal static class ApiProcess
{
    /// <summary>The environment variable that names the API's assembly, overriding where <c>tbm</c> looks for it.</summary>
    public const string Variable = "TBM_API_DLL";

    /// <summary>The API's assembly.</summary>
    public const string Assembly = "ItDrift.Tbm.Api.dll";

    /// <summary>The folder beside <c>tbm.dll</c> that holds the API when <see cref="Variable"/> is not set.</summary>
    public const string Folder = "api";

    /// <summary>Where the API's assembly is: <paramref name="variable"/> (the value of <see cref="Variable"/>) when set, else <c>api/ItDrift.Tbm.Api.dll</c> in <paramref name="baseDirectory"/>.</summary>
    public static string Locate(string? variable, string baseDirectory) =>
        string.IsNullOrWhiteSpace(variable) ? Path.Combine(baseDirectory, Folder, Assembly) : Path.GetFullPath(variable.Trim());

    /// <summary>What to tell the user, in one line, when <paramref name="path"/> (from <see cref="Locate"/>) is not there; otherwise <see langword="null"/>.</summary>
    public static string? Missing(string? variable, string path) =>
        File.Exists(path) ? null
        : string.IsNullOrWhiteSpace(variable) ? $"the read API is not built beside tbm: there is no {path} (the ./tbm script builds it there; or set {Variable} to the API's {Assembly})"
        : $"{Variable} names {path}, which does not exist (it must name the read API's {Assembly})";

    /// <summary>Runs the API at <paramref name="dll"/> with <paramref name="args"/> until it exits; returns its exit code.</summary>
    public static int Run(string dll, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardErrorEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        using var signals = new SignalForwarder(process);
        try
        {
            signals.Start();
        }
        catch (Win32Exception e)
        {
            stderr.WriteLine($"tbm: could not start the read API ({start.FileName} {dll}): {e.Message}");
            return CommandLine.Failure;
        }

        var output = Copy(process.StandardOutput, stdout);
        var errors = Copy(process.StandardError, stderr);
        process.WaitForExit();
        Task.WaitAll(output, errors);
        return process.ExitCode;
    }

    /// <summary>The <c>dotnet</c> that runs this program (so the API runs on the same runtime), or the one on the PATH when <c>tbm</c> was started by its own executable.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";

    /// <summary>Copies what the API writes to one of <c>tbm</c>'s writers as it comes (a partial line too).</summary>
    private static Task Copy(StreamReader from, TextWriter to) => Task.Run(async () =>
    {
        var buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, read);
                to.Flush();
            }
        }
    });

    /// <summary>
    /// Handles SIGINT, SIGTERM and SIGQUIT for <c>tbm</c> while the API runs: instead of ending <c>tbm</c> (and
    /// leaving the API behind), each is passed on to the API, and <c>tbm</c> waits for it to exit. Registered
    /// before the API starts, so no signal finds <c>tbm</c> without its handler and the API without its parent.
    /// </summary>
    private sealed class SignalForwarder(Process process) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<PosixSignalRegistration> _registrations = [];
        private bool _started;

        public void Start()
        {
            PosixSignal[] signals = OperatingSystem.IsWindows() ? [PosixSignal.SIGINT] : [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT];
            foreach (var signal in signals)
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, Forward));
            }

            lock (_gate)
            {
                process.Start();
                _started = true;
            }
        }

        public void Dispose()
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }
        }

        private void Forward(PosixSignalContext context)
        {
            lock (_gate)
            {
                if (!_started || process.HasExited)
                {
                    return; // nothing to stand in for: tbm ends as it would have
                }

                context.Cancel = true;
                if (!OperatingSystem.IsWindows())
                {
                    _ = Kill(process.Id, context.Signal switch
                    {
                        PosixSignal.SIGTERM => SigTerm,
                        PosixSignal.SIGQUIT => SigQuit,
                        _ => SigInt,
                    });
                }
            }
        }
    }

    // The signal numbers, the same on Linux and macOS.
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
