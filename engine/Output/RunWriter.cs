using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Output;

/// <summary>
/// Writes a run folder (MODEL-FORMAT §4): each table as CSV (text exactly as the contract says) and as
/// Parquet (typed: DECIMAL amounts), plus <c>run.json</c>. Everything goes into a temporary sibling
/// folder that is renamed into place at the end, so a crash never leaves half a run.
/// </summary>
internal static class RunWriter
{
    private enum Format
    {
        Integer,
        Text,
        Money,
        Quantity,
        Flag,
    }

    private sealed record Column(string Name, Format Format, bool Key = false);

    /// <param name="Name">The file name in the run folder, without extension (<c>.csv</c> and <c>.parquet</c>).</param>
    /// <param name="Source">The DuckDB table it is written from.</param>
    /// <param name="Columns">Its columns in file order; the key columns give the row order.</param>
    /// <param name="Optional">Skipped when the run did not compute its table (true-up without invoiced fees).</param>
    /// <param name="ParquetOnly">The audit trail: large, for machines (the API's explain), not for reading as text.</param>
    private sealed record OutputTable(string Name, string Source, IReadOnlyList<Column> Columns, bool Optional = false, bool ParquetOnly = false);

    private static readonly OutputTable[] Outputs =
    [
        new("fees", "fees", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("tenant", Format.Text, true), new("service", Format.Text, true), new("cost_pool", Format.Text, true), new("amount", Format.Money)]),
        new("unallocated", "unallocated", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("object", Format.Text, true), new("cost_pool", Format.Text, true), new("reason", Format.Text, true), new("amount", Format.Money)]),
        new("reconciliation", "reconciliation", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("ledger_total", Format.Money), new("allocated_total", Format.Money), new("unallocated_total", Format.Money), new("difference", Format.Money)]),
        new("prices", "prices", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("service", Format.Text, true), new("units", Format.Quantity), new("cost", Format.Money), new("unit_price", Format.Money)]),
        new("balance", "balance_rows", [new("fee_area", Format.Text, true), new("fiscal_year", Format.Integer, true), new("opening", Format.Money), new("revenue", Format.Money), new("cost", Format.Money), new("result", Format.Money), new("closing", Format.Money), new("surplus_flag", Format.Flag)]),
        new("trueup", "trueup", [new("fiscal_year", Format.Integer, true), new("tenant", Format.Text, true), new("service", Format.Text, true), new("final", Format.Money), new("invoiced", Format.Money), new("trueup", Format.Money)], Optional: true),
        new("fees_by_model", "fees_by_model", [new("fiscal_year", Format.Integer, true), new("fee_model", Format.Text, true), new("tenant", Format.Text, true), new("service", Format.Text, true), new("quantity", Format.Quantity), new("unit_price", Format.Money), new("fee", Format.Money)]),
        new("fee_differences", "fee_differences", [new("fiscal_year", Format.Integer, true), new("fee_model", Format.Text, true), new("service", Format.Text, true), new("full_cost", Format.Money), new("fees", Format.Money), new("difference", Format.Money)]),
        new("trueup_by_tenant", "trueup_by_tenant", [new("fiscal_year", Format.Integer, true), new("tenant", Format.Text, true), new("final", Format.Money), new("invoiced", Format.Money), new("trueup", Format.Money), new("direction", Format.Text)], Optional: true),
        new("trail/mapped_lines", "mapped_lines", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("account", Format.Integer, true), new("cost_center", Format.Text, true), new("project", Format.Text, true), new("object", Format.Text), new("cost_pool", Format.Text), new("amount", Format.Money)], ParquetOnly: true),
        new("trail/deliveries", "deliveries", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("source", Format.Text, true), new("target", Format.Text, true), new("cost_pool", Format.Text, true), new("amount", Format.Money)], ParquetOnly: true),
        // Key indicators (docs/indicators.md): value and the distributions' statistics are DECIMAL(38,6), written as DuckDB prints them.
        new("kpi", "kpi", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("scope", Format.Text, true), new("subject", Format.Text, true), new("indicator", Format.Text, true), new("value", Format.Text), new("unit", Format.Text), new("baseline_version", Format.Text)]),
        new("kpi_distributions", "kpi_distributions", [new("fiscal_year", Format.Integer, true), new("scenario", Format.Text, true), new("population", Format.Text, true), new("indicator", Format.Text, true), new("subject", Format.Text, true), new("members", Format.Integer), new("min", Format.Text), new("q1", Format.Text), new("median", Format.Text), new("q3", Format.Text), new("max", Format.Text), new("suppressed", Format.Flag), new("unit", Format.Text)]),
        new("kpi_subjects", "kpi_subjects", [new("scope", Format.Text, true), new("subject", Format.Text, true), new("name", Format.Text), new("kind", Format.Text), new("unit", Format.Text), new("area", Format.Text), new("org_nr", Format.Text)]),
    ];

    /// <summary>
    /// The package as the engine typed it, in the engine's own units (öre, millionths), so that a published
    /// run can be explained and quoted from without the package: <c>model/NAME.parquet</c> for the tables
    /// below, <c>model/model.json</c>, and <c>trail/object_balances.parquet</c> (the mapped ledger per object
    /// and pool, where allocation starts).
    /// </summary>
    private static readonly string[] Snapshot = ["tenants", "objects", "rules", "rule_targets", "drivers", "revenue", "balances", "connection_costs", "instalments", "periods"];

    public static void WriteSnapshot(DuckDBConnection connection, string folder, string manifestPath)
    {
        Directory.CreateDirectory(Path.Combine(folder, "model"));
        File.Copy(manifestPath, Path.Combine(folder, "model", "model.json"));
        var threads = connection.Scalar<long>("SELECT current_setting('threads')");
        connection.Execute("SET threads = 1");
        try
        {
            foreach (var table in Snapshot)
            {
                var columns = connection.Query("SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name NOT IN ('src', 'line') ORDER BY ordinal_position", r => r.GetString(0), table);
                var list = string.Join(", ", columns.Select(Duck.Ident));
                connection.Execute($"COPY (SELECT {list} FROM {table} ORDER BY ALL) TO {Duck.Literal(Path.Combine(folder, "model", table + ".parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            }

            connection.Execute($"""
                COPY (SELECT fiscal_year, scenario, object, cost_pool, CAST(sum(amount) AS BIGINT) AS amount FROM mapped_lines GROUP BY ALL ORDER BY ALL)
                TO {Duck.Literal(Path.Combine(folder, "trail", "object_balances.parquet"))} (FORMAT parquet, COMPRESSION zstd)
                """);
        }
        finally
        {
            connection.Execute($"SET threads = {threads}");
        }
    }

    public static IReadOnlyDictionary<string, long> WriteTables(DuckDBConnection connection, string folder)
    {
        CreateTextMacros(connection);

        // Every thread sorts; one thread writes Parquet, so that its row groups and bytes depend on the data alone.
        // (CSV has no row groups: with insertion order preserved its bytes are the rows', however many threads write.)
        var threads = connection.Scalar<long>("SELECT current_setting('threads')");
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var table in Outputs)
            {
                var exists = connection.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", table.Source) > 0;
                if (!exists)
                {
                    if (table.Optional)
                    {
                        continue;
                    }

                    throw new InvalidOperationException($"table {table.Source} was not computed");
                }

                var order = string.Join(", ", table.Columns.Where(c => c.Key).Select(c => Duck.Ident(c.Name)));
                var text = string.Join(", ", table.Columns.Select(c => $"{TextOf(c)} AS {Duck.Ident(c.Name)}"));
                var typed = string.Join(", ", table.Columns.Select(c => $"{TypedOf(c)} AS {Duck.Ident(c.Name)}"));
                var csv = Path.Combine(folder, table.Name + ".csv");
                var parquet = Path.Combine(folder, table.Name + ".parquet");
                Directory.CreateDirectory(Path.GetDirectoryName(parquet)!);
                connection.Execute($"SET threads = {threads}");
                connection.Execute($"CREATE OR REPLACE TEMP TABLE output_rows AS SELECT * FROM {table.Source} ORDER BY {order}");
                if (!table.ParquetOnly)
                {
                    connection.Execute($"COPY (SELECT {text} FROM output_rows) TO {Duck.Literal(csv)} (FORMAT csv, HEADER, DELIMITER ',', QUOTE '\"')");
                }

                connection.Execute("SET threads = 1");
                connection.Execute($"COPY (SELECT {typed} FROM output_rows) TO {Duck.Literal(parquet)} (FORMAT parquet, COMPRESSION zstd)");
                rows[table.Name] = connection.Scalar<long>("SELECT count(*) FROM output_rows");
            }
        }
        finally
        {
            connection.Execute($"SET threads = {threads}");
            connection.Execute("DROP TABLE IF EXISTS output_rows");
        }

        return rows;
    }

    /// <summary>
    /// The contract's text forms (MODEL-FORMAT §4) as SQL macros: <c>money_text</c> (öre → <c>-1234.50</c>)
    /// and <c>quantity_text</c> (millionths → shortest exact form, <c>242.5</c>).
    /// </summary>
    public static void CreateTextMacros(DuckDBConnection connection)
    {
        connection.Execute("CREATE OR REPLACE MACRO money_text(x) AS (CASE WHEN x < 0 THEN '-' ELSE '' END) || CAST(abs(x) // 100 AS VARCHAR) || '.' || lpad(CAST(abs(x) % 100 AS VARCHAR), 2, '0')");
        connection.Execute("CREATE OR REPLACE MACRO quantity_text(x) AS CAST(x // 1000000 AS VARCHAR) || CASE WHEN x % 1000000 = 0 THEN '' ELSE '.' || rtrim(lpad(CAST(x % 1000000 AS VARCHAR), 6, '0'), '0') END");
    }

    private static string TextOf(Column c) => c.Format switch
    {
        Format.Money => $"money_text({Duck.Ident(c.Name)})",
        Format.Quantity => $"quantity_text({Duck.Ident(c.Name)})",
        Format.Flag => $"CASE WHEN {Duck.Ident(c.Name)} THEN 'true' ELSE 'false' END",
        _ => Duck.Ident(c.Name),
    };

    private static string TypedOf(Column c) => c.Format switch
    {
        Format.Money => $"CAST(CAST({Duck.Ident(c.Name)} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
        Format.Quantity => $"CAST(CAST({Duck.Ident(c.Name)} AS DECIMAL(18,0)) * CAST(0.000001 AS DECIMAL(7,6)) AS DECIMAL(18,6))",
        _ => Duck.Ident(c.Name),
    };

    /// <summary>SHA-256 of every input, in ordinal order of their names.</summary>
    public static List<(string Name, string Sha256, long Bytes)> HashInputs(string modelDirectory, IEnumerable<string> files)
    {
        var list = new List<(string, string, long)>();
        foreach (var file in files.OrderBy(f => Path.GetRelativePath(modelDirectory, f), StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            list.Add((Path.GetRelativePath(modelDirectory, file).Replace('\\', '/'), hash, stream.Length));
        }

        return list;
    }

    /// <summary>A run id derived from the engine version and the inputs, so identical inputs give identical runs.</summary>
    public static string RunId(IEnumerable<(string Name, string Sha256, long Bytes)> inputs)
    {
        var text = new StringBuilder("tbm-run-v1\n").Append(EngineInfo.Version).Append('\n');
        foreach (var (name, sha, _) in inputs)
        {
            text.Append(name).Append(' ').Append(sha).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public static void WriteManifest(string path, RunManifest run)
    {
        using var stream = File.Create(path);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("runId", run.RunId);
            json.WriteString("engineVersion", EngineInfo.Version);
            json.WriteString("modelFormat", "1");
            json.WriteStartObject("model");
            json.WriteString("name", run.Manifest.Name);
            json.WriteString("taxonomy", run.Manifest.Taxonomy);
            json.WriteStartObject("supplier");
            json.WriteString("id", run.Manifest.Supplier.Id);
            json.WriteString("name", run.Manifest.Supplier.Name);
            json.WriteString("orgNr", run.Manifest.Supplier.OrgNr);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("inputs");
            foreach (var (name, sha, bytes) in run.Inputs)
            {
                json.WriteStartObject();
                json.WriteString("file", name);
                json.WriteString("sha256", sha);
                json.WriteNumber("bytes", bytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("ledger");
            json.WriteNumber("lines", run.Ledger.Lines);
            json.WriteNumber("costLines", run.Ledger.CostLines);
            json.WriteNumber("skippedLines", run.Ledger.SkippedLines);
            json.WriteString("skippedAmount", Money.Format(run.Ledger.SkippedAmount));
            json.WriteEndObject();
            json.WriteStartObject("rows");
            foreach (var (table, count) in run.Rows)
            {
                json.WriteNumber(table, count);
            }

            json.WriteEndObject();
            json.WriteStartArray("warnings");
            foreach (var warning in run.Warnings)
            {
                json.WriteStringValue($"{warning.File}: {warning.Message}");
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}

/// <summary>What <c>run.json</c> records.</summary>
internal sealed record RunManifest(
    string RunId,
    ModelManifest Manifest,
    IReadOnlyList<(string Name, string Sha256, long Bytes)> Inputs,
    LedgerCounts Ledger,
    IReadOnlyDictionary<string, long> Rows,
    IReadOnlyList<ModelWarning> Warnings);
