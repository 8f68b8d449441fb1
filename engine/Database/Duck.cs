using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;

namespace ItDrift.Tbm.Database;

/// <summary>Small helpers over one DuckDB connection. The run owns the connection; nothing here is shared across threads.</summary>
internal static class Duck
{
    /// <summary>
    /// With <c>TBM_TRACE_SQL=1</c> every statement's time and first line go to <see cref="System.Diagnostics.Trace"/>
    /// (category <c>sql</c>); the command line and the benchmarks send it to standard error (finding where a run's time goes).
    /// </summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("TBM_TRACE_SQL") == "1";

    /// <summary>
    /// While a caller sets it, each statement run on its flow adds one: the tests hold a run's statement
    /// count to be the same whatever the ledger's size (no statement per line or per row).
    /// </summary>
    internal static AsyncLocal<StrongBox<long>?> StatementCount { get; } = new();

    public static DuckDBConnection OpenInMemory(EngineSettings settings)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        if (settings.MemoryLimit is { } limit)
        {
            connection.Execute($"SET memory_limit = {Literal(limit)}");
        }

        if (settings.TempDirectory is { } temp)
        {
            connection.Execute($"SET temp_directory = {Literal(temp)}");
        }

        if (settings.Threads is { } threads)
        {
            connection.Execute($"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
        }

        // Output order is part of the contract; make sure DuckDB keeps it.
        connection.Execute("SET preserve_insertion_order = true");
        return connection;
    }

    public static void Execute(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        }

        var started = Trace ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        command.ExecuteNonQuery();
        Ran(sql, started);
    }

    public static T Scalar<T>(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        }

        var started = Trace ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        var value = command.ExecuteScalar();
        Ran(sql, started);
        if (value is System.Numerics.BigInteger huge)
        {
            value = (long)huge; // HUGEINT sums; an overflow here throws rather than wraps
        }

        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a small result (configuration tables, summaries) row by row.</summary>
    public static List<T> Query<T>(this DuckDBConnection connection, string sql, Func<DuckDBDataReader, T> map, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        }

        var started = Trace ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        var rows = new List<T>();
        using (var reader = (DuckDBDataReader)command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(map(reader));
            }
        }

        Ran(sql, started);
        return rows;
    }

    private static void Ran(string sql, long started)
    {
        if (StatementCount.Value is { } count)
        {
            Interlocked.Increment(ref count.Value);
        }

        if (Trace)
        {
            var text = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            System.Diagnostics.Trace.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,9:0.0} ms  {text[..Math.Min(text.Length, 140)]}"), "sql");
        }
    }

    /// <summary>A SQL string literal. Used only where DuckDB takes no parameter (file paths in COPY and readers, SET).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A quoted identifier.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string? NullableString(this DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long Int64(this DuckDBDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        System.Numerics.BigInteger huge => (long)huge,
        var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    public static long? NullableInt64(this DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.Int64(ordinal);
}
