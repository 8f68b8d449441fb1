using ClosedXML.Excel;
using ItDrift.Tbm.Jobs.Cli;

namespace ItDrift.Tbm.Tests.Indicators;

/// <summary>
/// The follow-up from the command line, as ESV or the coordinator would do it: a baseline template,
/// filled in and imported (and corrected), a published run, and the yearly status report in one command.
/// </summary>
public sealed class BaselineAndReportCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tbm-kpi-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(_folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal); // baseline versions are read-only
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static (int Code, string Out, string Err) Tbm(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string In(params string[] parts) => Path.Combine([_folder, .. parts]);

    private static void Fill(string path, string service, decimal cost, decimal quantity)
    {
        using var workbook = new XLWorkbook(path);
        var row = workbook.Worksheet("baseline").RowsUsed().First(r => r.Cell(3).GetString() == service);
        row.Cell(6).SetValue(cost);
        row.Cell(7).SetValue(quantity);
        workbook.Save();
    }

    [Fact]
    public void BaselineAndReport_RunEndToEnd()
    {
        var (code, _, err) = Tbm("demo", "--lines", "20000", "--out", _folder);
        Assert.True(code == 0, err);
        var model = In("model");
        var tenant = File.ReadAllLines(Path.Combine(model, "tenants.csv"))[1].Split(',')[0];

        (code, _, err) = Tbm("baseline", "template", "--model", model, "--tenant", tenant, "--year", "2023", "--out", In("mall.xlsx"));
        Assert.True(code == 0, err);
        Fill(In("mall.xlsx"), "END-OFF", 1_250_000.50m, 400);

        var (importCode, stdout, importErr) = Tbm("baseline", "import", In("mall.xlsx"), "--model", model, "--by", "Anna Andersson");
        Assert.True(importCode == 0, importErr);
        Assert.Contains($"Recorded {tenant} v1 (1 rows) by Anna Andersson", stdout, StringComparison.Ordinal);

        // A correction needs a reason; with one it is v2, and v1 stays.
        Fill(In("mall.xlsx"), "END-OFF", 1_300_000m, 400);
        (code, _, err) = Tbm("baseline", "import", In("mall.xlsx"), "--model", model, "--by", "Bo");
        Assert.Equal(2, code);
        Assert.Contains("needs a reason", err, StringComparison.Ordinal);
        (code, stdout, err) = Tbm("baseline", "import", In("mall.xlsx"), "--model", model, "--by", "Bo", "--reason", "fel belopp");
        Assert.True(code == 0, err);
        Assert.Contains($"Recorded {tenant} v2", stdout, StringComparison.Ordinal);
        (_, stdout, _) = Tbm("baseline", "list", "--model", model);
        Assert.Contains("v1", stdout, StringComparison.Ordinal);
        Assert.Contains("fel belopp", stdout, StringComparison.Ordinal);

        (code, _, err) = Tbm("run", "--model", model, "--publish", "--runs", In("runs"));
        Assert.True(code == 0, err);
        var run = Directory.GetDirectories(Directory.GetDirectories(In("runs")).Single(d => !Path.GetFileName(d).StartsWith('.'))).Single();
        var kpi = File.ReadAllLines(Path.Combine(run, "kpi.csv"));
        var year = kpi.Skip(1).Select(l => int.Parse(l.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.Contains(kpi, l => l.StartsWith($"{year},actual,tenant,{tenant},tenant.baseline_change,", StringComparison.Ordinal) && l.EndsWith(",v2", StringComparison.Ordinal));

        var yearText = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (code, stdout, err) = Tbm("report", "status", "--year", yearText, "--runs", In("runs"), "--out", In("status.xlsx"));
        Assert.True(code == 0, err);
        Assert.Contains(Path.GetFileName(run), stdout, StringComparison.Ordinal);
        using (var workbook = new XLWorkbook(In("status.xlsx")))
        {
            Assert.Equal("Sammanfattning", workbook.Worksheet(1).Name);
        }

        (code, _, err) = Tbm("report", "status", "--year", yearText, "--runs", In("runs"), "--tenant", tenant, "--out", In("own.xlsx"));
        Assert.True(code == 0, err);
        using (var own = new XLWorkbook(In("own.xlsx")))
        {
            Assert.Contains(own.Worksheet("Nolläge").CellsUsed(), c => c.GetString() == "v2");
        }
    }

    [Fact]
    public void BaselineImport_ExitsWith2_AndNamesEveryBadCell()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(In("bad.csv"), "tenant,year,service,cost,quantity\nT-A,20x4,INF-VM,1.234,-1\n");
        var (code, _, err) = Tbm("baseline", "import", In("bad.csv"), "--store", In("store"));
        Assert.Equal(2, code);
        Assert.Contains("bad.csv:2 [year]", err, StringComparison.Ordinal);
        Assert.Contains("bad.csv:2 [cost]", err, StringComparison.Ordinal);
        Assert.Contains("bad.csv:2 [quantity]", err, StringComparison.Ordinal);
        Assert.Contains("nothing was recorded", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(In("store")));
    }

    [Fact]
    public void Report_ExitsWith2_WithoutAYear_OrAnAction()
    {
        Assert.Equal(2, Tbm("report", "status", "--runs", "x").Code);
        Assert.Equal(2, Tbm("report").Code);
        Assert.Equal(2, Tbm("baseline", "frobnicate").Code);
    }
}
