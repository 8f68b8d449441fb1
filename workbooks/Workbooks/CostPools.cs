using ItDrift.Tbm.Catalogue;

namespace ItDrift.Tbm.Workbooks;

/// <summary>
/// Cost pools in Swedish, for the workbooks' headings. A package names its own cost pools (docs/model-format.md,
/// <c>cost_pools</c>), most often with the TBM taxonomy's English names; those get the taxonomy's Swedish name
/// from the engine's catalogue (<see cref="TbmCatalogue"/>, docs/catalogue.md), its one owner. Any other name is
/// the package's own, shown as it is written (a package that names its pools in Swedish is shown in Swedish).
/// </summary>
internal static class CostPools
{
    /// <summary>The pool's Swedish name: the TBM taxonomy's in Swedish, else the package's own.</summary>
    public static string Name(string pool) => TbmCatalogue.CostPoolNameSv(pool);
}
