using System.Diagnostics;
using System.Globalization;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>stages MODEL [--out DIR]</c>: one run of a package (into a temporary folder unless <c>--out</c>), with the time of each
/// stage, the process's CPU time in it (user + system, every thread; the steadier figure on a shared machine), and the peak memory.
/// </summary>
internal static class Stages
{
    public static int Run(string model, string[] options)
    {
        var settings = Settings(options);
        var keep = Array.IndexOf(options, "--out") is var at && at >= 0 && at + 1 < options.Length ? Path.GetFullPath(options[at + 1]) : null;
        var output = keep ?? Path.Combine(Path.GetTempPath(), $"tbm-stages-{Environment.ProcessId}");
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var lastCpu = Cpu();
        var stage = "start";
        var progress = new Synchronous(p =>
        {
            if (p.Stage != stage)
            {
                Print(stage, clock.Elapsed - last, Cpu() - lastCpu);
                last = clock.Elapsed;
                lastCpu = Cpu();
                stage = p.Stage;
            }
        });
        try
        {
            var result = TbmEngine.Run(new RunOptions(model, output) { Settings = settings }, progress);
            Print(stage, clock.Elapsed - last, Cpu() - lastCpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-10} {clock.Elapsed.TotalSeconds,8:0.000} s   peak memory {PeakMemory.Megabytes():N0} MB   {(result.Succeeded ? "ok" : $"{result.ErrorCount} model errors")}"));
            return result.Succeeded ? 0 : 2;
        }
        finally
        {
            if (keep is null && Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    public static EngineSettings Settings(string[] options)
    {
        string? Option(string name)
        {
            var at = Array.IndexOf(options, name);
            return at >= 0 && at + 1 < options.Length ? options[at + 1] : null;
        }

        var threads = Option("--threads");
        return new EngineSettings(Option("--memory-limit"), Option("--temp-dir"), threads is null ? null : int.Parse(threads, CultureInfo.InvariantCulture));
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void Print(string stage, TimeSpan time, TimeSpan cpu) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-10} {time.TotalSeconds,8:0.000} s   CPU {cpu.TotalSeconds,7:0.000} s"));

    private sealed class Synchronous(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}

/// <summary>The process's peak resident memory: what the machine had to give it, DuckDB's native memory included.</summary>
internal static class PeakMemory
{
    public static double Megabytes()
    {
        const string Status = "/proc/self/status";
        if (File.Exists(Status))
        {
            var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The resident memory now.</summary>
    public static double ResidentMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>Resets the peak to the resident memory now (Linux: <c>echo 5 &gt; /proc/self/clear_refs</c>), so that <see cref="Megabytes"/> measures what follows.</summary>
    public static void Reset()
    {
        const string ClearRefs = "/proc/self/clear_refs";
        if (File.Exists(ClearRefs))
        {
            File.WriteAllText(ClearRefs, "5");
        }
    }
}
