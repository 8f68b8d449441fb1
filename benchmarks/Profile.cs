using System.Diagnostics;
using System.Globalization;
using ItDrift.Tbm.Database;

namespace ItDrift.Tbm.Benchmarks;

/// <summary>
/// <c>profile MODEL [--times N]</c>: map + allocate + fees with the model in DuckDB (as the allocate benchmark),
/// N times, with each time, the floor's, and the sizes of the tables the run makes. With <c>TBM_TRACE_SQL=1</c>
/// every statement's time goes to standard error: where the engine's time goes, next to the floor.
/// </summary>
internal static class Profile
{
    public static int Run(string model, string[] options)
    {
        var at = Array.IndexOf(options, "--times");
        var times = at >= 0 && at + 1 < options.Length ? int.Parse(options[at + 1], CultureInfo.InvariantCulture) : 3;
        using var fixture = new AllocationFixture(model);
        for (var i = 0; i < times; i++)
        {
            fixture.Reset();
            Console.Error.WriteLine($"--- iteration {i + 1}");
            var clock = Stopwatch.StartNew();
            fixture.Floor();
            var floor = clock.Elapsed;
            clock.Restart();
            fixture.Harness.MapAllocateFees();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor {floor.TotalMilliseconds,8:0.0} ms   map + allocate + fees {clock.Elapsed.TotalMilliseconds,8:0.0} ms   ratio {clock.Elapsed / floor:0.0}"));
        }

        foreach (var table in new[] { "ledger", "cost_lines", "mapped_lines", "weights", "deliveries", "fees", "fees_by_model", "prices" })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table,-14} {fixture.Harness.Connection.Scalar($"SELECT count(*) FROM {Duck.Ident(table)}"),12:N0} rows"));
        }

        // --explain FILE: statements ending in a semicolon and a line break, each run with EXPLAIN ANALYZE afterwards (a SELECT: its first column printed).
        var explain = Array.IndexOf(options, "--explain");
        if (explain >= 0 && explain + 1 < options.Length)
        {
            foreach (var sql in File.ReadAllText(options[explain + 1]).Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var clock = Stopwatch.StartNew();
                var show = sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
                foreach (var row in fixture.Harness.Connection.Query(show ? sql : "EXPLAIN ANALYZE " + sql, r => show ? Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)! : r.GetString(1)))
                {
                    Console.WriteLine(row);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {clock.Elapsed.TotalMilliseconds:0.0} ms"));
            }
        }

        return 0;
    }
}
