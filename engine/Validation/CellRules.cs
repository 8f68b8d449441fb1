using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// The one place where a cell's text is checked and typed, as SQL over the staging tables, for every
/// source format alike. Each kind gives a reason (NULL when the cell is fine) and a typed value (NULL
/// when it is not), so all bad cells of a million-line ledger are reported in one pass.
/// </summary>
internal static class CellRules
{
    private const string IdPattern = @"'[\p{L}\p{N}_.\-]+'";

    /// <summary>Checks every cell of <paramref name="table"/> and creates its typed table (named like the table).</summary>
    public static void Type(DuckDBConnection connection, TableSpec table, ErrorLog errors)
    {
        var stage = Ingest.Staging.TableName(table);
        foreach (var column in table.Columns)
        {
            var v = "s." + Duck.Ident(column.Name);
            var reason = Reason(column, v);
            errors.AddQuery($"""
                SELECT f.file, s.line, '{column.Name}', {reason}
                FROM {stage} s JOIN sources f USING (src)
                WHERE {reason} IS NOT NULL
                """, ErrorLog.Cell);
        }

        var typed = string.Join(",\n  ", table.Columns.Select(c => $"{Typed(c, "s." + Duck.Ident(c.Name))} AS {Duck.Ident(c.Name)}"));
        connection.Execute($"CREATE TABLE {table.Name} AS SELECT s.src, s.line,\n  {typed}\nFROM {stage} s");
    }

    private static string Shown(string v) => $"'''' || left({v}, 60) || ''''";

    private static string Reason(ColumnSpec c, string v)
    {
        var missing = c.Required ? "'a value is required'" : "NULL";
        var check = c.Kind switch
        {
            CellKind.Id => $"WHEN NOT regexp_full_match({v}, {IdPattern}) THEN {Shown(v)} || ' is not an id (letters, digits, _ - .)'",
            CellKind.Text => "WHEN false THEN NULL",
            CellKind.Integer => $"WHEN NOT regexp_full_match({v}, '[+-]?[0-9]{{1,9}}') THEN {Shown(v)} || ' is not a whole number'",
            CellKind.Count => $"WHEN regexp_full_match({v}, '-[0-9]+') THEN {Shown(v)} || ' must not be negative' "
                + $"WHEN NOT regexp_full_match({v}, '[+]?[0-9]{{1,9}}') THEN {Shown(v)} || ' is not a whole number'",
            CellKind.Year => $"WHEN NOT regexp_full_match({v}, '[0-9]{{4}}') OR TRY_CAST({v} AS INTEGER) NOT BETWEEN 1900 AND 2999 THEN {Shown(v)} || ' is not a year (1900–2999)'",
            CellKind.Period => $"WHEN NOT regexp_full_match({v}, '[0-9]{{1,2}}') OR TRY_CAST({v} AS INTEGER) NOT BETWEEN 1 AND 12 THEN {Shown(v)} || ' is not a period (1–12)'",
            CellKind.Money => $"WHEN regexp_full_match({v}, '[+-]?[0-9]{{1,15}}(\\.[0-9]{{1,2}}0*)?') THEN NULL "
                + $"WHEN regexp_full_match({v}, '[+-]?[0-9]{{1,15}}\\.[0-9]+') THEN {Shown(v)} || ' has more than two decimals: amounts are SEK to the öre, never rounded' "
                + $"WHEN regexp_full_match({v}, '[+-]?[0-9]+(\\.[0-9]+)?') THEN {Shown(v)} || ' is out of range (at most 15 digits before the decimal point)' "
                + $"ELSE {Shown(v)} || ' is not an amount (digits, optional sign, at most two decimals after a ''.'')'",
            CellKind.Quantity => $"WHEN regexp_full_match({v}, '[+]?[0-9]{{1,12}}(\\.[0-9]{{1,6}}0*)?') THEN NULL "
                + $"WHEN regexp_full_match({v}, '-[0-9]+(\\.[0-9]+)?') THEN {Shown(v)} || ' is negative: quantities must be 0 or more' "
                + $"WHEN regexp_full_match({v}, '[+]?[0-9]{{1,12}}\\.[0-9]+') THEN {Shown(v)} || ' has more than six decimals' "
                + $"ELSE {Shown(v)} || ' is not a quantity (digits, at most six decimals after a ''.'')'",
            CellKind.Scenario => $"WHEN lower({v}) NOT IN ('actual', 'budget', 'forecast') THEN {Shown(v)} || ' is not a scenario (actual, budget, forecast)'",
            CellKind.ObjectKind => $"WHEN lower({v}) NOT IN ('tower', 'service', 'other') THEN {Shown(v)} || ' is not an object kind (tower, service, other)'",
            CellKind.Method => $"WHEN lower({v}) NOT IN ('driver', 'even', 'fixed', 'direct') THEN {Shown(v)} || ' is not a method (driver, even, fixed, direct)'",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Kind, null),
        };
        return $"(CASE WHEN {v} IS NULL THEN {missing} {check} END)";
    }

    private static string Typed(ColumnSpec c, string v)
    {
        var ok = $"{Reason(c with { Required = false }, v)} IS NULL";
        var value = c.Kind switch
        {
            CellKind.Id or CellKind.Text => v,
            CellKind.Integer or CellKind.Count or CellKind.Year or CellKind.Period => $"TRY_CAST({v} AS INTEGER)",
            CellKind.Money => $"TRY_CAST(TRY_CAST(ltrim({v}, '+') AS DECIMAL(38,6)) * 100 AS BIGINT)",
            CellKind.Quantity => $"TRY_CAST(TRY_CAST(ltrim({v}, '+') AS DECIMAL(38,6)) * 1000000 AS BIGINT)",
            CellKind.Scenario or CellKind.ObjectKind or CellKind.Method => $"lower({v})",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Kind, null),
        };
        var typed = $"(CASE WHEN {v} IS NOT NULL AND {ok} THEN {value} END)";
        return c.Default is null ? typed : $"(CASE WHEN {v} IS NULL THEN '{c.Default}' ELSE {typed} END)";
    }
}
