using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Allocation;

/// <summary>
/// Quantities other than money — energy (kWh), emissions (kg CO₂e) — booked on objects (<c>quantities</c>) and allocated
/// by the same rules and keys as the money, with the same arithmetic: each kind is moved like a cost pool, in millionths
/// of its unit instead of öre, so every split sums exactly to its source and the largest-remainder rule places the last
/// millionths (docs/footprint.md). The result is <c>footprint</c>: per tenant and service what reached it, and per
/// object what stayed there (no rule, no volume), so the quantities of a period and kind are conserved exactly.
/// </summary>
/// <remarks>
/// The money's tables are not touched: the pass runs in a database of its own, attached beside the run's, with the
/// run's rules and weights copied in, and <see cref="Allocator.Move"/> — the very code that moves the money — moves
/// the quantities there. Only periods the ledger has are allocated (the keys are per period of the ledger); quantities
/// of another period are left out with a warning.
/// </remarks>
internal static class QuantityAllocation
{
    private const string Pass = "quantity_pass";

    public static void Run(DuckDBConnection connection, bool reciprocal, List<ModelWarning> warnings, CancellationToken cancellationToken)
    {
        foreach (var (year, scenario) in connection.Query(
            "SELECT DISTINCT fiscal_year, scenario FROM quantities q WHERE NOT EXISTS (SELECT 1 FROM periods p WHERE p.fiscal_year = q.fiscal_year AND p.scenario = q.scenario) ORDER BY ALL",
            r => (r.GetInt32(0), r.GetString(1))))
        {
            warnings.Add(new ModelWarning(Tables.Quantities.Name, string.Create(CultureInfo.InvariantCulture,
                $"{year} ({scenario}) has quantities but no ledger lines, so no keys to allocate them by; they are left out of footprint")));
        }

        var main = Duck.Ident(connection.Scalar<string>("SELECT current_database()"));
        connection.Execute($"ATTACH ':memory:' AS {Pass}");
        try
        {
            connection.Execute($"USE {Pass}");
            foreach (var table in new[] { "rules", PipelineTables.RuleTargets, "tenants", "drivers", "weights" })
            {
                connection.Execute($"CREATE TABLE {table} AS SELECT * FROM {main}.main.{table}");
            }

            connection.Execute($"""
                CREATE TABLE mapped_lines AS
                SELECT q.fiscal_year, q.scenario, q.object, q.kind AS cost_pool, CAST(sum(q.value) AS BIGINT) AS amount
                FROM {main}.main.quantities q
                WHERE EXISTS (SELECT 1 FROM {main}.main.periods p WHERE p.fiscal_year = q.fiscal_year AND p.scenario = q.scenario)
                GROUP BY ALL
                """);
            connection.Execute("CREATE TABLE periods AS SELECT fiscal_year, scenario, CAST(sum(amount) AS BIGINT) AS ledger_total FROM mapped_lines GROUP BY ALL");
            Allocator.Move(connection, reciprocal, progress: null, cancellationToken);
            connection.Execute($"""
                CREATE TABLE {main}.main.{PipelineTables.Footprint} AS
                SELECT fiscal_year, scenario, cost_pool AS kind, tenant, service, amount AS value, CAST(NULL AS VARCHAR) AS reason FROM fees
                UNION ALL
                SELECT fiscal_year, scenario, cost_pool, NULL, object, amount, reason FROM unallocated
                """);
        }
        finally
        {
            connection.Execute($"USE {main}");
            connection.Execute($"DETACH {Pass}");
        }
    }
}
