using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// A model loaded, typed and checked in DuckDB, its ledger a table in DuckDB's own (compressed) storage:
/// the input of "map + allocate + fees, with the input already in DuckDB". Each iteration starts from the
/// same tables: whatever the previous one created is dropped first.
/// </summary>
internal sealed class AllocationFixture : IDisposable
{
    private readonly HashSet<string> _inputs;

    public AllocationFixture(string package)
    {
        var database = BenchData.LedgerDatabase(package);
        Harness = EngineHarness.Load(package, EngineSettings.Default);
        var connection = Harness.Connection;
        connection.Execute($"ATTACH {BenchData.Literal(database)} AS input (READ_ONLY)");
        var isView = connection.Scalar("SELECT count(*) FROM duckdb_views() WHERE view_name = 'ledger'") > 0;
        connection.Execute(isView ? "DROP VIEW ledger" : "DROP TABLE ledger");
        connection.Execute("CREATE VIEW ledger AS SELECT * FROM input.ledger");
        Validation.CellRules.DefineLedgerGroups(connection, []); // aggregate from the table, not from the package's file
        _inputs = Relations();
        Lines = connection.Scalar("SELECT count(*) FROM ledger");
    }

    public EngineHarness Harness { get; }

    public long Lines { get; }

    /// <summary>DuckDB's least work on the same ledger: the sum per account and cost centre.</summary>
    public long Floor() => Harness.Connection.Scalar("SELECT CAST(sum(s) AS BIGINT) FROM (SELECT account, cost_center, sum(amount) AS s FROM ledger GROUP BY ALL)");

    /// <summary>Drops what an earlier iteration made.</summary>
    public void Reset()
    {
        foreach (var (kind, name) in RelationList().Where(r => !_inputs.Contains(r.Name)))
        {
            Harness.Connection.Execute($"DROP {kind} IF EXISTS {Duck.Ident(name)}");
        }
    }

    public void Dispose() => Harness.Dispose();

    private HashSet<string> Relations() => RelationList().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    private List<(string Kind, string Name)> RelationList() => Harness.Connection.Query(
        "SELECT 'TABLE', table_name FROM duckdb_tables() WHERE database_name IN ('memory', 'temp') UNION ALL SELECT 'VIEW', view_name FROM duckdb_views() WHERE NOT internal AND database_name IN ('memory', 'temp')",
        r => (r.GetString(0), r.GetString(1)));
}
