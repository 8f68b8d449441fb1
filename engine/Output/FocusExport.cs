using System.Globalization;
using System.Text;
using ItDrift.Tbm.Catalogue;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Output;

/// <summary>What <see cref="FocusExport.Write"/> wrote.</summary>
/// <param name="Path">The file.</param>
/// <param name="Rows">Its rows: one per fee row (fiscal year, tenant, service, cost pool) of the scenario.</param>
/// <param name="Total">The sum of <c>BilledCost</c> in öre: the scenario's fee total, to the öre.</param>
public sealed record FocusExportResult(string Path, long Rows, long Total);

/// <summary>
/// A run's allocated costs as a FOCUS 1.2 cost and usage dataset (<c>focus.parquet</c>) for FinOps tools: one row per
/// fee row of one scenario — fiscal year, tenant, service and cost pool — with the FOCUS columns a provider's export has
/// (the supplier is the provider and invoice issuer, the tenant the billing account, the charge period the fiscal year)
/// and the allocation in <c>x_</c> columns. Every cost column holds the fee: the engine's fee is what is billed, listed,
/// contracted and effective alike. docs/focus.md lists the columns.
/// </summary>
public static class FocusExport
{
    /// <summary>
    /// Writes the dataset to <paramref name="path"/> (which must not exist: the engine never replaces a file it did not write).
    /// The same run gives the same bytes.
    /// </summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="path">The Parquet file to write.</param>
    /// <param name="scenario">The scenario whose fees are exported; <c>actual</c> unless given.</param>
    /// <exception cref="TbmException">The run folder is not one; the run has no fees of that scenario; something is at <paramref name="path"/>.</exception>
    public static FocusExportResult Write(string runDirectory, string path, string scenario = "actual")
    {
        var run = RunFolder.Open(runDirectory);
        if (!run.Periods.Any(p => p.Scenario == scenario))
        {
            throw new TbmException(TbmErrorKind.Usage,
                $"--scenario: run {run.RunId} has no {scenario} fees (it has {string.Join(", ", run.Periods.Select(p => p.Scenario).Distinct().Order(StringComparer.Ordinal))})");
        }

        OutputFile.EnsureAbsent(path);
        using var connection = Duck.OpenInMemory(EngineSettings.Default with { Threads = 1 });
        connection.Execute($"CREATE TEMP TABLE focus_services AS SELECT * FROM (VALUES {Values(Services(run), 4)}) AS t(service, name, catalogue_service, category)");
        connection.Execute($"CREATE TEMP TABLE focus_tenants AS SELECT * FROM (VALUES {Values(run.Tenants.Values.Select(t => new[] { t.Id, t.Name, t.OrgNr }), 3)}) AS t(tenant, name, org_nr)");
        var supplier = Duck.Literal(run.SupplierName);
        var select = $"""
            SELECT
                CAST(NULL AS VARCHAR) AS AvailabilityZone,
                f.amount AS BilledCost,
                f.tenant AS BillingAccountId,
                t.name AS BillingAccountName,
                'SEK' AS BillingCurrency,
                make_timestamptz(f.fiscal_year + 1, 1, 1, 0, 0, 0, 'UTC') AS BillingPeriodEnd,
                make_timestamptz(f.fiscal_year, 1, 1, 0, 0, 0, 'UTC') AS BillingPeriodStart,
                'Usage' AS ChargeCategory,
                CAST(NULL AS VARCHAR) AS ChargeClass,
                s.name || ' – ' || f.cost_pool AS ChargeDescription,
                'Recurring' AS ChargeFrequency,
                make_timestamptz(f.fiscal_year + 1, 1, 1, 0, 0, 0, 'UTC') AS ChargePeriodEnd,
                make_timestamptz(f.fiscal_year, 1, 1, 0, 0, 0, 'UTC') AS ChargePeriodStart,
                CAST(NULL AS DECIMAL(18, 6)) AS ConsumedQuantity,
                CAST(NULL AS VARCHAR) AS ConsumedUnit,
                f.amount AS ContractedCost,
                CAST(NULL AS DECIMAL(18, 2)) AS ContractedUnitPrice,
                f.amount AS EffectiveCost,
                {supplier} AS InvoiceIssuerName,
                f.amount AS ListCost,
                CAST(NULL AS DECIMAL(18, 2)) AS ListUnitPrice,
                CAST(NULL AS DECIMAL(18, 6)) AS PricingQuantity,
                CAST(NULL AS VARCHAR) AS PricingUnit,
                {supplier} AS ProviderName,
                {supplier} AS PublisherName,
                CAST(NULL AS VARCHAR) AS RegionId,
                CAST(NULL AS VARCHAR) AS RegionName,
                CAST(NULL AS VARCHAR) AS ResourceId,
                CAST(NULL AS VARCHAR) AS ResourceName,
                CAST(NULL AS VARCHAR) AS ResourceType,
                s.category AS ServiceCategory,
                s.name AS ServiceName,
                CAST(NULL AS VARCHAR) AS SkuId,
                CAST(NULL AS VARCHAR) AS SkuPriceId,
                f.tenant AS SubAccountId,
                t.name AS SubAccountName,
                CAST(NULL AS VARCHAR) AS Tags,
                f.fiscal_year AS x_FiscalYear,
                f.scenario AS x_Scenario,
                f.tenant AS x_Tenant,
                t.org_nr AS x_TenantOrgNr,
                f.service AS x_Service,
                s.catalogue_service AS x_CatalogueService,
                f.cost_pool AS x_CostPool,
                {Duck.Literal(run.SupplierId)} AS x_Supplier,
                {Duck.Literal(run.RunId)} AS x_RunId
            FROM {run.Table("fees")} f
            JOIN focus_services s USING (service)
            JOIN focus_tenants t USING (tenant)
            WHERE f.scenario = {Duck.Literal(scenario)}
            ORDER BY f.fiscal_year, f.tenant, f.service, f.cost_pool
            """;
        var (rows, total) = connection.Query($"SELECT count(*), CAST(coalesce(sum(BilledCost), 0) * 100 AS BIGINT) FROM ({select})", r => (r.GetInt64(0), r.GetInt64(1)))[0];
        OutputFile.Write(path, temporary => connection.Execute($"COPY ({select}) TO {Duck.Literal(temporary)} (FORMAT parquet, COMPRESSION zstd)"));
        return new FocusExportResult(Path.GetFullPath(path), rows, total);
    }

    /// <summary>Every object fees came through, with its name, catalogue service and FOCUS service category (<c>Other</c> when unclassified).</summary>
    private static IEnumerable<string?[]> Services(RunFolder run)
    {
        var categories = TbmCatalogue.DataRows("focus-categories.csv").ToDictionary(r => r[0], r => r[1], StringComparer.Ordinal);
        var classified = run.Has("model/objects")
            ? run.Query($"SELECT object_id, catalogue_service FROM {run.Table("model/objects")}", r => (Id: r.GetString(0), Catalogue: r.IsDBNull(1) ? null : r.GetString(1)))
                .ToDictionary(o => o.Id, o => o.Catalogue, StringComparer.Ordinal)
            : [];
        var services = run.Query($"SELECT DISTINCT service FROM {run.Table("fees")} ORDER BY service", r => r.GetString(0));
        return services.Select(id =>
        {
            var catalogue = classified.GetValueOrDefault(id) ?? (TbmCatalogue.Service(id) is null ? null : id);
            var category = catalogue is not null && categories.TryGetValue(catalogue, out var c) ? c : "Other";
            return new[] { id, run.Object(id).Name, catalogue, category };
        });
    }

    /// <summary>Rows as a SQL <c>VALUES</c> list of text literals (NULL for null); one row of NULLs when there are none.</summary>
    private static string Values(IEnumerable<string?[]> rows, int width)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(text.Length == 0 ? "(" : ", (")
                .AppendJoin(", ", row.Select(v => v is null ? "CAST(NULL AS VARCHAR)" : Duck.Literal(v)))
                .Append(')');
        }

        return text.Length > 0 ? text.ToString() : "(" + string.Join(", ", Enumerable.Repeat("CAST(NULL AS VARCHAR)", width)) + ")";
    }
}
