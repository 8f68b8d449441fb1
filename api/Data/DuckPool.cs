using System.Collections.Concurrent;
using DuckDB.NET.Data;

namespace ItDrift.Tbm.Api.Data;

/// <summary>
/// The API's one in-process DuckDB database (in memory; it only reads the runs' Parquet files) and a
/// pool of connections to it. A connection serves one request at a time and goes back to the pool when
/// the lease is disposed; DuckDB itself runs the queries of different connections in parallel.
/// </summary>
internal sealed class DuckPool : IDisposable
{
    private readonly DuckDBConnection _root;
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    private readonly Lock _opening = new();

    public DuckPool()
    {
        _root = new DuckDBConnection("DataSource=:memory:");
        _root.Open();
        using var command = _root.CreateCommand();

        // Parquet footers of immutable runs are read once, not on every request.
        command.CommandText = "SET enable_object_cache = true";
        command.ExecuteNonQuery();
    }

    /// <summary>A connection for the caller's exclusive use until the lease is disposed.</summary>
    public Lease Rent()
    {
        if (!_idle.TryTake(out var connection))
        {
            lock (_opening)
            {
                connection = _root.Duplicate();
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    connection.Open();
                }
            }
        }

        return new Lease(this, connection);
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _root.Dispose();
    }

    /// <summary>A rented connection.</summary>
    internal readonly struct Lease(DuckPool pool, DuckDBConnection connection) : IDisposable
    {
        public DuckDBConnection Connection { get; } = connection;

        /// <summary>A command with positional parameters (<c>?</c>).</summary>
        public DuckDBCommand Command(string sql, IEnumerable<object?> parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var p in parameters)
            {
                command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
            }

            return command;
        }

        public void Dispose() => pool._idle.Add(Connection);
    }
}
