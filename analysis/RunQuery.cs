using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Runs;
using Microsoft.Data.Analysis;

namespace ItDrift.Tbm.Analysis;

/// <summary>
/// One query over a table of one or more runs, as the caller may see it, on a private in-memory DuckDB
/// connection that reads the runs' Parquet files; disposed with the query (or with the Arrow stream it hands out).
/// </summary>
internal sealed class RunQuery : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly TableAccess _access;
    private readonly string _sql;
    private readonly bool _withSupplier;

    private RunQuery(DuckDBConnection connection, TableAccess access, string sql, bool withSupplier)
    {
        _connection = connection;
        _access = access;
        _sql = sql;
        _withSupplier = withSupplier;
    }

    public static RunQuery Open(IReadOnlyList<RunFolder> runs, string table, AccessGrant? grant, bool withSupplier)
    {
        ArgumentNullException.ThrowIfNull(table);
        var access = TableAccess.Of(table)
            ?? throw TbmException.Usage($"a run has no table '{table}' (tables: {string.Join(", ", TableAccess.All.Select(a => a.Table.Name))})");
        if (grant is not null && !access.MayRead(grant))
        {
            throw TbmException.NotFound($"a tenant does not read the run's {table} table");
        }

        var having = runs.Where(r => r.Has(table)).ToList();
        if (having.Count == 0)
        {
            throw TbmException.NotFound(runs.Count == 1
                ? $"run {runs[0].RunId} has no {table} table"
                : $"none of the {runs.Count.ToString(CultureInfo.InvariantCulture)} runs has a {table} table");
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            var parts = new List<string>();
            for (var i = 0; i < having.Count; i++)
            {
                var run = having[i];
                string? hidden = null;
                if (grant?.Role == Role.Tenant && access.Aggregates is { Count: > 0 })
                {
                    hidden = "hidden_" + i.ToString(CultureInfo.InvariantCulture);
                    Hidden(connection, hidden, run);
                }

                var source = grant is null ? $"(SELECT * FROM {run.Table(table)})" : access.Sql(grant, run.Table(table), hidden);
                var columns = string.Join(", ", access.Table.Columns.Select(c => c.Name));
                parts.Add(withSupplier ? $"SELECT {Literal(run.SupplierId)} AS supplier, {columns} FROM {source}" : $"SELECT {columns} FROM {source}");
            }

            IEnumerable<string> order = withSupplier ? ["supplier", .. access.Table.Key] : access.Table.Key;
            var sql = $"SELECT * FROM ({string.Join(" UNION ALL ", parts)}) ORDER BY {string.Join(", ", order)}";
            return new RunQuery(connection, access, sql, withSupplier);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The rows as a DataFrame: whole numbers as <see cref="int"/>/<see cref="long"/>, money and quantities as <see cref="decimal"/>, text as strings.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>();
        var types = new List<RunColumnType>();
        if (_withSupplier)
        {
            columns.Add(new StringDataFrameColumn("supplier"));
            types.Add(RunColumnType.Text);
        }

        foreach (var column in _access.Table.Columns)
        {
            columns.Add(column.Type switch
            {
                RunColumnType.Integer when column.Name == "fiscal_year" => new Int32DataFrameColumn(column.Name),
                RunColumnType.Integer => new Int64DataFrameColumn(column.Name),
                RunColumnType.Money or RunColumnType.Quantity or RunColumnType.Decimal => new DecimalDataFrameColumn(column.Name),
                RunColumnType.Flag => new BooleanDataFrameColumn(column.Name),
                _ => new StringDataFrameColumn(column.Name),
            });
            types.Add(column.Type);
        }

        using var command = _connection.CreateCommand();
        command.CommandText = _sql;
        command.UseStreamingMode = true;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var isNull = reader.IsDBNull(i);
                switch (columns[i])
                {
                    case Int32DataFrameColumn c: c.Append(isNull ? null : Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture)); break;
                    case Int64DataFrameColumn c: c.Append(isNull ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture)); break;
                    case DecimalDataFrameColumn c: c.Append(isNull ? null : Exact(reader.GetDecimal(i), types[i])); break;
                    case BooleanDataFrameColumn c: c.Append(isNull ? null : reader.GetBoolean(i)); break;
                    case StringDataFrameColumn c: c.Append(isNull ? null : reader.GetString(i)); break;
                    default: throw new InvalidOperationException($"no reader for column {columns[i].Name}");
                }
            }
        }

        return new DataFrame(columns);
    }

    /// <summary>The rows as an Arrow stream that owns this query: disposing the stream closes the connection.</summary>
    public IArrowArrayStream ToArrow()
    {
        try
        {
            var command = _connection.CreateCommand();
            command.CommandText = _sql;
            command.UseStreamingMode = true;
            return new OwnedStream(command.ExecuteArrowStream(), command, this);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Money with exactly two decimals (<c>12.50</c>, not <c>12.5</c>), as in the run folder's CSV; quantities in their shortest exact form.</summary>
    private static decimal Exact(decimal value, RunColumnType type) => type == RunColumnType.Money
        ? decimal.Round(value, 2) + 0.00m
        : value / 1.000000000000000000000000000000000m;

    private static void Hidden(DuckDBConnection connection, string name, RunFolder run)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE {name} (fiscal_year INTEGER, scenario VARCHAR, object VARCHAR)";
            create.ExecuteNonQuery();
        }

        using var appender = connection.CreateAppender(name);
        foreach (var (year, scenario, objectId) in run.Disclosure.Hidden)
        {
            appender.CreateRow().AppendValue(year).AppendValue(scenario).AppendValue(objectId).EndRow();
        }
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>DuckDB's Arrow stream, closing its command and connection when disposed.</summary>
    private sealed class OwnedStream(IArrowArrayStream inner, DuckDBCommand command, RunQuery owner) : IArrowArrayStream
    {
        public Schema Schema => inner.Schema;

        public ValueTask<RecordBatch> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default) => inner.ReadNextRecordBatchAsync(cancellationToken);

        public void Dispose()
        {
            inner.Dispose();
            command.Dispose();
            owner.Dispose();
        }
    }
}
