using System.Globalization;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Workbooks;

/// <summary>The workbooks finance staff send and receive.</summary>
public enum WorkbookKind
{
    /// <summary>Avgiftsspecifikation: one tenant's fees of a fee year, a sheet per service area.</summary>
    FeeSpecification,

    /// <summary>Prislista: the supplier's unit prices of a fee year.</summary>
    PriceList,

    /// <summary>Avräkning: one tenant's true-up of a fee year.</summary>
    TrueUp,

    /// <summary>Resultat och balans per avgiftsområde.</summary>
    Balance,

    /// <summary>Avgiftstabell: every tenant × service × cost pool, for the supplier's own staff (streamed).</summary>
    FeeTable,
}

/// <summary>Which workbook, for whom and for which fee year.</summary>
/// <param name="Kind">The workbook.</param>
/// <param name="Tenant">The tenant (fee specification and true-up).</param>
/// <param name="FiscalYear">The fee year; the latest one of the run when absent.</param>
/// <param name="ForTenantReader">A tenant will read it: the price list's units and cost are shown as <see cref="Access.Disclosure"/> allows, and the fee specification's notes show only the warnings that name the tenant.</param>
public sealed record WorkbookRequest(WorkbookKind Kind, string? Tenant = null, int? FiscalYear = null, bool ForTenantReader = false)
{
    /// <summary>
    /// The scenario asked for (<c>actual</c>, <c>budget</c>, <c>forecast</c>), or <see langword="null"/> for each workbook's own:
    /// the price list shows that scenario's prices, the fee table only its rows; the fee specification stays
    /// the fee model's (on the year's basis) and says so; the balance and the true-up are of the actual
    /// outcome only and refuse another (<see cref="WorkbookExport.Check"/>).
    /// </summary>
    public string? Scenario { get; init; }
}

/// <summary>The request does not fit the run (an unknown tenant or year, a run without a true-up).</summary>
public sealed class WorkbookException(string message) : TbmException(TbmErrorKind.NotFound, message);

/// <summary>
/// Builds the workbooks from a run folder, for the read API and <c>tbm export</c> alike. The formatted
/// reports are ClosedXML workbooks with Swedish headings and number formats and totals as formulas
/// (saved with their computed values, so a reader that does not calculate sees the numbers too); the
/// full fee table, which can run to a million rows, is streamed with SpreadCheetah.
/// </summary>
/// <remarks>
/// Number formats are the only culture-specific part and are explicit: amounts <c># ##0,00 kr</c>
/// (written as the format code <c>#,##0.00 "kr"</c>, which a spreadsheet program shows with the
/// reader's own separators), dates <c>åååå-mm-dd</c>. Everything else is invariant. Every workbook is
/// byte-identical for the same run and request (<see cref="ReproduciblePackage"/>): its document time is the
/// run's publication (none for a run not published).
/// </remarks>
public static class WorkbookExport
{
    /// <summary>The media type of an .xlsx file.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The names <c>tbm export --workbook</c> takes.</summary>
    public static IReadOnlyDictionary<string, WorkbookKind> Names { get; } = new Dictionary<string, WorkbookKind>(StringComparer.Ordinal)
    {
        ["fee-specification"] = WorkbookKind.FeeSpecification,
        ["price-list"] = WorkbookKind.PriceList,
        ["trueup"] = WorkbookKind.TrueUp,
        ["balance"] = WorkbookKind.Balance,
        ["fee-table"] = WorkbookKind.FeeTable,
    };

    /// <summary>Writes a workbook to <paramref name="output"/>.</summary>
    /// <exception cref="WorkbookException">The request does not fit the run.</exception>
    public static async Task WriteAsync(RunFolder run, WorkbookRequest request, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (request.Kind == WorkbookKind.FeeTable)
        {
            // SpreadCheetah writes to a spool (memory stays constant), which is then made reproducible. Zip entries
            // written to a stream that cannot seek end with a small synchronous write, which a web server's response
            // stream refuses: such a stream gets a second spool, copied asynchronously.
            await using var spool = Spool();
            await FeeTableWorkbook.WriteAsync(run, spool, cancellationToken, scenario: request.Scenario).ConfigureAwait(false);
            spool.Position = 0;
            if (output.CanSeek)
            {
                ReproduciblePackage.Normalize(spool, output, run.PublishedAt, System.IO.Compression.CompressionLevel.Fastest);
                return;
            }

            await using var normalized = Spool();
            ReproduciblePackage.Normalize(spool, normalized, run.PublishedAt, System.IO.Compression.CompressionLevel.Fastest);
            normalized.Position = 0;
            await normalized.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return;
        }

        // ClosedXML builds the whole workbook in memory and writes synchronously; the reports are small.
        using var workbook = request.Kind switch
        {
            WorkbookKind.FeeSpecification => FeeSpecificationWorkbook.Build(run, RequireTenant(run, request), YearOf(run, request), request.ForTenantReader, request.Scenario),
            WorkbookKind.PriceList => PriceListWorkbook.Build(run, YearOf(run, request), request.ForTenantReader, request.Scenario),
            WorkbookKind.TrueUp => TrueUpWorkbook.Build(run, RequireTenant(run, request), YearOf(run, request)),
            WorkbookKind.Balance => BalanceWorkbook.Build(run),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        using var buffer = new MemoryStream();
        ReproduciblePackage.Save(workbook, buffer, run.PublishedAt, evaluateFormulae: true);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    private static FileStream Spool() =>
        new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>Checks that the request fits the run, so that a server can refuse it before it starts to stream.</summary>
    /// <exception cref="WorkbookException">It does not.</exception>
    public static void Check(RunFolder run, WorkbookRequest request)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is WorkbookKind.FeeSpecification or WorkbookKind.TrueUp)
        {
            RequireTenant(run, request);
        }

        if (request.Kind is not (WorkbookKind.Balance or WorkbookKind.FeeTable))
        {
            YearOf(run, request);
        }

        if (request.Kind == WorkbookKind.TrueUp && !run.Has("trueup"))
        {
            throw new WorkbookException($"run {run.RunId} has no true-up (its model had no invoiced fees)");
        }

        CheckScenario(run, request);
    }

    /// <summary>The scenarios a request may name.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["actual", "budget", "forecast"];

    /// <summary>Whether the workbook can be made for the scenario asked for (see <see cref="WorkbookRequest.Scenario"/>); part of <see cref="Check"/>.</summary>
    /// <exception cref="WorkbookException">It cannot.</exception>
    public static void CheckScenario(RunFolder run, WorkbookRequest request)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Scenario is not { } scenario)
        {
            return;
        }

        if (!Scenarios.Contains(scenario, StringComparer.Ordinal))
        {
            throw new WorkbookException($"scenario must be one of {string.Join(", ", Scenarios)}, not '{scenario}'");
        }

        switch (request.Kind)
        {
            case WorkbookKind.Balance or WorkbookKind.TrueUp when scenario != "actual":
                var what = request.Kind == WorkbookKind.Balance ? "the fee-area balance" : "the true-up";
                throw new WorkbookException($"{what} is of the actual outcome only (docs/model-format.md §3.7–3.8), not of {scenario}: leave out the scenario or ask for actual");
            case WorkbookKind.PriceList:
                var year = YearOf(run, request);
                if (!run.Periods.Contains((year, scenario)))
                {
                    throw new WorkbookException(string.Create(CultureInfo.InvariantCulture, $"run {run.RunId} has no {scenario} in fiscal year {year}"));
                }

                break;
            case WorkbookKind.FeeTable when !run.Periods.Any(p => p.Scenario == scenario):
                throw new WorkbookException($"run {run.RunId} has no {scenario}");
        }
    }

    /// <summary>A file name for the workbook, e.g. <c>avgiftsspecifikation-FK-T-A-2025.xlsx</c>.</summary>
    public static string FileName(RunFolder run, WorkbookRequest request)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        var year = request.Kind is WorkbookKind.Balance or WorkbookKind.FeeTable ? null : YearOf(run, request).ToString(CultureInfo.InvariantCulture);
        string?[] parts = request.Kind switch
        {
            WorkbookKind.FeeSpecification => ["avgiftsspecifikation", run.SupplierId, request.Tenant, year],
            WorkbookKind.PriceList => ["prislista", run.SupplierId, year, request.Scenario],
            WorkbookKind.TrueUp => ["avrakning", run.SupplierId, request.Tenant, year],
            WorkbookKind.Balance => ["balans", run.SupplierId, run.RunId],
            _ => ["avgiftstabell", run.SupplierId, run.RunId, request.Scenario],
        };
        return string.Join('-', parts.Where(p => p is not null)) + ".xlsx";
    }

    /// <summary>The fee year asked for, or the run's latest; an unknown year is an error.</summary>
    internal static int YearOf(RunFolder run, WorkbookRequest request)
    {
        var years = run.FiscalYears;
        if (request.FiscalYear is { } year)
        {
            return years.Contains(year) ? year : throw new WorkbookException(string.Create(CultureInfo.InvariantCulture, $"run {run.RunId} has no fiscal year {year}"));
        }

        return years.Count > 0 ? years[^1] : throw new WorkbookException($"run {run.RunId} has no fiscal years");
    }

    private static string RequireTenant(RunFolder run, WorkbookRequest request) =>
        request.Tenant is { } tenant && run.Tenants.ContainsKey(tenant)
            ? tenant
            : throw new WorkbookException(request.Tenant is null ? "this workbook is per tenant: name one" : $"run {run.RunId} has no tenant {request.Tenant}");
}
