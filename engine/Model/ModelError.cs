using System.Text.Json.Serialization;

namespace ItDrift.Tbm.Model;

/// <summary>One thing wrong with a model package: where it is and why it is wrong.</summary>
/// <param name="File">The input file (for a sheet of <c>model.xlsx</c>: <c>model.xlsx#sheet</c>).</param>
/// <param name="Line">1-based line in the file (CSV: physical line, header = 1; Parquet: row number + 1; sheet: row); 0 when the error is about the file as a whole.</param>
/// <param name="Column">The column (or JSON property path) at fault; empty when none applies.</param>
/// <param name="Reason">What is wrong, in a sentence a finance user can act on.</param>
public sealed record ModelError(string File, int Line, string Column, string Reason);

/// <summary>Something worth knowing that does not stop a run (an unknown column, a key without rows …).</summary>
public sealed record ModelWarning(string File, string Message)
{
    /// <summary>
    /// For a warning about money that a run does not allocate as it looks (a skipped account, unmapped
    /// money, a missing driver row): what it concerns, so that reports can pick the warnings of a fee year
    /// or a tenant. <see langword="null"/> for other warnings.
    /// </summary>
    public MoneyWarning? Money { get; init; }
}

/// <summary>What a warning about money concerns (see <see cref="ModelWarning.Money"/>).</summary>
/// <param name="Kind"><see cref="SkippedAccount"/>, <see cref="Unmapped"/> or <see cref="MissingDriverRow"/>.</param>
/// <param name="Periods">The fiscal years and scenarios it concerns, in order, with the money of each where there is an amount.</param>
/// <param name="Tenant">The tenant it names, if any (a missing driver row); tenants must not see each other's.</param>
/// <param name="Summary">It sums up the warnings of its kind that are not listed one by one ("… and N more").</param>
public sealed record MoneyWarning(string Kind, IReadOnlyList<MoneyPeriod> Periods, string? Tenant = null, bool Summary = false)
{
    /// <summary>A ledger account outside <c>costAccounts</c> and outside BAS classes 1–3: skipped, not allocated.</summary>
    public const string SkippedAccount = "skipped-account";

    /// <summary>Cost lines that no mapping row matches: they stay on UNMAPPED.</summary>
    public const string Unmapped = "unmapped";

    /// <summary>A target of a driver rule without a row for the driver: it receives nothing from the rule.</summary>
    public const string MissingDriverRow = "missing-driver-row";

    /// <summary>What the warning is about, as data, so that a reader can word it in its own language.</summary>
    public MoneyWarningArguments Arguments { get; init; } = new();
}

/// <summary>
/// The typed arguments of a warning about money (docs/model-format.md §4.3): which of them a warning has
/// depends on its kind; the others are <see langword="null"/> and left out of <c>run.json</c>.
/// </summary>
public sealed record MoneyWarningArguments
{
    /// <summary>The ledger account (<c>skipped-account</c>, <c>unmapped</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Account { get; init; }

    /// <summary>The account's BAS class: its first digit, or <c>other</c> (<c>skipped-account</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AccountClass { get; init; }

    /// <summary>The cost centre, empty for none (<c>unmapped</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CostCenter { get; init; }

    /// <summary>The first projects, in ordinal order, empty for none (<c>unmapped</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>How many projects there are in all (<c>unmapped</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ProjectCount { get; init; }

    /// <summary>The source of the rule (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>The rule's target without a row (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }

    /// <summary><c>tenant</c> or <c>object</c>: what the target is (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TargetKind { get; init; }

    /// <summary>The key (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Driver { get; init; }

    /// <summary>Whether the target is listed in the rule, rather than every tenant with a row (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Listed { get; init; }

    /// <summary>The rules file of the rule (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? File { get; init; }

    /// <summary>The rule's line in <see cref="File"/> (<c>missing-driver-row</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Line { get; init; }

    /// <summary>In a summary: how many warnings it sums up.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? More { get; init; }
}

/// <summary>A fiscal year and scenario a warning about money concerns.</summary>
/// <param name="FiscalYear">Fiscal year.</param>
/// <param name="Scenario">Scenario.</param>
/// <param name="Amount">The money concerned in öre, where there is an amount (not for a missing driver row).</param>
public sealed record MoneyPeriod(int FiscalYear, string Scenario, long? Amount = null)
{
    /// <summary>For a missing driver row of a rule without listed targets: the fiscal year in which the target has one.</summary>
    public int? SeenFiscalYear { get; init; }

    /// <summary>The scenario of <see cref="SeenFiscalYear"/>.</summary>
    public string? SeenScenario { get; init; }
}
