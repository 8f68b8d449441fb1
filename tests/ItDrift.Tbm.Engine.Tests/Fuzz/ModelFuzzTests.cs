using System.Globalization;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Tests.Properties;
using ItDrift.Tbm.Tests.Support;
using Xunit.Abstractions;

namespace ItDrift.Tbm.Tests.Fuzz;

/// <summary>
/// A bounded, seeded mutation fuzzer over the model package (docs/model-format.md §2: validation checks
/// everything a run relies on). For each mutant: <c>validate</c> and <c>run</c> agree (valid ⇒ the run
/// succeeds; invalid ⇒ the run fails with the same first error), nothing but a <see cref="TbmException"/>
/// escapes, and a mutation that must not change a result does not change one.
/// </summary>
/// <remarks>
/// The corpus is the small test model, the golden scenarios and a small demo package. The seed is fixed;
/// <c>TBM_FUZZ_CASES</c> runs more cases locally (the default is bounded for CI), and <c>TBM_FUZZ_SEED</c>
/// another seed.
/// </remarks>
public sealed class ModelFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const ulong Seed = 0x14_2026;
    private const int DefaultCases = 16;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("TBM_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultCases;

    private static ulong FuzzSeed => ulong.TryParse(Environment.GetEnvironmentVariable("TBM_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : Seed;

    [Fact]
    public void ValidateAndRun_Agree_OnEveryMutant()
    {
        var corpus = Corpus();
        var baseline = corpus.ToDictionary(p => p.Name, p => Outputs(Execute(p.Files, $"base-{p.Name}").Ran), StringComparer.Ordinal);
        var random = new SplitMix64(FuzzSeed);
        var mutator = new ModelMutator(random, Directory.CreateDirectory(_temp.Combine("scratch")).FullName);
        var failures = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var (name, files) = random.Pick(corpus);
            var mutant = mutator.Mutate(files);
            var (validated, ran, folder) = Execute(mutant.Files, $"case{i}");
            var problem = Check(validated, ran, mutant, baseline[name], folder);
            output.WriteLine($"case {i} ({name}): {mutant.What} → {(problem ?? (validated.Result?.Succeeded == true ? "valid" : "invalid: " + validated.Result?.Errors.FirstOrDefault()))}");
            if (problem is not null)
            {
                failures.Add($"case {i} ({name}, seed {FuzzSeed}): {mutant.What}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void ValidateAndRun_ReportADamagedParquetFile_AsAModelErrorNamingIt()
    {
        // Every byte of a small Parquet file's footer and pages, flipped one at a time at seeded positions.
        var files = SmallModel.Files();
        var model = SmallModel.Write(_temp.Combine("parquet"), files);
        var parquet = Path.Combine(model, "drivers.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM read_csv('{Path.Combine(model, "drivers.csv")}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        File.Delete(Path.Combine(model, "drivers.csv"));
        var original = File.ReadAllBytes(parquet);
        var random = new SplitMix64(FuzzSeed);
        var failures = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var bytes = (byte[])original.Clone();
            var at = random.Next(0, bytes.Length);
            bytes[at] ^= (byte)random.Next(1, 256);
            File.WriteAllBytes(parquet, bytes);
            var validated = Catch(() => TbmEngine.Validate(model));
            var ran = Catch(() => TbmEngine.Run(new RunOptions(model, _temp.Combine("parquet-out", i.ToString(CultureInfo.InvariantCulture)))));
            var problem = Check(validated, ran, new Mutant([], "", Invariant: false), null, "");
            if (problem is null && validated.Result is { Succeeded: false } result && result.Errors[0].File != "drivers.parquet" && !result.Errors.Any(e => e.File == "drivers.parquet"))
            {
                problem = $"no error names drivers.parquet: {result.Errors[0]}";
            }

            if (problem is not null)
            {
                failures.Add($"byte {at}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Check((RunResult? Result, Exception? Thrown) validated, (RunResult? Result, Exception? Thrown) ran, Mutant mutant, Dictionary<string, byte[]>? expected, string folder)
    {
        if (validated.Thrown is { } v)
        {
            return $"validate threw {v.GetType().Name}: {v.Message}";
        }

        if (ran.Thrown is { } r)
        {
            return $"run threw {r.GetType().Name}: {r.Message}";
        }

        var (valid, succeeded) = (validated.Result!, ran.Result!);
        if (valid.Succeeded != succeeded.Succeeded)
        {
            return valid.Succeeded ? $"validate says valid, run fails: {succeeded.Errors.FirstOrDefault()}" : $"validate says {valid.Errors[0]}, run succeeds";
        }

        if (!valid.Succeeded && valid.Errors[0] != succeeded.Errors[0])
        {
            return $"validate's first error {valid.Errors[0]} is not run's {succeeded.Errors[0]}";
        }

        if (mutant.Invariant)
        {
            if (!succeeded.Succeeded)
            {
                return $"a mutation that must not change a result made the package invalid: {succeeded.Errors[0]}";
            }

            var actual = Outputs(succeeded);
            var changed = expected!.Keys.Union(actual!.Keys).Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || !e.AsSpan().SequenceEqual(a)).ToList();
            if (changed.Count > 0)
            {
                return $"a mutation that must not change a result changed {string.Join(", ", changed)} (run in {folder})";
            }
        }

        return null;
    }

    private ((RunResult? Result, Exception? Thrown) Validated, (RunResult? Result, Exception? Thrown) Ran, string Folder) Execute(Dictionary<string, byte[]> files, string name)
    {
        var model = _temp.Combine(name, "model");
        Directory.CreateDirectory(model);
        foreach (var (file, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(model, file), bytes);
        }

        var validated = Catch(() => TbmEngine.Validate(model));
        var ran = Catch(() => TbmEngine.Run(new RunOptions(model, _temp.Combine(name, "out"))));
        return (validated, ran, _temp.Combine(name));
    }

    private static (RunResult? Result, Exception? Thrown) Catch(Func<RunResult> action)
    {
        try
        {
            return (action(), null);
        }
        catch (TbmException e)
        {
            return (new RunResult { ErrorCount = 1, Errors = [new Model.ModelError("", 0, "", $"{e.Kind}: {e.Message}")] }, null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    /// <summary>The run's result tables (every top-level CSV file), or none when it failed.</summary>
    private static Dictionary<string, byte[]>? Outputs((RunResult? Result, Exception? Thrown) ran) => ran.Result is { } r ? Outputs(r) : null;

    private static Dictionary<string, byte[]>? Outputs(RunResult ran) =>
        !ran.Succeeded || ran.OutputDirectory is null ? null
            : Directory.GetFiles(ran.OutputDirectory, "*.csv").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    private List<(string Name, Dictionary<string, byte[]> Files)> Corpus()
    {
        static Dictionary<string, byte[]> Read(string folder) =>
            Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

        var corpus = new List<(string, Dictionary<string, byte[]>)>
        {
            ("small", Read(SmallModel.Write(_temp.Combine("corpus-small"), SmallModel.Files()))),
        };
        foreach (var scenario in Directory.GetDirectories(Repository.Combine("datasets", "scenarios")).Order(StringComparer.Ordinal))
        {
            corpus.Add((Path.GetFileName(scenario), Read(Path.Combine(scenario, "model"))));
        }

        var demo = DemoModelGenerator.Write(_temp.Combine("corpus-demo"), new DemoModelOptions(Seed: 14, LedgerLines: 2_000, FirstYear: 2025, Years: 1)).Directory;
        corpus.Add(("demo", Read(demo)));
        return corpus;
    }
}
