using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Catalogue;

/// <summary>A run's ledger cost in one TBM tower, for one fiscal year and scenario.</summary>
/// <param name="FiscalYear">The year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Tower">The taxonomy's tower id, or <see cref="TowerRollup.NoTower"/> / <see cref="TowerRollup.Unclassified"/> / <c>UNMAPPED</c>.</param>
/// <param name="Amount">SEK, exact.</param>
internal sealed record TowerTotal(int FiscalYear, string Scenario, string Tower, decimal Amount);

/// <summary>
/// A run's cost by TBM tower (docs/catalogue.md): the ledger as mapped to objects (<c>trail/mapped_lines</c>),
/// each object's money counted to the tower its <c>service_type</c> names when the object is a tower. Money
/// mapped straight to a service or another object is <see cref="NoTower"/>, a tower not classified
/// <see cref="Unclassified"/>, and unmapped money <c>UNMAPPED</c>; so the towers add up to the ledger total.
/// </summary>
internal static class TowerRollup
{
    /// <summary>Money mapped to an object that is not a tower.</summary>
    public const string NoTower = "(no tower)";

    /// <summary>Money mapped to a tower object without a <c>service_type</c>.</summary>
    public const string Unclassified = "(unclassified tower)";

    public static IReadOnlyList<TowerTotal> Compute(RunFolder run)
    {
        var taxonomy = TbmCatalogue.Find(run.Manifest.Model.Taxonomy);
        var mapped = Path.Combine(run.Directory, "trail", "mapped_lines.parquet");
        var objects = Path.Combine(run.Directory, "model", "objects.parquet");
        using var connection = Duck.OpenInMemory(EngineSettings.Default with { Threads = 1 });
        var rows = connection.Query($"""
            SELECT m.fiscal_year, m.scenario, m.object, o.kind, o.service_type, CAST(sum(m.amount) AS DECIMAL(38,2))
            FROM read_parquet({Duck.Literal(mapped)}) m LEFT JOIN read_parquet({Duck.Literal(objects)}) o ON o.object_id = m.object
            GROUP BY ALL ORDER BY ALL
            """, r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Object: r.GetString(2), Kind: r.NullableString(3), Type: r.NullableString(4), Amount: r.GetDecimal(5)));
        return [.. rows
            .GroupBy(r => (r.Year, r.Scenario, Tower: TowerOf(r.Object, r.Kind, r.Type, taxonomy)))
            .Select(g => new TowerTotal(g.Key.Year, g.Key.Scenario, g.Key.Tower, g.Sum(r => r.Amount)))
            .OrderBy(t => t.FiscalYear).ThenBy(t => t.Scenario, StringComparer.Ordinal).ThenBy(t => t.Tower, StringComparer.Ordinal)];
    }

    private static string TowerOf(string obj, string? kind, string? type, Taxonomy? taxonomy) => kind switch
    {
        null when obj == "UNMAPPED" => "UNMAPPED",
        "tower" when type is null => Unclassified,
        "tower" => taxonomy?.Tower(type)?.Id ?? type.Trim(),
        _ => NoTower,
    };
}
