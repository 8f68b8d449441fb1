using System.Diagnostics;
using System.Globalization;
using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// The test assembly as a program: writes one workbook in a child process whose environment a test chose
/// (<c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT</c>, <c>TZ</c>, <c>LC_ALL</c>), which cannot be changed inside
/// a running process.
/// </summary>
internal static class Child
{
    /// <summary>
    /// <c>export RUN KIND TENANT|- YEAR|- OUT</c>, <c>status RUNS YEAR OUT TIME</c> (TIME round-trip ISO 8601),
    /// <c>template MODEL OUT</c>; prints the process's culture and time zone, exits 0 when written.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        Console.WriteLine($"{CultureInfo.CurrentCulture.Name}|{TimeZoneInfo.Local.Id}|{TimeZoneInfo.Local.BaseUtcOffset}");
        switch (args[0])
        {
            case "export":
            {
                var request = new WorkbookRequest(WorkbookExport.Names[args[2]], args[3] == "-" ? null : args[3], args[4] == "-" ? null : int.Parse(args[4], CultureInfo.InvariantCulture));
                await using var file = File.Create(args[5]);
                await WorkbookExport.WriteAsync(RunFolder.Open(args[1]), request, file);
                return 0;
            }

            case "status":
                StatusReport.Write(new StatusReportOptions(int.Parse(args[2], CultureInfo.InvariantCulture), args[1], args[3])
                {
                    Time = new FixedTime(DateTimeOffset.Parse(args[4], CultureInfo.InvariantCulture)),
                });
                return 0;
            case "template":
                return BaselineWorkbook.WriteTemplate(args[1], args[2]).Count;
            default:
                return 3;
        }
    }

    /// <summary>Runs this assembly as a child with the environment given; returns what it printed (it must exit 0).</summary>
    public static string Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Child).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"child exit {process.ExitCode}: {output} {error.Result}");
        return output;
    }
}
