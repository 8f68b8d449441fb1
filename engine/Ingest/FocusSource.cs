using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// The seam where a FOCUS cost file (FinOps FOCUS 1.x; <c>focus.csv</c>, <c>focus.parquet</c>,
/// <c>NAME.focus.csv</c> or <c>NAME.focus.parquet</c>) joins the ledger. DuckDB reads the file; its rows are checked
/// in SQL (each problem with its line and column), then summed per ledger cell — fiscal year and period from
/// <c>ChargePeriodStart</c>, the account of <c>focus.account</c>, cost centre and project from the columns
/// <c>model.json</c> names — exactly, and each cell rounded once to öre. The cells go into <c>stage_ledger</c> in the
/// canonical text of a CSV ledger, so the one set of cell checks, the mapping and the allocation treat them alike.
/// </summary>
/// <remarks>
/// The fiscal year is the calendar year of <c>ChargePeriodStart</c> (a state agency's fiscal year is the calendar
/// year) and the period its month. A cell's line is the file line of its first row (CSV: the header is line 1;
/// Parquet: row 1 is line 2, as for a Parquet table).
/// </remarks>
internal static class FocusSource
{
    /// <summary>Whether a file name is a FOCUS cost file: <c>focus</c> or <c>*.focus</c> with <c>.csv</c> or <c>.parquet</c>, any case.</summary>
    public static bool IsFocusFile(string name)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var stem = Path.GetFileNameWithoutExtension(name);
        return extension is ".csv" or ".parquet"
            && (stem.Equals("focus", StringComparison.OrdinalIgnoreCase) || stem.EndsWith(".focus", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a FOCUS date-time looks like: an ISO 8601 date, then (optionally) its time.</summary>
    private const string DateTimePattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?";

    /// <summary>The most row problems reported per file; the rest are counted.</summary>
    private const int MaxErrors = 50;

    public static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings, ModelManifest? manifest)
    {
        if (manifest is null)
        {
            return; // model.json's own errors are reported; without it the file cannot be read as it says
        }

        var focus = manifest.Focus;
        if (focus.Account is not { } account)
        {
            errors.Add(new ModelError(ModelManifest.FileName, Math.Max(focus.Line, 1), "focus.account",
                $"{source.Name} is a FOCUS cost file: name the cost account its rows are booked on, e.g. \"focus\": {{\"account\": 5460}}"), ErrorLog.Reader);
            return;
        }

        try
        {
            Load(connection, source, src, stageTable, errors, warnings, focus, account);
        }
        catch (DuckDBException e)
        {
            var reason = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            reason = reason.Replace(source.Path, source.Name, StringComparison.Ordinal);
            errors.Add(new ModelError(source.Name, 0, "", $"not a readable FOCUS file: {reason}"), ErrorLog.Reader);
        }
        finally
        {
            connection.Execute("DROP TABLE IF EXISTS focus_rows");
        }
    }

    private static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings, FocusSettings focus, int account)
    {
        var file = Duck.Literal(source.Path);
        var parquet = source.Path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        var read = parquet
            ? $"read_parquet({file}, file_row_number = true)"
            : $"read_csv({file}, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', auto_detect = true)";
        var described = connection.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {read})", r => (Name: r.GetString(0), Type: r.GetString(1)));
        var names = described.ConvertAll(d => d.Name);
        string TypeOf(string name) => described.Find(d => d.Name == name).Type ?? "VARCHAR";

        // FOCUS names its columns in PascalCase; a file that changed their case is still read.
        string? Column(string name) => names.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        var missing = new List<string>();
        string Required(string name)
        {
            var found = Column(name);
            if (found is null)
            {
                missing.Add(name);
            }

            return found ?? name;
        }

        var start = Required("ChargePeriodStart");
        var currency = Required("BillingCurrency");
        var cost = Required(focus.Cost);
        string Cell(string setting)
        {
            if (FocusSettings.TagKey(setting) is { } key)
            {
                // A CSV holds the tags as JSON text; a Parquet file may hold a MAP, which to_json makes the same JSON.
                var tags = Required("Tags");
                var json = TypeOf(tags).StartsWith("MAP", StringComparison.Ordinal) ? $"CAST(to_json({Duck.Ident(tags)}) AS VARCHAR)" : $"CAST({Duck.Ident(tags)} AS VARCHAR)";
                return $"json_extract_string({json}, {Duck.Literal("$." + JsonPathKey(key))})";
            }

            return $"CAST({Duck.Ident(Required(setting))} AS VARCHAR)";
        }

        var costCenter = Cell(focus.CostCenter);
        var project = Cell(focus.Project);
        foreach (var name in missing.Distinct(StringComparer.Ordinal))
        {
            errors.Add(new ModelError(source.Name, 1, name, $"the FOCUS column '{name}' is missing (the file has {string.Join(", ", names.Take(12))}{(names.Count > 12 ? ", …" : "")})"), ErrorLog.Reader);
        }

        if (missing.Count > 0)
        {
            return;
        }

        var line = parquet ? "CAST(file_row_number AS BIGINT) + 2" : "row_number() OVER () + 1";

        // A typed Parquet column is made text the way a CSV would hold it: a time stamp with a zone in UTC, a
        // floating-point cost at its nearest 12 decimals (never an exponent).
        var startType = TypeOf(start);
        var startText = startType == "TIMESTAMP WITH TIME ZONE"
            ? $"strftime({Duck.Ident(start)} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')"
            : $"CAST({Duck.Ident(start)} AS VARCHAR)";
        var costType = TypeOf(cost);
        var costText = costType is "DOUBLE" or "FLOAT" || costType.StartsWith("DECIMAL", StringComparison.Ordinal)
            ? $"CAST(CAST({Duck.Ident(cost)} AS DECIMAL(38, 12)) AS VARCHAR)"
            : $"CAST({Duck.Ident(cost)} AS VARCHAR)";
        connection.Execute($"""
            CREATE TEMP TABLE focus_rows AS
            SELECT {line} AS line,
                   trim({startText}) AS start_text,
                   trim(CAST({Duck.Ident(currency)} AS VARCHAR)) AS currency,
                   trim({costText}) AS cost_text,
                   nullif(trim({costCenter}), '') AS cost_center,
                   nullif(trim({project}), '') AS project
            FROM {read}
            """);
        connection.Execute("""
            ALTER TABLE focus_rows ADD COLUMN start_date DATE;
            ALTER TABLE focus_rows ADD COLUMN cost DECIMAL(38, 12);
            UPDATE focus_rows SET start_date = TRY_CAST(substr(start_text, 1, 10) AS DATE),
                                  cost = CASE WHEN regexp_full_match(cost_text, '[-+]?[0-9]{1,24}(\.[0-9]{1,12})?') THEN TRY_CAST(cost_text AS DECIMAL(38, 12)) END
            """);

        // Every problem with its line and column, the first MaxErrors of them in file order.
        var problems = connection.Query($"""
            SELECT line, column_name, reason FROM (
                SELECT line, {Duck.Literal(start)} AS column_name,
                       coalesce('''' || start_text || '''', 'an empty cell') || ' is not a FOCUS date-time (ISO 8601, e.g. 2025-01-01T00:00:00Z)' AS reason
                FROM focus_rows WHERE start_date IS NULL OR NOT regexp_full_match(start_text, {Duck.Literal(DateTimePattern)})
                UNION ALL
                SELECT line, {Duck.Literal(currency)}, coalesce('''' || currency || '''', 'an empty cell') || ' is not SEK: the ledger is in SEK, so convert the file''s costs before they are allocated'
                FROM focus_rows WHERE currency IS DISTINCT FROM 'SEK'
                UNION ALL
                SELECT line, {Duck.Literal(cost)}, coalesce('''' || cost_text || '''', 'an empty cell') || ' is not a cost (a decimal number, at most 12 decimals, no exponent)'
                FROM focus_rows WHERE cost IS NULL
            ) ORDER BY line, column_name LIMIT {MaxErrors + 1}
            """, r => (Line: r.GetInt64(0), Column: r.GetString(1), Reason: r.GetString(2)));
        foreach (var problem in problems.Take(MaxErrors))
        {
            errors.Add(new ModelError(source.Name, (int)Math.Min(problem.Line, int.MaxValue), problem.Column, problem.Reason), ErrorLog.Reader);
        }

        if (problems.Count > MaxErrors)
        {
            errors.Add(new ModelError(source.Name, 0, "", "more problems of the same kinds were not listed"), ErrorLog.Reader);
        }

        if (problems.Count > 0)
        {
            return;
        }

        // One ledger line per cell, its cost summed exactly and rounded once to öre (half away from zero).
        var accountText = Duck.Literal(account.ToString(CultureInfo.InvariantCulture));
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE focus_rows AS
            SELECT min(line) AS line, year(start_date) AS fiscal_year, month(start_date) AS period, cost_center, project,
                   sum(cost) AS exact, round(sum(cost), 2) AS amount, count(*) AS rows
            FROM focus_rows GROUP BY ALL
            """);
        connection.Execute($"""
            INSERT INTO {stageTable} (src, line, fiscal_year, period, scenario, account, cost_center, project, amount, voucher, text)
            SELECT {src}, CAST(line AS INTEGER), CAST(fiscal_year AS VARCHAR), CAST(period AS VARCHAR), 'actual', {accountText},
                   cost_center, project, CAST(CAST(amount AS DECIMAL(18, 2)) AS VARCHAR), NULL,
                   'FOCUS: ' || rows || CASE WHEN rows = 1 THEN ' row' ELSE ' rows' END
            FROM focus_rows ORDER BY line
            """);

        var rounding = connection.Scalar<string>("""
            SELECT regexp_replace(regexp_replace(CAST(CAST(sum(amount) - sum(exact) AS DECIMAL(38, 12)) AS VARCHAR), '0+$', ''), '\.$', '')
            FROM focus_rows
            """);
        if (rounding is not null && rounding != "0")
        {
            warnings.Add(new ModelWarning(source.Name,
                $"its costs are summed per ledger cell and each sum rounded to öre: the ledger's total differs from the file's exact total by {rounding} SEK"));
        }
    }

    /// <summary>A tag key as one JSON path step: quoted, so keys with dots or spaces are one key.</summary>
    private static string JsonPathKey(string key) => "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
