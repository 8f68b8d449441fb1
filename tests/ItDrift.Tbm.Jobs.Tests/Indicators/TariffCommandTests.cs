using ClosedXML.Excel;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary><c>tbm report tariffs</c>: unit prices per catalogue service and supplier, as CSV and as a workbook.</summary>
public sealed class TariffCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>FK and SKV of the indicator tests, each classifying its INF-VM as the service map's INF-VM.</summary>
    private (string Runs, string Fk, string Skv) Publish()
    {
        var store = new Runs.RunStore(_temp.Combine("runs"));
        string One(string name, Dictionary<string, string> files)
        {
            var lines = files["objects.csv"].ReplaceLineEndings("\n").Split('\n');
            files["objects.csv"] = string.Join('\n', lines.Select((l, i) => i == 0 ? l + ",catalogue_service" : l.EndsWith(",virtual server", StringComparison.Ordinal) ? l + ",INF-VM" : l + ","));
            var work = store.NewWorkFolder();
            var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name), files), work));
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            store.Publish(work, result.Supplier!, result.RunId!, result.FiscalYears);
            return result.RunId!;
        }

        return (store.Root, One("fk", IndicatorModels.Fk()), One("skv", IndicatorModels.Skv()));
    }

    [Fact]
    public void ReportTariffs_WritesTheTariffsAndTheRegister_AsCsvAndAsAWorkbook()
    {
        var (runs, fk, skv) = Publish();

        var (code, stdout, err) = Tbm("report", "tariffs", "--year", "2025", "--runs", runs, "--out", _temp.Combine("tariffs.csv"));
        Assert.True(code == 0, err);
        Assert.Contains("Tariffs 2025 (actual): 1 catalogue services priced by 2 suppliers", stdout, StringComparison.Ordinal);
        Assert.Equal(
        [
            "catalogue_service,supplier,service,service_name,units,unit,cost,unit_price,normal_unit,normal_units,normal_unit_price,tenants,run_id",
            $"INF-VM,FK,INF-VM,Virtuell maskintjänst,11,virtual server,1320.00,120.00,virtual server,11,120.00,2,{fk}",
            $"INF-VM,SKV,INF-VM,Virtuell maskintjänst,3,virtual server,900.00,300.00,virtual server,3,300.00,2,{skv}",
        ], File.ReadAllLines(_temp.Combine("tariffs.csv")));

        (code, _, err) = Tbm("report", "tariffs", "--year", "2025", "--runs", runs, "--out", _temp.Combine("register.csv"), "--register");
        Assert.True(code == 0, err);
        Assert.Contains($"INF-VM,SKV,Skatteverket,INF-VM,Virtuell maskintjänst,,virtual server,true,{skv}", File.ReadAllLines(_temp.Combine("register.csv")));
        Assert.Contains($",SKV,Skatteverket,APP-OPS,Applikationsdrift,,application,false,{skv}", File.ReadAllLines(_temp.Combine("register.csv")));

        (code, _, err) = Tbm("report", "tariffs", "--year", "2025", "--runs", runs, "--out", _temp.Combine("tariffer.xlsx"));
        Assert.True(code == 0, err);
        using var workbook = new XLWorkbook(_temp.Combine("tariffer.xlsx"));
        var tariffs = workbook.Worksheet("Tariffer");
        var all = tariffs.RowsUsed().Single(r => r.Cell(1).GetString() == "INF-VM" && r.Cell(3).GetString() == "Alla");
        Assert.Equal(158.57m, all.Cell(11).GetValue<decimal>()); // 2 220.00 / 14
        Assert.Contains(workbook.Worksheet("Tjänsteregister").RowsUsed(), r => r.Cell(3).GetString() == "SKV" && r.Cell(5).GetString() == "APP-OPS");
    }

    [Fact]
    public void ReportTariffs_ExitsWith2_ForAFileItMayNotWrite()
    {
        var (runs, _, _) = Publish();
        File.WriteAllText(_temp.Combine("taken.csv"), "mine");
        var (code, _, err) = Tbm("report", "tariffs", "--year", "2025", "--runs", runs, "--out", _temp.Combine("taken.csv"));
        Assert.Equal(2, code);
        Assert.Equal("mine", File.ReadAllText(_temp.Combine("taken.csv")));
        Assert.Single(err.Trim().Split('\n'));

        (code, _, err) = Tbm("report", "tariffs", "--year", "2025", "--runs", runs, "--out", _temp.Combine("tariffs.txt"));
        Assert.Equal(2, code);
        Assert.Contains("give a file ending in .xlsx or .csv", err, StringComparison.Ordinal);
    }
}
