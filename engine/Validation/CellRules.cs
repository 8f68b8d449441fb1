using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// The one place where a cell's text is checked and typed, as SQL over the staging tables, for every
/// source format alike. Each kind gives a reason (NULL when the cell is fine) and a typed value (NULL
/// when it is not), so all bad cells of a million-line ledger are reported in one pass.
/// </summary>
/// <remarks>
/// <para>
/// Two scans per table: one that finds every failing cell of every column (rows with none are dropped
/// before anything is built for them), and one that creates the typed table. A column in which no cell
/// failed is typed without its check, so a clean ledger is typed without a regular expression.
/// </para>
/// <para>
/// A source that <see cref="Ingest.TypedParquet"/> read typed (a Parquet ledger whose column types already
/// fit, checked in one aggregated scan) is a view <c>stage_NAME__typed_SRC</c>; it joins the typed table
/// here, and when it is the only source the typed table is a view over the file itself.
/// </para>
/// </remarks>
internal static class CellRules
{
    private const string IdPattern = @"'[\p{L}\p{N}_.\-]+'";

    /// <summary>Checks every cell of <paramref name="table"/> and creates its typed table (named like the table).</summary>
    public static void Type(DuckDBConnection connection, TableSpec table, ErrorLog errors)
    {
        var stage = Ingest.Staging.TableName(table);
        var typedSources = connection.Query(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND starts_with(view_name, ?) ORDER BY view_name",
            r => r.GetString(0),
            Ingest.TypedParquet.ViewPrefix(table));
        var staged = connection.Scalar<long>($"SELECT count(*) FROM (SELECT 1 FROM {stage} LIMIT 1)") > 0;
        if (!staged && typedSources.Count > 0)
        {
            connection.Execute($"CREATE VIEW {table.Name} AS {string.Join(" UNION ALL ", typedSources.Select(v => $"SELECT * FROM {Duck.Ident(v)}"))}");
            if (ReferenceEquals(table, Tables.Ledger))
            {
                DefineLedgerGroups(connection, connection.Query(
                    "SELECT view_name FROM duckdb_views() WHERE NOT internal AND starts_with(view_name, ?) ORDER BY view_name",
                    r => r.GetString(0),
                    Ingest.TypedParquet.GroupsPrefix));
            }

            return;
        }

        var failing = staged ? CheckCells(connection, table, stage, errors) : [];
        var typed = string.Join(",\n  ", table.Columns.Select(c => $"{Typed(c, "s." + Duck.Ident(c.Name), failing.Contains(c.Name))} AS {Duck.Ident(c.Name)}"));
        connection.Execute($"CREATE TABLE {table.Name} AS SELECT s.src, s.line,\n  {typed}\nFROM {stage} s");
        foreach (var view in typedSources)
        {
            connection.Execute($"INSERT INTO {table.Name} SELECT * FROM {Duck.Ident(view)}");
        }

        if (ReferenceEquals(table, Tables.Ledger))
        {
            DefineLedgerGroups(connection, []);
        }
    }

    /// <summary>The keys of <c>ledger_groups</c>.</summary>
    public static IReadOnlyList<string> LedgerGroupKeys { get; } = ["fiscal_year", "scenario", "account", "cost_center", "project"];

    /// <summary>
    /// <c>ledger_groups(fiscal_year, scenario, account, cost_center, project, amount, lines)</c>: the typed
    /// ledger summed per key, what the allocation starts from (<c>Allocator.Map</c>). A view: computed where
    /// it is read. Over the typed <c>ledger</c>; when the ledger is a view over typed Parquet files, over
    /// their <paramref name="groupViews"/> instead, which group on the files' own values before typing.
    /// </summary>
    public static void DefineLedgerGroups(DuckDBConnection connection, IReadOnlyList<string> groupViews)
    {
        var keys = string.Join(", ", LedgerGroupKeys.Select(Duck.Ident));
        var from = groupViews.Count == 0
            ? $"(SELECT {keys}, amount, 1 AS lines FROM ledger)"
            : "(" + string.Join(" UNION ALL ", groupViews.Select(v => $"SELECT * FROM {Duck.Ident(v)}")) + ")";
        var lines = groupViews.Count == 0 ? "count(*)" : "CAST(sum(lines) AS BIGINT)";
        connection.Execute($"CREATE OR REPLACE VIEW ledger_groups AS SELECT {keys}, CAST(sum(amount) AS BIGINT) AS amount, {lines} AS lines FROM {from} GROUP BY ALL");
    }

    /// <summary>One scan: every failing cell to the error log. Returns the names of the columns with a failing cell.</summary>
    private static HashSet<string> CheckCells(DuckDBConnection connection, TableSpec table, string stage, ErrorLog errors)
    {
        var checkedColumns = table.Columns.Where(c => c.Required || c.Kind != CellKind.Text).ToList();
        if (checkedColumns.Count == 0)
        {
            return [];
        }

        var reasons = string.Join(",\n    ", checkedColumns.Select(c => $"{Reason(c, "s." + Duck.Ident(c.Name))} AS {Duck.Ident(c.Name)}"));
        var any = checkedColumns.Count == 1 ? Duck.Ident(checkedColumns[0].Name) : $"coalesce({string.Join(", ", checkedColumns.Select(c => Duck.Ident(c.Name)))})";
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE cell_errors AS
            SELECT f.file, u.line, u."column", u.reason
            FROM (UNPIVOT (SELECT * FROM (SELECT s.src, s.line,
                    {reasons}
                  FROM {stage} s) WHERE {any} IS NOT NULL)
                  ON {string.Join(", ", checkedColumns.Select(c => Duck.Ident(c.Name)))} INTO NAME "column" VALUE reason) u
            JOIN sources f USING (src)
            """);
        errors.AddQuery("SELECT file, line, \"column\", reason FROM cell_errors", ErrorLog.Cell);
        var failing = connection.Query("SELECT DISTINCT \"column\" FROM cell_errors", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
        connection.Execute("DROP TABLE cell_errors");
        return failing;
    }

    private static string Shown(string v) => $"'''' || left({v}, 60) || ''''";

    internal static string Reason(ColumnSpec c, string v)
    {
        var missing = c.Required ? "'a value is required'" : "NULL";
        var check = c.Kind switch
        {
            CellKind.Id => $"WHEN NOT regexp_full_match({v}, {IdPattern}) THEN {Shown(v)} || ' is not an id (letters, digits, _ - .)'",
            CellKind.Text => "WHEN false THEN NULL",
            CellKind.Name => $"WHEN regexp_matches({v}, '[[:cntrl:]]') THEN {Shown(v)} || ' holds a control character: a name is text without them'",
            CellKind.Integer => $"WHEN NOT regexp_full_match({v}, '[+-]?[0-9]{{1,9}}') THEN {Shown(v)} || ' is not a whole number'",
            CellKind.Count => $"WHEN regexp_full_match({v}, '-[0-9]+') THEN {Shown(v)} || ' must not be negative' "
                + $"WHEN NOT regexp_full_match({v}, '[+]?[0-9]{{1,9}}') THEN {Shown(v)} || ' is not a whole number'",
            CellKind.Year => $"WHEN NOT regexp_full_match({v}, '[0-9]{{4}}') OR TRY_CAST({v} AS INTEGER) NOT BETWEEN 1900 AND 2999 THEN {Shown(v)} || ' is not a year (1900–2999)'",
            CellKind.Period => $"WHEN NOT regexp_full_match({v}, '[0-9]{{1,2}}') OR TRY_CAST({v} AS INTEGER) NOT BETWEEN 1 AND 18 THEN {Shown(v)} || ' is not a period (1–18)'",
            CellKind.Month => $"WHEN NOT regexp_full_match({v}, '[0-9]{{1,2}}') OR TRY_CAST({v} AS INTEGER) NOT BETWEEN 1 AND 12 THEN {Shown(v)} || ' is not a month (1–12)'",
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

    /// <summary>
    /// The typed value of a cell. With <paramref name="check"/> a cell that fails gives NULL; without, the
    /// caller knows that every non-empty cell of the column passes (no error was found in it).
    /// </summary>
    /// <remarks>
    /// Amounts are parsed as <c>DECIMAL(18,2)</c> (a valid amount has at most 15 + 2 significant digits, so
    /// the parse is exact) and scaled to öre in 64 bits; only amounts of 10^14 SEK or more take the
    /// 128-bit way, where 64-bit decimal arithmetic would overflow. Parsing into <c>DECIMAL(38,6)</c>, as
    /// before, cost about 10 µs a cell.
    /// </remarks>
    private static string Typed(ColumnSpec c, string v, bool check)
    {
        var value = c.Kind switch
        {
            CellKind.Id or CellKind.Text or CellKind.Name => v,
            CellKind.Integer or CellKind.Count or CellKind.Year or CellKind.Period or CellKind.Month => $"TRY_CAST({v} AS INTEGER)",
            CellKind.Money => Ore($"TRY_CAST({v} AS DECIMAL(18,2))", 2),
            CellKind.Quantity => $"TRY_CAST(CAST(TRY_CAST({v} AS DECIMAL(18,6)) AS DECIMAL(38,6)) * 1000000 AS BIGINT)",
            CellKind.Scenario or CellKind.ObjectKind or CellKind.Method => $"lower({v})",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Kind, null),
        };
        var typed = check ? $"(CASE WHEN {v} IS NOT NULL AND {Reason(c with { Required = false }, v)} IS NULL THEN {value} END)" : value;
        return c.Default is null ? typed : $"(CASE WHEN {v} IS NULL THEN '{c.Default}' ELSE {typed} END)";
    }

    /// <summary>A DECIMAL with <paramref name="scale"/> ≤ 6 decimals and at most 15 digits before the point, in öre, exactly.</summary>
    internal static string Ore(string d, int scale) =>
        $"(CASE WHEN abs({d}) < {Pow10(16 - scale)} THEN TRY_CAST({d} * 100 AS BIGINT) ELSE TRY_CAST(CAST({d} AS DECIMAL(38,{scale})) * 100 AS BIGINT) END)";

    private static string Pow10(int exponent) => "1" + new string('0', exponent);
}
