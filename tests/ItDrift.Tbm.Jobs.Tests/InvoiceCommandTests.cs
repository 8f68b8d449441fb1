using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm invoice --run RUNDIR --year Y --out DIR</c> (issue 19) on datasets/scenarios/multi-year-scenarios: 2024 and
/// 2025 actual, 2025 invoiced, so the 2025 true-up is invoiced in 2026; a bad billing row is exit 2 naming file, line and column.
/// </summary>
public sealed class InvoiceCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-invoice-" + Guid.NewGuid().ToString("N")[..8]);

    public InvoiceCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Model => Path.Combine(Repository.Root, "datasets", "scenarios", "multi-year-scenarios", "model");

    private string Run()
    {
        var run = Path.Combine(_root, "run");
        var (code, _, err) = CommandLineTests.Tbm("run", "--model", Model, "--out", run);
        Assert.True(code == 0, err);
        return run;
    }

    [Fact]
    public void Invoice_OfTheYearAfterATrueUp_WritesItsLinesAndBookings_EqualToTrueupCsv()
    {
        var run = Run();
        var output = Path.Combine(_root, "invoices");

        var (code, stdout, err) = CommandLineTests.Tbm("invoice", "--run", run, "--year", "2026", "--out", output);

        Assert.True(code == 0, err);
        Assert.Contains(Path.Combine(output, "invoice_lines.csv"), stdout, StringComparison.Ordinal);
        // trueup.csv for 2025: T-ESV −2 800.00 and +1 909.09, T-SCB −6 200.00 and −4 909.09; both billed half-yearly from January.
        Assert.Equal(
            """
            tenant,invoice_number,invoice_period,issue_date,due_date,service,kind,fiscal_year,amount
            T-ESV,2026010001,1,2026-01-01,2026-01-31,FUN-SUP,true-up,2025,-2800.00
            T-ESV,2026010001,1,2026-01-01,2026-01-31,INF-SRV,true-up,2025,1909.09
            T-SCB,2026010002,1,2026-01-01,2026-01-31,FUN-SUP,true-up,2025,-6200.00
            T-SCB,2026010002,1,2026-01-01,2026-01-31,INF-SRV,true-up,2025,-4909.09

            """.ReplaceLineEndings("\n"),
            File.ReadAllText(Path.Combine(output, "invoice_lines.csv")));
        var bookings = File.ReadAllText(Path.Combine(output, "bookings.si"), System.Text.Encoding.Latin1);
        Assert.Contains("#VER F 2026010001 20260101 ", bookings, StringComparison.Ordinal);
        Assert.Contains("#TRANS 1511 {8 T-ESV} -890.91 ", bookings, StringComparison.Ordinal);
        Assert.Contains("#TRANS 3111 {8 T-ESV} 2800.00 ", bookings, StringComparison.Ordinal);
        Assert.Equal(
            [".tbm-output", "bookings.si", "invoice_lines.csv"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // One UBL invoice per invoice, one Fakturaunderlag per tenant; T-ESV's invoice totals 1 909.09 − 2 800.00 = −890.91.
        Assert.Equal(["2026010001.xml", "2026010002.xml"], Directory.GetFiles(Path.Combine(output, "ubl")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var ubl = System.Xml.Linq.XDocument.Load(Path.Combine(output, "ubl", "2026010001.xml"));
        System.Xml.Linq.XNamespace cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
        System.Xml.Linq.XNamespace cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
        Assert.Equal("-890.91", ubl.Root!.Element(cac + "LegalMonetaryTotal")!.Element(cbc + "PayableAmount")!.Value);
        Assert.Equal(["T-ESV.xlsx", "T-SCB.xlsx"], Directory.GetFiles(Path.Combine(output, "fakturaunderlag")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Again into the same folder: the engine's own output is replaced.
        Assert.Equal(0, CommandLineTests.Tbm("invoice", "--run", run, "--year", "2026", "--out", output).Code);
    }

    [Fact]
    public void Invoice_IntoAFolderWithSomeoneElsesFiles_ExitsWith2_AndDeletesNothing()
    {
        var run = Run();
        var output = Path.Combine(_root, "mine");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");

        var (code, _, err) = CommandLineTests.Tbm("invoice", "--run", run, "--year", "2025", "--out", output);

        Assert.Equal(2, code);
        Assert.Contains("was not written by ItDrift.Tbm", err, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void Invoice_OfAYearWithNothingToInvoice_ExitsWith2_NamingTheRunsYears()
    {
        var run = Run();

        var (code, _, err) = CommandLineTests.Tbm("invoice", "--run", run, "--year", "2030", "--out", Path.Combine(_root, "x"));

        Assert.Equal(2, code);
        Assert.Contains("has nothing to invoice in 2030: its years are 2024, 2025, 2026", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public void Run_WithABadBillingRow_ExitsWith2_NamingFileLineAndColumn()
    {
        var model = Path.Combine(_root, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Model))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(model, "billing.csv"), "tenant,frequency\nT-ESV,quarterly\nT-SCB,fortnightly\n");

        var (code, _, err) = CommandLineTests.Tbm("run", "--model", model, "--out", Path.Combine(_root, "bad"));

        Assert.Equal(2, code);
        Assert.Contains("billing.csv:3 [frequency]: 'fortnightly' is not a billing frequency (monthly, quarterly, half-yearly, annual)", err, StringComparison.Ordinal);
    }
}
