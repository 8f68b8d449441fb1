using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Fees;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Changes;

/// <summary>What one change of a simulation did.</summary>
/// <param name="Path">Where it is in the document (<c>$.changes[0]</c>).</param>
/// <param name="Type">Its type: <c>cost</c>, <c>volume</c>, <c>key</c>, <c>leave</c> or <c>join</c>.</param>
/// <param name="CostChange">For a cost change, the cost it added (negative: removed), in öre; else 0.</param>
public sealed record SimulatedChange(string Path, string Type, long CostChange);

/// <summary>What a simulation found, in öre (docs/changes.md, simulation).</summary>
/// <param name="Run">The run and the period simulated: the year and its basis scenario.</param>
/// <param name="Changes">Each change and the cost it moved.</param>
/// <param name="Lines">Tenant and service lines of the bridge from the run to the simulation.</param>
/// <param name="FeeFrom">The run's fees in the period.</param>
/// <param name="FeeTo">The simulated fees.</param>
/// <param name="VolumeEffect">The sum of the bridge's volume effects.</param>
/// <param name="PriceEffect">The sum of its price effects.</param>
/// <param name="UnallocatedFrom">The run's unallocated money in the period.</param>
/// <param name="UnallocatedTo">The simulation's.</param>
public sealed record SimulationResult(
    BridgeEnd Run, IReadOnlyList<SimulatedChange> Changes, int Lines, long FeeFrom, long FeeTo, long VolumeEffect, long PriceEffect, long UnallocatedFrom, long UnallocatedTo)
{
    /// <summary>The folder written, for <see cref="Simulation.Write"/>.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>All the cost the changes added (negative: removed); = the change of fees and unallocated money together.</summary>
    public long CostChange => Changes.Sum(c => c.CostChange);
}

/// <summary>
/// A simulation from a published run: the run's year allocated again with changes to cost, driver volumes, rule
/// keys and tenants, every tenant's new fees, and the fee bridge from the run to them (docs/changes.md).
/// </summary>
/// <remarks>
/// The run's snapshot of its package is loaded as a quote loads it (<see cref="QuoteEngine.LoadRun"/>); only the
/// simulated year's basis scenario is allocated again, by the engine's own allocation and price code
/// (<see cref="Allocator"/>, <see cref="FeeTables.Prices"/>), so a simulation without changes gives the run's fees
/// to the byte. The bridge is the fee bridge's (<see cref="FeeBridge"/>), the run as its from side.
/// </remarks>
public static class Simulation
{
    /// <summary>The simulated fees: the run's <c>fees.csv</c> for the period simulated.</summary>
    public const string FeesFile = "fees.csv";

    /// <summary>The simulated unit prices: the run's <c>prices.csv</c> for the period.</summary>
    public const string PricesFile = "prices.csv";

    /// <summary>The simulated unallocated money: the run's <c>unallocated.csv</c> for the period.</summary>
    public const string UnallocatedFile = "unallocated.csv";

    /// <summary>The file that names the run, the period and each change with the cost it moved.</summary>
    public const string SimulationFile = "simulation.json";

    /// <summary>
    /// Simulates <paramref name="changes"/> on the run in <paramref name="runDirectory"/> and writes <c>changes.csv</c>,
    /// <c>changes_by_pool.csv</c>, <c>changes_by_tower.csv</c>, <c>fees.csv</c>, <c>prices.csv</c>, <c>unallocated.csv</c> and <c>simulation.json</c>
    /// into <paramref name="outputDirectory"/>.
    /// </summary>
    /// <exception cref="TbmException">Not a run folder with a model snapshot, a change that does not fit the run (naming the source and JSON path), or an output folder that may not be replaced.</exception>
    public static SimulationResult Write(string runDirectory, SimulationChanges changes, string outputDirectory, EngineSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(changes);
        var run = RunFolder.Open(runDirectory);
        var temporary = OutputFolder.Prepare(outputDirectory);
        try
        {
            using var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
            var result = Simulate(connection, run, changes, cancellationToken);
            FeeBridge.WriteFiles(connection, temporary);
            RunWriter.CreateTextMacros(connection);
            WriteTable(connection, temporary, RunSchema.Fees, "fees");
            WriteTable(connection, temporary, RunSchema.Prices, "prices");
            WriteTable(connection, temporary, RunSchema.Unallocated, "unallocated");
            File.WriteAllBytes(Path.Combine(temporary, SimulationFile), Manifest(result));
            OutputFolder.MoveIntoPlace(temporary, outputDirectory, "simulation");
            return result with { OutputDirectory = Path.GetFullPath(outputDirectory) };
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
    /// Simulates <paramref name="changes"/> on <paramref name="run"/> in memory: the result and the bridge's lines of
    /// one tenant (or of every tenant), in kronor. What the read API answers.
    /// </summary>
    /// <exception cref="TbmException">Not a run with a model snapshot, or a change that does not fit the run.</exception>
    public static (SimulationResult Result, IReadOnlyList<BridgeLine> Lines) Lines(RunFolder run, SimulationChanges changes, string? tenant, EngineSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(changes);
        using var connection = Duck.OpenInMemory(settings ?? EngineSettings.Default);
        var result = Simulate(connection, run, changes, cancellationToken);
        return (result, FeeBridge.ReadLines(connection, tenant));
    }

    /// <summary>Loads the run, applies the changes, allocates the period again and makes the bridge (<c>bridge_lines</c>, <c>bridge_pools</c>).</summary>
    private static SimulationResult Simulate(DuckDBConnection connection, RunFolder run, SimulationChanges changes, CancellationToken cancellationToken)
    {
        var manifest = QuoteEngine.LoadRun(connection, run.Directory);
        var years = FeeModels.FeeYears(connection, manifest);
        if (years.Count == 0)
        {
            throw TbmException.Usage($"run {run.RunId} has no cost lines to simulate from");
        }

        if (changes.FiscalYear is { } asked && !years.Any(y => y.FiscalYear == asked))
        {
            throw TbmException.Usage(string.Create(CultureInfo.InvariantCulture, $"{asked} is not a fee year of run {run.RunId} ({years[0].FiscalYear}–{years[^1].FiscalYear})"));
        }

        var year = changes.FiscalYear ?? years.Where(y => y.Basis != "actual").Select(y => (int?)y.FiscalYear).FirstOrDefault() ?? years[^1].FiscalYear;
        var scenario = years.First(y => y.FiscalYear == year).Basis;
        var end = new BridgeEnd(run.RunId, run.SupplierId, year, scenario);
        var target = new Target(connection, run, changes.Source, year, scenario);
        target.Check(changes.Changes);

        // Only the period simulated is allocated again: allocation is independent per year and scenario.
        connection.Execute("DELETE FROM periods WHERE NOT (fiscal_year = ? AND scenario = ?)", year, scenario);
        connection.Execute("DELETE FROM mapped_lines WHERE NOT (fiscal_year = ? AND scenario = ?)", year, scenario);
        connection.Execute("CREATE TEMP TABLE simulation_base AS SELECT * FROM mapped_lines");

        var applied = new List<SimulatedChange>();
        foreach (var change in changes.Changes)
        {
            applied.Add(change switch
            {
                CostChange cost => new SimulatedChange(cost.Path, "cost", target.Apply(cost)),
                VolumeChange quantity => target.Apply(quantity),
                KeyChange key => target.Apply(key),
                TenantLeaves leave => new SimulatedChange(leave.Path, "leave", 0),
                TenantJoins join => target.Apply(join),
                _ => throw new InvalidOperationException("an unknown kind of change"),
            });
        }

        // The weights by the (changed) keys, then the tenants who leave or join, as a quote changes them.
        Allocator.Weigh(connection);
        foreach (var leave in changes.Changes.OfType<TenantLeaves>())
        {
            connection.Execute("DELETE FROM weights WHERE target = ?", leave.Tenant);
        }

        foreach (var join in changes.Changes.OfType<TenantJoins>())
        {
            foreach (var (service, quantity) in join.Quantities.Where(q => q.Value > 0))
            {
                connection.Execute("INSERT INTO weights VALUES (?, ?, ?, ?, ?)", year, scenario, service, join.Tenant, quantity);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        Allocator.Move(connection, manifest.Reciprocal, progress: null, cancellationToken);
        FeeTables.Prices(connection);

        FeeBridge.Load(connection, run, end, 0);
        FeeBridge.Load(connection, 1,
            "SELECT tenant, service, cost_pool, CAST(sum(amount) AS BIGINT) AS ore FROM fees GROUP BY ALL",
            // A tenant's volume of a service as the indicators count it (its weight in the service's driver rule).
            """
            SELECT w.target AS tenant, w.source AS service, CAST(sum(w.w) AS BIGINT) AS q
            FROM weights w JOIN rules r ON r.source = w.source AND r.method = 'driver'
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = w.target)
            GROUP BY ALL HAVING sum(w.w) > 0
            """,
            "SELECT service, unit_price AS p FROM prices",
            "SELECT target AS object, cost_pool, source AS tower, amount AS w FROM deliveries UNION ALL SELECT object, cost_pool, object AS tower, amount AS w FROM mapped_lines");
        FeeBridge.Bridge(connection);

        var (lines, feeFrom, feeTo, volume) = connection.Query(
            "SELECT CAST(count(*) AS INTEGER), CAST(coalesce(sum(c0), 0) AS BIGINT), CAST(coalesce(sum(c1), 0) AS BIGINT), CAST(coalesce(sum(v), 0) AS BIGINT) FROM bridge_lines",
            r => (r.GetInt32(0), r.Int64(1), r.Int64(2), r.Int64(3)))[0];
        var unallocatedFrom = connection.Scalar<long>(
            $"SELECT CAST(coalesce(sum(amount) * 100, 0) AS BIGINT) FROM read_parquet({Duck.Literal(run.ParquetPath("unallocated")!)}) WHERE fiscal_year = ? AND scenario = ?", year, scenario);
        var unallocatedTo = connection.Scalar<long>("SELECT CAST(coalesce(sum(amount), 0) AS BIGINT) FROM unallocated");
        return new SimulationResult(end, applied, lines, feeFrom, feeTo, volume, feeTo - feeFrom - volume, unallocatedFrom, unallocatedTo);
    }

    /// <summary>A table of the simulation as the run folder writes it (docs/model-format.md §4.1), sorted by its key.</summary>
    private static void WriteTable(DuckDBConnection connection, string folder, RunTable table, string source)
    {
        // The run folder's text forms, column by column (RunWriter's): the files compare byte for byte with the run's.
        var text = string.Join(", ", table.Columns.Select(c => RunWriter.TextOf(c) + " AS " + Duck.Ident(c.Name)));
        var order = string.Join(", ", table.Key.Select(Duck.Ident));
        connection.Execute($"""
            COPY (SELECT {text} FROM (SELECT * FROM {source} ORDER BY {order}))
            TO {Duck.Literal(Path.Combine(folder, table.Name + ".csv"))} (FORMAT csv, HEADER, DELIMITER ',', QUOTE '"')
            """);
    }

    private static byte[] Manifest(SimulationResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("engineVersion", EngineInfo.Version);
            json.WriteStartObject("run");
            json.WriteString("runId", result.Run.RunId);
            json.WriteString("supplier", result.Run.Supplier);
            json.WriteNumber("fiscalYear", result.Run.FiscalYear);
            json.WriteString("scenario", result.Run.Scenario);
            json.WriteEndObject();
            json.WriteStartArray("changes");
            foreach (var change in result.Changes)
            {
                json.WriteStartObject();
                json.WriteString("path", change.Path);
                json.WriteString("type", change.Type);
                json.WriteNumber("costChange", change.CostChange / 100m);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            foreach (var (name, ore) in new[]
            {
                ("costChange", result.CostChange), ("feeFrom", result.FeeFrom), ("feeTo", result.FeeTo), ("volumeEffect", result.VolumeEffect),
                ("priceEffect", result.PriceEffect), ("unallocatedFrom", result.UnallocatedFrom), ("unallocatedTo", result.UnallocatedTo),
            })
            {
                json.WriteNumber(name, ore / 100m);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.Write(Encoding.UTF8.GetBytes("\n"));
        return buffer.ToArray();
    }

    /// <summary>The run's tables a simulation changes, and the checks that its changes name what the run has.</summary>
    private sealed class Target(DuckDBConnection connection, RunFolder run, string source, int year, string scenario)
    {
        private TbmException Error(string path, string message) => TbmException.Usage($"{source}: {path}: {message}");

        private bool Exists(string sql, params object?[] parameters) => connection.Scalar<long>($"SELECT count(*) FROM ({sql})", parameters) > 0;

        private bool IsTenant(string id) => Exists("SELECT 1 FROM tenants WHERE tenant_id = ?", id);

        private bool IsObject(string id) => Exists("SELECT 1 FROM objects WHERE object_id = ?", id);

        private bool IsDriver(string id) => Exists("SELECT 1 FROM drivers WHERE driver = ? UNION ALL SELECT 1 FROM rules WHERE driver = ?", id, id);

        /// <summary>The rules a key allocates by once the simulation's key switches are made: the run's, less those switched away, plus those switched to it.</summary>
        private List<string> KeyedBy(string driver, IReadOnlyList<SimulationChange> changes)
        {
            var switched = changes.OfType<KeyChange>().ToList();
            var rules = connection.Query("SELECT source FROM rules WHERE method = 'driver' AND driver = ? ORDER BY source", r => r.GetString(0), driver);
            rules.RemoveAll(rule => switched.Any(k => k.Rule == rule && k.Driver != driver));
            rules.AddRange(switched.Where(k => k.Driver == driver && !rules.Contains(k.Rule)).Select(k => k.Rule));
            return rules;
        }

        /// <summary>
        /// Whether a target's volume reaches the money of one of <paramref name="rules"/>: a rule that lists no targets takes every
        /// target with a volume; one that lists them takes only those (a volume for another is silently no share of anything).
        /// </summary>
        private bool Reaches(List<string> rules, string target) => rules.Any(rule =>
            !Exists("SELECT 1 FROM rule_targets WHERE source = ?", rule) || Exists("SELECT 1 FROM rule_targets WHERE source = ? AND target = ?", rule, target));

        /// <summary>Every id a change names is one the run has (before anything is changed).</summary>
        public void Check(IReadOnlyList<SimulationChange> changes)
        {
            foreach (var change in changes)
            {
                switch (change)
                {
                    case CostChange c when c.CostPool is { } pool && !Exists("SELECT 1 FROM mapped_lines WHERE cost_pool = ?", pool):
                        throw Error(c.Path + ".costPool", $"'{pool}' is not a cost pool of run {run.RunId}");
                    case CostChange c when c.Object is { } obj && !IsObject(obj):
                        throw Error(c.Path + ".object", $"'{obj}' is not an object of run {run.RunId}");
                    case VolumeChange v when !IsDriver(v.Driver):
                        throw Error(v.Path + ".driver", $"'{v.Driver}' is not a key (driver) of run {run.RunId}");
                    case VolumeChange v when !IsTenant(v.Target) && !IsObject(v.Target):
                        throw Error(v.Path + ".target", $"'{v.Target}' is not a tenant or object of run {run.RunId}");
                    case VolumeChange v when KeyedBy(v.Driver, changes) is var keyed && (keyed.Count == 0 || !Reaches(keyed, v.Target)):
                        throw keyed.Count == 0
                            ? Error(v.Path + ".driver", $"no rule of run {run.RunId} is keyed by '{v.Driver}', so a volume of it moves no money")
                            : Error(v.Path + ".target",
                                $"'{v.Target}' is not among the listed targets of the rules keyed by '{v.Driver}' ({string.Join(", ", keyed)}), so its volume moves no money");
                    case KeyChange k when !Exists("SELECT 1 FROM rules WHERE source = ?", k.Rule):
                        throw Error(k.Path + ".rule", $"'{k.Rule}' has no rule in run {run.RunId}");
                    case KeyChange k when !Exists("SELECT 1 FROM rules WHERE source = ? AND method = 'driver'", k.Rule):
                        throw Error(k.Path + ".rule", $"'{k.Rule}' is not allocated by a key (driver rule), so its key cannot be switched");
                    case KeyChange k when !IsDriver(k.Driver):
                        throw Error(k.Path + ".driver", $"'{k.Driver}' is not a key (driver) of run {run.RunId}");
                    case TenantLeaves l when !IsTenant(l.Tenant):
                        throw Error(l.Path + ".tenant", $"'{l.Tenant}' is not a tenant of run {run.RunId}");
                    case TenantJoins j when IsTenant(j.Tenant):
                        throw Error(j.Path + ".tenant", $"'{j.Tenant}' is a tenant of run {run.RunId} already: change its volumes instead");
                    case TenantJoins j when IsObject(j.Tenant):
                        throw Error(j.Path + ".tenant", $"'{j.Tenant}' names an object of run {run.RunId}, not a tenant; choose a new id");
                    case TenantJoins j:
                        foreach (var service in j.Quantities.Keys)
                        {
                            if (QuoteEngine.ServiceProblem(connection, service) is { } problem)
                            {
                                throw Error($"{j.Path}.quantities.{service}", problem.Message.Replace("this package", "run " + run.RunId, StringComparison.Ordinal));
                            }
                        }

                        break;
                    default:
                        break;
                }
            }
        }

        /// <summary>
        /// Adds a cost change to <c>mapped_lines</c> per object and cost pool it matches: by a percentage, each one's
        /// cost × percent ÷ 100 half away from zero to the öre; by an amount, split over those with a positive cost in
        /// proportion to it (largest remainder, ties by object and pool). Returns the cost added.
        /// </summary>
        public long Apply(CostChange change)
        {
            // The run's own cost, not what earlier changes made of it: two changes of one pool add up.
            var lines = change.AccountFrom is null
                ? "SELECT object, cost_pool, amount FROM simulation_base"
                : $"""
                  SELECT object, cost_pool, CAST(amount * 100 AS BIGINT) AS amount
                  FROM read_parquet({Duck.Literal(run.ParquetPath("trail/mapped_lines") ?? throw TbmException.NotFound($"run {run.RunId} has no trail/mapped_lines to select accounts from"))})
                  WHERE fiscal_year = $year AND scenario = $scenario AND account BETWEEN $from AND $to
                  """;
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"""
                    CREATE OR REPLACE TEMP TABLE simulation_matched AS
                    SELECT object, cost_pool, CAST(sum(amount) AS BIGINT) AS s FROM ({lines})
                    WHERE (CAST($pool AS VARCHAR) IS NULL OR cost_pool = $pool) AND (CAST($object AS VARCHAR) IS NULL OR object = $object)
                    GROUP BY ALL HAVING sum(amount) <> 0
                    """;
                command.Parameters.Add(new DuckDBParameter("pool", change.CostPool));
                command.Parameters.Add(new DuckDBParameter("object", change.Object));
                if (change.AccountFrom is not null)
                {
                    command.Parameters.Add(new DuckDBParameter("year", year));
                    command.Parameters.Add(new DuckDBParameter("scenario", scenario));
                    command.Parameters.Add(new DuckDBParameter("from", change.AccountFrom));
                    command.Parameters.Add(new DuckDBParameter("to", change.AccountTo));
                }

                command.ExecuteNonQuery();
            }

            var period = string.Create(CultureInfo.InvariantCulture, $"{year} {scenario}");
            if (connection.Scalar<long>("SELECT count(*) FROM simulation_matched") == 0)
            {
                throw Error(change.Path, $"matches no cost of run {run.RunId} in {period}");
            }

            if (change.Percent is { } percent)
            {
                // Percent in ten-thousandths: s × p ÷ 10^6, half away from zero.
                var p = (long)(percent * 10_000m);
                connection.Execute("""
                    CREATE OR REPLACE TEMP TABLE simulation_delta AS
                    SELECT object, cost_pool, CAST(sign(s) * sign(?) * ((abs(CAST(s AS HUGEINT) * ?) * 2 + 1000000) // 2000000) AS BIGINT) AS delta
                    FROM simulation_matched
                    """, p, p);
            }
            else
            {
                var amount = change.Amount!.Value;
                if (connection.Scalar<long>("SELECT count(*) FROM simulation_matched WHERE s > 0") == 0)
                {
                    throw Error(change.Path, $"matches no positive cost of run {run.RunId} in {period} to spread the amount over");
                }

                connection.Execute("""
                    CREATE OR REPLACE TEMP TABLE simulation_delta AS
                    WITH parts AS (
                      SELECT object, cost_pool, abs(CAST(? AS HUGEINT)) * s // sum(s) OVER () AS q, abs(CAST(? AS HUGEINT)) * s % sum(s) OVER () AS r
                      FROM simulation_matched WHERE s > 0),
                    ranked AS (
                      SELECT *, abs(CAST(? AS HUGEINT)) - sum(q) OVER () AS leftover, row_number() OVER (ORDER BY r DESC, object, cost_pool) AS place FROM parts)
                    SELECT object, cost_pool, CAST(sign(?) * (q + CASE WHEN place <= leftover THEN 1 ELSE 0 END) AS BIGINT) AS delta FROM ranked
                    """, amount, amount, amount, amount);
            }

            connection.Execute("""
                INSERT INTO mapped_lines (fiscal_year, scenario, object, cost_pool, amount)
                SELECT ?, ?, object, cost_pool, delta FROM simulation_delta WHERE delta <> 0
                """, year, scenario);
            // The period's cost moves with it, so the allocation's conservation check still holds the simulation to the öre.
            var added = connection.Scalar<long>("SELECT CAST(coalesce(sum(delta), 0) AS BIGINT) FROM simulation_delta");
            connection.Execute("UPDATE periods SET ledger_total = ledger_total + ?", added);
            return added;
        }

        /// <summary>Sets the key's quantity for its target in the period (0: none).</summary>
        public SimulatedChange Apply(VolumeChange change)
        {
            connection.Execute("DELETE FROM drivers WHERE fiscal_year = ? AND scenario = ? AND driver = ? AND target = ?", year, scenario, change.Driver, change.Target);
            if (change.Quantity > 0)
            {
                connection.Execute("INSERT INTO drivers (fiscal_year, scenario, driver, target, quantity) VALUES (?, ?, ?, ?, ?)", year, scenario, change.Driver, change.Target, change.Quantity);
            }

            return new SimulatedChange(change.Path, "volume", 0);
        }

        /// <summary>Switches the rule to the key.</summary>
        public SimulatedChange Apply(KeyChange change)
        {
            connection.Execute("UPDATE rules SET driver = ? WHERE source = ?", change.Driver, change.Rule);
            return new SimulatedChange(change.Path, "key", 0);
        }

        /// <summary>Adds the joining tenant (its weights are added after the keys are weighed).</summary>
        public SimulatedChange Apply(TenantJoins change)
        {
            connection.Execute("INSERT INTO tenants (tenant_id, name) VALUES (?, ?)", change.Tenant, change.Name);
            return new SimulatedChange(change.Path, "join", 0);
        }
    }
}
