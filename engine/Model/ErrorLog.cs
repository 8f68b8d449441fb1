using DuckDB.NET.Data;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Model;

/// <summary>
/// Every model error of one run, in the run's DuckDB database, so that a ledger with a million bad
/// cells is reported in full without a million objects.
/// </summary>
/// <remarks>
/// Origins rank the same cell's reports: a reader's precise message (say, an ambiguous Swedish number)
/// wins over the generic cell check that would also reject the value.
/// </remarks>
internal sealed class ErrorLog
{
    public const int Reader = 0;
    public const int Cell = 1;
    public const int Check = 2;

    private readonly DuckDBConnection _connection;
    private readonly List<(ModelError Error, int Origin)> _pending = [];

    public ErrorLog(DuckDBConnection connection)
    {
        _connection = connection;
        _connection.Execute("CREATE TABLE errors (file VARCHAR, line INTEGER, \"column\" VARCHAR, reason VARCHAR, origin INTEGER)");
    }

    public void Add(ModelError error, int origin = Check)
    {
        _pending.Add((error, origin));
        if (_pending.Count >= 10_000)
        {
            Flush();
        }
    }

    public void AddRange(IEnumerable<ModelError> errors)
    {
        foreach (var e in errors)
        {
            Add(e);
        }
    }

    /// <summary>Adds the rows of a query returning <c>file, line, column, reason</c>.</summary>
    public void AddQuery(string select, int origin = Check, params object?[] parameters)
    {
        Flush();
        _connection.Execute($"INSERT INTO errors SELECT e.*, {origin} FROM ({select}) e", parameters);
    }

    public long Count
    {
        get
        {
            Flush();
            return _connection.Scalar<long>("SELECT count(*) FROM errors");
        }
    }

    /// <summary>Drops a generic cell report where a reader already said what is wrong with that cell.</summary>
    public void Settle()
    {
        Flush();
        _connection.Execute($"""
            DELETE FROM errors e WHERE e.origin = {Cell} AND EXISTS (
              SELECT 1 FROM errors r WHERE r.origin = {Reader} AND r.file = e.file AND r.line = e.line AND r."column" = e."column")
            """);
    }

    // An empty column is written as an empty field, not as a quoted "".
    public const string OrderedSelect = "SELECT file, line, nullif(\"column\", '') AS \"column\", reason FROM (SELECT DISTINCT file, line, \"column\", reason FROM errors) ORDER BY file, line, \"column\", reason";

    public IReadOnlyList<ModelError> First(int count)
    {
        Settle();
        return _connection.Query($"{OrderedSelect} LIMIT {count}", r => new ModelError(r.GetString(0), r.GetInt32(1), r.NullableString(2) ?? "", r.GetString(3)));
    }

    public void WriteCsv(string path)
    {
        Settle();
        _connection.Execute($"COPY ({OrderedSelect}) TO {Duck.Literal(path)} (HEADER, DELIMITER ',')");
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using (var appender = _connection.CreateAppender("errors"))
        {
            foreach (var (e, origin) in _pending)
            {
                appender.CreateRow().AppendValue(e.File).AppendValue((int?)e.Line).AppendValue(e.Column).AppendValue(e.Reason).AppendValue((int?)origin).EndRow();
            }
        }

        _pending.Clear();
    }
}
