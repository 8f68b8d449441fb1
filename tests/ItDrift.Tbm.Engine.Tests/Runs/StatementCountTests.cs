using System.Runtime.CompilerServices;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Runs;

/// <summary>
/// A run's work grows with its ledger inside DuckDB, never in the statements the engine sends: the same model
/// with ten times the ledger lines runs exactly as many statements. This catches a query per line or per row,
/// the gross regression a timed test would catch, without timing anything (timings are the benchmarks':
/// <c>benchmarks/run.sh smoke</c> and the rest of <c>benchmarks/</c>).
/// </summary>
public sealed class StatementCountTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Run_SendsTheSameStatements_WhateverTheLedgerSize()
    {
        var small = Statements("small", 20_000);
        var large = Statements("large", 200_000);

        Assert.True(small > 100, $"a whole run sent only {small} statements: is the counter still wired to every statement?");
        Assert.Equal(small, large);
    }

    /// <summary>The statements a whole run sends, on a Parquet package of scale 1's cardinalities and <paramref name="lines"/> ledger lines.</summary>
    private long Statements(string name, int lines)
    {
        var package = DemoModelGenerator.Write(_temp.Combine(name), new DemoModelOptions(7, lines) { Scale = 1, LedgerFormat = LedgerFormat.Parquet }).Directory;
        var count = new StrongBox<long>();
        Duck.StatementCount.Value = count;
        try
        {
            var result = TbmEngine.Run(new RunOptions(package, _temp.Combine(name + "-run")));
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        }
        finally
        {
            Duck.StatementCount.Value = null;
        }

        return count.Value;
    }
}
