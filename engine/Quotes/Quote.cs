using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Fees;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Quotes;

/// <summary>What a prospective tenant would order (docs/fees.md, quotes).</summary>
/// <param name="TenantId">An id for the prospective tenant, not used by the package yet.</param>
/// <param name="Name">The agency's name.</param>
/// <param name="Employees">Its employees (for per-employee connection costs).</param>
/// <param name="OrgNr">Its organisation number, when known.</param>
/// <param name="Quantities">Quantity per service, in the unit of the service's key (servers, users, TB …).</param>
/// <param name="FromYear">The first fee year to quote; <see langword="null"/>: the first year without an actual outcome, else the last year.</param>
public sealed record QuoteOrder(string TenantId, string Name, int Employees, string? OrgNr, IReadOnlyDictionary<string, decimal> Quantities, int? FromYear = null);

/// <summary>One service's quoted fee in one year.</summary>
public sealed record QuoteLine(int FiscalYear, string FeeModel, string Service, decimal Quantity, long? UnitPrice, long Fee);

/// <summary>How an existing tenant's fee in one year changes when the prospective tenant joins.</summary>
public sealed record QuoteEffect(int FiscalYear, string Tenant, long Before, long After)
{
    /// <summary>After − before, in öre.</summary>
    public long Change => After - Before;
}

/// <summary>A quote: fees per service and year, the connection cost, and the effect on every other tenant.</summary>
/// <param name="Order">The order quoted.</param>
/// <param name="Lines">The ordering tenant's fees per service and year after the order (all its services, not only those ordered).</param>
/// <param name="ConnectionCost">The connection cost of the services the tenant does not use yet, in öre.</param>
/// <param name="Effects">Every other tenant's fee per year before and after.</param>
/// <param name="Warnings">Warnings of the package that bear on the quoted years.</param>
/// <param name="PreviousTotalByYear">The ordering tenant's fees per year before the order: empty for a prospective tenant.</param>
public sealed record QuoteResult(QuoteOrder Order, IReadOnlyList<QuoteLine> Lines, long ConnectionCost, IReadOnlyList<QuoteEffect> Effects, IReadOnlyList<ModelWarning> Warnings, IReadOnlyDictionary<int, long> PreviousTotalByYear)
{
    /// <summary>The quoted fees per year, in öre.</summary>
    public IReadOnlyDictionary<int, long> TotalByYear => Lines.GroupBy(l => l.FiscalYear).ToDictionary(g => g.Key, g => g.Sum(l => l.Fee));
}

/// <summary>
/// Quotes an order: a prospective tenant's, or an existing tenant's changed order. The package is allocated
/// once as it is and once with the order's quantities as the tenant's weights on the ordered services (for
/// the quoted years), both under the package's fee model. A quote adds volume, not cost: fixed costs are
/// shared by more, and the other tenants' changes are the other side of the orderer's.
/// </summary>
/// <remarks>
/// Only the periods a quoted year's fee depends on are allocated: each quoted year's basis scenario, and
/// for a three-year year the basis of each year of its window. Allocation is independent per year and
/// scenario, so the figures are those of a full run; at national size this is what keeps a quote well
/// under a second. An order's quantity applies to the ordered service alone, even where other services
/// share its key.
/// </remarks>
internal static class QuoteEngine
{
    /// <summary>The most services one order may name.</summary>
    public const int MaxServices = 200;

    /// <param name="connection">The database with the package's tables.</param>
    /// <param name="manifest">The package's model.json.</param>
    /// <param name="order">The order.</param>
    /// <param name="warnings">The package's warnings so far; the quote's are added.</param>
    /// <param name="runDirectory">The published run loaded by <see cref="LoadRun"/>, if any: then <c>mapped_lines</c> and
    /// <c>periods</c> exist, and the fees before the order are the run's own <c>fees_by_model</c>.</param>
    /// <param name="cancellationToken">Stops the quote between allocation steps.</param>
    public static QuoteResult Quote(DuckDBConnection connection, ModelManifest manifest, QuoteOrder order, List<ModelWarning> warnings, string? runDirectory = null, CancellationToken cancellationToken = default)
    {
        CheckOrder(order);
        if (runDirectory is null)
        {
            Allocator.Map(connection, manifest, progress: null);
        }

        var existing = connection.Scalar<long>("SELECT count(*) FROM tenants WHERE tenant_id = ?", order.TenantId) > 0;
        if (!existing && connection.Scalar<long>("SELECT count(*) FROM objects WHERE object_id = ?", order.TenantId) > 0)
        {
            throw new QuoteRefusedException(QuoteRefusalReason.TenantIdIsObject, $"'{order.TenantId}' names an object of the package, not a tenant; choose a new id");
        }

        var from = RestrictToQuotedYears(connection, manifest, order.FromYear);
        OrderedServices(connection, order);

        Allocator.Weigh(connection);
        if (runDirectory is null)
        {
            Price(connection, manifest, [], from, cancellationToken);
            connection.Execute("CREATE TABLE quote_before AS SELECT fiscal_year, tenant, CAST(sum(fee) AS BIGINT) AS fee FROM fees_by_model WHERE fiscal_year >= ? GROUP BY ALL", from);
        }
        else
        {
            connection.Execute($"""
                CREATE TABLE quote_before AS
                SELECT fiscal_year, tenant, CAST(sum(fee) * 100 AS BIGINT) AS fee
                FROM read_parquet({Duck.Literal(Path.Combine(runDirectory, "fees_by_model.parquet"))}) WHERE fiscal_year >= ? GROUP BY ALL
                """, from);
        }

        connection.Execute("""
            UPDATE quote_services q SET used = EXISTS (
              SELECT 1 FROM weights w WHERE w.source = q.service AND w.target = ? AND w.fiscal_year = ? AND w.w > 0)
            """, order.TenantId, from);

        if (!existing)
        {
            connection.Execute("INSERT INTO tenants (tenant_id, name, org_nr, employees) VALUES (?, ?, ?, ?)", order.TenantId, order.Name, order.OrgNr, order.Employees);
        }

        // The order's quantities replace the tenant's weights on the ordered services in the quoted years.
        connection.Execute("""
            DELETE FROM weights WHERE target = ? AND fiscal_year >= ? AND source IN (SELECT service FROM quote_services)
            """, order.TenantId, from);
        connection.Execute("""
            INSERT INTO weights
            SELECT p.fiscal_year, p.scenario, q.service, ?, q.quantity
            FROM quote_services q CROSS JOIN periods p WHERE p.fiscal_year >= ? AND q.quantity > 0
            """, order.TenantId, from);
        Price(connection, manifest, warnings, from, cancellationToken);

        var lines = connection.Query(
            "SELECT fiscal_year, fee_model, service, coalesce(quantity, 0), unit_price, fee FROM fees_by_model WHERE tenant = ? AND fiscal_year >= ? ORDER BY 1, 3",
            r => new QuoteLine(r.GetInt32(0), r.GetString(1), r.GetString(2), r.Int64(3) / 1_000_000m, r.NullableInt64(4), r.Int64(5)),
            order.TenantId, from);
        var effects = connection.Query("""
            SELECT b.fiscal_year, b.tenant, b.fee, coalesce(a.fee, 0)
            FROM quote_before b LEFT JOIN (SELECT fiscal_year, tenant, CAST(sum(fee) AS BIGINT) AS fee FROM fees_by_model GROUP BY ALL) a USING (fiscal_year, tenant)
            WHERE b.tenant <> ? ORDER BY 1, 2
            """, r => new QuoteEffect(r.GetInt32(0), r.GetString(1), r.Int64(2), r.Int64(3)), order.TenantId);
        var previous = connection.Query("SELECT fiscal_year, fee FROM quote_before WHERE tenant = ? ORDER BY 1", r => (Year: r.GetInt32(0), Fee: r.Int64(1)), order.TenantId)
            .ToDictionary(p => p.Year, p => p.Fee);
        var connectionCost = connection.Scalar<long>("""
            SELECT CAST(coalesce(sum(coalesce(c.fixed_amount, 0) + coalesce(c.per_employee, 0) * ?), 0) AS BIGINT)
            FROM connection_costs c JOIN quote_services q ON q.service = c.service
            WHERE q.quantity > 0 AND NOT q.used
            """, order.Employees);
        return new QuoteResult(order, lines, connectionCost, effects, warnings, previous);
    }

    /// <summary>Loads a run folder's snapshot of its package (see <c>RunWriter.WriteSnapshot</c>) as the tables allocation starts from.</summary>
    public static ModelManifest LoadRun(DuckDBConnection connection, string runDirectory)
    {
        var model = Path.Combine(runDirectory, "model");
        var balances = Path.Combine(runDirectory, "trail", "object_balances.parquet");
        if (!File.Exists(Path.Combine(model, "model.json")) || !File.Exists(balances) || !File.Exists(Path.Combine(runDirectory, "fees_by_model.parquet")))
        {
            throw TbmException.NotFound($"'{runDirectory}' is not a run folder with a model snapshot (written by engine 0.1 or later)");
        }

        foreach (var file in Directory.GetFiles(model, "*.parquet").Order(StringComparer.Ordinal))
        {
            connection.Execute($"CREATE TABLE {Duck.Ident(Path.GetFileNameWithoutExtension(file))} AS SELECT * FROM read_parquet({Duck.Literal(file)})");
        }

        connection.Execute($"CREATE TABLE mapped_lines AS SELECT * FROM read_parquet({Duck.Literal(balances)})");
        connection.Execute("CREATE TABLE invoiced (fiscal_year INTEGER, tenant VARCHAR, service VARCHAR, amount BIGINT)");
        var errors = new List<ModelError>();
        return ModelManifest.Read(Path.Combine(model, "model.json"), Path.GetFileName(runDirectory), errors)
            ?? throw TbmException.NotFound($"the run's model.json is not valid: {string.Join("; ", errors.Select(e => e.Reason))}");
    }

    private static void CheckOrder(QuoteOrder order)
    {
        if (Problem(order) is { } problem)
        {
            throw new QuoteRefusedException(QuoteRefusalReason.Order, problem);
        }
    }

    /// <summary>What is wrong with an order before the package is read, or <see langword="null"/>: the one set of rules for the command line and the API.</summary>
    internal static string? Problem(QuoteOrder order)
    {
        if (Ids.TenantIdProblem(order.TenantId) is { } id)
        {
            return id;
        }

        if (order.Name.Length > QuoteOrderJson.MaxNameLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"name must be at most {QuoteOrderJson.MaxNameLength} characters");
        }

        if (!Texts.IsPlain(order.Name))
        {
            return "name must not hold control or bidirectional-formatting characters";
        }

        if (order.OrgNr is not null && !OrgNr.TryParse(order.OrgNr, out _, out var reason))
        {
            return reason;
        }

        if (order.Employees is < 0 or > QuoteOrderJson.MaxEmployees)
        {
            return string.Create(CultureInfo.InvariantCulture, $"employees must be between 0 and {QuoteOrderJson.MaxEmployees}");
        }

        if (order.Quantities.Count == 0)
        {
            return "the order names no service";
        }

        return order.Quantities.Count > MaxServices
            ? string.Create(CultureInfo.InvariantCulture, $"an order names at most {MaxServices} services")
            : null;
    }

    /// <summary>
    /// Picks the first quoted year (the order's, else the first year without an actual outcome, else the
    /// last) and keeps only the periods the quoted years' fees depend on: each year's basis scenario, for the
    /// quoted years and the windows of their three-year prices.
    /// </summary>
    private static int RestrictToQuotedYears(DuckDBConnection connection, ModelManifest manifest, int? fromYear)
    {
        var years = FeeModels.FeeYears(connection, manifest);
        if (years.Count == 0)
        {
            throw new QuoteRefusedException(QuoteRefusalReason.NoCostLines, "the package has no cost lines to quote from");
        }

        // A year before the first is not clamped to it: the caller asked for something the package cannot quote.
        if (fromYear is { } asked && !years.Any(y => y.FiscalYear == asked))
        {
            throw new QuoteRefusedException(QuoteRefusalReason.FromYear, string.Create(CultureInfo.InvariantCulture, $"fromYear {asked} is not a fee year of the package ({years[0].FiscalYear}–{years[^1].FiscalYear})"));
        }

        var from = fromYear ?? years.Where(y => y.Basis != "actual").Select(y => (int?)y.FiscalYear).FirstOrDefault() ?? years[^1].FiscalYear;

        var needed = years.Where(y => y.FiscalYear >= from)
            .SelectMany(y => y.FeeModel == "three-year" ? manifest.ThreeYearWindow.Select(o => y.FiscalYear + o).Append(y.FiscalYear) : [y.FiscalYear])
            .ToHashSet();
        connection.Execute("CREATE TEMP TABLE quote_periods (fiscal_year INTEGER)");
        foreach (var year in needed.Order())
        {
            connection.Execute("INSERT INTO quote_periods VALUES (?)", year);
        }

        const string Kept = "EXISTS (SELECT 1 FROM fee_years y JOIN quote_periods q USING (fiscal_year) WHERE y.fiscal_year = {0}.fiscal_year AND y.basis = {0}.scenario)";
        connection.Execute($"DELETE FROM periods p WHERE NOT {string.Format(CultureInfo.InvariantCulture, Kept, "p")}");
        connection.Execute($"DELETE FROM mapped_lines m WHERE NOT {string.Format(CultureInfo.InvariantCulture, Kept, "m")}");
        return from;
    }

    /// <summary>The ordered services with their quantities in millionths (<c>quote_services</c>), each checked against its rule.</summary>
    private static void OrderedServices(DuckDBConnection connection, QuoteOrder order)
    {
        connection.Execute("CREATE TEMP TABLE quote_services (service VARCHAR, quantity BIGINT, used BOOLEAN)");
        foreach (var (service, quantity) in order.Quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (ServiceProblem(connection, service) is { } problem)
            {
                throw problem;
            }

            if (quantity is < 0 or > 1_000_000_000_000m || quantity * 1_000_000m != decimal.Truncate(quantity * 1_000_000m))
            {
                throw new QuoteRefusedException(QuoteRefusalReason.Quantity, $"the quantity of '{service}' must be between 0 and 10^12 with at most six decimals", service);
            }

            connection.Execute("INSERT INTO quote_services VALUES (?, ?, false)", service, (long)(quantity * 1_000_000m));
        }
    }

    /// <summary>
    /// Why <paramref name="service"/> cannot be ordered by quantity (no rule, not charged by a key, or charging
    /// objects rather than tenants), or <see langword="null"/>: the rule of quotes and of a simulation's joining tenant.
    /// </summary>
    internal static QuoteRefusedException? ServiceProblem(DuckDBConnection connection, string service)
    {
        var rule = connection.Query("SELECT method, driver FROM rules WHERE source = ?", r => (Method: r.GetString(0), Driver: r.NullableString(1)), service);
        if (rule.Count == 0)
        {
            return new QuoteRefusedException(QuoteRefusalReason.UnknownService, $"'{service}' is not a service with a rule in this package", service);
        }

        if (rule[0].Method != "driver" || rule[0].Driver is null)
        {
            return new QuoteRefusedException(QuoteRefusalReason.NotKeyed, $"'{service}' is not charged by a key ({rule[0].Method} rule), so it cannot be ordered by quantity", service) { Method = rule[0].Method };
        }

        // Only a service that charges tenants is ordered: a quantity on a tower (or on anything that feeds
        // other objects) would make the orderer the target of that object's whole balance, and the quote would
        // tell it what the objects downstream cost — the fees of the tenants there.
        var objectTargets = connection.Scalar<long>("""
            SELECT count(*) FROM (
              SELECT t.target FROM rule_targets t WHERE t.source = ?
              UNION ALL
              SELECT d.target FROM rules r JOIN drivers d ON d.driver = r.driver
              WHERE r.source = ? AND NOT EXISTS (SELECT 1 FROM rule_targets t WHERE t.source = r.source)
            ) x WHERE x.target NOT IN (SELECT tenant_id FROM tenants)
            """, service, service);
        return objectTargets > 0
            ? new QuoteRefusedException(QuoteRefusalReason.ChargesObjects, $"'{service}' charges other objects, not tenants, so it cannot be ordered: order the services it feeds", service)
            : null;
    }

    /// <summary>Moves the money by the current weights and prices the fees of the quoted years.</summary>
    private static void Price(DuckDBConnection connection, ModelManifest manifest, List<ModelWarning> warnings, int from, CancellationToken cancellationToken)
    {
        Allocator.Move(connection, manifest.Reciprocal, progress: null, cancellationToken);
        FeeTables.Prices(connection);
        FeeModels.Run(connection, manifest, warnings, from);
    }
}
