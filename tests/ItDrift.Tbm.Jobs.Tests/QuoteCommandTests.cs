using ItDrift.Tbm.Datasets;
using ItDrift.Tbm.Jobs.Cli;
using ItDrift.Tbm.Quotes;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// <c>tbm quote</c> reads the order the read API takes (one schema, the engine's: docs/fees.md), refuses what
/// the API refuses with exit 2 and one line, and lists the largest changes for the other tenants first.
/// </summary>
public sealed class QuoteCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tbm-quote-" + Guid.NewGuid().ToString("N")[..8]);

    public QuoteCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Model()
    {
        var model = Path.Combine(_root, "model");
        DemoModelGenerator.Write(model, new DemoModelOptions(LedgerLines: 6_000));
        return model;
    }

    private string Order(string json)
    {
        var file = Path.Combine(_root, "order-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void Quote_ReadsTheApisOrder_TheOneSchema()
    {
        var order = Order("""{"tenantId": "T-NEW", "name": "Nya myndigheten", "employees": 40, "quantities": {"INF-VM": 3}, "fromYear": 2026}""");

        var (code, stdout, err) = CommandLineTests.Tbm("quote", "--model", Model(), "--order", order);

        Assert.True(code == 0, err);
        Assert.Contains("Quote for Nya myndigheten (T-NEW), 40 employees", stdout, StringComparison.Ordinal);
        Assert.Contains("2026: total", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tenantId": "T-NEW", "employees": 1, "quantities": {"INF-VM": 1}}""", "name is required")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N", "quantities": {"INF-VM": 1}}""", "employees is required")]
    [InlineData("""{"tenant": {"id": "T-NEW", "name": "N", "employees": 1}, "quantities": {"INF-VM": 1}}""", "'tenant' could not be mapped")]
    [InlineData("""{"tenantId": "UNMAPPED", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""", "'UNMAPPED' is reserved for money no mapping row matches; choose another id")]
    [InlineData("""{"tenantId": "T-NEW", "name": "N\u202E", "employees": 1, "quantities": {"INF-VM": 1}}""", "name must not hold control or bidirectional-formatting characters")]
    public void Quote_WithAnOrderTheApiRefuses_ExitsWith2_InOneLine(string json, string reason)
    {
        var order = Order(json);

        var (code, stdout, err) = CommandLineTests.Tbm("quote", "--model", Model(), "--order", order);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"tbm: the order {order}: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.DoesNotContain("dictionary", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_WithAYearThatIsNoFeeYear_ExitsWith2_NotClampedToTheFirst()
    {
        var model = Model();
        var order = Order("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}}""");
        var inOrder = Order("""{"tenantId": "T-NEW", "name": "N", "employees": 1, "quantities": {"INF-VM": 1}, "fromYear": 1900}""");

        var (code, _, err) = CommandLineTests.Tbm("quote", "--model", model, "--order", order, "--year", "1900");
        var (orderCode, _, orderErr) = CommandLineTests.Tbm("quote", "--model", model, "--order", inOrder);

        Assert.Equal(2, code);
        Assert.Equal("tbm: fromYear 1900 is not a fee year of the package (2024–2026)", err.Trim());
        Assert.Equal(2, orderCode);
        Assert.Equal("tbm: fromYear 1900 is not a fee year of the package (2024–2026)", orderErr.Trim());
    }

    [Fact]
    public void LargestChanges_AreTheLargestByAbsoluteChange_NotTheSmallest()
    {
        // By hand: changes +50, -10, -80, 0, +5 (2026) → by size 80, 50, 10, 5; the unchanged tenant is left out.
        QuoteEffect[] effects =
        [
            new(2025, "T-A", 10_000, 15_000),
            new(2025, "T-B", 10_000, 9_000),
            new(2025, "T-C", 10_000, 2_000),
            new(2025, "T-D", 500, 500),
            new(2026, "T-A", 100, 600),
        ];

        var largest = QuoteCommand.LargestChanges(effects, 3);

        Assert.Equal([("T-C", -8_000L), ("T-A", 5_000L), ("T-B", -1_000L)], largest.Select(e => (e.Tenant, e.Change)));
    }
}
