using System.Text;
using ItDrift.Tbm.Changes;

namespace ItDrift.Tbm.Tests.Changes;

/// <summary>The one schema of a simulation's changes: strict, and every refusal one line naming the source and the JSON path.</summary>
public sealed class SimulationJsonTests
{
    private static SimulationChanges Read(string json) => SimulationJson.Read(Encoding.UTF8.GetBytes(json), "changes.json");

    [Fact]
    public void Read_EveryTypeOfChange_InOrder()
    {
        var changes = Read("""
            {"year": 2026, "changes": [
              {"type": "cost", "costPool": "Software", "object": "TW-DC", "accounts": {"from": 5400, "to": 5499}, "percent": -12.5},
              {"type": "cost", "costPool": "Hardware", "amount": 1500.25},
              {"type": "volume", "driver": "vms", "target": "T-A", "quantity": 2.5},
              {"type": "key", "rule": "TW-DC", "driver": "vms"},
              {"type": "leave", "tenant": "T-B"},
              {"type": "join", "tenant": "T-NEW", "name": "Nya myndigheten", "quantities": {"INF-VM": 3}}
            ]}
            """);

        Assert.Equal(2026, changes.FiscalYear);
        Assert.Equal(
            [
                new CostChange("$.changes[0]", "Software", "TW-DC", 5400, 5499, -12.5m, null),
                new CostChange("$.changes[1]", "Hardware", null, null, null, null, 150_025),
                new VolumeChange("$.changes[2]", "vms", "T-A", 2_500_000),
                new KeyChange("$.changes[3]", "TW-DC", "vms"),
                new TenantLeaves("$.changes[4]", "T-B"),
            ],
            changes.Changes.Take(5));
        var join = Assert.IsType<TenantJoins>(changes.Changes[5]);
        Assert.Equal(("T-NEW", 3_000_000L), (join.Tenant, join.Quantities["INF-VM"]));
        Assert.True(Read("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-A", "quantity": 1}]}""").OnlyVolumesOf("T-A"));
        Assert.False(changes.OnlyVolumesOf("T-A"));
    }

    [Theory]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "percnt": 5}]}""", "changes.json: $.changes[0].percnt: unknown property (expected type, costPool, object, accounts, percent, amount)")]
    [InlineData("""{"changes": [], "scenario": "budget"}""", "changes.json: $.scenario: unknown property (expected year, changes)")]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "percent": "5"}]}""", "changes.json: $.changes[0].percent: must be a number")]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "amount": 1.005}]}""", "changes.json: $.changes[0].amount: at most 2 decimals")]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "percent": 5, "amount": 5}]}""", "changes.json: $.changes[0]: a cost change has either percent or amount")]
    [InlineData("""{"changes": [{"type": "cost", "percent": 5}]}""", "changes.json: $.changes[0]: a cost change names costPool, object or accounts (or several: the cost all of them match)")]
    [InlineData("""{"changes": [{"type": "cost", "object": "UNMAPPED", "percent": 5}]}""", "changes.json: $.changes[0].object: 'UNMAPPED' is reserved for money no mapping row matches")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "UNMAPPED"}]}""", "changes.json: $.changes[0].tenant: 'UNMAPPED' is reserved for money no mapping row matches")]
    [InlineData("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-A", "quantity": -1}]}""", "changes.json: $.changes[0].quantity: must be between 0 and 10^12")]
    [InlineData("""{"changes": [{"type": "volume", "driver": "vms", "target": "T-A"}]}""", "changes.json: $.changes[0]: quantity is required")]
    [InlineData("""{"changes": [{"type": "move", "tenant": "T-A"}]}""", "changes.json: $.changes[0].type: 'move' is not a type of change: one of cost, volume, key, leave, join")]
    [InlineData("""{"changes": [{"type": "cost", "costPool": "Software", "accounts": {"from": 5499, "to": 5400}, "percent": 1}]}""", "changes.json: $.changes[0].accounts: from must not be greater than to")]
    [InlineData("""{"changes": [{"type": "leave", "tenant": "T-A"}, {"type": "leave", "tenant": "T-A"}]}""", "changes.json: $.changes[1]: changes the same tenant as $.changes[0]")]
    [InlineData("""{"year": "2026", "changes": []}""", "changes.json: $.year: must be a whole number")]
    [InlineData("""{"changes": {}}""", "changes.json: $.changes: must be a list of changes")]
    [InlineData("""[]""", "changes.json: $: must be an object: {\"year\": 2026, \"changes\": [ … ]}")]
    [InlineData("""{"year": 2026}""", "changes.json: $: changes is required: a list of changes")]
    [InlineData("""{"changes": [], "changes": []}""", "changes.json: not valid JSON (Duplicate")]
    [InlineData("{\"changes\": [\n  {\"type\": \"leave\",}\n]}", "changes.json: line 2, column 20: not valid JSON")]
    public void Read_SomethingElse_IsRefused_InOneLine_NamingTheSourceAndThePath(string json, string message)
    {
        var e = Assert.Throws<TbmException>(() => Read(json));
        Assert.Equal(TbmErrorKind.Usage, e.Kind);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
