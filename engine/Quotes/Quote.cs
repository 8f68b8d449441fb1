using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Fees;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Quotes;

/// <summary>What a prospective tenant would order (DOMAIN §7).</summary>
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

/// <summary>A quote: fees per service and year, the connection cost, and the effect on every existing tenant.</summary>
public sealed record QuoteResult(QuoteOrder Order, IReadOnlyList<QuoteLine> Lines, long ConnectionCost, IReadOnlyList<QuoteEffect> Effects, IReadOnlyList<ModelWarning> Warnings)
{
    /// <summary>The quoted fees per year, in öre.</summary>
    public IReadOnlyDictionary<int, long> TotalByYear => Lines.GroupBy(l => l.FiscalYear).ToDictionary(g => g.Key, g => g.Sum(l => l.Fee));
}

/// <summary>
/// Quotes what a prospective tenant would pay: the package is allocated once as it is and once with the
/// tenant's volumes added to the keys of the services it orders (for the quoted years), both under the
/// package's fee model. A quote adds volume, not cost: fixed costs are shared by more, and the
/// existing tenants' changes are the other side of the newcomer's fee.
/// </summary>
internal static class QuoteEngine
{
    /// <param name="mapped">Whether <c>mapped_lines</c> and <c>periods</c> exist already (a published run was loaded).</param>
    public static QuoteResult Quote(DuckDBConnection connection, ModelManifest manifest, QuoteOrder order, List<ModelWarning> warnings, bool mapped = false)
    {
        if (!mapped)
        {
            Allocator.Map(connection, manifest, progress: null);
        }

        Allocate(connection, manifest, warnings);
        connection.Execute("CREATE TABLE quote_before AS SELECT fiscal_year, tenant, CAST(sum(fee) AS BIGINT) AS fee FROM fees_by_model GROUP BY ALL");

        var years = connection.Query("SELECT fiscal_year, basis FROM fee_years ORDER BY 1", r => (Year: r.GetInt32(0), Basis: r.GetString(1)));
        if (years.Count == 0)
        {
            throw new ArgumentException("the package has no cost lines to quote from");
        }

        var from = order.FromYear ?? years.Where(y => y.Basis != "actual").Select(y => (int?)y.Year).FirstOrDefault() ?? years[^1].Year;
        if (!years.Any(y => y.Year >= from))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the package has no fee year from {from} on"));
        }

        AddProspect(connection, order, from);
        Allocate(connection, manifest, warnings);

        var lines = connection.Query(
            "SELECT fiscal_year, fee_model, service, coalesce(quantity, 0), unit_price, fee FROM fees_by_model WHERE tenant = ? AND fiscal_year >= ? ORDER BY 1, 3",
            r => new QuoteLine(r.GetInt32(0), r.GetString(1), r.GetString(2), r.Int64(3) / 1_000_000m, r.NullableInt64(4), r.Int64(5)),
            order.TenantId, from);
        var effects = connection.Query("""
            SELECT b.fiscal_year, b.tenant, b.fee, coalesce(a.fee, 0)
            FROM quote_before b LEFT JOIN (SELECT fiscal_year, tenant, CAST(sum(fee) AS BIGINT) AS fee FROM fees_by_model GROUP BY ALL) a USING (fiscal_year, tenant)
            WHERE b.fiscal_year >= ? ORDER BY 1, 2
            """, r => new QuoteEffect(r.GetInt32(0), r.GetString(1), r.Int64(2), r.Int64(3)), from);
        var connectionCost = connection.Scalar<long>("""
            SELECT CAST(coalesce(sum(coalesce(c.fixed_amount, 0) + coalesce(c.per_employee, 0) * ?), 0) AS BIGINT)
            FROM connection_costs c JOIN quote_services q ON q.service = c.service
            """, order.Employees);
        return new QuoteResult(order, lines, connectionCost, effects, warnings);
    }

    /// <summary>Loads a run folder's snapshot of its package (see <c>RunWriter.WriteSnapshot</c>) as the tables allocation starts from.</summary>
    public static ModelManifest LoadRun(DuckDBConnection connection, string runDirectory)
    {
        var model = Path.Combine(runDirectory, "model");
        var balances = Path.Combine(runDirectory, "trail", "object_balances.parquet");
        if (!File.Exists(Path.Combine(model, "model.json")) || !File.Exists(balances))
        {
            throw new ArgumentException($"'{runDirectory}' is not a run folder with a model snapshot (written by engine 0.1 or later)");
        }

        foreach (var file in Directory.GetFiles(model, "*.parquet").Order(StringComparer.Ordinal))
        {
            connection.Execute($"CREATE TABLE {Duck.Ident(Path.GetFileNameWithoutExtension(file))} AS SELECT * FROM read_parquet({Duck.Literal(file)})");
        }

        connection.Execute($"CREATE TABLE mapped_lines AS SELECT * FROM read_parquet({Duck.Literal(balances)})");
        connection.Execute("CREATE TABLE invoiced (fiscal_year INTEGER, tenant VARCHAR, service VARCHAR, amount BIGINT)");
        var errors = new List<ModelError>();
        return ModelManifest.Read(Path.Combine(model, "model.json"), Path.GetFileName(runDirectory), errors)
            ?? throw new ArgumentException($"the run's model.json is not valid: {string.Join("; ", errors.Select(e => e.Reason))}");
    }

    private static void Allocate(DuckDBConnection connection, ModelManifest manifest, List<ModelWarning> warnings)
    {
        Allocator.Allocate(connection, progress: null, CancellationToken.None);
        FeeTables.Run(connection, warnings, invoicedGiven: false);
        FeeModels.Run(connection, manifest, warnings);
    }

    /// <summary>Adds the prospect as a tenant with its quantities on each ordered service's key, for the quoted years.</summary>
    private static void AddProspect(DuckDBConnection connection, QuoteOrder order, int from)
    {
        if (!ModelManifest.IsId(order.TenantId))
        {
            throw new ArgumentException($"'{order.TenantId}' is not an id (letters, digits, _ - .)");
        }

        if (connection.Scalar<long>("SELECT count(*) FROM (SELECT tenant_id AS id FROM tenants UNION ALL SELECT object_id FROM objects) WHERE id = ?", order.TenantId) > 0)
        {
            throw new ArgumentException($"'{order.TenantId}' already names a tenant or object in the package; choose a new id");
        }

        if (order.OrgNr is not null && !OrgNr.TryParse(order.OrgNr, out _, out var reason))
        {
            throw new ArgumentException(reason);
        }

        connection.Execute("INSERT INTO tenants (tenant_id, name, org_nr, employees) VALUES (?, ?, ?, ?)", order.TenantId, order.Name, order.OrgNr, order.Employees);
        connection.Execute("CREATE TABLE quote_services (service VARCHAR, driver VARCHAR, quantity BIGINT)");
        foreach (var (service, quantity) in order.Quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            var rule = connection.Query("SELECT method, driver FROM rules WHERE source = ?", r => (Method: r.GetString(0), Driver: r.NullableString(1)), service);
            if (rule.Count == 0)
            {
                throw new ArgumentException($"'{service}' is not a service with a rule in this package");
            }

            if (rule[0].Method != "driver" || rule[0].Driver is null)
            {
                throw new ArgumentException($"'{service}' is not charged by a key ({rule[0].Method} rule), so it cannot be ordered by quantity");
            }

            var micro = quantity * 1_000_000m;
            if (quantity < 0 || micro != decimal.Truncate(micro))
            {
                throw new ArgumentException($"the quantity of '{service}' must be ≥ 0 with at most six decimals");
            }

            connection.Execute("INSERT INTO quote_services VALUES (?, ?, ?)", service, rule[0].Driver, (long)micro);
        }

        // The prospect's volumes on each ordered service's key, every quoted year and scenario; a rule that
        // lists its targets gets the prospect as one more target.
        connection.Execute("""
            INSERT INTO drivers (fiscal_year, scenario, driver, target, quantity)
            SELECT p.fiscal_year, p.scenario, q.driver, ?, max(q.quantity)
            FROM quote_services q CROSS JOIN periods p WHERE p.fiscal_year >= ?
            GROUP BY ALL
            """, order.TenantId, from);
        connection.Execute("""
            INSERT INTO rule_targets
            SELECT DISTINCT q.service, ?, NULL FROM quote_services q
            WHERE EXISTS (SELECT 1 FROM rule_targets t WHERE t.source = q.service)
            """, order.TenantId);
    }
}
