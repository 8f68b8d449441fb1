using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Access;
using ItDrift.Tbm.Api.Data;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Api.Tables;

/// <summary>The representations a table is served in.</summary>
internal enum TableFormat
{
    Json,
    Csv,
    Arrow,
}

/// <summary>
/// Reads the run tables through DuckDB (the Parquet files of the run folder, in process) and writes
/// them as a JSON page, or whole as CSV (the run folder's own text form) or as an Arrow IPC stream
/// (typed: DECIMAL(18,2) amounts), streamed to the client without holding the table in memory.
/// </summary>
/// <remarks>
/// Published runs never change, so the first request for a table of a run copies its Parquet file
/// into a table of the API's in-memory DuckDB database, and later requests query that copy: a tenant's
/// fees are then a filter over an in-memory column store, not a Parquet decode. Tables with a tenant
/// column are copied in tenant order, so that a tenant's query reads only its own row groups. The
/// tables of the <see cref="CachedRuns"/> most recently used runs are kept, and a run's tables are
/// dropped as soon as the run leaves the store (<see cref="Drop"/>, from <see cref="RunCatalog"/>).
/// </remarks>
internal sealed partial class RunTables(DuckPool pool, ILogger<RunTables> logger) : IRunCache
{
    /// <summary>How many runs' tables stay in memory.</summary>
    public const int CachedRuns = 8;

    private readonly ConcurrentDictionary<(string Supplier, string RunId, string Table), Lazy<string>> _tables = new();
    private readonly ConcurrentDictionary<(string Supplier, string RunId), long> _used = new();
    private readonly Lock _eviction = new();

    public const string ArrowMediaType = "application/vnd.apache.arrow.stream";
    public const string CsvMediaType = "text/csv";

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 10_000;

    /// <summary><c>?format=json|csv|arrow</c> first, then the Accept header; JSON by default.</summary>
    public static TableFormat Negotiate(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        if (format.Length > 0)
        {
            return format.ToUpperInvariant() switch
            {
                "CSV" => TableFormat.Csv,
                "ARROW" => TableFormat.Arrow,
                _ => TableFormat.Json,
            };
        }

        var accept = request.Headers.Accept.ToString();
        return accept.Contains(ArrowMediaType, StringComparison.OrdinalIgnoreCase) ? TableFormat.Arrow
            : accept.Contains(CsvMediaType, StringComparison.OrdinalIgnoreCase) ? TableFormat.Csv
            : TableFormat.Json;
    }

    /// <summary>The in-memory copy of a run table (made on first use), as a quoted SQL name.</summary>
    /// <exception cref="FileNotFoundException">The run has no such table.</exception>
    public string Table(CatalogRun run, string table)
    {
        _used[(run.Supplier, run.RunId)] = Environment.TickCount64;
        return _tables.GetOrAdd((run.Supplier, run.RunId, table), key => new Lazy<string>(() => Load(run, key.Table))).Value;
    }

    /// <summary>
    /// The objects whose figures a tenant may not see, per period (<see cref="Tbm.Access.RunDisclosure"/>), as an
    /// in-memory table of the run (made on first use, dropped with the run's other tables).
    /// </summary>
    public string HiddenObjects(CatalogRun run)
    {
        _used[(run.Supplier, run.RunId)] = Environment.TickCount64;
        return _tables.GetOrAdd((run.Supplier, run.RunId, HiddenTable), key => new Lazy<string>(() =>
        {
            var name = Name(run, HiddenTable);
            using var lease = pool.Rent();
            using (var create = lease.Command($"CREATE OR REPLACE TABLE {name} (fiscal_year INTEGER, scenario VARCHAR, object VARCHAR)", []))
            {
                create.ExecuteNonQuery();
            }

            using (var appender = lease.Connection.CreateAppender(name.Trim('"')))
            {
                foreach (var (year, scenario, objectId) in run.Folder.Disclosure.Hidden)
                {
                    appender.CreateRow().AppendValue(year).AppendValue(scenario).AppendValue(objectId).EndRow();
                }
            }

            Evict();
            return name;
        })).Value;
    }

    /// <summary>The key under which <see cref="HiddenObjects"/> is kept (not a table name of the run folder: it has a space).</summary>
    private const string HiddenTable = "disclosure hidden";

    private static string Name(CatalogRun run, string table) =>
        "\"run_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{run.Supplier}/{run.RunId}/{table}")))[..20] + "\"";

    private string Load(CatalogRun run, string table)
    {
        var source = run.Folder.Table(table);
        var name = Name(run, table);

        // A table with a tenant column is kept in tenant order: DuckDB's min/max statistics per row group
        // then let a tenant's query read only the row groups that hold its rows (one or two of a million-row
        // fee table's ten), instead of every row.
        var order = TableSpec.Find(table) is { TenantColumn: { } tenant } spec ? $" ORDER BY {tenant}, {string.Join(", ", spec.Order)}" : "";
        using (var lease = pool.Rent())
        using (var command = lease.Command($"CREATE TABLE IF NOT EXISTS {name} AS SELECT * FROM {source}{order}", []))
        {
            command.ExecuteNonQuery();
        }

        Evict();
        return name;
    }

    /// <summary>Drops the tables of the least recently used run when more than <see cref="CachedRuns"/> are held (never of a run used in the last minute).</summary>
    private void Evict()
    {
        lock (_eviction)
        {
            var runs = _tables.Keys.Select(k => (k.Supplier, k.RunId)).Distinct().ToList();
            if (runs.Count <= CachedRuns)
            {
                return;
            }

            var oldest = runs.OrderBy(r => _used.GetValueOrDefault(r)).First();
            if (Environment.TickCount64 - _used.GetValueOrDefault(oldest) < 60_000)
            {
                return;
            }

            DropTables(oldest.Supplier, oldest.RunId);
            Evicted(logger, oldest.RunId, oldest.Supplier);
        }
    }

    /// <summary>Drops the in-memory copies of a run's tables (the run left the store).</summary>
    public void Drop(string supplier, string runId)
    {
        lock (_eviction)
        {
            DropTables(supplier, runId);
        }
    }

    /// <summary>Whether any table of the run is held in memory.</summary>
    public bool Holds(string supplier, string runId) => _tables.Keys.Any(k => k.Supplier == supplier && k.RunId == runId);

    private void DropTables(string supplier, string runId)
    {
        foreach (var key in _tables.Keys.Where(k => k.Supplier == supplier && k.RunId == runId).ToList())
        {
            if (_tables.TryRemove(key, out var table) && table.IsValueCreated)
            {
                using var lease = pool.Rent();
                using var command = lease.Command($"DROP TABLE IF EXISTS {table.Value}", []);
                command.ExecuteNonQuery();
            }
        }

        _used.TryRemove((supplier, runId), out _);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Run {RunId} of {Supplier} left the table cache")]
    private static partial void Evicted(ILogger logger, string runId, string supplier);

    /// <summary>The SQL source of a table as this caller may see it (<see cref="TableAccess.Sql"/>: the engine's one policy).</summary>
    public string Source(RunScope scope, TableSpec spec) =>
        spec.Access.Sql(scope.Grant, Table(scope.Run, spec.Name), spec.Access.Aggregates is { Count: > 0 } && scope.TenantReader ? HiddenObjects(scope.Run) : null);

    /// <summary>How many rows match, and the sums of the totalled columns over all of them.</summary>
    public (long Rows, Dictionary<string, decimal?> Totals) Count(RunScope scope, TableSpec spec, TableFilter filter)
    {
        var (where, parameters) = filter.Sql(spec, scope);
        var totals = spec.Columns.Where(c => c.Total).ToList();
        var sums = string.Concat(totals.Select(c => $", sum({c.Name})"));
        using var lease = pool.Rent();
        using var command = lease.Command($"SELECT count(*){sums} FROM {Source(scope, spec)} t {where}", parameters);
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        var result = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        for (var i = 0; i < totals.Count; i++)
        {
            // No rows: a total of zero. Rows whose every value is suppressed: no total either.
            result[Camel(totals[i].Name)] = !reader.IsDBNull(i + 1) ? Money(reader.GetDecimal(i + 1)) : rows == 0 ? 0.00m : null;
        }

        return (rows, result);
    }

    /// <summary>
    /// The row count and the totalled columns' sums per fiscal year and scenario, for a table that has both
    /// and totals something: a sum over years and scenarios (actual plus budget) means nothing to a reader.
    /// </summary>
    public List<PeriodTotals>? ByPeriod(RunScope scope, TableSpec spec, TableFilter filter)
    {
        var totals = spec.Columns.Where(c => c.Total).ToList();
        if (totals.Count == 0 || !spec.Has("fiscal_year") || !spec.Has("scenario"))
        {
            return null;
        }

        var (where, parameters) = filter.Sql(spec, scope);
        var sums = string.Concat(totals.Select(c => $", sum({c.Name})"));
        using var lease = pool.Rent();
        using var command = lease.Command($"SELECT fiscal_year, scenario, count(*){sums} FROM {Source(scope, spec)} t {where} GROUP BY ALL ORDER BY fiscal_year, scenario", parameters);
        using var reader = command.ExecuteReader();
        var periods = new List<PeriodTotals>();
        while (reader.Read())
        {
            var result = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            for (var i = 0; i < totals.Count; i++)
            {
                // Rows whose every value is suppressed: no total.
                result[Camel(totals[i].Name)] = reader.IsDBNull(i + 3) ? null : Money(reader.GetDecimal(i + 3));
            }

            periods.Add(new PeriodTotals(reader.GetInt32(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), result));
        }

        return periods;
    }

    /// <summary>One page of rows, mapped to the endpoint's item type.</summary>
    public List<T> Page<T>(RunScope scope, TableSpec spec, TableFilter filter, int page, int pageSize, Func<DuckDBDataReader, T> map)
    {
        var (where, parameters) = filter.Sql(spec, scope);
        parameters.Add((long)pageSize);
        parameters.Add((long)(page - 1) * pageSize);
        using var lease = pool.Rent();
        using var command = lease.Command($"SELECT {Columns(spec)} FROM {Source(scope, spec)} t {where} ORDER BY {string.Join(", ", spec.Order)} LIMIT ? OFFSET ?", parameters);
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>The run's tables as the engine's explainer reads them: these in-memory copies.</summary>
    public Tbm.Explain.IRunTableSource Of(CatalogRun run) => new RunSource(this, run);

    /// <summary>Runs a small query of the caller's own (explanations, summaries) on a pooled connection.</summary>
    public List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters)
    {
        using var lease = pool.Rent();
        using var command = lease.Command(sql, parameters);
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Every matching row as CSV in the run folder's text form (comma, point, two decimals, header).</summary>
    public async Task WriteCsvAsync(RunScope scope, TableSpec spec, TableFilter filter, Stream output, CancellationToken cancellationToken)
    {
        var (where, parameters) = filter.Sql(spec, scope);
        using var lease = pool.Rent();
        using var command = lease.Command($"SELECT {Columns(spec)} FROM {Source(scope, spec)} t {where} ORDER BY {string.Join(", ", spec.Order)}", parameters);
        command.UseStreamingMode = true;
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(',', spec.Columns.Select(c => c.Name)));
        var line = new StringBuilder();
        while (reader.Read())
        {
            line.Clear();
            for (var i = 0; i < spec.Columns.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                if (!reader.IsDBNull(i))
                {
                    line.Append(spec.Columns[i].Type switch
                    {
                        RunColumnType.Integer => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                        RunColumnType.Money => reader.GetDecimal(i).ToString("0.00", CultureInfo.InvariantCulture),
                        RunColumnType.Quantity or RunColumnType.Decimal => reader.GetDecimal(i).ToString("0.######", CultureInfo.InvariantCulture),
                        RunColumnType.Flag => reader.GetBoolean(i) ? "true" : "false",
                        _ => Quoted(reader.GetString(i)),
                    });
                }
            }

            await writer.WriteLineAsync(line, cancellationToken);
        }
    }

    /// <summary>Every matching row as an Arrow IPC stream, batch by batch as DuckDB produces them.</summary>
    public async Task WriteArrowAsync(RunScope scope, TableSpec spec, TableFilter filter, Stream output, CancellationToken cancellationToken)
    {
        var (where, parameters) = filter.Sql(spec, scope);
        using var lease = pool.Rent();
        using var command = lease.Command($"SELECT {Columns(spec)} FROM {Source(scope, spec)} t {where} ORDER BY {string.Join(", ", spec.Order)}", parameters);
        command.UseStreamingMode = true;
        using var stream = command.ExecuteArrowStream();
        using var writer = new ArrowStreamWriter(output, stream.Schema, leaveOpen: true);
        await writer.WriteStartAsync(cancellationToken);
        while (await stream.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
        {
            using (batch)
            {
                await writer.WriteRecordBatchAsync(batch, cancellationToken);
            }
        }

        await writer.WriteEndAsync(cancellationToken);
    }

    /// <summary>Two decimals always (a decimal's scale is part of its JSON text).</summary>
    public static decimal Money(decimal value) => decimal.Round(value, 2) + 0.00m;

    /// <summary>A quantity in its shortest exact form (<c>242.5</c>, <c>534</c>), as the run's CSV writes it.</summary>
    public static decimal Quantity(decimal value) => value / 1.000000000000000000000000000000000m;

    public static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static string Columns(TableSpec spec) => string.Join(", ", spec.Columns.Select(c => c.Name));

    private static string Quoted(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

/// <summary>One run's tables of <see cref="RunTables"/>, for the engine.</summary>
internal sealed class RunSource(RunTables tables, CatalogRun run) : Tbm.Explain.IRunTableSource
{
    public string Table(string name) => tables.Table(run, name);

    public List<T> Query<T>(string sql, Func<DuckDBDataReader, T> map, params object?[] parameters) => tables.Query(sql, map, parameters);
}
