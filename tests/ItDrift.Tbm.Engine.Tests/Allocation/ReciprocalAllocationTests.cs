using ItDrift.Tbm.Allocation;
using ItDrift.Tbm.Explain;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Allocation;

/// <summary>
/// Reciprocal allocation (docs/model-format.md §3.2) on small packages worked by hand; the three-service case
/// with its fractions is <c>datasets/scenarios/reciprocal-services</c>.
/// </summary>
public sealed class ReciprocalAllocationTests : IDisposable
{
    private const string Reciprocal = """{"supplier": {"id": "FK", "name": "Försäkringskassan", "orgNr": "202100-5521"}, "allocation": "reciprocal"}""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A package of services S-A … and tenants T-A, T-B with one pool (Internal Labor, 4000–4999, mapped by cost centre = object).</summary>
    private static Dictionary<string, string> Package(string rules, string ledger, string objects, string drivers = "fiscal_year,driver,target,quantity\n") => new(StringComparer.Ordinal)
    {
        ["model.json"] = Reciprocal,
        ["cost_pools.csv"] = "account_from,account_to,cost_pool\n4000,4999,Internal Labor\n",
        ["objects.csv"] = "object_id,kind,name\n" + string.Concat(objects.Split(',').Select(o => $"{o},service,{o}\n")),
        ["tenants.csv"] = "tenant_id,name\nT-A,Agency A\nT-B,Agency B\n",
        ["mapping.csv"] = "priority,account_from,account_to,cost_center,object_id\n" + string.Concat(objects.Split(',').Select((o, i) => $"{i + 1},4000,4999,{o},{o}\n")),
        ["rules.csv"] = "step,source,method,driver,targets\n" + rules,
        ["ledger.csv"] = "fiscal_year,period,account,cost_center,amount\n" + ledger,
        ["drivers.csv"] = drivers,
    };

    private (RunResult Result, string Folder) Run(Dictionary<string, string> files, string name = "run")
    {
        var output = _temp.Combine(name);
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine(name + "-model"), files), output));
        return (result, output);
    }

    private string Fees(Dictionary<string, string> files)
    {
        var (result, folder) = Run(files);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.All(result.Reconciliation, r => Assert.Equal(0, r.Difference));
        return File.ReadAllText(Path.Combine(folder, "fees.csv"));
    }

    [Fact]
    public void Run_SolvesASelfLoop_AsItsShareOffTheLoop()
    {
        // S-A keeps 1/4 of its full cost: X = 10 000 + X/4, X = 40 000/3. T-A X/4 = 3 333 1/3, T-B X/2 = 6 666 2/3:
        // floors 9 999, the öre left over to the larger fraction (T-B).
        var fees = Fees(Package("1,S-A,fixed,,S-A:1;T-A:1;T-B:2\n", "2025,1,4011,S-A,100.00\n", "S-A"));
        Assert.Equal("""
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2025,actual,T-A,S-A,Internal Labor,33.33
            2025,actual,T-B,S-A,Internal Labor,66.67

            """.ReplaceLineEndings("\n"), fees);
    }

    [Theory]
    [InlineData("1.00", "0.38", "0.12")]
    [InlineData("-1.00", "-0.38", "-0.12")]
    public void Run_RoundsACredit_AsTheMirrorImageOfTheDebit(string amount, string viaA, string viaB)
    {
        // S-A and S-B each send a third to the other: X_A = B + X_B/3, X_B = X_A/3, so X_A = 9B/8 and X_B = 3B/8.
        // With |B| = 100 öre the four deliveries off the cycle are 37.5, 37.5, 12.5, 12.5: floors 98, the 2 öre left
        // over tie at 1/2 and go to the smaller (source, target): (S-A, T-A), (S-A, T-B). A credit is negated,
        // rounded the same way and negated back (flooring it towards −∞ instead would give −0.37/−0.13).
        var fees = Fees(Package("1,S-A,even,,S-B;T-A;T-B\n1,S-B,even,,S-A;T-A;T-B\n", $"2025,1,4011,S-A,{amount}\n", "S-A,S-B"));
        Assert.Equal($"""
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2025,actual,T-A,S-A,Internal Labor,{viaA}
            2025,actual,T-A,S-B,Internal Labor,{viaB}
            2025,actual,T-B,S-A,Internal Labor,{viaA}
            2025,actual,T-B,S-B,Internal Labor,{viaB}

            """.ReplaceLineEndings("\n"), fees);
    }

    [Fact]
    public void Run_SolvesTwoSeparateCyclesInOnePool_EachRoundedOnItsOwn()
    {
        // {S-A, S-B}: X_A = 10 000 + X_B/2, X_B = X_A/2 → X_A = 40 000/3, X_B = 20 000/3; S-A → T-A 6 666 2/3,
        // S-B → T-B 3 333 1/3 → 66.67 / 33.33. {S-C, S-D}: X_C = 101 + X_D/2, X_D = X_C/3 → X_C = 121.2, X_D = 40.4;
        // S-C → T-A 40.4, S-C → T-B 40.4, S-D → T-B 20.2: floors 100, 1 öre to the tie's smaller pair (S-C, T-A).
        var fees = Fees(Package(
            "1,S-A,even,,S-B;T-A\n1,S-B,even,,S-A;T-B\n1,S-C,even,,S-D;T-A;T-B\n1,S-D,even,,S-C;T-B\n",
            "2025,1,4011,S-A,100.00\n2025,1,4011,S-C,1.01\n",
            "S-A,S-B,S-C,S-D"));
        Assert.Equal("""
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2025,actual,T-A,S-A,Internal Labor,66.67
            2025,actual,T-A,S-C,Internal Labor,0.41
            2025,actual,T-B,S-B,Internal Labor,33.33
            2025,actual,T-B,S-C,Internal Labor,0.40
            2025,actual,T-B,S-D,Internal Labor,0.20

            """.ReplaceLineEndings("\n"), fees);
    }

    [Fact]
    public void Run_LeavesAnObjectOfACycleWithoutVolume_OffTheSystem()
    {
        // S-B's key has only zeros in 2025 (W = 0): it delivers nothing, so S-A's half to it leaves the system and stays
        // on S-B with S-B's own 10.00 (no-volume); S-A delivers its own 100.00 by its weights: 50.00 to T-A.
        var (result, folder) = Run(Package(
            "1,S-A,even,,S-B;T-A\n1,S-B,driver,k,S-A;T-B\n",
            "2025,1,4011,S-A,100.00\n2025,1,4011,S-B,10.00\n",
            "S-A,S-B",
            "fiscal_year,driver,target,quantity\n2025,k,S-A,0\n2025,k,T-B,0\n"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("fiscal_year,scenario,tenant,service,cost_pool,amount\n2025,actual,T-A,S-A,Internal Labor,50.00\n", File.ReadAllText(Path.Combine(folder, "fees.csv")));
        Assert.Equal("fiscal_year,scenario,object,cost_pool,reason,amount\n2025,actual,S-B,Internal Labor,no-volume,60.00\n", File.ReadAllText(Path.Combine(folder, "unallocated.csv")));
    }

    [Fact]
    public void Run_ReportsACycleNothingLeaves_NamingItsObjects()
    {
        var (result, folder) = Run(Package("1,S-A,direct,,S-B\n1,S-B,direct,,S-A\n", "2025,1,4011,S-A,100.00\n", "S-A,S-B"));
        Assert.False(result.Succeeded);
        Assert.Equal(
            "rules.csv,2,targets,\"S-A, S-B send money only to one another (a cycle S-A → S-B → S-A that nothing leaves): their costs cannot be solved; give one of them a target off the cycle (reciprocal allocation, §3.2)\"",
            File.ReadAllLines(Path.Combine(folder, "errors.csv"))[1]);
    }

    [Fact]
    public void Run_ReportsACycleWhoseWayOutHasNoVolume_WithThePeriod()
    {
        // S-A's way out is T-A by key k, which is 0 in 2025: S-A and S-B then deliver only to each other.
        var (result, folder) = Run(Package(
            "1,S-A,driver,k,S-B;T-A\n1,S-B,direct,,S-A\n",
            "2025,1,4011,S-A,100.00\n",
            "S-A,S-B",
            "fiscal_year,driver,target,quantity\n2025,k,S-B,1\n2025,k,T-A,0\n"));
        Assert.False(result.Succeeded);
        Assert.Equal(
            "rules.csv,2,targets,\"in fiscal year 2025, scenario actual, S-A, S-B deliver only among themselves (every weight of theirs that is above 0 is to one another): nothing leaves their cycle, so their costs cannot be solved (reciprocal allocation, docs/model-format.md §3.2)\"",
            File.ReadAllLines(Path.Combine(folder, "errors.csv"))[1]);
    }

    [Fact]
    public void Run_SolvesTheCycleThatStepDownRefuses()
    {
        // The small model with FUN-SUP sending everything back to TWR-DC: step-down refuses the cycle (ValidationErrorTests).
        // Reciprocal: X_T = B_T + X_F, X_F = B_F + X_T/3, so X_T = 3/2·(B_T + B_F) and INF-VM receives 2/3·X_T = B_T + B_F
        // in every pool: 100.00, −10.00 and 0.05, split by vms 1.5 : 1 (6 000 / 4 000, −600 / −400, 3 / 2 öre).
        var files = SmallModel.Files();
        files["model.json"] = files["model.json"].Replace("}\n", ", \"allocation\": \"reciprocal\"}\n", StringComparison.Ordinal);
        files["rules.csv"] = files["rules.csv"].Replace("T-A;T-B;T-C", "TWR-DC", StringComparison.Ordinal);
        Assert.Equal("""
            fiscal_year,scenario,tenant,service,cost_pool,amount
            2025,actual,T-A,INF-VM,Facilities & Power,-6.00
            2025,actual,T-A,INF-VM,Internal Labor,60.00
            2025,actual,T-A,INF-VM,Software,0.03
            2025,actual,T-B,INF-VM,Facilities & Power,-4.00
            2025,actual,T-B,INF-VM,Internal Labor,40.00
            2025,actual,T-B,INF-VM,Software,0.02

            """.ReplaceLineEndings("\n"), Fees(files));
    }

    [Fact]
    public void Run_GivesByteIdenticalOutput_UnderBothSettings_WithoutACycle()
    {
        var source = Path.Combine(Repository.Combine("datasets", "scenarios", "chain-step-down"), "model");
        var files = Directory.GetFiles(source).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var (stepDown, stepDownFolder) = Run(files, "step-down");
        files["model.json"] = files["model.json"].TrimEnd().TrimEnd('}') + ", \"allocation\": \"reciprocal\"}\n";
        var (reciprocal, reciprocalFolder) = Run(files, "reciprocal");
        Assert.True(stepDown.Succeeded && reciprocal.Succeeded, string.Join("\n", stepDown.Errors.Concat(reciprocal.Errors)));
        var written = Directory.GetFiles(stepDownFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(stepDownFolder, f))
            .Where(f => f is not "run.json" && f != Path.Combine("model", "model.json"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Contains("fees.csv", written);
        Assert.Contains(Path.Combine("trail", "deliveries.parquet"), written);
        Assert.Null(RunManifest.Read(stepDownFolder).Model.Allocation);
        Assert.DoesNotContain("allocation", File.ReadAllText(Path.Combine(stepDownFolder, "run.json")), StringComparison.Ordinal);
        Assert.Equal("reciprocal", RunManifest.Read(reciprocalFolder).Model.Allocation);
        Assert.All(written, f => Assert.True(
            File.ReadAllBytes(Path.Combine(stepDownFolder, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(reciprocalFolder, f))), $"{f} differs"));
    }

    [Theory]
    [InlineData("\"Reciprocal\"", true)]
    [InlineData("\"STEP-DOWN\"", false)]
    [InlineData("null", false)]
    public void Read_AcceptsTheAllocationInAnyCase(string value, bool reciprocal)
    {
        var files = SmallModel.Files();
        files["model.json"] = files["model.json"].Replace("}\n", $", \"allocation\": {value}}}\n", StringComparison.Ordinal);
        var errors = new List<Model.ModelError>();
        var manifest = Model.ModelManifest.Read(Path.Combine(SmallModel.Write(_temp.Combine("model"), files), "model.json"), "model", errors);
        Assert.Empty(errors);
        Assert.Equal(reciprocal, manifest!.Reciprocal);
    }

    [Theory]
    [InlineData("\"round-robin\"")]
    [InlineData("1")]
    public void Validate_ReportsAnUnknownAllocation_WithItsLine(string value)
    {
        var files = SmallModel.Files();
        files["model.json"] = "{\n  \"supplier\": {\"id\": \"FK\", \"name\": \"Försäkringskassan\", \"orgNr\": \"202100-5521\"},\n  \"allocation\": " + value + "\n}\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("model.json", 3, "allocation", "must be one of step-down, reciprocal"), (error.File, error.Line, error.Column, error.Reason));
    }

    [Fact]
    public void Round_GivesTheLeftoverToTheLargestFractions_TiesToTheSmallerPair()
    {
        // 5/2 + 5/2 + 5 = 10: floors 2 + 2 + 5, 1 öre left over, the tie between the halves to (A, T-A).
        var parts = CycleSolver.Round(
            [("B", "T-A", Rational.Of(5, 2)), ("A", "T-B", Rational.Of(5, 2)), ("A", "T-A", Rational.Of(5, 1))], 10);
        Assert.Equal([("B", "T-A", 2L), ("A", "T-B", 3L), ("A", "T-A", 5L)], parts);
    }

    [Fact]
    public void Cycles_OrderComponentsAfterTheirInputs_IgnoringSteps()
    {
        // X feeds the cycle {A, B}, which feeds Y; C is on a self-loop that feeds A.
        var graph = RuleCycles.Of(new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["Y"] = ["T"], ["A"] = ["B", "Y"], ["B"] = ["A"], ["X"] = ["A"], ["C"] = ["C", "A"],
        });
        Assert.Equal([1, 2, 2, 1, 3], new[] { "X", "A", "B", "C", "Y" }.Select(graph.UnitOf));
        Assert.Equal(["1: C", "2: A, B"], graph.Cycles.Select(c => $"{c.Unit}: {string.Join(", ", c.Members)}"));
    }

    [Fact]
    public void Explain_AttributesAFeeFromACycle_ToTheCyclesLedgerLines_WithoutLooping()
    {
        // reciprocal-services: T-A's fee from SVC-HOST in Internal Labor is 177 299.88 of the 600 000.00 the cycle
        // received there (its three ledger lines), so each line contributes 177 299.88 · line / 600 000.00:
        // DESK 29 549.98, NET 59 099.96, HOST 88 649.94, which sum to the fee exactly.
        var (result, folder) = Run(Directory.GetFiles(Path.Combine(Repository.Combine("datasets", "scenarios", "reciprocal-services"), "model"))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var run = RunFolder.Open(folder);
        var explanation = FeeExplainer.Explain(run, new RunFolderTables(run), "T-A", "SVC-HOST", 2025, "actual", forTenantReader: false)!;
        Assert.Equal(196_621.26m, explanation.Amount);
        foreach (var pool in explanation.ByCostPool)
        {
            Assert.Equal(pool.Amount, explanation.Origins.Where(o => o.CostPool == pool.CostPool).Sum(o => o.Amount));
        }

        Assert.Equal(
            ["SVC-DESK 29549.98", "SVC-HOST 88649.94", "SVC-NET 59099.96"],
            explanation.Origins.Where(o => o.CostPool == "Internal Labor").Select(o => $"{o.Object} {o.Amount}"));
        // Facilities & Power came from TWR-DC's rent through the cycle: the whole fee part is its line's.
        Assert.Equal(["TWR-DC 19474.31"], explanation.Origins.Where(o => o.CostPool == "Facilities & Power").Select(o => $"{o.Object} {o.Amount}"));
    }

    [Fact]
    public void Validate_BoundsTheDepthOfTheRuleGraph()
    {
        // 201 objects in a chain, each step 1: steps do not order a reciprocal model, the graph does.
        var chain = Enumerable.Range(1, 201).Select(i => $"S-{i:D3}").ToList();
        var rules = string.Concat(chain.Select((o, i) => $"1,{o},direct,,{(i + 1 < chain.Count ? chain[i + 1] : "T-A")}\n"));
        var files = Package(rules, "2025,1,4011,S-001,1.00\n", string.Join(',', chain));
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("rules.csv", 0, "targets", "the rule graph is 201 objects or cycles deep; reciprocal allocation runs at most 200 in a row, one statement each"),
            (error.File, error.Line, error.Column, error.Reason));
    }
}
