using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Changes;

/// <summary>
/// One side of a fee bridge: a run folder, and the fiscal year and scenario in it
/// (<c>RUNDIR[:YEAR[:SCENARIO]]</c> on the command line).
/// </summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="FiscalYear">The year; <see langword="null"/>: the run's latest.</param>
/// <param name="Scenario">The scenario; <see langword="null"/>: the best-known the year has (actual, else forecast, else budget).</param>
public sealed record BridgeSide(string RunDirectory, int? FiscalYear = null, string? Scenario = null)
{
    /// <summary>
    /// Reads <c>RUNDIR</c>, <c>RUNDIR:YEAR</c> or <c>RUNDIR:YEAR:SCENARIO</c>; a folder whose name has a colon
    /// is meant whole unless what follows its last colons is a year (four digits) and, optionally, a scenario.
    /// </summary>
    public static BridgeSide Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length >= 3 && IsYear(parts[^2]) && parts[^1].Length > 0)
        {
            return new BridgeSide(string.Join(':', parts[..^2]), int.Parse(parts[^2], CultureInfo.InvariantCulture), parts[^1]);
        }

        return parts.Length >= 2 && IsYear(parts[^1])
            ? new BridgeSide(string.Join(':', parts[..^1]), int.Parse(parts[^1], CultureInfo.InvariantCulture))
            : new BridgeSide(text);
    }

    private static bool IsYear(string text) => text.Length == 4 && text.All(char.IsAsciiDigit);
}

/// <summary>One side of a bridge as it was resolved: which run, year and scenario.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Supplier">The run's supplier.</param>
/// <param name="FiscalYear">The fiscal year compared.</param>
/// <param name="Scenario">The scenario compared.</param>
public sealed record BridgeEnd(string RunId, string Supplier, int FiscalYear, string Scenario);

/// <summary>What a bridge found, in öre.</summary>
/// <param name="OutputDirectory">Where <c>changes.csv</c>, <c>changes_by_pool.csv</c> and <c>bridge.json</c> are.</param>
/// <param name="From">The side compared from.</param>
/// <param name="To">The side compared to.</param>
/// <param name="Lines">Tenant and service lines.</param>
/// <param name="FeeFrom">All fees on the from side.</param>
/// <param name="FeeTo">All fees on the to side.</param>
/// <param name="VolumeEffect">The sum of the volume effects.</param>
/// <param name="PriceEffect">The sum of the price effects.</param>
public sealed record FeeBridgeResult(string OutputDirectory, BridgeEnd From, BridgeEnd To, int Lines, long FeeFrom, long FeeTo, long VolumeEffect, long PriceEffect);

/// <summary>One tenant and service of a bridge, in kronor (docs/changes.md).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Service">The service.</param>
/// <param name="Kind"><c>split</c>, <c>new</c>, <c>ended</c> or <c>unsplit</c>.</param>
/// <param name="FeeFrom">The fee on the from side (0 when absent).</param>
/// <param name="FeeTo">The fee on the to side (0 when absent).</param>
/// <param name="Change"><paramref name="FeeTo"/> − <paramref name="FeeFrom"/>.</param>
/// <param name="VolumeEffect">The part of the change due to the tenant's key volume.</param>
/// <param name="PriceEffect">The rest: <paramref name="Change"/> − <paramref name="VolumeEffect"/>.</param>
/// <param name="QuantityFrom">The tenant's key volume on the from side, when the service is priced by one.</param>
/// <param name="QuantityTo">The tenant's key volume on the to side.</param>
/// <param name="UnitPriceFrom">The service's unit price on the from side, when it has one.</param>
/// <param name="UnitPriceTo">The service's unit price on the to side.</param>
public sealed record BridgeLine(
    string Tenant, string Service, string Kind, decimal FeeFrom, decimal FeeTo, decimal Change, decimal VolumeEffect, decimal PriceEffect,
    decimal? QuantityFrom, decimal? QuantityTo, decimal? UnitPriceFrom, decimal? UnitPriceTo);

/// <summary>One tenant, service and cost pool of a fee bridge (a line of <c>changes_by_pool.csv</c>), in kronor.</summary>
/// <param name="Service">The service.</param>
/// <param name="CostPool">The cost pool.</param>
/// <param name="FeeFrom">The fee on the from side.</param>
/// <param name="FeeTo">The fee on the to side.</param>
/// <param name="Change">To minus from.</param>
/// <param name="VolumeEffect">The part of the change the tenant's volume explains.</param>
/// <param name="PriceEffect">The rest: the change of the unit price.</param>
public sealed record BridgePoolLine(string Service, string CostPool, decimal FeeFrom, decimal FeeTo, decimal Change, decimal VolumeEffect, decimal PriceEffect);

/// <summary>A tenant's part of a fee bridge: its lines and their cost-pool split.</summary>
/// <param name="From">The from side as resolved.</param>
/// <param name="To">The to side as resolved.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Lines">Its lines per service.</param>
/// <param name="Pools">Its lines per service and cost pool.</param>
public sealed record TenantBridge(BridgeEnd From, BridgeEnd To, string Tenant, IReadOnlyList<BridgeLine> Lines, IReadOnlyList<BridgePoolLine> Pools);

/// <summary>
/// Why fees changed between two runs, or two years or scenarios of one run: per tenant and service, the
/// change split into a volume effect and a price effect, exact to the öre (docs/changes.md).
/// </summary>
/// <remarks>
/// For a tenant and service with fee c0 and key volume q0 on the from side and c1, q1 on the to side:
/// <c>volume_effect = c0 × (q1 − q0) ÷ q0</c> rounded half away from zero to öre, <c>price_effect = (c1 − c0) −
/// volume_effect</c> — the indicators' volume/unit-cost decomposition — when q0 &gt; 0 and q1 is known
/// (<c>kind</c> <c>split</c>). A line only on the to side is <c>new</c>, only on the from side <c>ended</c>: all
/// of its change is volume. A line whose service is not priced by a key volume on both sides is
/// <c>unsplit</c>: all of its change is price. Per cost pool, the line's volume effect is split over the
/// pools in proportion to their from-side fees (largest remainder, ties by pool name), and each pool's price
/// effect is its change less its volume effect, so the pools add up to the line exactly.
/// </remarks>
public static class FeeBridge
{
    /// <summary>The file of tenant and service lines.</summary>
    public const string ChangesFile = "changes.csv";

    /// <summary>The file of the lines split by cost pool.</summary>
    public const string ChangesByPoolFile = "changes_by_pool.csv";

    /// <summary>The file of the lines split by cost pool and by the tower (or other object) that brought the money to the service.</summary>
    public const string ChangesByTowerFile = "changes_by_tower.csv";

    /// <summary>The file that names the two sides.</summary>
    public const string BridgeFile = "bridge.json";

    /// <summary>Writes the bridge from <paramref name="from"/> to <paramref name="to"/> into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="TbmException">A side is not a run folder, names a period the run does not have, or the output folder may not be replaced.</exception>
    /// <param name="from">The from side.</param>
    /// <param name="to">The to side.</param>
    /// <param name="outputDirectory">The folder to write; replaced only when it is empty or the engine's own output.</param>
    /// <param name="settings">DuckDB's threads and memory.</param>
    /// <param name="alsoWrite">
    /// More files from the same bridge, written into the folder before it is moved into place (the workbooks of
    /// <c>tbm changes --workbooks</c>): given the temporary folder, the runs of both sides and every tenant's part.
    /// </param>
    public static FeeBridgeResult Write(BridgeSide from, BridgeSide to, string outputDirectory, EngineSettings? settings = null,
        Action<string, RunFolder, RunFolder, IReadOnlyList<TenantBridge>>? alsoWrite = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var (fromRun, fromEnd) = Resolve(from, "--from");
        var (toRun, toEnd) = Resolve(to, "--to");
        var temporary = OutputFolder.Prepare(outputDirectory);
        try
        {
            using var connection = Bridged(fromRun, fromEnd, toRun, toEnd, settings);
            var (lines, c0, c1, v) = WriteFiles(connection, temporary);
            File.WriteAllBytes(Path.Combine(temporary, BridgeFile), Manifest(fromEnd, toEnd));
            alsoWrite?.Invoke(temporary, fromRun, toRun, ReadTenants(connection, fromEnd, toEnd, tenant: null));
            OutputFolder.MoveIntoPlace(temporary, outputDirectory, "fee bridge");
            return new FeeBridgeResult(Path.GetFullPath(outputDirectory), fromEnd, toEnd, lines, c0, c1, v, c1 - c0 - v);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>
    /// Writes <c>changes.csv</c> and <c>changes_by_pool.csv</c> of the bridge made in <paramref name="connection"/>
    /// (<see cref="Bridge"/>) into <paramref name="folder"/>; returns its lines and totals in öre.
    /// </summary>
    internal static (int Lines, long FeeFrom, long FeeTo, long VolumeEffect) WriteFiles(DuckDBConnection connection, string folder)
    {
        RunWriter.CreateTextMacros(connection);
        connection.Execute($"""
            COPY (SELECT tenant, service, money_text(c0) AS fee_from, money_text(c1) AS fee_to, money_text(c1 - c0) AS change,
                         money_text(v) AS volume_effect, money_text(c1 - c0 - v) AS price_effect,
                         quantity_text(q0) AS quantity_from, quantity_text(q1) AS quantity_to,
                         money_text(p0) AS unit_price_from, money_text(p1) AS unit_price_to, kind
                  FROM bridge_lines ORDER BY tenant, service)
            TO {Duck.Literal(Path.Combine(folder, ChangesFile))} (HEADER, DELIMITER ',')
            """);
        connection.Execute($"""
            COPY (SELECT tenant, service, cost_pool, money_text(c0) AS fee_from, money_text(c1) AS fee_to, money_text(c1 - c0) AS change,
                         money_text(v) AS volume_effect, money_text(c1 - c0 - v) AS price_effect
                  FROM bridge_pools ORDER BY tenant, service, cost_pool)
            TO {Duck.Literal(Path.Combine(folder, ChangesByPoolFile))} (HEADER, DELIMITER ',')
            """);
        connection.Execute($"""
            COPY (SELECT tenant, service, cost_pool, tower, money_text(c0) AS fee_from, money_text(c1) AS fee_to, money_text(c1 - c0) AS change,
                         money_text(v) AS volume_effect, money_text(c1 - c0 - v) AS price_effect
                  FROM bridge_towers ORDER BY tenant, service, cost_pool, tower)
            TO {Duck.Literal(Path.Combine(folder, ChangesByTowerFile))} (HEADER, DELIMITER ',')
            """);
        using var totals = connection.CreateCommand();
        totals.CommandText = "SELECT CAST(count(*) AS INTEGER), CAST(coalesce(sum(c0), 0) AS BIGINT), CAST(coalesce(sum(c1), 0) AS BIGINT), CAST(coalesce(sum(v), 0) AS BIGINT) FROM bridge_lines";
        using var reader = totals.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>The scenario a side means when it names none: the best-known the year has.</summary>
    private static readonly string[] BestKnown = ["actual", "forecast", "budget"];

    /// <summary>The run folder of a side and the year and scenario it means.</summary>
    private static (RunFolder Run, BridgeEnd End) Resolve(BridgeSide side, string option)
    {
        RunFolder run;
        try
        {
            run = RunFolder.Open(side.RunDirectory);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.NotFound)
        {
            throw TbmException.NotFound($"{option}: {e.Message}"); // which side it was
        }

        return (run, Period(run, side.FiscalYear, side.Scenario, option));
    }

    /// <summary>The year and scenario a side of <paramref name="run"/> means (the latest year and its best-known scenario by default).</summary>
    internal static BridgeEnd Period(RunFolder run, int? fiscalYear, string? wantedScenario, string option)
    {
        var periods = run.Periods;
        var year = fiscalYear ?? (periods.Count > 0 ? periods.Max(p => p.FiscalYear) : 0);
        var scenarios = periods.Where(p => p.FiscalYear == year).Select(p => p.Scenario).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var scenario = wantedScenario ?? BestKnown.FirstOrDefault(scenarios.Contains) ?? (scenarios.Count == 1 ? scenarios[0] : null);
        if (scenario is null || !scenarios.Contains(scenario, StringComparer.Ordinal))
        {
            var have = string.Join(", ", periods.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.FiscalYear}:{p.Scenario}")));
            var wanted = scenarios.Count == 0 ? string.Create(CultureInfo.InvariantCulture, $"has no {year}{(wantedScenario is null ? "" : ":" + wantedScenario)}")
                : scenario is null ? string.Create(CultureInfo.InvariantCulture, $"has several scenarios in {year}; name one as RUNDIR:{year}:SCENARIO")
                : string.Create(CultureInfo.InvariantCulture, $"has no {year}:{scenario}");
            throw TbmException.Usage($"{option}: run {run.RunId} {wanted} (it has {(have.Length == 0 ? "no fees" : have)})");
        }

        return new BridgeEnd(run.RunId, run.SupplierId, year, scenario);
    }

    /// <summary>
    /// The bridge's lines of one tenant (or of every tenant), from <paramref name="from"/> to <paramref name="to"/>,
    /// in memory: what the read API answers. Amounts in kronor, quantities as written in the run.
    /// </summary>
    /// <exception cref="TbmException">A side names a period its run does not have.</exception>
    public static (BridgeEnd From, BridgeEnd To, IReadOnlyList<BridgeLine> Lines) Lines(
        RunFolder from, int? fromYear, string? fromScenario, RunFolder to, int? toYear, string? toScenario, string? tenant, EngineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var fromEnd = Period(from, fromYear, fromScenario, "from");
        var toEnd = Period(to, toYear, toScenario, "to");
        using var connection = Bridged(from, fromEnd, to, toEnd, settings);
        var lines = ReadLines(connection, tenant);
        return (fromEnd, toEnd, lines);
    }

    /// <summary>
    /// The bridge of one tenant (or of every tenant) with its cost-pool split, in memory from one database: what the
    /// workbook Avgiftsförändring is made of. A tenant without fees on either side has no lines.
    /// </summary>
    /// <exception cref="TbmException">A side names a period its run does not have.</exception>
    public static IReadOnlyList<TenantBridge> Tenants(
        RunFolder from, int? fromYear, string? fromScenario, RunFolder to, int? toYear, string? toScenario, string? tenant, EngineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var fromEnd = Period(from, fromYear, fromScenario, "from");
        var toEnd = Period(to, toYear, toScenario, "to");
        using var connection = Bridged(from, fromEnd, to, toEnd, settings);
        var tenants = ReadTenants(connection, fromEnd, toEnd, tenant);
        return tenant is null || tenants.Count > 0 ? tenants : [new TenantBridge(fromEnd, toEnd, tenant, [], [])];
    }

    /// <summary>Every tenant's lines and pool lines of the bridge made in <paramref name="connection"/> (or one tenant's), ordered by tenant.</summary>
    private static List<TenantBridge> ReadTenants(DuckDBConnection connection, BridgeEnd from, BridgeEnd to, string? tenant)
    {
        var pools = connection.Query(
                """
                SELECT tenant, service, cost_pool, CAST(c0 AS BIGINT), CAST(c1 AS BIGINT), CAST(v AS BIGINT) FROM bridge_pools
                WHERE CAST(? AS VARCHAR) IS NULL OR tenant = CAST(? AS VARCHAR) ORDER BY tenant, service, cost_pool
                """,
                r => (Tenant: r.GetString(0), Line: new BridgePoolLine(r.GetString(1), r.GetString(2), r.GetInt64(3) / 100m, r.GetInt64(4) / 100m,
                    (r.GetInt64(4) - r.GetInt64(3)) / 100m, r.GetInt64(5) / 100m, (r.GetInt64(4) - r.GetInt64(3) - r.GetInt64(5)) / 100m)),
                tenant, tenant)
            .GroupBy(p => p.Tenant, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Line).ToList(), StringComparer.Ordinal);
        return [.. ReadLines(connection, tenant).GroupBy(l => l.Tenant, StringComparer.Ordinal)
            .Select(g => new TenantBridge(from, to, g.Key, [.. g], pools.GetValueOrDefault(g.Key) ?? []))];
    }

    /// <summary>
    /// Whether a tenant may see the unit price of <paramref name="service"/> on one side of a bridge: a unit price is
    /// a figure of the whole service (its cost over every tenant's units), so only where the disclosure policy shows
    /// the service in that side's period (docs/disclosure.md). The one rule for the API, the portal, the workbook
    /// Avgiftsförändring and simulations.
    /// </summary>
    public static bool ShowsUnitPrice(RunFolder run, BridgeEnd side, string service)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(side);
        return run.Disclosure.IsVisible(side.FiscalYear, side.Scenario, service);
    }

    /// <summary>The lines as a tenant may read them: each unit price left out where <see cref="ShowsUnitPrice"/> says no.</summary>
    public static IReadOnlyList<BridgeLine> ForTenantReader(IReadOnlyList<BridgeLine> lines, RunFolder from, BridgeEnd fromEnd, RunFolder to, BridgeEnd toEnd)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return [.. lines.Select(l => l with
        {
            UnitPriceFrom = ShowsUnitPrice(from, fromEnd, l.Service) ? l.UnitPriceFrom : null,
            UnitPriceTo = ShowsUnitPrice(to, toEnd, l.Service) ? l.UnitPriceTo : null,
        })];
    }

    /// <summary>The lines of the bridge made in <paramref name="connection"/>, of one tenant (or of every tenant), in kronor.</summary>
    internal static List<BridgeLine> ReadLines(DuckDBConnection connection, string? tenant)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT tenant, service, kind, CAST(c0 AS BIGINT), CAST(c1 AS BIGINT), CAST(v AS BIGINT), CAST(q0 AS BIGINT), CAST(q1 AS BIGINT), p0, p1
            FROM bridge_lines WHERE CAST($tenant AS VARCHAR) IS NULL OR tenant = CAST($tenant AS VARCHAR) ORDER BY tenant, service
            """;
        command.Parameters.Add(new DuckDBParameter("tenant", tenant));
        var lines = new List<BridgeLine>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            long? Nullable(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            var (c0, c1, v) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
            lines.Add(new BridgeLine(reader.GetString(0), reader.GetString(1), reader.GetString(2), c0 / 100m, c1 / 100m, (c1 - c0) / 100m, v / 100m, (c1 - c0 - v) / 100m,
                Nullable(6) / 1_000_000m, Nullable(7) / 1_000_000m, Nullable(8) / 100m, Nullable(9) / 100m));
        }

        return lines;
    }

    /// <summary>A database with both sides loaded and the bridge made (<c>bridge_lines</c>, <c>bridge_pools</c>).</summary>
    private static DuckDBConnection Bridged(RunFolder from, BridgeEnd fromEnd, RunFolder to, BridgeEnd toEnd, EngineSettings? settings)
    {
        var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
        try
        {
            Load(connection, from, fromEnd, 0);
            Load(connection, to, toEnd, 1);
            Bridge(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A side's fees per tenant, service and pool, key volumes and unit prices, in öre and millionths, from a run folder.</summary>
    internal static void Load(DuckDBConnection connection, RunFolder run, BridgeEnd end, int side)
    {
        var filter = string.Create(CultureInfo.InvariantCulture, $"fiscal_year = {end.FiscalYear} AND scenario = {Duck.Literal(end.Scenario)}");

        // The tenant's key volume of a service, as the indicators count it (the run's kpi table).
        var kpi = run.ParquetPath("kpi");
        var quantities = kpi is null
            ? "SELECT NULL::VARCHAR AS tenant, NULL::VARCHAR AS service, NULL::BIGINT AS q WHERE false"
            : $"""
              SELECT split_part(subject, '/', 1) AS tenant, split_part(subject, '/', 2) AS service, CAST(value * 1000000 AS BIGINT) AS q
              FROM read_parquet({Duck.Literal(kpi)}) WHERE {filter} AND indicator = 'tenant_service.quantity'
              """;
        Load(connection, side,
            $"SELECT tenant, service, cost_pool, CAST(sum(amount) * 100 AS BIGINT) AS ore FROM read_parquet({Duck.Literal(run.ParquetPath("fees")!)}) WHERE {filter} GROUP BY ALL",
            quantities,
            $"SELECT service, CAST(unit_price * 100 AS BIGINT) AS p FROM read_parquet({Duck.Literal(run.ParquetPath("prices")!)}) WHERE {filter}",
            Inflows(run, filter));
    }

    /// <summary>
    /// What each object received per cost pool, by where it came from (the run's trail): the moves into it
    /// (<c>trail/deliveries</c>) by their source, and the cost mapped to it (<c>trail/object_balances</c>) as its own.
    /// </summary>
    private static string Inflows(RunFolder run, string filter)
    {
        var deliveries = run.ParquetPath("trail/deliveries");
        var balances = Path.Combine(run.Directory, "trail", "object_balances.parquet");
        var parts = new List<string>();
        if (deliveries is not null)
        {
            parts.Add($"SELECT target AS object, cost_pool, source AS tower, CAST(amount * 100 AS BIGINT) AS w FROM read_parquet({Duck.Literal(deliveries)}) WHERE {filter}");
        }

        if (File.Exists(balances))
        {
            parts.Add($"SELECT object, cost_pool, object AS tower, CAST(amount AS BIGINT) AS w FROM read_parquet({Duck.Literal(balances)}) WHERE {filter}");
        }

        return parts.Count == 0 ? "SELECT NULL::VARCHAR AS object, NULL::VARCHAR AS cost_pool, NULL::VARCHAR AS tower, NULL::BIGINT AS w WHERE false" : string.Join(" UNION ALL ", parts);
    }

    /// <summary>
    /// A side from queries: <paramref name="fees"/> (tenant, service, cost_pool, ore), <paramref name="quantities"/>
    /// (tenant, service, q in millionths), <paramref name="prices"/> (service, p in öre) and <paramref name="inflows"/>
    /// (object, cost_pool, tower, w in öre: what each object received per pool and from where). Side 0 first.
    /// </summary>
    internal static void Load(DuckDBConnection connection, int side, string fees, string quantities, string prices, string inflows)
    {
        var create = side == 0 ? "CREATE OR REPLACE TABLE" : "INSERT INTO";
        var asKeyword = side == 0 ? "AS" : "";
        connection.Execute($"{create} bridge_fees {asKeyword} SELECT {side} AS side, tenant, service, cost_pool, ore FROM ({fees})");
        connection.Execute($"{create} bridge_quantities {asKeyword} SELECT {side} AS side, tenant, service, q FROM ({quantities})");
        connection.Execute($"{create} bridge_prices {asKeyword} SELECT {side} AS side, service, p FROM ({prices})");
        connection.Execute($"""
            {create} bridge_inflows {asKeyword}
            SELECT {side} AS side, i.object AS service, i.cost_pool, i.tower, CAST(sum(i.w) AS BIGINT) AS w FROM ({inflows}) i
            WHERE i.object IN (SELECT service FROM bridge_fees WHERE side = {side}) GROUP BY ALL
            """);
    }

    /// <summary>The lines, the pools and the towers, set-based: <c>bridge_lines</c>, <c>bridge_pools</c> and <c>bridge_towers</c>.</summary>
    internal static void Bridge(DuckDBConnection connection)
    {
        // Half away from zero for n ÷ d with d > 0, in 128 bits.
        connection.Execute("CREATE OR REPLACE MACRO bridge_div(n, d) AS sign(n) * ((abs(n) * 2 + d) // (2 * d))");
        connection.Execute("""
            CREATE OR REPLACE TABLE bridge_pools_raw AS
            SELECT tenant, service, cost_pool,
                   CAST(coalesce(sum(ore) FILTER (WHERE side = 0), 0) AS HUGEINT) AS c0,
                   CAST(coalesce(sum(ore) FILTER (WHERE side = 1), 0) AS HUGEINT) AS c1
            FROM bridge_fees GROUP BY ALL
            """);
        connection.Execute("""
            CREATE OR REPLACE TABLE bridge_lines AS
            WITH presence AS (
              SELECT tenant, service, bool_or(side = 0) AS on0, bool_or(side = 1) AS on1 FROM bridge_fees GROUP BY ALL),
            line AS (
              SELECT tenant, service, sum(c0) AS c0, sum(c1) AS c1 FROM bridge_pools_raw GROUP BY ALL),
            measured AS (
              SELECT l.*, p.on0, p.on1,
                     CAST(q0.q AS HUGEINT) AS q0, CAST(q1.q AS HUGEINT) AS q1, pr0.p AS p0, pr1.p AS p1
              FROM line l JOIN presence p USING (tenant, service)
              LEFT JOIN bridge_quantities q0 ON q0.side = 0 AND q0.tenant = l.tenant AND q0.service = l.service
              LEFT JOIN bridge_quantities q1 ON q1.side = 1 AND q1.tenant = l.tenant AND q1.service = l.service
              LEFT JOIN bridge_prices pr0 ON pr0.side = 0 AND pr0.service = l.service
              LEFT JOIN bridge_prices pr1 ON pr1.side = 1 AND pr1.service = l.service),
            kinded AS (
              SELECT *, CASE WHEN NOT on0 THEN 'new' WHEN NOT on1 THEN 'ended'
                             WHEN q0 > 0 AND q1 IS NOT NULL THEN 'split' ELSE 'unsplit' END AS kind
              FROM measured)
            SELECT tenant, service, kind, c0, c1, q0, q1, p0, p1,
                   CASE kind WHEN 'new' THEN c1 WHEN 'ended' THEN -c0
                             WHEN 'split' THEN bridge_div(c0 * (q1 - q0), q0) ELSE 0 END AS v
            FROM kinded
            """);

        // The line's volume effect over its pools: in proportion to the from-side fees when they are all
        // non-negative (largest remainder, ties by pool name); else all on the pool with the largest one.
        connection.Execute("""
            CREATE OR REPLACE TABLE bridge_pools AS
            WITH w AS (
              SELECT p.*, l.kind, l.v AS line_v,
                     sum(p.c0) OVER wl AS w_sum, min(p.c0) OVER wl AS w_min,
                     row_number() OVER (PARTITION BY p.tenant, p.service ORDER BY p.c0 DESC, p.cost_pool) AS biggest
              FROM bridge_pools_raw p JOIN bridge_lines l USING (tenant, service)
              WINDOW wl AS (PARTITION BY p.tenant, p.service)),
            proportional AS (
              SELECT *, CASE WHEN kind = 'split' AND w_min >= 0 AND w_sum > 0 THEN abs(line_v) * c0 // w_sum END AS base,
                        CASE WHEN kind = 'split' AND w_min >= 0 AND w_sum > 0 THEN abs(line_v) * c0 % w_sum END AS remainder
              FROM w),
            ranked AS (
              SELECT *, abs(line_v) - sum(base) OVER (PARTITION BY tenant, service) AS leftover,
                     row_number() OVER (PARTITION BY tenant, service ORDER BY remainder DESC, cost_pool) AS rank
              FROM proportional)
            SELECT tenant, service, cost_pool, c0, c1,
                   CASE WHEN kind = 'new' THEN c1 WHEN kind = 'ended' THEN -c0
                        WHEN kind = 'unsplit' THEN 0
                        WHEN base IS NOT NULL THEN sign(line_v) * (base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END)
                        WHEN biggest = 1 THEN line_v ELSE 0 END AS v
            FROM ranked
            """);

        // Each side's fee of a tenant, service and pool over where the service's money in that pool came from (the
        // tower, or other object, that moved it there; the service itself for cost mapped to it), in proportion to
        // those inflows when they are all non-negative (largest remainder, ties by name), else all to the largest.
        connection.Execute("""
            CREATE OR REPLACE TABLE bridge_fee_towers AS
            WITH f AS (SELECT side, tenant, service, cost_pool, CAST(sum(ore) AS HUGEINT) AS c FROM bridge_fees GROUP BY ALL),
            j AS (
              SELECT f.*, coalesce(i.tower, f.service) AS tower, CAST(i.w AS HUGEINT) AS w,
                     sum(i.w) OVER part AS w_sum, min(i.w) OVER part AS w_min,
                     row_number() OVER (PARTITION BY f.side, f.tenant, f.service, f.cost_pool ORDER BY i.w DESC NULLS LAST, coalesce(i.tower, f.service)) AS biggest
              FROM f LEFT JOIN bridge_inflows i ON i.side = f.side AND i.service = f.service AND i.cost_pool = f.cost_pool
              WINDOW part AS (PARTITION BY f.side, f.tenant, f.service, f.cost_pool)),
            proportional AS (
              SELECT *, CASE WHEN w_min >= 0 AND w_sum > 0 THEN abs(c) * w // w_sum END AS base,
                        CASE WHEN w_min >= 0 AND w_sum > 0 THEN abs(c) * w % w_sum END AS remainder
              FROM j),
            ranked AS (
              SELECT *, abs(c) - sum(base) OVER part AS leftover, row_number() OVER (part ORDER BY remainder DESC, tower) AS rank
              FROM proportional WINDOW part AS (PARTITION BY side, tenant, service, cost_pool))
            SELECT side, tenant, service, cost_pool, tower,
                   CASE WHEN base IS NOT NULL THEN sign(c) * (base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END)
                        WHEN biggest = 1 THEN c ELSE 0 END AS ore
            FROM ranked
            """);

        // A pool's volume effect over its towers as the line's over its pools: in proportion to the from-side fees
        // (else all on the largest); each tower's price effect is its change less that, so the towers add up to the pool.
        connection.Execute("""
            CREATE OR REPLACE TABLE bridge_towers AS
            WITH raw AS (
              SELECT tenant, service, cost_pool, tower,
                     CAST(coalesce(sum(ore) FILTER (WHERE side = 0), 0) AS HUGEINT) AS c0,
                     CAST(coalesce(sum(ore) FILTER (WHERE side = 1), 0) AS HUGEINT) AS c1
              FROM bridge_fee_towers GROUP BY ALL),
            w AS (
              SELECT r.*, l.kind, p.v AS pool_v,
                     sum(r.c0) OVER wp AS w_sum, min(r.c0) OVER wp AS w_min,
                     row_number() OVER (PARTITION BY r.tenant, r.service, r.cost_pool ORDER BY r.c0 DESC, r.tower) AS biggest
              FROM raw r JOIN bridge_lines l USING (tenant, service) JOIN bridge_pools p USING (tenant, service, cost_pool)
              WINDOW wp AS (PARTITION BY r.tenant, r.service, r.cost_pool)),
            proportional AS (
              SELECT *, CASE WHEN kind = 'split' AND w_min >= 0 AND w_sum > 0 THEN abs(pool_v) * c0 // w_sum END AS base,
                        CASE WHEN kind = 'split' AND w_min >= 0 AND w_sum > 0 THEN abs(pool_v) * c0 % w_sum END AS remainder
              FROM w),
            ranked AS (
              SELECT *, abs(pool_v) - sum(base) OVER part AS leftover, row_number() OVER (part ORDER BY remainder DESC, tower) AS rank
              FROM proportional WINDOW part AS (PARTITION BY tenant, service, cost_pool))
            SELECT tenant, service, cost_pool, tower, c0, c1,
                   CASE WHEN kind = 'new' THEN c1 WHEN kind = 'ended' THEN -c0
                        WHEN kind = 'unsplit' THEN 0
                        WHEN base IS NOT NULL THEN sign(pool_v) * (base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END)
                        WHEN biggest = 1 THEN pool_v ELSE 0 END AS v
            FROM ranked
            """);
    }

    internal static byte[] Manifest(BridgeEnd from, BridgeEnd to)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("engineVersion", EngineInfo.Version);
            foreach (var (name, end) in new[] { ("from", from), ("to", to) })
            {
                json.WriteStartObject(name);
                json.WriteString("runId", end.RunId);
                json.WriteString("supplier", end.Supplier);
                json.WriteNumber("fiscalYear", end.FiscalYear);
                json.WriteString("scenario", end.Scenario);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        buffer.Write(Encoding.UTF8.GetBytes("\n"));
        return buffer.ToArray();
    }
}
