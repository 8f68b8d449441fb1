using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ItDrift.Tbm.Runs;

/// <summary>
/// <c>run.json</c>, the manifest of a run folder (docs/model-format.md §4.3): which engine, model and inputs
/// (by SHA-256), which options changed the output, the ledger's counts, the row count of every table and the
/// warnings. The one type that writes it and reads it; the API, the command line and the jobs read it here.
/// </summary>
/// <remarks>
/// Written with System.Text.Json's source generator, indented, in this property order, with a final line
/// break, so that identical runs give byte-identical files. Read tolerantly: a manifest written before a
/// property existed reads with that property empty.
/// </remarks>
public sealed record RunManifest
{
    /// <summary>The run's id: a hash of the engine version, the inputs and the options.</summary>
    public required string RunId { get; init; }

    /// <summary>The engine version that wrote the run.</summary>
    public string EngineVersion { get; init; } = "";

    /// <summary>The model package format (<c>1</c>).</summary>
    public string ModelFormat { get; init; } = "1";

    /// <summary>The model's name, taxonomy and supplier.</summary>
    public required RunModel Model { get; init; }

    /// <summary>Every input file, relative to the package, in ordinal order.</summary>
    public IReadOnlyList<RunInput> Inputs { get; init; } = [];

    /// <summary>The options that changed the output beyond the inputs (absent when there are none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>The ledger's lines: all, cost lines, skipped lines and their amount, per account class.</summary>
    public RunLedger Ledger { get; init; } = new();

    /// <summary>Rows per table of the run folder.</summary>
    public IReadOnlyDictionary<string, long> Rows { get; init; } = new Dictionary<string, long>();

    /// <summary>Every warning, as <c>file: message</c>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The warnings about money again, with what each concerns.</summary>
    public IReadOnlyList<MoneyWarningEntry> MoneyWarnings { get; init; } = [];

    /// <summary>Reads a run folder's <c>run.json</c>.</summary>
    /// <exception cref="TbmException">There is no run.json there, or it is not one (<see cref="TbmErrorKind.NotFound"/>).</exception>
    public static RunManifest Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "run.json");
        if (!File.Exists(path))
        {
            throw TbmException.NotFound($"'{runDirectory}' is not a run folder (no run.json)");
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), RunManifestJson.Relaxed.RunManifest)
                ?? throw TbmException.NotFound($"'{path}' is not a run manifest");
        }
        catch (JsonException e)
        {
            throw new TbmException(TbmErrorKind.NotFound, $"'{path}' is not a run manifest: {e.Message}", e);
        }
    }

    /// <summary>Writes the manifest as <c>run.json</c> of a run folder.</summary>
    public void Write(string runDirectory)
    {
        using var stream = File.Create(Path.Combine(runDirectory, "run.json"));
        JsonSerializer.Serialize(stream, this, RunManifestJson.Relaxed.RunManifest);
        stream.WriteByte((byte)'\n');
    }
}

/// <summary>The model a run was made from.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Taxonomy">Its taxonomy (<c>tbm-v4</c> …).</param>
/// <param name="Supplier">The supplier agency.</param>
public sealed record RunModel(string Name, string Taxonomy, RunSupplier Supplier)
{
    /// <summary><c>reciprocal</c> when <c>model.json</c> chose reciprocal allocation; absent (<see langword="null"/>) for the step-down.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Allocation { get; init; }
}

/// <summary>The supplier agency of a run.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="OrgNr">Its organisation number.</param>
public sealed record RunSupplier(string Id, string Name, string? OrgNr);

/// <summary>An input file of a run.</summary>
/// <param name="File">Its path relative to the package, with <c>/</c>.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
/// <param name="Bytes">Its size.</param>
public sealed record RunInput(string File, string Sha256, long Bytes);

/// <summary>The ledger's lines in a run.</summary>
public sealed record RunLedger
{
    /// <summary>Every ledger line.</summary>
    public long Lines { get; init; }

    /// <summary>Lines whose account is in <c>costAccounts</c>.</summary>
    public long CostLines { get; init; }

    /// <summary>Lines skipped: not costs.</summary>
    public long SkippedLines { get; init; }

    /// <summary>Their amount, SEK with two decimals.</summary>
    public string SkippedAmount { get; init; } = "0.00";

    /// <summary>The skipped lines per BAS account class.</summary>
    public IReadOnlyList<SkippedClassEntry> SkippedByClass { get; init; } = [];
}

/// <summary>Skipped lines of one BAS account class.</summary>
/// <param name="Class">The class: its first digit, or <c>other</c>.</param>
/// <param name="Name">What the class holds.</param>
/// <param name="Expected">Classes 1–3 (balance sheet, revenue): skipping them is expected.</param>
/// <param name="Lines">How many lines.</param>
/// <param name="Amount">Their amount, SEK with two decimals.</param>
/// <param name="Periods">Per fiscal year and scenario.</param>
public sealed record SkippedClassEntry(string Class, string Name, bool Expected, long Lines, string Amount, IReadOnlyList<SkippedClassPeriod> Periods);

/// <summary>Skipped lines of a class in one fiscal year and scenario.</summary>
/// <param name="FiscalYear">The fiscal year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Lines">How many lines.</param>
/// <param name="Amount">Their amount, SEK with two decimals.</param>
public sealed record SkippedClassPeriod(int FiscalYear, string Scenario, long Lines, string Amount);

/// <summary>A warning about money, with what it concerns.</summary>
/// <param name="Kind"><c>skipped-account</c>, <c>unmapped</c> or <c>missing-driver-row</c>.</param>
/// <param name="Summary">It sums up the warnings of its kind not listed one by one.</param>
/// <param name="Tenant">The tenant it names, if any.</param>
/// <param name="Periods">The fiscal years and scenarios it concerns.</param>
/// <param name="Warning">The warning as <c>file: message</c>.</param>
public sealed record MoneyWarningEntry(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Tenant,
    IReadOnlyList<MoneyWarningPeriod> Periods,
    string Warning)
{
    /// <summary>What the warning is about, typed (account, cost centre, rule, target …); absent in a <c>run.json</c> written before it existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Model.MoneyWarningArguments? Arguments { get; init; }
}

/// <summary>A fiscal year and scenario a money warning concerns.</summary>
/// <param name="FiscalYear">The fiscal year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Amount">The money concerned, SEK with two decimals, where there is an amount.</param>
public sealed record MoneyWarningPeriod(
    int FiscalYear,
    string Scenario,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Amount)
{
    /// <summary>The same amount in öre.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? AmountOre { get; init; }

    /// <summary>For a missing driver row of a rule without listed targets: the fiscal year in which the target has a row.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SeenFiscalYear { get; init; }

    /// <summary>The scenario of <see cref="SeenFiscalYear"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SeenScenario { get; init; }
}

/// <summary>The source-generated JSON of <see cref="RunManifest"/>: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class RunManifestJson : JsonSerializerContext
{
    private static readonly Lazy<RunManifestJson> RelaxedContext = new(() => new RunManifestJson(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }));

    /// <summary>The context that writes <c>run.json</c> as the engine always has: letters such as å, ä, ö as they are, not escaped.</summary>
    public static RunManifestJson Relaxed => RelaxedContext.Value;
}
