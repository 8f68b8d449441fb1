using ItDrift.Tbm.Ingest.Sie;
using SieAcceptance = ItDrift.Tbm.Ingest.SieAcceptance;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Sie;

/// <summary>A model package built on a real SIE export runs and reconciles to the öre (issue: real ledgers).</summary>
public sealed class SiePackageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The public type-4 files the reader takes without errors and whose organisation number is valid.</summary>
    public static TheoryData<string> CleanTransactionFiles() => new(CleanFiles());

    private static List<string> CleanFiles() =>
        Directory.GetFiles(SieTestData.PublicDirectory).Select(f => Path.GetFileName(f)).Where(n => n is not "LICENSE" and not "README.md")
            .Order(StringComparer.Ordinal)
            .Where(name =>
            {
                var report = SieReader.Read(SieTestData.PublicFile(name), new CollectingSink());
                // Files whose #ORGNR fails its check digit are refused by design (see Run_RefusesASieFileOfAnotherOrganisation).
                var orgNrUsable = report.OrgNumber is null || OrgNr.TryParse(report.OrgNumber, out _, out _);
                return report.Basis == SieLedgerBasis.Transactions && report.ErrorCount == 0 && report.LinesEmitted > 0 && orgNrUsable;
            })
            .ToList();

    private (string Model, CollectingSink Lines) Package(string sieFile)
    {
        var sink = new CollectingSink();
        var report = SieReader.Read(SieTestData.PublicFile(sieFile), sink);
        var orgNr = report.OrgNumber is { } n && OrgNr.TryParse(n, out var parsed, out _) ? parsed.Value : "202100-5521";
        var files = SmallModel.Files();
        files.Remove("ledger.csv");
        files["model.json"] = "{\"supplier\": {\"id\": \"S\", \"name\": \"Supplier\", \"orgNr\": \"" + orgNr + "\"}}";
        files["cost_pools.csv"] = "account_from,account_to,cost_pool\n1000,4999,Internal Labor\n5000,9999,Other\n";
        files["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n1,4000,6999,*,FUN-SUP\n2,7000,8999,*,TWR-DC\n";
        var model = SmallModel.Write(_temp.Combine("model"), files);
        File.Copy(SieTestData.PublicFile(sieFile), Path.Combine(model, "books.se"));
        return (model, sink);
    }

    [Theory]
    [MemberData(nameof(CleanTransactionFiles))]
    public void Run_OnARealSieExport_ReconcilesToTheOre(string sieFile)
    {
        var (model, sink) = Package(sieFile);
        var result = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")) { Sie = new SieAcceptance(UnknownAccounts: true) });
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));

        // The ledger's cost total per year equals the file's own current-year rows on cost accounts.
        var expected = sink.Lines.Where(l => l.YearIndex == 0 && l.Account is >= 4000 and <= 8999)
            .GroupBy(l => (l.FiscalYear, l.Scenario)).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountOre));
        var actual = result.Reconciliation.ToDictionary(r => (r.FiscalYear, r.Scenario), r => r.LedgerTotal);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), actual.OrderBy(e => e.Key).ToList());
        Assert.All(result.Reconciliation, r => Assert.Equal(0, r.Difference));
        Assert.Equal(sink.Lines.Count(l => l.YearIndex == 0), result.Ledger!.Lines);
    }

    [Fact]
    public void Run_RefusesAnUnbalancedVoucher_NamingTheLine_UnlessAccepted()
    {
        var text = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20250101 20251231\n#VER A 1 20250115 \"Hyra\"\n{\n#TRANS 5010 {} 1000.00\n#TRANS 1930 {} -999.00\n}\n";
        var files = SmallModel.Files();
        files.Remove("ledger.csv");
        var model = SmallModel.Write(_temp.Combine("model"), files);
        File.WriteAllText(Path.Combine(model, "books.se"), text);

        var refused = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")));
        Assert.False(refused.Succeeded);
        var error = Assert.Single(refused.Errors);
        Assert.Equal(("books.se", 4), (error.File, error.Line));
        Assert.Contains("accept with --accept-unbalanced", error.Reason, StringComparison.Ordinal);
        Assert.Equal([OutputFolder.MarkerFile, "errors.csv"], Directory.GetFiles(_temp.Combine("run")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var accepted = TbmEngine.Run(new RunOptions(model, _temp.Combine("run")) { Sie = new SieAcceptance(Unbalanced: true) });
        Assert.True(accepted.Succeeded, string.Join("\n", accepted.Errors));
        Assert.Equal(100_000, Assert.Single(accepted.Reconciliation).LedgerTotal);
    }

    [Fact]
    public void Run_RefusesASieFileOfAnotherOrganisation()
    {
        var text = "#FLAGGA 0\n#SIETYP 4\n#ORGNR 202100-5448\n#RAR 0 20250101 20251231\n#VER A 1 20250115 \"Hyra\"\n{\n#TRANS 5010 {} 1000.00\n#TRANS 1930 {} -1000.00\n}\n";
        var files = SmallModel.Files();
        files.Remove("ledger.csv");
        var model = SmallModel.Write(_temp.Combine("model"), files);
        File.WriteAllText(Path.Combine(model, "books.se"), text);
        var result = TbmEngine.Validate(model);
        Assert.Contains(result.Errors, e => e.File == "books.se" && e.Column == "#ORGNR" && e.Reason.Contains("202100-5448", StringComparison.Ordinal));
    }

    [Fact]
    public void ImportSie_WritesTheCanonicalLedger_ThatRunsLikeTheSieFile()
    {
        var name = CleanFiles()[0];
        var (model, _) = Package(name);
        var imported = TbmEngine.ImportSie(Path.Combine(model, "books.se"), _temp.Combine("import"), new SieAcceptance(UnknownAccounts: true));
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
        Assert.True(File.Exists(_temp.Combine("import", "ingest-report.json")));

        var fromSie = TbmEngine.Run(new RunOptions(model, _temp.Combine("run-sie")) { Sie = new SieAcceptance(UnknownAccounts: true) });
        File.Delete(Path.Combine(model, "books.se"));
        File.Copy(_temp.Combine("import", "ledger.csv"), Path.Combine(model, "ledger.csv"));
        var fromCsv = TbmEngine.Run(new RunOptions(model, _temp.Combine("run-csv")));
        Assert.True(fromCsv.Succeeded, string.Join("\n", fromCsv.Errors));
        Assert.True(fromSie.Succeeded, string.Join("\n", fromSie.Errors));
        Assert.Equal(File.ReadAllText(_temp.Combine("run-sie", "fees.csv")), File.ReadAllText(_temp.Combine("run-csv", "fees.csv")));
    }
}
