using System.Globalization;
using ItDrift.Tbm.Tests.Support;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace ItDrift.Tbm.Tests.Analysis;

/// <summary>
/// docs/analysis.dib runs here as a notebook host runs it: its C# cells in order, each a submission that sees
/// what the cells before it declared, <c>#r</c> lines left to this project's references. So the notebook
/// cannot rot, and its figures are checked against the run folder's own files.
/// </summary>
public sealed class NotebookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>What a .NET Interactive C# kernel gives a cell that the notebook uses: <c>display</c> and <c>HTML</c>.</summary>
    public sealed class Host
    {
        public List<object?> Displayed { get; } = [];

        public void display(object? value) => Displayed.Add(value);

        public string HTML(string html) => html;
    }

    /// <summary>The C# cells of a .dib file (<c>#!csharp</c> to the next <c>#!</c> line), without <c>#r</c> directives.</summary>
    public static List<string> CSharpCells(string path)
    {
        var cells = new List<string>();
        List<string>? current = null;
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                current = line.Trim() == "#!csharp" ? [] : null;
                if (current is not null)
                {
                    cells.Add("");
                }

                continue;
            }

            if (current is not null && !line.StartsWith("#r ", StringComparison.Ordinal))
            {
                cells[^1] += line + "\n";
            }
        }

        return [.. cells.Select(c => c.Trim()).Where(c => c.Length > 0)];
    }

    [Fact]
    public async Task Notebook_RunsEveryCell_AndItsFiguresAgreeWithTheRunFolder()
    {
        var cells = CSharpCells(Repository.Combine("docs", "analysis.dib"));
        Assert.Equal(6, cells.Count);
        Environment.SetEnvironmentVariable("TBM_NOTEBOOK_ROOT", _temp.Combine("notebook"));
        var host = new Host();
        var options = ScriptOptions.Default
            .WithReferences(typeof(Tbm.Analysis.RunFrames).Assembly, typeof(TbmEngine).Assembly, typeof(Datasets.DemoModelGenerator).Assembly,
                typeof(Microsoft.Data.Analysis.DataFrame).Assembly, typeof(System.Text.Json.Nodes.JsonNode).Assembly)
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks");

        ScriptState<object>? state = null;
        try
        {
            foreach (var cell in cells)
            {
                state = state is null
                    ? await CSharpScript.RunAsync(cell, options, host, typeof(Host))
                    : await state.ContinueWithAsync(cell, options);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("TBM_NOTEBOOK_ROOT", null);
        }

        // Four charts, each an SVG with a title for screen readers.
        Assert.Equal(4, host.Displayed.Count);
        Assert.All(host.Displayed, d => Assert.Matches("^<svg [^>]*role=\"img\".*<title id=\"t\">[^<]+</title>", (string)d!));

        // Section 1: the fees by service add up to the year's actual fees in fees.csv.
        var year = (int)state!.GetVariable("year").Value;
        var runFolder = ((Runs.RunFolder)state.GetVariable("fk").Value).Directory;
        var fromCsv = File.ReadLines(Path.Combine(runFolder, "fees.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[0] == year.ToString(CultureInfo.InvariantCulture) && f[1] == "actual")
            .Sum(f => decimal.Parse(f[5], CultureInfo.InvariantCulture));
        var byService = (Microsoft.Data.Analysis.DataFrame)state.GetVariable("feesByService").Value;
        Assert.Equal(fromCsv, (decimal)byService["amount"].Sum());

        // Section 2: both suppliers priced a virtual server, each as its own prices.csv says.
        var vm = ((string Service, decimal? FK, decimal? SKV))state.GetVariable("vm").Value;
        Assert.NotNull(vm.FK);
        Assert.NotNull(vm.SKV);
        Assert.Equal(PriceOf(runFolder, year, "INF-VM"), vm.FK);

        // Section 4: the ten changes, largest first by size.
        var changes = (List<(string Tenant, decimal From, decimal To, decimal Change)>)state.GetVariable("changes").Value;
        Assert.Equal(10, changes.Count);
        Assert.Equal(changes.OrderByDescending(c => Math.Abs(c.Change)).Select(c => c.Tenant), changes.Select(c => c.Tenant));
        Assert.All(changes, c => Assert.Equal(c.To - c.From, c.Change));
    }

    private static decimal PriceOf(string runFolder, int year, string service) =>
        File.ReadLines(Path.Combine(runFolder, "prices.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[0] == year.ToString(CultureInfo.InvariantCulture) && f[1] == "actual" && f[2] == service)
            .Select(f => decimal.Parse(f[^1], CultureInfo.InvariantCulture)).Single();
}
