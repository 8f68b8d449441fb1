using System.Globalization;
using ItDrift.Tbm.Catalogue;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Catalogue;

/// <summary>
/// The catalogue as data (docs/catalogue.md): the taxonomies and the service map, a package's classification
/// checked against them, suppliers that name a service differently compared by it, and a run rolled up by tower.
/// </summary>
public sealed class CatalogueTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ServiceMap_HasTheTwentyServicesOfFiveAreas()
    {
        Assert.Equal(20, TbmCatalogue.Services.Count);
        Assert.Equal(5, TbmCatalogue.Services.Select(s => s.AreaSv).Distinct().Count());
        var vm = TbmCatalogue.Service("INF-VM")!;
        Assert.Equal(("Virtuell maskintjänst", "Virtual machine (no OS)", "Infrastructure", "virtual server", "virtual_servers"),
            (vm.NameSv, vm.NameEn, vm.TbmServiceType, vm.DefaultUnit, vm.DefaultDriver));
        Assert.Equal("Applikationsåtagande", TbmCatalogue.Service("APP-SAAS")!.AreaSv);

        // Every service's TBM service type is a service type of tbm-v4.
        var v4 = TbmCatalogue.Find("tbm-v4")!;
        Assert.All(TbmCatalogue.Services, s => Assert.NotNull(v4.ServiceType(s.TbmServiceType)));
    }

    [Theory]
    [InlineData("Internal Labor", "Egen personal")]
    [InlineData(" internal labor ", "Egen personal")]
    [InlineData("Facilities & Power", "Lokaler och el")]
    [InlineData("Cloud Services", "Molntjänster")]
    [InlineData("Licenser", "Licenser")]
    public void CostPoolNameSv_IsTheTaxonomysSwedishName_ElseThePackagesOwn(string pool, string swedish) =>
        Assert.Equal(swedish, TbmCatalogue.CostPoolNameSv(pool));

    [Theory]
    [InlineData("tbm-v4", "4.0")]
    [InlineData("TBM-v4.0", "4.0")]
    [InlineData("tbm-v5", "5.0")]
    public void Find_KnowsTheTaxonomiesByName(string name, string version) => Assert.Equal(version, TbmCatalogue.Find(name)!.Version);

    [Fact]
    public void Validate_ReportsUnknownCodes_WithFileLineAndColumn()
    {
        var files = SmallModel.Files();
        files["objects.csv"] = """
            object_id,kind,name,service_type,catalogue_service
            TWR-DC,tower,Data Center,Datacentre,
            INF-VM,service,Virtual machines,Infrastructure,INF-XX
            FUN-SUP,service,Support,Helpdesk,FUN-SUP
            """.ReplaceLineEndings("\n") + "\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));

        Assert.Equal(
        [
            ("objects.csv", 2, "service_type", "'Datacentre' is not a tower of taxonomy tbm-v4 (Data Center, Compute, Storage, Network, Platform, Output, End User, Application, Delivery, Security & Compliance, IT Management)"),
            ("objects.csv", 3, "catalogue_service", "'INF-XX' is not a service of the state service map (INF-DC … APP-SAAS, docs/catalogue.md); leave it blank for a service outside the map"),
            ("objects.csv", 4, "service_type", "'Helpdesk' is not a service type of taxonomy tbm-v4 (Infrastructure, Platform, Delivery, Workplace, Business, Shared & Corporate, End User, Application)"),
        ], result.Errors.Select(e => (e.File, e.Line, e.Column, e.Reason)));
    }

    [Fact]
    public void Validate_AcceptsATaxonomyItDoesNotKnow_WithAWarning()
    {
        var files = SmallModel.Files();
        files["model.json"] = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "taxonomy": "egen"}""";
        files["objects.csv"] = "object_id,kind,name,service_type\nTWR-DC,tower,Data Center,Datahall\nINF-VM,service,VM,Egen typ\nFUN-SUP,service,Support,\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.File == "model.json"
            && w.Message == "taxonomy 'egen' is not one the engine knows (tbm-v4, tbm-v5): objects.service_type is not checked");
    }

    [Fact]
    public void Validate_NoLongerWarnsOfCatalogueService_AsAnUnknownColumn()
    {
        var files = SmallModel.Files();
        files["objects.csv"] = "object_id,kind,name,catalogue_service\nTWR-DC,tower,Data Center,\nINF-VM,service,VM,INF-VM\nFUN-SUP,service,Support,\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        Assert.Empty(result.Errors);
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("catalogue_service", StringComparison.Ordinal));
    }

    /// <summary>FK classifies its INF-VM; SKV calls the same service VS-01, priced per VM; with <paramref name="third"/>, TRV does as SKV at another price.</summary>
    private (string Runs, string Fk, string Skv) PublishClassified(bool third = false)
    {
        var fk = IndicatorModels.Fk();
        fk["objects.csv"] = """
            object_id,kind,name,area,unit,catalogue_service
            INF-VM,service,Virtuell maskintjänst,INF,virtual server,INF-VM
            END-OFF,service,Kontorsstödstjänster,END,user,
            FUN-SUP,service,Support,FUN,ticket,
            """;
        var skv = Renamed(IndicatorModels.Skv());
        var store = new RunStore(_temp.Combine("runs"));
        string Publish(string name, Dictionary<string, string> files)
        {
            var work = store.NewWorkFolder();
            var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name), files), work));
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
            return result.RunId!;
        }

        var ids = (store.Root, Publish("fk", fk), Publish("skv", skv));
        if (third)
        {
            // TRV: VS-01 as well, 2 000.00 over 8 VM → 250.00 a VM.
            var trv = Renamed(IndicatorModels.Skv());
            trv["model.json"] = """{"supplier": {"id": "TRV", "name": "Trafikverket", "orgNr": "202100-6297"}}""";
            trv["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n2025,1,4010,K1,2000.00\n2025,1,5010,K1,300.00\n";
            trv["drivers.csv"] = "fiscal_year,driver,target,quantity\n2025,vms,T-A,3\n2025,vms,T-E,5\n";
            Publish("trv", trv);
        }

        return ids;
    }

    /// <summary>SKV's package with its virtual server service named VS-01, priced per VM, classified INF-VM.</summary>
    private static Dictionary<string, string> Renamed(Dictionary<string, string> skv)
    {
        skv["objects.csv"] = """
            object_id,kind,name,area,unit,catalogue_service,service_type
            VS-01,service,Virtuella servrar,INF,VM,INF-VM,Infrastructure
            APP-OPS,service,Applikationsdrift,APP,application,APP-OPS,Application
            """;
        skv["mapping.csv"] = skv["mapping.csv"].Replace("INF-VM", "VS-01", StringComparison.Ordinal);
        skv["rules.csv"] = skv["rules.csv"].Replace("INF-VM", "VS-01", StringComparison.Ordinal);
        return skv;
    }

    [Fact]
    public void Tariffs_CompareTwoSuppliersThatNameTheServiceDifferently()
    {
        var (runs, fk, skv) = PublishClassified();
        var view = TariffComparison.Compute(runs, 2025);

        // FK INF-VM: 1 320.00 over 11 virtual servers = 120.00. SKV VS-01: 900.00 over 3 VM (VM is a virtual server) = 300.00.
        var vm = view.Tariffs.Where(t => t.CatalogueService == "INF-VM").ToList();
        Assert.Equal(
        [
            ("FK", "INF-VM", 11m, "virtual server", 1320.00m, 120.00m, (decimal?)11m, (decimal?)120.00m, 2L, fk),
            ("SKV", "VS-01", 3m, "VM", 900.00m, 300.00m, 3m, 300.00m, 2L, skv),
        ], vm.Select(t => (t.Supplier, t.Service, t.Units, t.Unit, t.Cost, t.UnitPrice, t.NormalUnits, t.NormalUnitPrice, t.Tenants, t.RunId)));

        // Together: 2 220.00 over 14 = 158.571… → 158.57; two suppliers, so no lowest, median or highest price.
        var all = view.Summaries.Single(s => s.CatalogueService == "INF-VM");
        Assert.Equal(("Virtuell maskintjänst", "virtual server", 2, 14m, 2220.00m, (decimal?)158.57m, true, (decimal?)null, (decimal?)null),
            (all.NameSv, all.Unit, all.Suppliers, all.Units, all.Cost, all.UnitPrice, all.Suppressed, all.Min, all.Median));

        // APP-OPS is charged evenly (no key), so it has no unit price; it is in the register all the same.
        Assert.DoesNotContain(view.Tariffs, t => t.CatalogueService == "APP-OPS");
        Assert.Equal(
        [
            ("", "FK", "END-OFF", true), ("", "FK", "FUN-SUP", false), ("INF-VM", "FK", "INF-VM", true),
            ("APP-OPS", "SKV", "APP-OPS", false), ("INF-VM", "SKV", "VS-01", true),
        ], view.Register.Select(r => (r.CatalogueService, r.Supplier, r.Service, r.Priced)));
    }

    [Fact]
    public void Tariffs_GiveTheSpread_FromThreeSuppliers()
    {
        var (runs, _, _) = PublishClassified(third: true);
        var all = TariffComparison.Compute(runs, 2025).Summaries.Single(s => s.CatalogueService == "INF-VM");

        // 120.00, 250.00 (TRV: 2 000.00 / 8), 300.00; together 4 220.00 / 22 = 191.818… → 191.82.
        Assert.Equal((3, 22m, 4220.00m, (decimal?)191.82m, false, (decimal?)120.00m, (decimal?)250.00m, (decimal?)300.00m),
            (all.Suppliers, all.Units, all.Cost, all.UnitPrice, all.Suppressed, all.Min, all.Median, all.Max));
    }

    [Theory]
    [InlineData("GB", "TB", 1000.00, 2500, 400.00)]   // 2 500 GB = 2.5 TB: 1 000.00 / 2.5
    [InlineData("TB", "TB", 0.05, 2, 0.03)]           // 0.025 → 0.03, half away from zero
    [InlineData("", "TB", -0.05, 2, -0.03)]           // no unit is the catalogue's
    public void NormalUnitPrice_IsRecomputedFromCostAndUnits(string unit, string target, double cost, int units, double expected)
    {
        var (numerator, denominator) = UnitConversion.Factor(unit, target)!.Value;
        Assert.Equal((decimal)expected, TariffComparison.UnitPrice((decimal)cost, units * numerator, denominator));
    }

    [Fact]
    public void NormalUnit_IsNone_ForAUnitThatDoesNotConvert() => Assert.Null(UnitConversion.Factor("hour", "TB"));

    [Fact]
    public void CombinedIndicators_MeetByCatalogueService_AndReportWhatIsUnclassified()
    {
        var (runs, _, _) = PublishClassified();
        var view = CombinedIndicators.Compute(runs, 2025);
        decimal? Value(string group, string scope, string subject, string indicator) =>
            view.Values.SingleOrDefault(v => v.Group == group && v.FiscalYear == 2025 && v.Scope == scope && v.Subject == subject && v.Indicator == indicator)?.Value;

        // SKV's VS-01 is INF-VM in the combination: (1 320 + 900) / (11 + 3) = 158.57; each supplier keeps its own id.
        Assert.Equal(158.57m, Value("*", "service", "INF-VM", "service.unit_cost"));
        Assert.Null(Value("*", "service", "VS-01", "service.unit_cost"));
        Assert.Equal(300.00m, Value("SKV", "service", "VS-01", "service.unit_cost"));

        // T-A's baseline line INF-VM meets SKV's VS-01: 900.00 for 6 servers, V = 500 × (6 − 4) / 4 = 250.00.
        Assert.Equal(250.00m, Value("*", "baseline", "T-A/INF-VM", "baseline.volume_effect"));

        // FK has classified only INF-VM: 2 250.00 − 1 320.00 = 930.00 unclassified, 41.33 %; SKV nothing.
        Assert.Equal(930.00m, Value("FK", "quality", "FK", "quality.unclassified_fees"));
        Assert.Equal(41.33m, Value("FK", "quality", "FK", "quality.unclassified_share"));
        Assert.Equal(0.00m, Value("SKV", "quality", "SKV", "quality.unclassified_fees"));
        Assert.Equal(930.00m, Value("*", "quality", "*", "quality.unclassified_fees"));

        // By TBM service type: SKV types VS-01 Infrastructure (900.00) and APP-OPS Application (300.00); FK types nothing.
        Assert.Equal(900.00m, Value("SKV", "service_type", "Infrastructure", "service_type.cost"));
        Assert.Equal(900.00m, Value("*", "service_type", "Infrastructure", "service_type.cost"));
        Assert.Equal(300.00m, Value("*", "service_type", "Application", "service_type.cost"));
        Assert.Null(Value("FK", "service_type", "Infrastructure", "service_type.cost"));
    }

    [Fact]
    public void RunFolder_RecordsTheClassification_InKpiSubjects()
    {
        var (runs, _, skv) = PublishClassified();
        var subjects = File.ReadAllLines(Path.Combine(runs, "SKV", skv, "kpi_subjects.csv"));
        Assert.Equal("scope,subject,name,kind,unit,area,org_nr,catalogue_service,service_type", subjects[0]);
        Assert.Contains("service,VS-01,Virtuella servrar,service,VM,INF,,INF-VM,Infrastructure", subjects);
    }

    [Fact]
    public void TowerRollup_AddsUpToTheRunsTotals_ToTheOre()
    {
        var files = SmallModel.Files();
        files["objects.csv"] = "object_id,kind,name,service_type\nTWR-DC,tower,Data Center,data center\nINF-VM,service,VM,Infrastructure\nFUN-SUP,service,Support,Delivery\n";
        var output = _temp.Combine("out");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var run = RunFolder.Open(output);

        // 4011 100.00 to TWR-DC (Data Center); 5460 0.05 and 5011 −10.00 to FUN-SUP, a service; 7999 3.00 unmapped.
        var towers = TowerRollup.Compute(run);
        Assert.Equal(
        [
            (2025, "actual", "(no tower)", -9.95m), (2025, "actual", "Data Center", 100.00m), (2025, "actual", "UNMAPPED", 3.00m),
        ], towers.Select(t => (t.FiscalYear, t.Scenario, t.Tower, t.Amount)));

        var reconciliation = File.ReadAllLines(Path.Combine(output, "reconciliation.csv"))[1].Split(',');
        var ledger = decimal.Parse(reconciliation[2], CultureInfo.InvariantCulture);
        var allocatedAndUnallocated = decimal.Parse(reconciliation[3], CultureInfo.InvariantCulture) + decimal.Parse(reconciliation[4], CultureInfo.InvariantCulture);
        Assert.Equal(ledger, towers.Sum(t => t.Amount));
        Assert.Equal(allocatedAndUnallocated, towers.Sum(t => t.Amount));
    }
}
