using ItDrift.Tbm.Explain;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Explain;

/// <summary>
/// Quantity × unit price in a fee's explanation, by hand on <see cref="SmallModel"/>: the tower TWR-DC's
/// 100.00 of Internal Labor goes 2:1 to INF-VM (66.67) and FUN-SUP (33.33); INF-VM splits its 66.67 by the
/// key <c>vms</c>.
/// </summary>
public sealed class FeeExplainerPriceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunFolder Run(string drivers)
    {
        var files = SmallModel.Files();
        files["drivers.csv"] = drivers;
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        return RunFolder.Open(output);
    }

    [Fact]
    public void Explain_GivesQuantityTimesUnitPrice_AndTheSplitsRemainder()
    {
        // vms: T-A 1.5, T-B 1 (2.5 units). Unit price 66.67 ÷ 2.5 = 26.668 → 26.67. The split: T-A 6 667 · 1.5 ÷ 2.5
        // = 4 000.2 öre, T-B 2 666.8; the öre left over goes to T-B (0.8 > 0.2): T-A 40.00, T-B 26.67.
        // T-A: 1.5 × 26.67 = 40.005 → 40.01, one öre above its fee (the price rounded up 0.3 öre, the
        // product 0.5 öre, and the remainder öre went to T-B).
        var run = Run("fiscal_year,driver,target,quantity\n2025,vms,T-A,1.5\n2025,vms,T-B,1\n");
        var tables = new RunFolderTables(run);
        var a = FeeExplainer.Explain(run, tables, "T-A", "INF-VM", 2025, "actual", forTenantReader: false)!;
        Assert.Equal(new ExplanationPrice("vms", null, 1.5m, 2.5m, 66.67m, 26.67m, 40.01m, 40.00m, -0.01m), a.Price);
        Assert.Equal("40.00", a.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var b = FeeExplainer.Explain(run, tables, "T-B", "INF-VM", 2025, "actual", forTenantReader: false)!;
        Assert.Equal(new ExplanationPrice("vms", null, 1m, 2.5m, 66.67m, 26.67m, 26.67m, 26.67m, 0.00m), b.Price);

        // FUN-SUP splits evenly: no key, no unit price.
        Assert.Null(FeeExplainer.Explain(run, tables, "T-A", "FUN-SUP", 2025, "actual", forTenantReader: false)!.Price);
    }

    [Fact]
    public void Explain_ShowsATenantItsQuantity_ButTheUnitPriceOnlyWhereTheServiceMayBeShown()
    {
        // INF-VM reaches two tenants: its unit price (with the tenant's own fee and quantity, near enough the
        // other's share) is hidden from a tenant; the tenant's own quantity and fee are not.
        var two = Run("fiscal_year,driver,target,quantity\n2025,vms,T-A,1.5\n2025,vms,T-B,1\n");
        var hidden = FeeExplainer.Explain(two, new RunFolderTables(two), "T-A", "INF-VM", 2025, "actual", forTenantReader: true)!;
        Assert.Equal(new ExplanationPrice("vms", null, 1.5m, null, null, null, null, 40.00m, null), hidden.Price);
    }

    [Fact]
    public void Explain_ShowsATenantTheUnitPrice_OfAServiceOverThreeTenants()
    {
        // vms: T-A 1.5, T-B 1, T-C 0.5 (3 units). 6 667 öre: T-A 3 333.5, T-B 2 222.33, T-C 1 111.17; the öre left
        // over goes to T-A (0.5 largest): 33.34, 22.22, 11.11. Unit price 66.67 ÷ 3 = 22.2233 → 22.22;
        // T-A 1.5 × 22.22 = 33.33, one öre below its fee.
        var three = Run("fiscal_year,driver,target,quantity\n2025,vms,T-A,1.5\n2025,vms,T-B,1\n2025,vms,T-C,0.5\n");
        var shown = FeeExplainer.Explain(three, new RunFolderTables(three), "T-A", "INF-VM", 2025, "actual", forTenantReader: true)!;
        Assert.Equal(new ExplanationPrice("vms", null, 1.5m, 3m, 66.67m, 22.22m, 33.33m, 33.34m, 0.01m), shown.Price);
    }
}
