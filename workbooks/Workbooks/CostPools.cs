namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Cost pools in Swedish, for the workbooks' headings. A package names its own cost pools (docs/model-format.md,
/// <c>cost_pools</c>: "the taxonomy is data"), most often with the TBM taxonomy's English names; those get their
/// Swedish name here, in one place. Any other name is the package's own, shown as it is written (a package that
/// names its pools in Swedish is shown in Swedish).
/// </summary>
internal static class CostPools
{
    private static readonly Dictionary<string, string> Swedish = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Internal Labor"] = "Egen personal",
        ["External Labor"] = "Inhyrd personal",
        ["Outside Services"] = "Köpta tjänster",
        ["Hardware"] = "Hårdvara",
        ["Software"] = "Programvara",
        ["Facilities & Power"] = "Lokaler och el",
        ["Telecom"] = "Telekommunikation",
        ["Internal Services"] = "Interna tjänster",
        ["Other"] = "Övrigt",
    };

    /// <summary>The pool's Swedish name: the TBM taxonomy's in Swedish, else the package's own.</summary>
    public static string Name(string pool) => Swedish.GetValueOrDefault(pool.Trim(), pool);
}
