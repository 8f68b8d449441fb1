using Apache.Arrow.Ipc;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Runs;
using Microsoft.Data.Analysis;

namespace ItDrift.Tbm.Analysis;

/// <summary>
/// A published run's tables for analysts: as a Microsoft.Data.Analysis <see cref="DataFrame"/> (money and
/// quantities as <see cref="decimal"/>, exact to the öre) or as an Arrow stream, batch by batch.
/// </summary>
/// <remarks>
/// With an <see cref="AccessGrant"/> the table is cut as the read API cuts it for that caller
/// (<see cref="TableAccess"/>, the engine's one policy): a tenant gets its own rows and the price list with
/// aggregates hidden where the disclosure policy hides them, and no staff-only table. Without one the table is
/// whole, as it is for whoever may read the run folder's files.
/// </remarks>
public static class RunFrames
{
    /// <summary>A table of the run (<c>fees</c>, <c>prices</c>, <c>kpi</c> …) as a DataFrame, in the table's key order.</summary>
    /// <param name="run">The run.</param>
    /// <param name="table">The table's name in the run folder (docs/model-format.md §4).</param>
    /// <param name="grant">Whose view; <see langword="null"/>: the whole table.</param>
    /// <exception cref="TbmException">An unknown table (<see cref="TbmErrorKind.Usage"/>), one the run does not have or the caller may not read (<see cref="TbmErrorKind.NotFound"/>).</exception>
    public static DataFrame ToDataFrame(this RunFolder run, string table, AccessGrant? grant = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var query = RunQuery.Open([run], table, grant, withSupplier: false);
        return query.ToDataFrame();
    }

    /// <summary>The rows of one fiscal year and scenario of a run table's DataFrame (every table but the indicators' subjects has both).</summary>
    /// <param name="frame">A DataFrame from <see cref="ToDataFrame(RunFolder, string, AccessGrant?)"/> or <see cref="PublishedRuns.ToDataFrame(string)"/>.</param>
    /// <param name="fiscalYear">The fiscal year.</param>
    /// <param name="scenario"><c>actual</c>, <c>budget</c> or <c>forecast</c>.</param>
    public static DataFrame Period(this DataFrame frame, int fiscalYear, string scenario = "actual")
    {
        ArgumentNullException.ThrowIfNull(frame);
        var year = frame["fiscal_year"].ElementwiseEquals(fiscalYear);
        var inScenario = frame["scenario"].ElementwiseEquals(scenario);
        for (long i = 0; i < year.Length; i++)
        {
            year[i] = year[i] == true && inScenario[i] == true;
        }

        return frame.Filter(year);
    }

    /// <summary>A table of the run as an Arrow stream (money as <c>Decimal128(18,2)</c>), in the table's key order. Dispose it when read.</summary>
    /// <param name="run">The run.</param>
    /// <param name="table">The table's name in the run folder.</param>
    /// <param name="grant">Whose view; <see langword="null"/>: the whole table.</param>
    /// <exception cref="TbmException">As for <see cref="ToDataFrame(RunFolder, string, AccessGrant?)"/>.</exception>
    public static IArrowArrayStream ReadArrow(this RunFolder run, string table, AccessGrant? grant = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunQuery.Open([run], table, grant, withSupplier: false).ToArrow();
    }
}

/// <summary>
/// The latest published run of every supplier in a run store that the caller may see — the combination the
/// key indicators and the status report use — read as one table with a leading <c>supplier</c> column.
/// </summary>
public sealed class PublishedRuns
{
    private readonly AccessGrant? _grant;

    private PublishedRuns(IReadOnlyList<RunFolder> runs, AccessGrant? grant)
    {
        Runs = runs;
        _grant = grant;
    }

    /// <summary>The runs combined, by supplier id.</summary>
    public IReadOnlyList<RunFolder> Runs { get; }

    /// <summary>
    /// Each supplier's latest published run (with <paramref name="fiscalYear"/>: its latest run holding that year)
    /// among those the caller may see.
    /// </summary>
    /// <param name="runsRoot">The run store (<c>tbm run --publish --runs DIR</c>).</param>
    /// <param name="grant">Whose view; <see langword="null"/>: every supplier's runs, whole.</param>
    /// <param name="fiscalYear">A fiscal year every run must hold; <see langword="null"/>: each supplier's latest run.</param>
    /// <exception cref="TbmException">No run store there (<see cref="TbmErrorKind.NotFound"/>).</exception>
    public static PublishedRuns Latest(string runsRoot, AccessGrant? grant = null, int? fiscalYear = null)
    {
        ArgumentNullException.ThrowIfNull(runsRoot);
        if (!Directory.Exists(runsRoot))
        {
            throw TbmException.NotFound($"'{runsRoot}' is not a run store (no such folder)");
        }

        var store = new RunStore(runsRoot);
        var runs = store.Suppliers()
            .Where(s => grant is null || grant.MaySeeSupplier(s))
            .Select(s => store.Latest(s, fiscalYear))
            .OfType<PublishedRun>()
            .Select(p => RunFolder.Open(p.Directory))
            .Where(r => grant is null || grant.MaySeeRun(r))
            .OrderBy(r => r.SupplierId, StringComparer.Ordinal)
            .ToList();
        return new PublishedRuns(runs, grant);
    }

    /// <summary>One table of every run, with the supplier's id first, ordered by supplier and the table's key; runs without the table add nothing.</summary>
    /// <param name="table">The table's name in the run folder.</param>
    /// <exception cref="TbmException">An unknown table, or one no run has or the caller may not read.</exception>
    public DataFrame ToDataFrame(string table)
    {
        using var query = RunQuery.Open(Runs, table, _grant, withSupplier: true);
        return query.ToDataFrame();
    }

    /// <summary>The same as an Arrow stream. Dispose it when read.</summary>
    /// <param name="table">The table's name in the run folder.</param>
    /// <exception cref="TbmException">As for <see cref="ToDataFrame(string)"/>.</exception>
    public IArrowArrayStream ReadArrow(string table) => RunQuery.Open(Runs, table, _grant, withSupplier: true).ToArrow();
}
