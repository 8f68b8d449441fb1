using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ItDrift.Tbm.Api.Tables;

/// <summary>Query-string parameters of the table endpoints.</summary>
internal sealed record TableQuery
{
    [Description("Only this fiscal year.")]
    [FromQuery(Name = "fiscalYear")]
    public int? FiscalYear { get; init; }

    [Description("Only this scenario: actual, budget or forecast.")]
    [FromQuery(Name = "scenario")]
    public string? Scenario { get; init; }

    [Description("Only this tenant (tables of all tenants).")]
    [FromQuery(Name = "tenant")]
    public string? Tenant { get; init; }

    [Description("Only this service.")]
    [FromQuery(Name = "service")]
    public string? Service { get; init; }

    [Description("Only this cost pool.")]
    [FromQuery(Name = "costPool")]
    public string? CostPool { get; init; }

    [Description("Page number, from 1 (JSON only; CSV and Arrow return every matching row).")]
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    [Description("Rows per page, 1–10000, default 100 (JSON only).")]
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    [Description("json, csv or arrow; overrides the Accept header.")]
    [FromQuery(Name = "format")]
    public string? Format { get; init; }

    public TableFilter Filter => new(FiscalYear, Scenario, Tenant, Service, CostPool);
}

/// <summary>
/// A page of a run table, with sums over every matching row (not just this page): <c>totals</c> over all of
/// them, and <c>byPeriod</c> per fiscal year and scenario (for tables that have both; otherwise <see langword="null"/>).
/// </summary>
internal sealed record TablePage<T>(string RunId, int Page, int PageSize, long TotalRows, IReadOnlyDictionary<string, decimal?> Totals, IReadOnlyList<PeriodTotals>? ByPeriod, IReadOnlyList<T> Items);

/// <summary>The matching rows of one fiscal year and scenario: how many, and the sums of the totalled columns.</summary>
internal sealed record PeriodTotals(int FiscalYear, string Scenario, long Rows, IReadOnlyDictionary<string, decimal?> Totals);

/// <summary>One tenant's fee rows (by service and cost pool), paged, with its totals per year and scenario and per service.</summary>
internal sealed record TenantFeesPage(
    string RunId, string Tenant, string TenantName, string? OrgNr, int Page, int PageSize, long TotalRows, decimal Total,
    IReadOnlyList<PeriodTotal> ByPeriod, IReadOnlyList<ServiceTotal> ByService, IReadOnlyList<TenantFeeItem> Items);

/// <summary>A tenant's total for a fiscal year and scenario.</summary>
internal sealed record PeriodTotal(int FiscalYear, string Scenario, decimal Amount);

/// <summary>A tenant's total for a service in a fiscal year and scenario.</summary>
internal sealed record ServiceTotal(int FiscalYear, string Scenario, string Service, string ServiceName, decimal Amount);

/// <summary>A row of a tenant's fees.</summary>
internal sealed record TenantFeeItem(int FiscalYear, string Scenario, string Service, string ServiceName, string CostPool, decimal Amount);

/// <summary>A row of <c>fees.csv</c>: what a tenant is charged for a service, by cost pool.</summary>
internal sealed record FeeItem(int FiscalYear, string Scenario, string Tenant, string Service, string CostPool, decimal Amount);

/// <summary>A row of <c>trueup.csv</c>: final fee against what was invoiced; positive = debit.</summary>
internal sealed record TrueUpItem(int FiscalYear, string Tenant, string Service, decimal Final, decimal Invoiced, decimal TrueUp);

/// <summary>A row of <c>trueup_expected.csv</c>: the fee a forecast (or budget) gives against what was invoiced; positive = a debit to expect.</summary>
internal sealed record ExpectedTrueUpItem(int FiscalYear, string Scenario, string Tenant, string Service, decimal Expected, decimal Invoiced, decimal TrueUp);

/// <summary>A row of <c>footprint.csv</c>: a quantity of one kind (kWh, kg CO₂e …) allocated to a tenant through a service.</summary>
internal sealed record FootprintItem(int FiscalYear, string Scenario, string Kind, string Tenant, string Service, decimal Value);

/// <summary>A row of <c>prices.csv</c>. Units and cost are left out for a tenant when fewer than three tenants share the service.</summary>
internal sealed record PriceItem(int FiscalYear, string Scenario, string Service, string ServiceName, decimal? Units, decimal? Cost, decimal UnitPrice);

/// <summary>A row of <c>unallocated.csv</c>: money that stayed on an object, and why.</summary>
internal sealed record UnallocatedItem(int FiscalYear, string Scenario, string Object, string CostPool, string Reason, decimal Amount);

/// <summary>A row of <c>reconciliation.csv</c>: the ledger against what was allocated and what was not.</summary>
internal sealed record ReconciliationItem(int FiscalYear, string Scenario, decimal LedgerTotal, decimal AllocatedTotal, decimal UnallocatedTotal, decimal Difference);

/// <summary>A row of <c>balance.csv</c>: a fee area's result and balance for a year.</summary>
internal sealed record BalanceItem(string FeeArea, int FiscalYear, decimal Opening, decimal Revenue, decimal Cost, decimal Result, decimal Closing, bool SurplusFlag);

/// <summary>A row of <c>kpi.csv</c>: one key indicator of one subject (supplier, service, tenant, key, baseline line).</summary>
internal sealed record KpiItem(int FiscalYear, string Scenario, string Scope, string Subject, string Indicator, decimal? Value, string Unit, string? BaselineVersion);

/// <summary>A row of <c>kpi_distributions.csv</c>: an indicator's distribution over tenants (statistics absent when suppressed: fewer than three); the subject is empty for a distribution over a whole group.</summary>
internal sealed record KpiDistributionItem(int FiscalYear, string Scenario, string Population, string Indicator, string Subject, long Members,
    decimal? Min, decimal? Q1, decimal? Median, decimal? Q3, decimal? Max, bool Suppressed, string Unit);

/// <summary>
/// The run tables: a tenant's own fees and true-up; the price list (every reader of the run); and the
/// supplier-wide tables (all fees, unallocated money, reconciliation, fee-area balance) for the
/// supplier's staff, the coordinator and ESV. Each as a JSON page, CSV or an Arrow IPC stream.
/// </summary>
internal static class TableEndpoints
{
    private const string JsonMediaType = "application/json; charset=utf-8";

    public static RouteGroupBuilder MapTableEndpoints(this RouteGroupBuilder run)
    {
        run.MapGet("/tenants/{tenantId}/fees", TenantFees)
            .WithName("GetTenantFees").WithSummary("A tenant's fees by service and cost pool")
            .WithDescription("Paged, with the tenant's totals per fiscal year and scenario and per service over every matching row. A tenant key may read only its own tenant id.")
            .Table<TenantFeesPage>();
        run.MapGet("/tenants/{tenantId}/trueup", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.TrueUp, r => new TrueUpItem(r.GetInt32(0), r.GetString(1), r.GetString(2), M(r, 3), M(r, 4), M(r, 5))))
            .WithName("GetTenantTrueUp").WithSummary("A tenant's true-up: final fee against what was invoiced, per service")
            .Table<TablePage<TrueUpItem>>();
        run.MapGet("/tenants/{tenantId}/trueup/expected", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.TrueUpExpected, r => new ExpectedTrueUpItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), M(r, 4), M(r, 5), M(r, 6))))
            .WithName("GetTenantExpectedTrueUp").WithSummary("A tenant's expected true-up for a year not yet settled: the forecast's (else the budget's) fee against what was invoiced, per service")
            .WithDescription("Only when the model has invoiced fees for a year without an actual outcome. A tenant key may read only its own tenant id.")
            .Table<TablePage<ExpectedTrueUpItem>>();
        run.MapGet("/tenants/{tenantId}/footprint", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Footprint, r => new FootprintItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), RunTables.Quantity(r.GetDecimal(5)))))
            .WithName("GetTenantFootprint").WithSummary("A tenant's footprint: energy, emissions and other quantities allocated to it by the fee's rules and keys, per service")
            .WithDescription("Only when the model has quantities (docs/footprint.md). A tenant key may read only its own tenant id.")
            .Table<TablePage<FootprintItem>>();
        run.MapGet("/prices", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Prices, r => new PriceItem(r.GetInt32(0), r.GetString(1), r.GetString(2), RunAccessFilter.Scope(http).Run.Folder.Object(r.GetString(2)).Name,
                    r.IsDBNull(3) ? null : RunTables.Quantity(r.GetDecimal(3)), r.IsDBNull(4) ? null : M(r, 4), M(r, 5))))
            .WithName("GetPrices").WithSummary("The price list: units, cost and unit price per service")
            .WithDescription("Readable by every role with access to the run. For a tenant, a service's units and cost are left out when fewer than three tenants share it.")
            .Table<TablePage<PriceItem>>();
        run.MapGet("/fees", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Fees, r => new FeeItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), M(r, 5))))
            .WithName("GetAllFees").WithSummary("Every tenant's fees (supplier, coordinator and ESV only)")
            .AllTenants().Table<TablePage<FeeItem>>();
        run.MapGet("/unallocated", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Unallocated, r => new UnallocatedItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), M(r, 5))))
            .WithName("GetUnallocated").WithSummary("Money that stayed unallocated, by object, cost pool and reason (supplier, coordinator and ESV only)")
            .AllTenants().Table<TablePage<UnallocatedItem>>();
        run.MapGet("/reconciliation", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Reconciliation, r => new ReconciliationItem(r.GetInt32(0), r.GetString(1), M(r, 2), M(r, 3), M(r, 4), M(r, 5))))
            .WithName("GetReconciliation").WithSummary("The ledger against allocated and unallocated money (supplier, coordinator and ESV only)")
            .AllTenants().Table<TablePage<ReconciliationItem>>();
        run.MapGet("/balance", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Balance, r => new BalanceItem(r.GetString(0), r.GetInt32(1), M(r, 2), M(r, 3), M(r, 4), M(r, 5), M(r, 6), r.GetBoolean(7))))
            .WithName("GetBalance").WithSummary("Fee-area result and balance per year (supplier, coordinator and ESV only)")
            .AllTenants().Table<TablePage<BalanceItem>>();
        run.MapGet("/kpi", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.Kpi, r => new KpiItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Q(r, 5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))))
            .WithName("GetKeyIndicators").WithSummary("The key indicators per supplier, service, tenant and key, with data quality (supplier, coordinator and ESV only)")
            .AllTenants().Table<TablePage<KpiItem>>();
        run.MapGet("/kpi/distributions", (HttpContext http, [AsParameters] TableQuery query, RunTables tables) =>
                Serve(http, query, tables, TableSpec.KpiDistributions, r => new KpiDistributionItem(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? "" : r.GetString(4),
                    Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture), Q(r, 6), Q(r, 7), Q(r, 8), Q(r, 9), Q(r, 10), r.GetBoolean(11), r.GetString(12))))
            .WithName("GetKeyIndicatorDistributions").WithSummary("The key indicators' distributions over tenants (supplier, coordinator and ESV only: each order statistic is one agency's value)")
            .AllTenants().Table<TablePage<KpiDistributionItem>>();
        return run;
    }

    private static decimal? Q(DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : RunTables.Quantity(reader.GetDecimal(ordinal));

    /// <summary>Only the supplier's staff, the coordinator and ESV may read this; for a tenant it does not exist.</summary>
    public static RouteHandlerBuilder AllTenants(this RouteHandlerBuilder builder) => builder.WithMetadata(new AllTenantsMetadata());

    private static RouteHandlerBuilder Table<T>(this RouteHandlerBuilder builder) => builder
        .Produces<T>(StatusCodes.Status200OK, "application/json", RunTables.CsvMediaType, RunTables.ArrowMediaType)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static IResult TenantFees(HttpContext http, [AsParameters] TableQuery query, RunTables tables, ResponseCache cache)
    {
        var scope = RunAccessFilter.Scope(http);
        var spec = TableSpec.Fees;
        if (UnknownScenario(scope, query) is { } unknown)
        {
            return unknown;
        }

        var format = RunTables.Negotiate(http.Request);
        if (format != TableFormat.Json)
        {
            return Stream(http, tables, scope, spec, query, format);
        }

        if (Paging(query) is not (var page, var pageSize))
        {
            return BadPage();
        }

        return Json(http, cache, Key(scope, "tenant-fees.json", query, page, pageSize), () =>
        {
            // A tenant's rows are few (services × cost pools × years × scenarios): one query reads them all,
            // and the totals and the page are taken from them here.
            var folder = scope.Run.Folder;
            var (where, parameters) = query.Filter.Sql(spec, scope);
            var rows = tables.Query(
                $"SELECT fiscal_year, scenario, service, cost_pool, amount FROM {tables.Source(scope, spec)} t {where} ORDER BY fiscal_year, scenario, service, cost_pool",
                r => new TenantFeeItem(r.GetInt32(0), r.GetString(1), r.GetString(2), folder.Object(r.GetString(2)).Name, r.GetString(3), M(r, 4)),
                [.. parameters]);
            var byService = rows.GroupBy(r => (r.FiscalYear, r.Scenario, r.Service, r.ServiceName))
                .Select(g => new ServiceTotal(g.Key.FiscalYear, g.Key.Scenario, g.Key.Service, g.Key.ServiceName, g.Sum(r => r.Amount)))
                .ToList();
            var byPeriod = byService.GroupBy(s => (s.FiscalYear, s.Scenario))
                .Select(g => new PeriodTotal(g.Key.FiscalYear, g.Key.Scenario, g.Sum(s => s.Amount)))
                .ToList();
            var tenant = folder.Tenant(scope.Tenant!);
            return new TenantFeesPage(scope.Run.RunId, tenant.Id, tenant.Name, tenant.OrgNr, page, pageSize,
                rows.Count, RunTables.Money(rows.Sum(r => r.Amount)), byPeriod, byService, [.. rows.Skip((page - 1) * pageSize).Take(pageSize)]);
        });
    }

    private static IResult Serve<T>(HttpContext http, TableQuery query, RunTables tables, TableSpec spec, Func<DuckDBDataReader, T> map)
    {
        var scope = RunAccessFilter.Scope(http);
        if (!scope.Run.Folder.Has(spec.Name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"Run {scope.Run.RunId} has no {spec.Name} table ({spec.Name switch { "footprint" => "a footprint needs quantities", "trueup_expected" => "an expected true-up needs invoiced fees for a year without an actual outcome", _ => "a true-up needs invoiced fees" }} in the model).");
        }

        if (UnknownScenario(scope, query) is { } unknown)
        {
            return unknown;
        }

        var format = RunTables.Negotiate(http.Request);
        if (format != TableFormat.Json)
        {
            return Stream(http, tables, scope, spec, query, format);
        }

        if (Paging(query) is not (var page, var pageSize))
        {
            return BadPage();
        }

        var cache = http.RequestServices.GetRequiredService<ResponseCache>();
        return Json(http, cache, Key(scope, spec.Name + ".json", query, page, pageSize), () =>
        {
            var (rows, totals) = tables.Count(scope, spec, query.Filter);
            return new TablePage<T>(scope.Run.RunId, page, pageSize, rows, totals, tables.ByPeriod(scope, spec, query.Filter), tables.Page(scope, spec, query.Filter, page, pageSize, map));
        });
    }

    /// <summary>
    /// A JSON answer, serialized as the framework would (its JSON options, the declared type), kept in the
    /// response cache under <paramref name="key"/>. Only called after the access check.
    /// </summary>
    private static IResult Json<T>(HttpContext http, ResponseCache cache, ResponseKey key, Func<T> build)
    {
        if (!cache.Enabled)
        {
            // Straight to the response: a page can exceed 85 kB, and an array that size is a large-object-heap allocation per request.
            return TypedResults.Ok(build());
        }

        var options = http.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var json = cache.GetOrAdd(key, () => JsonSerializer.SerializeToUtf8Bytes(build(), options));
        return TypedResults.Bytes(json, JsonMediaType);
    }

    /// <summary>The cache key of a table answer: the scope's run and tenant, the caller's kind, and every parsed parameter that shapes the answer.</summary>
    private static ResponseKey Key(RunScope scope, string resource, TableQuery query, int page, int pageSize) =>
        new(scope.Run.Supplier, scope.Run.RunId, resource, scope.Tenant, scope.TenantReader,
            ResponseVariant.Of(query.FiscalYear, query.Scenario, query.Tenant, query.Service, query.CostPool, page, pageSize));

    private static PushStreamHttpResult Stream(HttpContext http, RunTables tables, RunScope scope, TableSpec spec, TableQuery query, TableFormat format)
    {
        var name = $"{spec.Name}-{scope.Run.Supplier}-{scope.Run.RunId}{(scope.Tenant is { } t ? "-" + t : "")}";
        return format == TableFormat.Csv
            ? TypedResults.Stream(body => tables.WriteCsvAsync(scope, spec, query.Filter, body, http.RequestAborted), RunTables.CsvMediaType + "; charset=utf-8", name + ".csv")
            : TypedResults.Stream(body => tables.WriteArrowAsync(scope, spec, query.Filter, body, http.RequestAborted), RunTables.ArrowMediaType, name + ".arrows");
    }

    /// <summary>
    /// A <c>scenario</c> the run does not have (a misspelling, another language's word): 400 naming the run's
    /// scenarios, rather than an empty answer that reads as "no fees".
    /// </summary>
    private static ProblemHttpResult? UnknownScenario(RunScope scope, TableQuery query)
    {
        if (query.Scenario is not { } scenario)
        {
            return null;
        }

        var scenarios = scope.Run.Folder.Periods.Select(p => p.Scenario).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return scenarios.Contains(scenario, StringComparer.Ordinal)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: $"'{(scenario.Length > 40 ? scenario[..40] + "…" : scenario)}' is not a scenario of run {scope.Run.RunId}: it has {string.Join(", ", scenarios)}.");
    }

    private static (int Page, int PageSize)? Paging(TableQuery query)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? RunTables.DefaultPageSize;
        return page >= 1 && pageSize is >= 1 and <= RunTables.MaxPageSize ? (page, pageSize) : null;
    }

    private static ProblemHttpResult BadPage() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
        detail: string.Create(CultureInfo.InvariantCulture, $"page must be 1 or more and pageSize between 1 and {RunTables.MaxPageSize}"));

    private static decimal M(DuckDBDataReader reader, int ordinal) => RunTables.Money(reader.GetDecimal(ordinal));
}
