using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// The fast path for a Parquet ledger whose columns are already typed (integer years, periods and
/// accounts; DECIMAL or integer amounts; text as VARCHAR): no text round trip and no copy. One aggregated
/// scan proves that every cell passes its check; the typed ledger is then a view over the file
/// (<c>stage_ledger__typed_SRC</c>, line = row + 2 as in every format), which DuckDB reads column by
/// column, with the file's own dictionary encoding, only where a later query needs it.
/// </summary>
/// <remarks>
/// Whenever the proof fails — a type that does not fit (a DOUBLE amount, a number stored as text), a cell
/// that fails its check, a text value that fails its check — the file takes the ordinary way instead
/// (every cell as text through <see cref="CellRules"/>), so errors are found and worded exactly as for
/// every other format. A cell the fast path accepts is one <see cref="CellRules"/> accepts, and typed to
/// the same value: integers are their own text; a DECIMAL's text has its scale's decimals; text values are
/// checked once per distinct value, with the same expression.
/// </remarks>
internal static class TypedParquet
{
    /// <summary>The views of one table's typed sources start with this.</summary>
    public static string ViewPrefix(TableSpec table) => Staging.TableName(table) + "__typed_";

    /// <summary>The views of a typed ledger source's groups (see <see cref="CellRules.DefineLedgerGroups"/>) start with this.</summary>
    public static string GroupsPrefix { get; } = Staging.TableName(Tables.Ledger) + "__groups_";

    /// <summary>Tables whose Parquet sources are read typed when they can be: the one that gets large.</summary>
    public static bool Applies(TableSpec table) => ReferenceEquals(table, Tables.Ledger);

    private enum Fit
    {
        No,
        Integer,
        Decimal,
        Text,
    }

    /// <summary>Creates the source's typed view when the file's types fit and every cell passes; otherwise returns false and creates nothing.</summary>
    public static bool TryCreate(DuckDBConnection connection, TableSource source, short src, StagingLayout layout, IReadOnlyList<string> names, IReadOnlyList<string> types)
    {
        var plain = $"read_parquet({Duck.Literal(source.Path)})";
        var file = $"read_parquet({Duck.Literal(source.Path)}, file_row_number = true)";
        var columns = new List<(ColumnSpec Column, string? Raw, Fit Fit, int Scale)>();
        foreach (var (fileIndex, column) in layout.Columns)
        {
            if (fileIndex < 0)
            {
                columns.Add((column, null, Fit.No, 0));
                continue;
            }

            var (fit, scale) = FitOf(column, types[fileIndex]);
            if (fit == Fit.No)
            {
                return false;
            }

            columns.Add((column, "p." + Duck.Ident(names[fileIndex]), fit, scale));
        }

        // One scan: counts of numeric cells that fail, grouped by the distinct text values to check.
        var texts = columns.Where(c => c.Fit == Fit.Text && NeedsTextCheck(c.Column)).ToList();
        var numbers = columns.Where(c => c.Fit is Fit.Integer or Fit.Decimal).ToList();
        var select = texts.Select((c, i) => $"{c.Raw} AS t{i}")
            .Concat(numbers.Select((c, i) => $"count_if(NOT ({Passes(c.Column, c.Raw!, c.Scale)})) AS n{i}"))
            .Append("count(*) AS rows_");
        var groupBy = texts.Count > 0 ? "GROUP BY ALL" : "";
        connection.Execute($"CREATE OR REPLACE TEMP TABLE typed_check AS SELECT {string.Join(", ", select)} FROM {plain} p {groupBy}");
        try
        {
            var failing = numbers.Count == 0 ? 0 : connection.Scalar<long>($"SELECT coalesce({string.Join(" + ", numbers.Select((_, i) => $"sum(n{i})"))}, 0) FROM typed_check");
            if (failing > 0)
            {
                return false;
            }

            var canonical = new bool[texts.Count];
            for (var i = 0; i < texts.Count; i++)
            {
                var (column, _, _, _) = texts[i];
                var v = $"nullif(trim(t{i}), '')";
                var reason = CellRules.Reason(column, v);
                if (connection.Scalar<long>($"SELECT count(*) FROM typed_check WHERE {reason} IS NOT NULL") > 0)
                {
                    return false;
                }

                // Already in the form the text path would give: then the view needs no per-row trimming.
                var normal = column.Kind is CellKind.Scenario or CellKind.ObjectKind or CellKind.Method ? $"lower({v})" : v;
                canonical[i] = connection.Scalar<long>($"SELECT count(*) FROM typed_check WHERE t{i} IS NOT NULL AND t{i} IS DISTINCT FROM {normal}") == 0;
            }

            var typed = columns.Select(c =>
            {
                var t = texts.IndexOf(c);
                return $"{TypedOf(c.Column, c.Raw, c.Fit, c.Scale, t >= 0 && canonical[t])} AS {Duck.Ident(c.Column.Name)}";
            });
            connection.Execute($"""
                CREATE VIEW {Duck.Ident(ViewPrefix(source.Table) + src.ToString("D5", CultureInfo.InvariantCulture))} AS
                SELECT CAST({src} AS SMALLINT) AS src, CAST(p.file_row_number + 2 AS INTEGER) AS line, {string.Join(", ", typed)}
                FROM {file} p
                """);
            DefineGroups(connection, src, plain, columns, c => texts.IndexOf(c) is var t && t >= 0 && canonical[t]);
            return true;
        }
        finally
        {
            connection.Execute("DROP TABLE IF EXISTS typed_check");
        }
    }

    /// <summary>
    /// The source's lines summed per fiscal year, scenario, account, cost centre and project, grouped on the
    /// file's own values first (DuckDB hashes dictionary-encoded columns once per distinct value) and typed
    /// after, on the groups: the typed value of a group key is the same as that of each of its lines.
    /// </summary>
    private static void DefineGroups(DuckDBConnection connection, short src, string file, List<(ColumnSpec Column, string? Raw, Fit Fit, int Scale)> columns, Func<(ColumnSpec Column, string? Raw, Fit Fit, int Scale), bool> canonical)
    {
        var inner = new List<string>();
        var outer = new List<string>();
        foreach (var key in CellRules.LedgerGroupKeys)
        {
            var c = columns.Single(x => x.Column.Name == key);
            if (c.Raw is null)
            {
                outer.Add($"{TypedOf(c.Column, null, c.Fit, c.Scale, canonical: false)} AS {Duck.Ident(key)}");
                continue;
            }

            inner.Add($"{c.Raw} AS k{inner.Count}");
            outer.Add($"{TypedOf(c.Column, $"g.k{inner.Count - 1}", c.Fit, c.Scale, canonical(c))} AS {Duck.Ident(key)}");
        }

        var amount = columns.Single(x => x.Column.Name == "amount");
        inner.Add($"sum({amount.Raw}) AS a");
        inner.Add("count(*) AS n");
        var ore = amount.Fit == Fit.Integer ? "CAST(g.a * 100 AS BIGINT)" : $"CAST(CAST(g.a AS DECIMAL(38,{amount.Scale})) * 100 AS BIGINT)";
        connection.Execute($"""
            CREATE VIEW {Duck.Ident(GroupsPrefix + src.ToString("D5", CultureInfo.InvariantCulture))} AS
            SELECT {string.Join(", ", outer)}, {ore} AS amount, g.n AS lines
            FROM (SELECT {string.Join(", ", inner)} FROM {file} p GROUP BY ALL) g
            """);
    }

    /// <summary>Text columns whose values are checked, or normalised, per distinct value: all but free text without a default.</summary>
    private static bool NeedsTextCheck(ColumnSpec column) => column.Kind != CellKind.Text || column.Required || column.Default is not null;

    private static (Fit Fit, int Scale) FitOf(ColumnSpec column, string type)
    {
        var integer = type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT";
        var scale = -1;
        if (type.StartsWith("DECIMAL(", StringComparison.Ordinal) && type.EndsWith(')'))
        {
            var parts = type[8..^1].Split(',');
            if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 6)
            {
                scale = s;
            }
        }

        return column.Kind switch
        {
            CellKind.Year or CellKind.Period or CellKind.Month or CellKind.Integer or CellKind.Count => integer ? (Fit.Integer, 0) : (Fit.No, 0),
            CellKind.Money or CellKind.Quantity => integer ? (Fit.Integer, 0) : scale >= 0 ? (Fit.Decimal, scale) : (Fit.No, 0),
            _ => type == "VARCHAR" ? (Fit.Text, 0) : (Fit.No, 0),
        };
    }

    /// <summary>
    /// Whether a typed cell passes the check <see cref="CellRules"/> makes on its text: an integer's text
    /// is its digits (a sign only when negative); a DECIMAL's text has exactly its scale's decimals.
    /// </summary>
    private static string Passes(ColumnSpec column, string x, int scale)
    {
        var empty = column.Required ? "false" : "true";
        var check = column.Kind switch
        {
            CellKind.Year => $"{x} BETWEEN 1900 AND 2999",
            CellKind.Period => $"{x} BETWEEN 1 AND 18",
            CellKind.Month => $"{x} BETWEEN 1 AND 12",
            CellKind.Integer => $"{x} BETWEEN -999999999 AND 999999999",
            CellKind.Count => $"{x} BETWEEN 0 AND 999999999",
            CellKind.Money => scale <= 2 ? $"abs({x}) < 1000000000000000" : $"abs({x}) < 1000000000000000 AND {x} = round({x}, 2)",
            CellKind.Quantity => scale <= 6 ? $"{x} >= 0 AND {x} < 1000000000000" : "false",
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, null),
        };
        return $"CASE WHEN {x} IS NULL THEN {empty} ELSE {check} END";
    }

    /// <summary>The typed value, as <see cref="CellRules"/> would type the cell's text.</summary>
    private static string TypedOf(ColumnSpec column, string? x, Fit fit, int scale, bool canonical)
    {
        var value = x is null ? "NULL" : fit switch
        {
            Fit.Integer when column.Kind is CellKind.Money => $"CAST({x} AS BIGINT) * 100",
            Fit.Integer when column.Kind is CellKind.Quantity => $"CAST({x} AS BIGINT) * 1000000",
            Fit.Integer => $"CAST({x} AS INTEGER)",
            Fit.Decimal when column.Kind is CellKind.Money => CellRules.Ore(x, scale),
            Fit.Decimal => $"CAST(CAST({x} AS DECIMAL(38,{scale})) * 1000000 AS BIGINT)",
            _ when canonical => x,
            _ when column.Kind is CellKind.Scenario or CellKind.ObjectKind or CellKind.Method => $"lower(nullif(trim({x}), ''))",
            _ => $"nullif(trim({x}), '')",
        };
        var type = column.Kind switch
        {
            CellKind.Money or CellKind.Quantity => "BIGINT",
            CellKind.Integer or CellKind.Count or CellKind.Year or CellKind.Period or CellKind.Month => "INTEGER",
            _ => "VARCHAR",
        };
        var typed = $"CAST({value} AS {type})";
        return column.Default is null ? typed : $"coalesce({typed}, '{column.Default}')";
    }
}
