using System.Globalization;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Ingest.Sie;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Sie;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Billing;

/// <summary>
/// Invoices from a real run folder (docs/billing.md): the billing table, the plan's defaults, the fees under the fee model,
/// the true-up and the instalment plan; the bookings read back by the project's own SIE reader without any acceptance.
/// </summary>
public sealed class InvoicingRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// SmallModel (2025 actual) with a billing plan (T-A quarterly, T-B half-yearly from July, T-C the default),
    /// 10.00 invoiced to T-A for FUN-SUP in 2025, and a 1 200.01 connection for T-A over one year from March 2025.
    /// </summary>
    private static Dictionary<string, string> Package()
    {
        var files = SmallModel.Files();
        files["tenants.csv"] = """
            tenant_id,name,org_nr
            T-A,Myndigheten för "A" – Åre,202100-5448
            T-B,Agency B,
            T-C,Agency C,
            """;
        files["billing.csv"] = """
            tenant,frequency,first_period,reference
            T-A,Quarterly,,REF-1
            T-B,half-yearly,7,
            """;
        files["invoiced.csv"] = """
            fiscal_year,tenant,service,amount
            2025,T-A,FUN-SUP,10.00
            """;
        files["instalments.csv"] = """
            tenant,item,kind,amount,years,start_year,start_month
            T-A,CONN-1,connection,1200.01,1,2025,3
            """;
        return files;
    }

    private RunFolder Run(Dictionary<string, string> files)
    {
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return RunFolder.Open(output);
    }

    private static long Ore(string amount) => (long)(decimal.Parse(amount, CultureInfo.InvariantCulture) * 100);

    private static List<string[]> Rows(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => l.Split(','))];

    [Fact]
    public void Invoices_FollowThePlan_AndSumToTheFeesTrueUpAndInstalments()
    {
        var run = Run(Package());

        var invoices = Invoicing.Invoices(run, 2025);

        // Issue dates per tenant: T-A quarterly, T-B from July, T-C the default half-yearly.
        Assert.Equal([1, 4, 7, 10], invoices.Where(i => i.Buyer.Id == "T-A").Select(i => i.IssueDate.Month));
        Assert.Equal([7], invoices.Where(i => i.Buyer.Id == "T-B").Select(i => i.IssueDate.Month));
        Assert.Equal([1, 7], invoices.Where(i => i.Buyer.Id == "T-C").Select(i => i.IssueDate.Month));
        var a = invoices.First(i => i.Buyer.Id == "T-A");
        Assert.Equal(("REF-1", "0007:2021005448", "202100-5448"), (a.Buyer.Reference, a.Buyer.EndpointId, a.Buyer.OrgNr));
        Assert.Equal(("FK", "0007:2021005521"), (a.Seller.Id, a.Seller.EndpointId));
        Assert.Null(invoices.First(i => i.Buyer.Id == "T-B").Buyer.EndpointId);
        Assert.Equal(a.IssueDate.AddDays(30), a.DueDate);

        // Preliminary lines per (tenant, service) sum exactly to the fee of fees_by_model.
        var fees = Rows(Path.Combine(run.Directory, "fees_by_model.csv")).Where(r => r[0] == "2025").ToList();
        var lines = invoices.SelectMany(i => i.Lines).ToList();
        foreach (var fee in fees.Where(f => f[1] is not ("connection" or "asset")))
        {
            Assert.Equal(Ore(fee[6]), lines.Where(l => l.Kind == InvoiceLineKind.Preliminary && l.Tenant == fee[2] && l.Service == fee[3]).Sum(l => l.Amount));
        }

        // Instalments: March goes to the first quarter; 2025 holds ten months, 100.01 + 9 × 100.00.
        Assert.Equal(
            [(1, 10_001L), (4, 30_000L), (7, 30_000L), (10, 30_000L)],
            lines.Where(l => l.Kind == InvoiceLineKind.Instalment).Select(l => (l.InvoicePeriod, l.Amount)));
        Assert.Equal(Ore(fees.Single(f => f[1] == "connection")[6]), lines.Where(l => l.Kind == InvoiceLineKind.Instalment).Sum(l => l.Amount));
        Assert.DoesNotContain(lines, l => l.Kind == InvoiceLineKind.TrueUp); // 2024 has no true-up
    }

    [Fact]
    public void Invoices_OfTheYearAfter_CarryTheTrueUp_OnTheFirstPeriodsInvoice()
    {
        var run = Run(Package());

        var invoices = Invoicing.Invoices(run, 2026);

        var trueUps = invoices.SelectMany(i => i.Lines).Where(l => l.Kind == InvoiceLineKind.TrueUp).ToList();
        // T-A and T-C: January; T-B, billed from July: July.
        var expected = Rows(Path.Combine(run.Directory, "trueup.csv")).Where(r => r[0] == "2025" && Ore(r[5]) != 0)
            .Select(r => new InvoiceLine(r[1], 2025, r[1] == "T-B" ? 7 : 1, r[2], InvoiceLineKind.TrueUp, Ore(r[5])));
        Assert.Equal(expected.OrderBy(l => l.Tenant, StringComparer.Ordinal).ThenBy(l => l.Service, StringComparer.Ordinal), trueUps.OrderBy(l => l.Tenant, StringComparer.Ordinal).ThenBy(l => l.Service, StringComparer.Ordinal));
        Assert.Equal(5, trueUps.Count);
        foreach (var byTenant in Rows(Path.Combine(run.Directory, "trueup_by_tenant.csv")).Where(r => r[0] == "2025"))
        {
            Assert.Equal(Ore(byTenant[4]), trueUps.Where(l => l.Tenant == byTenant[1]).Sum(l => l.Amount));
        }

        // The connection's last two months, January and February 2026, on T-A's first quarter.
        Assert.Equal(20_000, invoices.SelectMany(i => i.Lines).Where(l => l.Kind == InvoiceLineKind.Instalment).Sum(l => l.Amount));
        Assert.DoesNotContain(invoices.SelectMany(i => i.Lines), l => l.Kind == InvoiceLineKind.Preliminary);
    }

    [Fact]
    public void Invoices_OfAYearWithNothingToInvoice_AreNotFound_NamingTheYears()
    {
        var run = Run(Package());

        var e = Assert.Throws<TbmException>(() => Invoicing.Invoices(run, 2030));

        Assert.Equal(TbmErrorKind.NotFound, e.Kind);
        Assert.Equal($"run {run.RunId} has nothing to invoice in 2030: its years are 2025, 2026 (a fee year, or the year after a true-up)", e.Message);
    }

    [Fact]
    public void WriteFolder_WritesAUblInvoiceForEveryBuyerWithAnElectronicAddress_AndSaysWhichHaveNone()
    {
        // Only T-A has an organisation number (0007:2021005448); T-B and T-C have neither it nor an endpoint in the plan.
        var run = Run(Package());
        var output = _temp.Combine("ubl-invoices");
        var told = new List<string>();

        var invoices = Invoicing.WriteFolder(run, 2025, output, notElectronic: told.Add);

        var electronic = invoices.Where(i => i.Buyer.Id == "T-A").Select(UblInvoice.FileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(electronic);
        Assert.Equal(electronic, Directory.GetFiles(Path.Combine(output, UblInvoice.Folder)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(invoices.Count(i => i.Buyer.Id != "T-A"), told.Count);
        Assert.All(told, t => Assert.Contains("an electronic address is required", t, StringComparison.Ordinal));
    }

    [Fact]
    public void WriteFolder_Bookings_ReadBackBySieReader_ChecksumValid_Balanced_TotalsEqualTheInvoices()
    {
        var run = Run(Package());
        var output = _temp.Combine("invoices");

        var invoices = Invoicing.WriteFolder(run, 2025, output);

        var sink = new CollectingSink();
        var report = SieReader.Read(Path.Combine(output, Invoicing.BookingsFile), sink);
        Assert.True(report.Issues.Count == 0, string.Join("\n", report.Issues));
        Assert.Equal(SieChecksumStatus.Valid, report.Checksum);
        Assert.Equal(invoices.Count, report.Vouchers);
        Assert.Equal("202100-5521", report.OrgNumber);
        Assert.Equal("ibm437", report.EncodingName);
        Assert.Equal(invoices.Sum(i => i.Total), sink.Lines.Where(l => l.Account == 1511).Sum(l => l.AmountOre));
        Assert.Equal(-invoices.Sum(i => i.Total), sink.Lines.Where(l => l.Account == 3111).Sum(l => l.AmountOre));
        Assert.All(sink.Lines.GroupBy(l => l.Voucher), v => Assert.Equal(0, v.Sum(l => l.AmountOre)));
        Assert.All(sink.Lines, l => Assert.Equal(2025, l.FiscalYear));
        var first = sink.Lines.Where(l => l.Voucher == "F 2025010001").ToList();
        Assert.All(first, l => Assert.Equal("8=T-A", l.OtherDimensions));
        Assert.Equal(invoices[0].Total, first.Single(l => l.Account == 1511).AmountOre);

        // invoice_lines.csv: one row per line, the same amounts.
        var rows = Rows(Path.Combine(output, Invoicing.LinesFile));
        Assert.Equal(invoices.Sum(i => i.Lines.Count), rows.Count);
        Assert.Equal("tenant,invoice_number,invoice_period,issue_date,due_date,service,kind,fiscal_year,amount", File.ReadLines(Path.Combine(output, Invoicing.LinesFile)).First());
        Assert.Contains("T-A,2025010001,1,2025-01-01,2025-01-31,CONN-1,instalment,2025,100.01", File.ReadAllLines(Path.Combine(output, Invoicing.LinesFile)));
        Assert.Equal(invoices.Sum(i => i.Total), rows.Sum(r => Ore(r[8])));
    }

    [Fact]
    public void WriteFolder_Bookings_UseTheAccountsAndDimensionOfModelJson_AndAreTheSameBytesTwice()
    {
        var files = Package();
        files["model.json"] = """
            {"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"},
             "billing": {"frequency": "ANNUAL", "paymentTermsDays": 20, "revenueAccount": 3511, "receivablesAccount": 1512, "customerDimension": 21}}
            """;
        var run = Run(files);

        var invoices = Invoicing.WriteFolder(run, 2025, _temp.Combine("one"));
        Invoicing.WriteFolder(run, 2025, _temp.Combine("two"));

        Assert.Equal([1], invoices.Where(i => i.Buyer.Id == "T-C").Select(i => i.IssueDate.Month));
        Assert.All(invoices, i => Assert.Equal(i.IssueDate.AddDays(20), i.DueDate));
        var sink = new CollectingSink();
        var report = SieReader.Read(_temp.Combine("one", Invoicing.BookingsFile), sink);
        Assert.Empty(report.Issues);
        Assert.Equal([1512, 3511], sink.Lines.Select(l => l.Account).Distinct().Order());
        Assert.All(sink.Lines, l => Assert.StartsWith("21=", l.OtherDimensions, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(_temp.Combine("one", Invoicing.BookingsFile)), File.ReadAllBytes(_temp.Combine("two", Invoicing.BookingsFile)));
    }

    [Fact]
    public void Run_BadBillingRows_AreModelErrors_NamingFileLineAndColumn()
    {
        var files = Package();
        files["billing.csv"] = """
            tenant,frequency,first_period,endpoint
            T-A,weekly,1,
            T-X,monthly,1,
            T-B,monthly,13,
            T-C,monthly,1,0007-2021005448
            T-C,annual,1,
            """;

        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("bad"), files), _temp.Combine("bad-run")));

        Assert.Equal(
            [
                new ModelError("billing.csv", 2, "frequency", "'weekly' is not a billing frequency (monthly, quarterly, half-yearly, annual)"),
                new ModelError("billing.csv", 3, "tenant", "unknown tenant 'T-X'"),
                new ModelError("billing.csv", 5, "endpoint", "'0007-2021005448' is not a Peppol endpoint id: a four-digit scheme, ':' and the id (at most 50 letters, digits, '.', '-', '_'), e.g. 0007:2021005489"),
                new ModelError("billing.csv", 6, "tenant", "duplicate tenant (a tenant has one billing plan) T-C (first at line 5)"),
            ],
            result.Errors.Where(e => e.Line != 4));
        Assert.Contains(result.Errors, e => e is { File: "billing.csv", Line: 4, Column: "first_period" });
    }

    [Fact]
    public void Run_BadBillingSettings_AreModelErrors_NamingModelJsonAndTheLine()
    {
        var files = Package();
        files["model.json"] = """
            {"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"},
             "billing": {
               "frequency": "weekly",
               "paymentTermsDays": -1,
               "revenueAccount": 1511
             }}
            """;

        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("bad"), files), _temp.Combine("bad-run")));

        Assert.Equal(
            [
                new ModelError("model.json", 3, "billing.frequency", "must be one of monthly, quarterly, half-yearly, annual"),
                new ModelError("model.json", 4, "billing.paymentTermsDays", "must be days from the invoice date to the due date: a whole number 0–365"),
                new ModelError("model.json", 5, "billing.revenueAccount", "revenue and receivables are both account 1511: a voucher would book the fee against itself"),
            ],
            result.Errors);
    }
}
