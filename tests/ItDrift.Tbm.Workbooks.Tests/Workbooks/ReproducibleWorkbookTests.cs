using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ClosedXML.Excel;
using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Indicators;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests.Workbooks;

/// <summary>
/// Every workbook is byte-identical for identical inputs: written twice in this process, and in child
/// processes in other time zones, another culture and under invariant globalization
/// (<c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1</c>, where <c>CultureInfo("sv-SE")</c> throws). The
/// packages are then read back with System.IO.Compression and XML (and ClosedXML) to show they are still
/// valid workbooks with fixed part names, relationship ids and entry times.
/// </summary>
public sealed partial class ReproducibleWorkbookTests : IDisposable
{
    private static readonly Dictionary<string, string> Invariant = new(StringComparer.Ordinal)
    {
        ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        ["TZ"] = "Pacific/Kiritimati", // UTC+14: a zip time in local time would be on another day
    };

    private static readonly Dictionary<string, string> Persian = new(StringComparer.Ordinal)
    {
        ["LC_ALL"] = "fa_IR.UTF-8",
        ["LANG"] = "fa_IR.UTF-8",
        ["TZ"] = "America/Los_Angeles",
    };

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunFolder SmallRun()
    {
        var files = SmallModel.Files();
        files["invoiced.csv"] = "fiscal_year,tenant,service,amount\n2025,T-A,INF-VM,30.00\n";
        var output = _temp.Combine("run");
        TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        return RunFolder.Open(output);
    }

    [Theory]
    [InlineData("fee-specification", "T-A", "2025")]
    [InlineData("price-list", "-", "2025")]
    [InlineData("trueup", "T-A", "2025")]
    [InlineData("balance", "-", "-")]
    [InlineData("fee-table", "-", "-")]
    public async Task Export_IsByteIdentical_RepeatedAndInOtherTimeZonesAndCultures(string kind, string tenant, string year)
    {
        var run = SmallRun();
        var request = new WorkbookRequest(WorkbookExport.Names[kind], tenant == "-" ? null : tenant, year == "-" ? null : int.Parse(year, CultureInfo.InvariantCulture));
        var first = await Bytes(run, request);
        var previous = CultureInfo.CurrentCulture;
        byte[] second;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("fa-IR");
            second = await Bytes(run, request);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(first, second);
        foreach (var (environment, name) in new[] { (Invariant, "invariant.xlsx"), (Persian, "persian.xlsx") })
        {
            var path = _temp.Combine(name);
            Child.Run(environment, "export", run.Directory, kind, tenant, year, path);
            Assert.Equal(first, File.ReadAllBytes(path));
        }

        AssertReproduciblePackage(first, created: null);
        using var book = new XLWorkbook(new MemoryStream(first));
        Assert.NotEmpty(book.Worksheets.First().CellsUsed());
    }

    [Fact]
    public void StatusReport_IsByteIdentical_UnderInvariantGlobalizationAndAnotherTimeZone()
    {
        var (runs, fk, _) = IndicatorModels.Publish(_temp);
        var time = new DateTimeOffset(2026, 3, 15, 8, 0, 0, TimeSpan.Zero);
        var here = _temp.Combine("here.xlsx");
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("sv-SE");
            StatusReport.Write(new StatusReportOptions(2025, runs, here) { Time = new FixedTime(time) });
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var there = _temp.Combine("there.xlsx");
        var printed = Child.Run(Invariant, "status", runs, "2025", there, time.ToString("O", CultureInfo.InvariantCulture));
        Assert.StartsWith("|", printed, StringComparison.Ordinal); // the invariant culture's name is empty
        Assert.Equal(File.ReadAllBytes(here), File.ReadAllBytes(there));
        AssertReproduciblePackage(File.ReadAllBytes(here), created: "2026-03-15T08:00:00Z");
        using var book = new XLWorkbook(there);
        Assert.Contains(fk, book.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()).First(t => t.Contains(fk, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal("Räkenskapsår 2025, utfall. Skapad 2026-03-15 08:00 (UTC).", book.Worksheet("Sammanfattning").Cell(3, 1).GetString());
    }

    [Fact]
    public void BaselineTemplate_HasInvariantBounds_AndIsByteIdenticalInEveryCulture()
    {
        var model = SmallModel.Write(_temp.Combine("model"), SmallModel.Files());
        var here = _temp.Combine("sv.xlsx");
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("sv-SE"); // its minus sign is U+2212
            Assert.Empty(BaselineWorkbook.WriteTemplate(model, here));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        foreach (var (environment, name) in new[] { (Invariant, "invariant.xlsx"), (Persian, "persian.xlsx") })
        {
            var path = _temp.Combine(name);
            Child.Run(environment, "template", model, path);
            Assert.Equal(File.ReadAllBytes(here), File.ReadAllBytes(path));
        }

        var bytes = File.ReadAllBytes(here);
        AssertReproduciblePackage(bytes, created: null);
        var sheet = Part(bytes, "xl/worksheets/sheet2.xml");
        XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var rules = sheet.Descendants(main + "dataValidation").ToDictionary(v => ((string)v.Attribute("sqref")!)[..1], v => (Type: (string?)v.Attribute("type"), Operator: (string?)v.Attribute("operator"), Formula1: (string?)v.Element(main + "formula1"), Formula2: (string?)v.Element(main + "formula2")));
        Assert.Equal(("whole", "between", "1900", "2999"), rules["B"]);
        Assert.Equal(("decimal", "between", "-999999999999999", "999999999999999"), rules["F"]);
        Assert.Equal(("decimal", "greaterThanOrEqual", "0", ""), rules["G"]);
        Assert.Equal(("whole", "greaterThanOrEqual", "0", ""), rules["I"]);
    }

    /// <summary>
    /// Reads the package with System.IO.Compression and XML only: every part parses, every entry has the fixed
    /// time, the core properties have their fixed name and the given time, no relationship id is random, and
    /// every relationship's target is a part of the package.
    /// </summary>
    private static void AssertReproduciblePackage(byte[] bytes, string? created)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal("[Content_Types].xml", names[0]);
        Assert.Equal(names.Skip(1).Order(StringComparer.Ordinal), names.Skip(1));
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), e.LastWriteTime.DateTime));
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            var document = XDocument.Load(stream);
            if (entry.FullName.EndsWith(".rels", StringComparison.Ordinal))
            {
                foreach (var relationship in document.Root!.Elements())
                {
                    Assert.DoesNotMatch(RandomId(), (string)relationship.Attribute("Id")!);
                    if ((string?)relationship.Attribute("TargetMode") != "External")
                    {
                        var target = (string)relationship.Attribute("Target")!;
                        var folder = entry.FullName[..entry.FullName.IndexOf("_rels/", StringComparison.Ordinal)];
                        var resolved = target.StartsWith('/') ? target[1..] : Path.GetFullPath(Path.Combine("/", folder, target))[1..];
                        Assert.Contains(resolved, names);
                    }
                }
            }
        }

        var core = zip.Entries.SingleOrDefault(e => e.FullName == ReproduciblePackage.CorePropertiesPart) ?? zip.GetEntry("docProps/core.xml")!;
        using var coreStream = core.Open();
        XNamespace terms = "http://purl.org/dc/terms/";
        var properties = XDocument.Load(coreStream).Root!;
        Assert.Equal(created, (string?)properties.Element(terms + "created"));
        Assert.Equal(created, (string?)properties.Element(terms + "modified"));
    }

    private static XDocument Part(byte[] bytes, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        using var stream = zip.GetEntry(name)!.Open();
        return XDocument.Load(stream);
    }

    private static async Task<byte[]> Bytes(RunFolder run, WorkbookRequest request)
    {
        using var stream = new MemoryStream();
        await WorkbookExport.WriteAsync(run, request, stream);
        return stream.ToArray();
    }

    [GeneratedRegex("^R[0-9a-f]{16}$")]
    private static partial Regex RandomId();
}
