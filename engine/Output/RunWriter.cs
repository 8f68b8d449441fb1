using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Output;

/// <summary>
/// Writes a run folder (docs/model-format.md §4): each table as CSV (text exactly as §4.1 says) and as
/// Parquet (typed: DECIMAL amounts), plus <c>run.json</c>. Everything goes into a temporary sibling
/// folder that is renamed into place at the end, so a crash never leaves half a run.
/// </summary>
internal static class RunWriter
{

    /// <summary>The pipeline's table each output is written from (the same name but for the balance, built as <c>balance_rows</c>).</summary>
    private static readonly Dictionary<RunTable, string> Sources = new()
    {
        [RunSchema.Fees] = PipelineTables.Fees,
        [RunSchema.Unallocated] = PipelineTables.Unallocated,
        [RunSchema.Reconciliation] = PipelineTables.Reconciliation,
        [RunSchema.Prices] = PipelineTables.Prices,
        [RunSchema.Balance] = PipelineTables.BalanceRows,
        [RunSchema.Trueup] = PipelineTables.Trueup,
        [RunSchema.FeesByModel] = PipelineTables.FeesByModel,
        [RunSchema.FeeDifferences] = PipelineTables.FeeDifferences,
        [RunSchema.TrueupByTenant] = PipelineTables.TrueupByTenant,
        [RunSchema.Footprint] = PipelineTables.Footprint,
        [RunSchema.TrueupExpected] = PipelineTables.TrueupExpected,
        [RunSchema.TrailMappedLines] = PipelineTables.MappedLines,
        [RunSchema.TrailDeliveries] = PipelineTables.Deliveries,
        [RunSchema.Kpi] = PipelineTables.Kpi,
        [RunSchema.KpiDistributions] = PipelineTables.KpiDistributions,
        [RunSchema.KpiSubjects] = PipelineTables.KpiSubjects,
    };


    /// <summary>
    /// The package as the engine typed it, in the engine's own units (öre, millionths), so that a published
    /// run can be explained and quoted from without the package: <c>model/NAME.parquet</c> for the tables
    /// below, <c>model/model.json</c>, and <c>trail/object_balances.parquet</c> (the mapped ledger per object
    /// and pool, where allocation starts).
    /// </summary>
    private static readonly string[] Snapshot = [Tables.Tenants.Name, Tables.Objects.Name, Tables.Rules.Name, PipelineTables.RuleTargets, Tables.Drivers.Name, Tables.Revenue.Name, Tables.Balances.Name, Tables.ConnectionCosts.Name, Tables.Instalments.Name, Tables.Billing.Name, PipelineTables.Periods];

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
                COPY (SELECT fiscal_year, scenario, object, cost_pool, CAST(sum(amount) AS BIGINT) AS amount FROM {PipelineTables.MappedLines} GROUP BY ALL ORDER BY ALL)
                TO {Duck.Literal(Path.Combine(folder, "trail", "object_balances.parquet"))} (FORMAT parquet, COMPRESSION zstd)
                """);
        }
        finally
        {
            connection.Execute($"SET threads = {threads}");
        }
    }

    /// <summary>
    /// Writes every output table as CSV and Parquet: each sorted once by its key into a temporary table, then
    /// both files written from it. The tables are independent, so they are written by as many connections to
    /// the run's database as DuckDB has threads, each with one thread, largest table first.
    /// </summary>
    /// <remarks>
    /// One thread per statement keeps every Parquet file's row groups and bytes a function of the data alone
    /// (and CSV has no row groups: its bytes are the rows'); the parallelism is between tables instead of
    /// inside one. The sort is by the table's whole key, so its order does not depend on threads either.
    /// </remarks>
    public static IReadOnlyDictionary<string, long> WriteTables(DuckDBConnection connection, string folder)
    {
        CreateTextMacros(connection);
        var jobs = new List<(RunTable Table, string Source, long Rows)>();
        foreach (var table in RunSchema.All)
        {
            var source = Sources[table];
            var exists = connection.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", source) > 0;
            if (!exists)
            {
                if (table.Optional)
                {
                    continue;
                }

                throw new InvalidOperationException($"table {source} was not computed");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, table.Name + ".parquet"))!);
            jobs.Add((table, source, connection.Scalar<long>($"SELECT count(*) FROM {source}")));
        }

        var threads = connection.Scalar<long>("SELECT current_setting('threads')");
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var queue = new Queue<(RunTable Table, string Source, long Rows)>(jobs.OrderByDescending(j => j.Rows));
        connection.Execute("SET threads = 1");
        try
        {
            var workers = (int)Math.Clamp(threads, 1, 4);
            var tasks = new Task[workers];
            for (var w = 0; w < workers; w++)
            {
                // Each worker its own connection (a connection is never shared across threads), to the same database.
                var worker = connection.Duplicate();
                worker.Open();
                tasks[w] = Task.Run(() =>
                {
                    using (worker)
                    {
                        try
                        {
                            while (true)
                            {
                                (RunTable Table, string Source, long Rows) job;
                                lock (queue)
                                {
                                    if (!queue.TryDequeue(out job))
                                    {
                                        return;
                                    }
                                }

                                var count = WriteTable(worker, folder, job.Table, job.Source);
                                lock (rows)
                                {
                                    rows[job.Table.Name] = count;
                                }
                            }
                        }
                        finally
                        {
                            worker.Execute($"DROP TABLE IF EXISTS {PipelineTables.OutputRows}");
                        }
                    }
                });
            }

            Task.WaitAll(tasks);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }
        finally
        {
            connection.Execute($"SET threads = {threads}");
        }

        return rows;
    }

    private static long WriteTable(DuckDBConnection connection, string folder, RunTable table, string source)
    {
        var order = string.Join(", ", table.Columns.Where(c => c.Key).Select(c => Duck.Ident(c.Name)));
        var text = string.Join(", ", table.Columns.Select(c => $"{TextOf(c)} AS {Duck.Ident(c.Name)}"));
        var typed = string.Join(", ", table.Columns.Select(c => $"{TypedOf(c)} AS {Duck.Ident(c.Name)}"));
        var csv = Path.Combine(folder, table.Name + ".csv");
        var parquet = Path.Combine(folder, table.Name + ".parquet");
        connection.Execute($"CREATE OR REPLACE TEMP TABLE {PipelineTables.OutputRows} AS SELECT * FROM {source} ORDER BY {order}");
        if (!table.ParquetOnly)
        {
            connection.Execute($"COPY (SELECT {text} FROM {PipelineTables.OutputRows}) TO {Duck.Literal(csv)} (FORMAT csv, HEADER, DELIMITER ',', QUOTE '\"')");
        }

        connection.Execute($"COPY (SELECT {typed} FROM {PipelineTables.OutputRows}) TO {Duck.Literal(parquet)} (FORMAT parquet, COMPRESSION zstd)");
        return connection.Scalar<long>($"SELECT count(*) FROM {PipelineTables.OutputRows}");
    }

    /// <summary>
    /// The run folder's text forms (docs/model-format.md §4.1) as SQL macros: <c>money_text</c> (öre → <c>-1234.50</c>)
    /// and <c>quantity_text</c> (millionths → shortest exact form, <c>242.5</c>).
    /// </summary>
    public static void CreateTextMacros(DuckDBConnection connection)
    {
        connection.Execute("CREATE OR REPLACE MACRO money_text(x) AS (CASE WHEN x < 0 THEN '-' ELSE '' END) || CAST(abs(x) // 100 AS VARCHAR) || '.' || lpad(CAST(abs(x) % 100 AS VARCHAR), 2, '0')");
        connection.Execute("CREATE OR REPLACE MACRO quantity_text(x) AS CAST(x // 1000000 AS VARCHAR) || CASE WHEN x % 1000000 = 0 THEN '' ELSE '.' || rtrim(lpad(CAST(x % 1000000 AS VARCHAR), 6, '0'), '0') END");
    }

    /// <summary>A column's text form in the run folder's CSV, as a SQL expression (needs <see cref="CreateTextMacros"/>).</summary>
    internal static string TextOf(RunColumn c) => c.Type switch
    {
        RunColumnType.Money => $"money_text({Duck.Ident(c.Name)})",
        RunColumnType.Quantity => $"quantity_text({Duck.Ident(c.Name)})",
        RunColumnType.Flag => $"CASE WHEN {Duck.Ident(c.Name)} THEN 'true' ELSE 'false' END",
        _ => Duck.Ident(c.Name),
    };

    private static string TypedOf(RunColumn c) => c.Type switch
    {
        RunColumnType.Money => $"CAST(CAST({Duck.Ident(c.Name)} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
        RunColumnType.Quantity => $"CAST(CAST({Duck.Ident(c.Name)} AS DECIMAL(18,0)) * CAST(0.000001 AS DECIMAL(7,6)) AS DECIMAL(18,6))",
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

    /// <summary>
    /// A run id derived from the engine version, the inputs and every option that changes a byte of the
    /// output (<see cref="RunOption"/>), so identical inputs and options give identical runs, and two runs
    /// whose outputs differ never share an id.
    /// </summary>
    /// <remarks>A run without options hashes exactly as before options were hashed: its id did not change.</remarks>
    public static string RunId(IEnumerable<(string Name, string Sha256, long Bytes)> inputs, IEnumerable<RunOption>? options = null)
    {
        var text = new StringBuilder("tbm-run-v1\n").Append(EngineInfo.Version).Append('\n');
        foreach (var (name, sha, _) in inputs)
        {
            text.Append(name).Append(' ').Append(sha).Append('\n');
        }

        foreach (var option in options ?? [])
        {
            text.Append("option ").Append(option.Name).Append(' ').Append(option.Value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>Writes <c>run.json</c> into the run folder (<see cref="Runs.RunManifest"/>).</summary>
    public static void WriteManifest(string runDirectory, RunRecord run) => new Runs.RunManifest
    {
        RunId = run.RunId,
        EngineVersion = EngineInfo.Version,
        Model = new Runs.RunModel(run.Manifest.Name, run.Manifest.Taxonomy, new Runs.RunSupplier(run.Manifest.Supplier.Id, run.Manifest.Supplier.Name, run.Manifest.Supplier.OrgNr))
        {
            Allocation = run.Manifest.Reciprocal ? run.Manifest.Allocation : null,
        },
        Inputs = [.. run.Inputs.Select(i => new Runs.RunInput(i.Name, i.Sha256, i.Bytes))],
        Options = run.Options.Count == 0 ? null : run.Options.ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal),
        Ledger = new Runs.RunLedger
        {
            Lines = run.Ledger.Lines,
            CostLines = run.Ledger.CostLines,
            SkippedLines = run.Ledger.SkippedLines,
            SkippedAmount = Money.Format(run.Ledger.SkippedAmount),
            SkippedByClass = [.. run.Ledger.SkippedByClass.Select(c => new Runs.SkippedClassEntry(c.AccountClass, c.Name, c.Expected, c.Lines, Money.Format(c.Amount),
                [.. c.Periods.Select(p => new Runs.SkippedClassPeriod(p.FiscalYear, p.Scenario, p.Lines, Money.Format(p.Amount)))]))],
        },
        Rows = run.Rows,
        Warnings = [.. run.Warnings.Select(w => $"{w.File}: {w.Message}")],
        MoneyWarnings = [.. run.Warnings.Where(w => w.Money is not null).Select(w => new Runs.MoneyWarningEntry(w.Money!.Kind, w.Money.Summary, w.Money.Tenant,
            [.. w.Money.Periods.Select(p => new Runs.MoneyWarningPeriod(p.FiscalYear, p.Scenario, p.Amount is { } amount ? Money.Format(amount) : null)
            {
                AmountOre = p.Amount,
                SeenFiscalYear = p.SeenFiscalYear,
                SeenScenario = p.SeenScenario,
            })], $"{w.File}: {w.Message}") { Arguments = w.Money.Arguments })],
    }.Write(runDirectory);
}

/// <summary>What a run records in <c>run.json</c>, as the engine has it (<see cref="Runs.RunManifest"/> is the file).</summary>
internal sealed record RunRecord(
    string RunId,
    ModelManifest Manifest,
    IReadOnlyList<(string Name, string Sha256, long Bytes)> Inputs,
    LedgerCounts Ledger,
    IReadOnlyDictionary<string, long> Rows,
    IReadOnlyList<ModelWarning> Warnings)
{
    /// <summary>The options that changed the output (<c>run.json</c>'s <c>options</c>, written only when there are any).</summary>
    public IReadOnlyList<RunOption> Options { get; init; } = [];
}

/// <summary>
/// An option of a run that changes its output beyond the input files — the previous run whose closing
/// balances carry forward, what is accepted in SIE files — hashed into the run id and named in <c>run.json</c>.
/// </summary>
/// <param name="Name">The option, as <c>run.json</c> names it.</param>
/// <param name="Value">Its value: what was used, as exactly as it changes the output.</param>
internal sealed record RunOption(string Name, string Value)
{
    /// <summary>The options of a run, in a fixed order; empty for a run with the defaults.</summary>
    /// <param name="previousRun">The previous run folder, if any.</param>
    /// <param name="sie">What was accepted in SIE files.</param>
    /// <param name="hasSie">Whether the package has SIE files (acceptance changes nothing without them).</param>
    public static IReadOnlyList<RunOption> Of(string? previousRun, Ingest.SieAcceptance sie, bool hasSie)
    {
        var options = new List<RunOption>();
        if (previousRun is not null && File.Exists(Path.Combine(previousRun, "balance.parquet")))
        {
            // The closing balances carried forward are read from the previous run's balance.parquet: its content is what changes the output.
            using (var balance = File.OpenRead(Path.Combine(previousRun, "balance.parquet")))
            {
                options.Add(new RunOption("previousRunBalanceSha256", Convert.ToHexStringLower(SHA256.HashData(balance))));
            }

            if (File.Exists(Path.Combine(previousRun, "run.json")))
            {
                using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(previousRun, "run.json")));
                if (manifest.RootElement.TryGetProperty("runId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    options.Add(new RunOption("previousRunId", id.GetString()!));
                }
            }
        }

        var accepted = new[] { (sie.Unbalanced, "unbalanced"), (sie.Checksum, "checksum"), (sie.UnknownAccounts, "unknown-accounts") }.Where(a => a.Item1).Select(a => a.Item2).ToList();
        if (hasSie && accepted.Count > 0)
        {
            options.Add(new RunOption("sieAccepted", string.Join(",", accepted)));
        }

        return options;
    }
}
