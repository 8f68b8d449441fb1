using System.Diagnostics;
using System.Globalization;
using System.Text;
using ItDrift.Tbm.Tests.Reference;
using Xunit.Abstractions;

namespace ItDrift.Tbm.Tests.Properties;

/// <summary>
/// Property tests: on random valid models the engine's output files equal, byte for byte, those of the
/// independent <see cref="ReferenceEngine"/>, and the run keeps its invariants (conservation, no negative
/// share of a positive balance, determinism, independence of row order and CSV dialect).
/// </summary>
/// <remarks>
/// A failing test keeps its temporary folder (the model and the run) and names it and the seed in the message;
/// <c>RandomModel.Write(dir, seed)</c> recreates the model anywhere.
/// </remarks>
public sealed class EngineMatchesReferenceTests(ITestOutputHelper output)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>
    /// The tables of docs/model-format.md §4.2 that the reference computes. The engine may write more CSV files (later
    /// fee models); those are compared only between engine runs.
    /// </summary>
    public static readonly IReadOnlyList<string> ContractTables =
        ["fees.csv", "unallocated.csv", "reconciliation.csv", "prices.csv", "balance.csv", "trueup.csv"];

    public static TheoryData<int> SmallSeeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SmallSeeds))]
    public void Run_MatchesReference_SmallRandomModel(int seed) =>
        AssertEngineMatchesReference((ulong)seed, new RandomModelOptions());

    [Theory]
    [InlineData(9001, 20_000)]
    [InlineData(9002, 60_000)]
    [InlineData(9003, 200_000)]
    public void Run_MatchesReference_LargeRandomModel(int seed, int ledgerLines) =>
        AssertEngineMatchesReference((ulong)seed, RandomModelOptions.WithLines(ledgerLines));

    [Theory]
    [InlineData("sv-SE", 41)]
    [InlineData("de-DE", 42)]
    public void Run_MatchesReference_UnderForeignCulture(string culture, int seed)
    {
        var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            AssertEngineMatchesReference((ulong)seed, new RandomModelOptions());
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
        }
    }

    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    public void Run_ConservesLedgerCost_RandomModel(int seed)
    {
        var workspace = new Workspace("conservation");
        var model = workspace.Path("model");
        var run = workspace.Path("run");
        var context = Describe(RandomModel.Write(model, (ulong)seed), workspace);
        RunEngine(model, run, context);

        var ledger = ReferenceEngine.LedgerCostTotals(model);
        var fees = SumByPeriod(Path.Combine(run, "fees.csv"), "amount");
        var unallocated = SumByPeriod(Path.Combine(run, "unallocated.csv"), "amount");
        var problems = new List<string>();
        foreach (var key in ledger.Keys.Union(fees.Keys).Union(unallocated.Keys).OrderBy(k => k.Item1).ThenBy(k => k.Item2, StringComparer.Ordinal))
        {
            var cost = ledger.GetValueOrDefault(key);
            var allocated = fees.GetValueOrDefault(key);
            var left = unallocated.GetValueOrDefault(key);
            if (cost != allocated + left)
            {
                problems.Add(Line($"{key}: ledger {Money(cost)} != fees {Money(allocated)} + unallocated {Money(left)}"));
            }
        }

        var reconciliation = ReferenceCsv.ReadTable(Path.Combine(run, "reconciliation.csv"));
        var reconciled = new HashSet<(int, string)>();
        foreach (var row in reconciliation.Rows)
        {
            var key = ((int)ReferenceCsv.ParseInteger(reconciliation.Get(row, "fiscal_year")), reconciliation.Get(row, "scenario"));
            reconciled.Add(key);
            var expected = new[]
            {
                ("ledger_total", ledger.GetValueOrDefault(key)),
                ("allocated_total", fees.GetValueOrDefault(key)),
                ("unallocated_total", unallocated.GetValueOrDefault(key)),
                ("difference", 0L),
            };
            foreach (var (column, value) in expected)
            {
                var actual = ReferenceCsv.ParseScaled(reconciliation.Get(row, column), 2, decimalComma: false);
                if (actual != value)
                {
                    problems.Add(Line($"reconciliation {key} {column}: {Money(actual)}, expected {Money(value)}"));
                }
            }
        }

        if (!reconciled.SetEquals(ledger.Keys))
        {
            problems.Add("reconciliation.csv does not have exactly one row per (fiscal_year, scenario) with cost lines");
        }

        Pass(context, problems, workspace);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(203)]
    [InlineData(204)]
    public void Run_NeverSplitsIntoNegativeShare_PositiveLedger(int seed)
    {
        var workspace = new Workspace("positive");
        var model = workspace.Path("model");
        var run = workspace.Path("run");
        var context = Describe(RandomModel.Write(model, (ulong)seed, new RandomModelOptions { PositiveOnly = true }), workspace);
        RunEngine(model, run, context);

        var problems = new List<string>();
        foreach (var file in new[] { "fees.csv", "unallocated.csv" })
        {
            var table = ReferenceCsv.ReadTable(Path.Combine(run, file));
            foreach (var row in table.Rows)
            {
                if (ReferenceCsv.ParseScaled(table.Get(row, "amount"), 2, decimalComma: false) < 0)
                {
                    problems.Add(file + ": negative share " + string.Join(',', row));
                }
            }
        }

        Pass(context, problems, workspace);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    public void Run_WritesByteIdenticalFiles_WhenRunTwice(int seed)
    {
        var workspace = new Workspace("determinism");
        var model = workspace.Path("model");
        var run = workspace.Path("run");
        var first = workspace.Path("first");
        var context = Describe(RandomModel.Write(model, (ulong)seed), workspace);

        // The same model into the same output path, twice, so that nothing path-dependent can differ.
        RunEngine(model, run, context);
        Directory.Move(run, first);
        RunEngine(model, run, context);

        var problems = new List<string>();
        var firstFiles = RelativeFiles(first);
        var secondFiles = RelativeFiles(run);
        if (!firstFiles.SequenceEqual(secondFiles))
        {
            problems.Add("the runs wrote different files: [" + string.Join(", ", firstFiles) + "] vs [" + string.Join(", ", secondFiles) + "]");
        }

        if (!secondFiles.Contains("run.json"))
        {
            problems.Add("run.json is missing");
        }

        foreach (var csv in secondFiles.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)))
        {
            if (!secondFiles.Contains(csv[..^4] + ".parquet"))
            {
                problems.Add(csv + " has no .parquet twin");
            }
        }

        // Workbooks are zip files whose entries carry timestamps; they are compared by the files they hold only.
        foreach (var file in firstFiles.Intersect(secondFiles).Where(f => !f.EndsWith(".xlsx", StringComparison.Ordinal)))
        {
            var a = File.ReadAllBytes(Path.Combine(first, file));
            var b = File.ReadAllBytes(Path.Combine(run, file));
            if (!a.AsSpan().SequenceEqual(b))
            {
                problems.Add(file + " differs between two runs" + (IsText(file) ? ":\n" + FirstDifferences(Utf8.GetString(a), Utf8.GetString(b)) : string.Empty));
            }
        }

        Pass(context, problems, workspace);
    }

    [Theory]
    [InlineData(401, false)]
    [InlineData(402, false)]
    [InlineData(403, true)]
    public void Run_IgnoresRowOrder_ShuffledPackage(int seed, bool shuffleColumns)
    {
        var workspace = new Workspace("shuffled");
        var model = workspace.Path("model");
        var shuffled = workspace.Path("model-shuffled");
        var context = Describe(RandomModel.Write(model, (ulong)seed), workspace);
        RandomModel.WriteShuffled(model, shuffled, (ulong)seed * 7919, shuffleColumns);
        AssertSameOutputs(model, shuffled, "shuffled", context, workspace);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(502)]
    [InlineData(503)]
    public void Run_IgnoresCsvDialect_SwedishPackage(int seed)
    {
        var workspace = new Workspace("dialect");
        var model = workspace.Path("model");
        var swedish = workspace.Path("model-sv");
        var context = Describe(RandomModel.Write(model, (ulong)seed), workspace);
        RandomModel.WriteSwedishDialect(model, swedish);
        AssertSameOutputs(model, swedish, "Swedish dialect", context, workspace);
    }

    private void AssertEngineMatchesReference(ulong seed, RandomModelOptions options)
    {
        var workspace = new Workspace("match");
        var model = workspace.Path("model");
        var run = workspace.Path("run");
        var context = Describe(RandomModel.Write(model, seed, options), workspace);

        var clock = Stopwatch.StartNew();
        var expected = ReferenceEngine.Run(model);
        var referenceTime = clock.Elapsed;
        clock.Restart();
        RunEngine(model, run, context);
        output.WriteLine(Line($"reference {referenceTime.TotalMilliseconds:F0} ms, engine {clock.Elapsed.TotalMilliseconds:F0} ms"));

        var problems = Compare(
            expected.ToDictionary(kv => kv.Key, kv => Utf8.GetBytes(kv.Value), StringComparer.Ordinal),
            ReadCsvOutputs(run, contractOnly: true),
            "reference",
            "engine");
        Pass(context, problems, workspace);
    }

    private void AssertSameOutputs(string model, string variant, string label, string context, Workspace workspace)
    {
        // The reference reading the variant the same way proves the rewrite kept the data.
        var problems = Compare(ToBytes(ReferenceEngine.Run(model)), ToBytes(ReferenceEngine.Run(variant)), "reference", "reference on " + label);
        Assert.True(problems.Count == 0, context + "\nthe " + label + " rewrite changed the data:\n" + string.Join('\n', problems));

        var run = workspace.Path("run");
        var variantRun = workspace.Path("run-variant");
        RunEngine(model, run, context);
        RunEngine(variant, variantRun, context + " (" + label + ")");
        Pass(context, Compare(ReadCsvOutputs(run, contractOnly: false), ReadCsvOutputs(variantRun, contractOnly: false), "engine", "engine on " + label), workspace);
    }

    private static void RunEngine(string model, string run, string context)
    {
        var result = TbmEngine.Run(new RunOptions(model, run));
        if (!result.Succeeded)
        {
            Assert.Fail(context + "\nthe engine rejected a valid model:\n" + string.Join('\n', result.Errors
                .Take(20)
                .Select(e => Line($"  {e.File}:{e.Line} [{e.Column}] {e.Reason}"))));
        }
    }

    private void Pass(string context, List<string> problems, Workspace workspace)
    {
        if (problems.Count > 0)
        {
            Assert.Fail(context + "\n" + string.Join('\n', problems));
        }

        output.WriteLine(context);
        workspace.Delete();
    }

    /// <summary>Every file of <paramref name="expected"/> and nothing else, byte for byte.</summary>
    private static List<string> Compare(
        IReadOnlyDictionary<string, byte[]> expected,
        IReadOnlyDictionary<string, byte[]> actual,
        string expectedLabel,
        string actualLabel)
    {
        var problems = new List<string>();
        foreach (var name in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(name, out var a))
            {
                problems.Add(name + ": written by the " + expectedLabel + " but not by the " + actualLabel);
            }
            else if (!expected.TryGetValue(name, out var e))
            {
                problems.Add(name + ": written by the " + actualLabel + " but not by the " + expectedLabel);
            }
            else if (!e.AsSpan().SequenceEqual(a))
            {
                problems.Add(name + " differs (" + expectedLabel + " first, " + actualLabel + " second):\n"
                    + FirstDifferences(Utf8.GetString(e), Utf8.GetString(a)));
            }
        }

        return problems;
    }

    /// <summary>The first few differing lines, with line numbers, control characters made visible.</summary>
    private static string FirstDifferences(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        sb.Append(Line($"  {e.Length} vs {a.Length} lines"));
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < 6; i++)
        {
            var left = i < e.Length ? Visible(e[i]) : "(none)";
            var right = i < a.Length ? Visible(a[i]) : "(none)";
            if (left != right)
            {
                sb.Append('\n').Append(Line($"  line {i + 1}:\n    - {left}\n    + {right}"));
                shown++;
            }
        }

        return sb.ToString();
    }

    private static string Visible(string line) =>
        line.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\uFEFF", "<BOM>", StringComparison.Ordinal);

    private static Dictionary<string, byte[]> ReadCsvOutputs(string run, bool contractOnly) =>
        Directory.GetFiles(run, "*.csv")
            .Where(f => !contractOnly || ContractTables.Contains(System.IO.Path.GetFileName(f), StringComparer.Ordinal))
            .ToDictionary(f => System.IO.Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    private static Dictionary<string, byte[]> ToBytes(IReadOnlyDictionary<string, string> files) =>
        files.ToDictionary(kv => kv.Key, kv => Utf8.GetBytes(kv.Value), StringComparer.Ordinal);

    private static List<string> RelativeFiles(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsText(string file) =>
        file.EndsWith(".csv", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal);

    private static Dictionary<(int, string), long> SumByPeriod(string file, string column)
    {
        var table = ReferenceCsv.ReadTable(file);
        return table.Rows
            .GroupBy(r => ((int)ReferenceCsv.ParseInteger(table.Get(r, "fiscal_year")), table.Get(r, "scenario")))
            .ToDictionary(g => g.Key, g => g.Sum(r => ReferenceCsv.ParseScaled(table.Get(r, column), 2, decimalComma: false)));
    }

    private static string Describe(string summary, Workspace workspace) => summary + "\nfolder kept for inspection: " + workspace.Root;

    private static string Money(long ore) => ReferenceCsv.FormatMoney(ore);

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh temporary folder for one test, deleted only when the test passes.</summary>
    private sealed class Workspace
    {
        public Workspace(string label)
        {
            Root = Directory.CreateTempSubdirectory("tbm-" + label + "-").FullName;
        }

        public string Root { get; }

        public string Path(string name) => System.IO.Path.Combine(Root, name);

        public void Delete()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing a passed test.
            }
        }
    }
}
