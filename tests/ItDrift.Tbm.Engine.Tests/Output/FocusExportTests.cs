using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Output;

/// <summary>
/// A run's allocated costs as a FOCUS 1.2 dataset, checked against the FOCUS column definitions encoded here, independently of
/// the export: each mandatory column present with its data type and nullability, and the allowed values of the columns that have them.
/// </summary>
public sealed class FocusExportTests : IDisposable
{
    /// <summary>FOCUS 1.2 columns the dataset must have: name, data type (Decimal, String, DateTime) and whether it may be null.</summary>
    private static readonly (string Name, string Type, bool Nullable)[] Mandatory =
    [
        ("BilledCost", "Decimal", false), ("BillingAccountId", "String", false), ("BillingAccountName", "String", true),
        ("BillingCurrency", "String", false), ("BillingPeriodEnd", "DateTime", false), ("BillingPeriodStart", "DateTime", false),
        ("ChargeCategory", "String", false), ("ChargeClass", "String", true), ("ChargeDescription", "String", true),
        ("ChargeFrequency", "String", true), ("ChargePeriodEnd", "DateTime", false), ("ChargePeriodStart", "DateTime", false),
        ("ContractedCost", "Decimal", false), ("EffectiveCost", "Decimal", false), ("InvoiceIssuerName", "String", false),
        ("ListCost", "Decimal", false), ("PricingQuantity", "Decimal", true), ("PricingUnit", "String", true),
        ("ProviderName", "String", false), ("PublisherName", "String", false), ("ServiceCategory", "String", false),
        ("ServiceName", "String", false),
    ];

    private static readonly string[] ServiceCategories =
    [
        "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud",
        "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking",
        "Security", "Storage", "Web", "Other",
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SmallRun()
    {
        var files = SmallModel.Files();
        // INF-VM is the state service map's virtual machine service (Compute); FUN-SUP is unclassified here (Other).
        files["objects.csv"] = "object_id,kind,name,catalogue_service\nTWR-DC,tower,Data Center,\nINF-VM,service,Virtual machines,INF-VM\nFUN-SUP,service,Support,\n";
        var output = _temp.Combine("run");
        var result = TbmEngine.Run(new RunOptions(SmallModel.Write(_temp.Combine("model"), files), output));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return output;
    }

    [Fact]
    public void Write_GivesEveryFeeRow_WithTheFocusColumns_AndTheFeeTotalToTheOre()
    {
        var run = SmallRun();
        var path = _temp.Combine("focus.parquet");

        var result = FocusExport.Write(run, path);

        var fees = File.ReadAllLines(Path.Combine(run, "fees.csv")).Skip(1).Where(l => l.Contains(",actual,", StringComparison.Ordinal)).ToList();
        var feeTotal = fees.Sum(l => decimal.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((fees.Count, (long)(feeTotal * 100)), (result.Rows, result.Total));

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var file = Duck.Literal(path);
        var schema = connection.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({file}))", r => (r.GetString(0), r.GetString(1)))
            .ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal);
        foreach (var (name, type, nullable) in Mandatory)
        {
            Assert.True(schema.TryGetValue(name, out var actual), $"{name} is missing");
            Assert.True(type switch
            {
                "Decimal" => actual.StartsWith("DECIMAL", StringComparison.Ordinal),
                "DateTime" => actual == "TIMESTAMP WITH TIME ZONE",
                _ => actual == "VARCHAR",
            }, $"{name} is {actual}, not a FOCUS {type}");
            if (!nullable)
            {
                Assert.Equal(0L, connection.Scalar<long>($"SELECT count(*) FROM read_parquet({file}) WHERE {Duck.Ident(name)} IS NULL"));
            }
        }

        // Custom columns carry the x_ prefix FOCUS requires of them.
        Assert.All(schema.Keys.Where(k => !Mandatory.Any(m => m.Name == k)), k => Assert.True(char.IsUpper(k[0]) || k.StartsWith("x_", StringComparison.Ordinal), k));
        Assert.Empty(connection.Query($"SELECT DISTINCT ServiceCategory FROM read_parquet({file})", r => r.GetString(0)).Except(ServiceCategories));
        Assert.Empty(connection.Query($"SELECT DISTINCT ChargeCategory FROM read_parquet({file})", r => r.GetString(0)).Except(["Usage", "Purchase", "Tax", "Credit", "Adjustment"]));
        Assert.Equal(0L, connection.Scalar<long>($"SELECT count(*) FROM read_parquet({file}) WHERE ChargePeriodEnd <= ChargePeriodStart OR BillingCurrency <> 'SEK'"));

        // T-A's INF-VM fee: 40.00 (2025), Compute, a whole fiscal year in UTC.
        var row = connection.Query($"""
            SELECT CAST(BilledCost AS VARCHAR), ServiceCategory, ServiceName, BillingAccountId, strftime(ChargePeriodStart AT TIME ZONE 'UTC', '%Y-%m-%d'),
                   strftime(ChargePeriodEnd AT TIME ZONE 'UTC', '%Y-%m-%d'), x_CatalogueService, ProviderName
            FROM read_parquet({file}) WHERE x_Tenant = 'T-A' AND x_Service = 'INF-VM'
            """, r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7)));
        Assert.Equal([("40.00", "Compute", "Virtual machines", "T-A", "2025-01-01", "2026-01-01", "INF-VM", "Försäkringskassan")], row);
        Assert.Equal(["Other"], connection.Query($"SELECT DISTINCT ServiceCategory FROM read_parquet({file}) WHERE x_Service = 'FUN-SUP'", r => r.GetString(0)));
    }

    [Fact]
    public void Write_GivesTheSameBytes_AndNeverReplacesAFile()
    {
        var run = SmallRun();
        FocusExport.Write(run, _temp.Combine("a.parquet"));
        FocusExport.Write(run, _temp.Combine("b.parquet"));
        Assert.Equal(File.ReadAllBytes(_temp.Combine("a.parquet")), File.ReadAllBytes(_temp.Combine("b.parquet")));

        File.WriteAllText(_temp.Combine("mine.parquet"), "a person's file");
        var refused = Assert.Throws<TbmException>(() => FocusExport.Write(run, _temp.Combine("mine.parquet")));
        Assert.Equal(TbmErrorKind.Conflict, refused.Kind);
        Assert.Equal("a person's file", File.ReadAllText(_temp.Combine("mine.parquet")));

        var scenario = Assert.Throws<TbmException>(() => FocusExport.Write(run, _temp.Combine("c.parquet"), "budget"));
        Assert.Contains("has no budget fees", scenario.Message, StringComparison.Ordinal);
    }
}
