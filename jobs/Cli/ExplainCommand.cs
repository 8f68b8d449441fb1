using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Explain;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm explain --run DIR --tenant ID [--service ID] [--year Y] [--scenario S] [--as tenant|supplier] [--json]</c>:
/// how a tenant's fees came about, from a run folder — the read API's explanation
/// (<c>GET /v1/runs/{run}/tenants/{tenant}/fees/{service}/explain</c>), made by the same
/// <see cref="FeeExplainer"/>: by cost pool, every allocation step, back to ledger accounts and cost centres.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>Whose view <c>--as</c> takes: the supplier's, with every figure, or the tenant's, as the disclosure policy allows.</summary>
    public static IReadOnlyList<string> Views { get; } = ["supplier", "tenant"];

    /// <summary>What a figure the tenant may not see shows as.</summary>
    public const string Hidden = "–";

    /// <summary>The read API's JSON: System.Text.Json's web defaults (camelCase), indented for reading.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Explains the tenant's fee for <paramref name="service"/>, or, without one, for every service it has a
    /// fee for in the period (<paramref name="year"/>, default the latest; <paramref name="scenario"/>, default the best-known).
    /// </summary>
    public static int Execute(string runFolder, string tenant, string? service, int? year, string? scenario, bool asTenant, bool json, TextWriter stdout)
    {
        var run = RunFolder.Open(runFolder);
        try
        {
            return Explain(run, tenant, service, year, scenario, asTenant, json, stdout);
        }
        catch (FileNotFoundException e)
        {
            // A run folder written before the audit trail was: it cannot be explained.
            throw TbmException.NotFound(e.Message);
        }
    }

    private static int Explain(RunFolder run, string tenant, string? service, int? year, string? scenario, bool asTenant, bool json, TextWriter stdout)
    {
        var tables = new RunFolderTables(run);
        if (service is not null)
        {
            var explanation = FeeExplainer.Explain(run, tables, tenant, service, year, scenario, asTenant)
                ?? throw TbmException.NotFound($"tenant {tenant} has no fee for {service} in run {run.RunId}{Period(year, scenario)}");
            if (json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(explanation, Json));
            }
            else
            {
                Write(explanation, run, asTenant, stdout);
            }

            return CommandLine.Ok;
        }

        var (feeYear, feeScenario, services) = ServicesOf(tables, tenant, year, scenario)
            ?? throw TbmException.NotFound($"tenant {tenant} has no fees in run {run.RunId}{Period(year, scenario)}");
        var explanations = services.Select(s => FeeExplainer.Explain(run, tables, tenant, s, feeYear, feeScenario, asTenant)).OfType<FeeExplanation>().ToList();
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(explanations, Json));
            return CommandLine.Ok;
        }

        for (var i = 0; i < explanations.Count; i++)
        {
            if (i > 0)
            {
                stdout.WriteLine();
                stdout.WriteLine(new string('─', 80));
            }

            Write(explanations[i], run, asTenant, stdout);
        }

        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tenant}'s fees in {feeYear} {feeScenario}: {Kronor(explanations.Sum(e => e.Amount))} kr over {explanations.Count} service{(explanations.Count == 1 ? "" : "s")}"));
        return CommandLine.Ok;
    }

    /// <summary>
    /// The period the tenant's fees are explained in — the year given or the latest it has a fee in, the scenario
    /// given or its best-known one there (actual, forecast, budget), as <see cref="FeeExplainer"/> chooses for one
    /// service — and the services it has a fee for then; <see langword="null"/> when it has none.
    /// </summary>
    private static (int Year, string Scenario, List<string> Services)? ServicesOf(RunFolderTables tables, string tenant, int? year, string? scenario)
    {
        var fees = tables.Query(
            $"SELECT fiscal_year, scenario, service FROM {tables.Table("fees")} WHERE tenant = ? GROUP BY ALL",
            r => (Year: r.GetInt32(0), Scenario: r.GetString(1), Service: r.GetString(2)), tenant);
        var period = fees.Where(f => (year is null || f.Year == year) && (scenario is null || f.Scenario == scenario))
            .OrderByDescending(f => f.Year).ThenBy(f => f.Scenario switch { "actual" => 0, "forecast" => 1, _ => 2 })
            .Select(f => (f.Year, f.Scenario)).FirstOrDefault();
        if (period.Scenario is null)
        {
            return null;
        }

        var services = fees.Where(f => f.Year == period.Year && f.Scenario == period.Scenario).Select(f => f.Service).Distinct().Order(StringComparer.Ordinal).ToList();
        return (period.Year, period.Scenario, services);
    }

    private static string Period(int? year, string? scenario) =>
        year is null && scenario is null ? "" : $" for {string.Join(" ", new[] { year?.ToString(CultureInfo.InvariantCulture), scenario }.OfType<string>())}";

    /// <summary>The explanation as text: the fee, by cost pool, the steps, the ledger lines.</summary>
    private static void Write(FeeExplanation e, RunFolder run, bool asTenant, TextWriter stdout)
    {
        var tenant = run.Tenant(e.Tenant);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{e.Tenant} ({tenant.Name}): {e.Service} ({e.ServiceName}), {e.FiscalYear} {e.Scenario}: fee {Kronor(e.Amount)} kr"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Run {e.RunId} of {run.SupplierId}; the service charged {e.TenantsOfService} tenant{(e.TenantsOfService == 1 ? "" : "s")}; the {(asTenant ? $"tenant's view ({Hidden}: not disclosed to it)" : "supplier's view")}."));

        if (e.Price is { } price)
        {
            // The line a controller checks first: the tenant's quantity × the unit price, beside the fee.
            stdout.WriteLine();
            stdout.WriteLine($"Quantity × unit price (key {price.Driver}{(price.Unit is null ? "" : ", unit " + price.Unit)})");
            Table(
                stdout,
                ["quantity", "unit price", "quantity × unit price", "fee", "difference"],
                [[price.Quantity.ToString(CultureInfo.InvariantCulture), Kronor(price.UnitPrice), Kronor(price.Priced), Kronor(price.Amount), Kronor(price.Difference)]],
                rightFrom: 0);
            stdout.WriteLine(price.UnitPrice is null
                ? "The unit price is a figure of the whole service, which the disclosure policy does not show this tenant; the quantity and the fee are its own."
                : string.Create(CultureInfo.InvariantCulture,
                    $"Unit price = the service's cost to tenants {Kronor(price.Cost)} ÷ {price.Units} units, rounded half away from zero to öre; quantity × unit price is rounded likewise.")
                  + (price.Difference is 0m ? "" : " The fee is the exact share (cost × quantity ÷ units) with the split's remainder öre placed by largest remainder, so it differs from quantity × unit price by the price's rounding and that remainder."));
        }

        stdout.WriteLine();
        stdout.WriteLine("By cost pool");
        Table(stdout, ["cost pool", "fee"], [.. e.ByCostPool.Select(p => new[] { p.CostPool, Kronor(p.Amount) }), ["total", Kronor(e.Amount)]], rightFrom: 1);

        stdout.WriteLine();
        stdout.WriteLine("Allocation steps that carried it (delivered: all the rule moved to the target; share: of all it moved)");
        Table(
            stdout,
            ["step", "source", "method", "driver", "target", "cost pool", "delivered", "share", "in the fee"],
            [.. e.Steps.Select(s => new[]
            {
                s.Step?.ToString(CultureInfo.InvariantCulture) ?? "", s.Source, s.Method ?? "", s.Driver ?? "", s.Target, s.CostPool,
                Kronor(s.Delivered), Share(s.Share), Kronor(s.AmountInFee),
            })],
            rightFrom: 6);

        stdout.WriteLine();
        stdout.WriteLine("From the ledger (account and cost centre on the object they were mapped to; share: of the lines' amount)");
        Table(
            stdout,
            ["object", "cost pool", "account", "cost centre", "ledger amount", "share", "in the fee"],
            [
                .. e.Origins.Select(o => new[]
                {
                    o.Object, o.CostPool, o.Account.ToString(CultureInfo.InvariantCulture), o.CostCenter, Kronor(o.LedgerAmount), Share(o.Share), Kronor(o.Amount),
                }),
                ["total", "", "", "", "", "", Kronor(e.Origins.Sum(o => o.Amount))],
            ],
            rightFrom: 4);
    }

    /// <summary>Columns padded to their widest cell, numbers (from column <paramref name="rightFrom"/>) to the right.</summary>
    private static void Table(TextWriter stdout, string[] headers, IReadOnlyList<string[]> rows, int rightFrom)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => "  " + string.Join("  ", cells.Select((c, i) => i >= rightFrom ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        stdout.WriteLine(Line(headers));
        foreach (var row in rows)
        {
            stdout.WriteLine(Line(row));
        }
    }

    /// <summary>Kronor with a space as thousands separator, as the other commands print them; a hidden figure as –.</summary>
    private static string Kronor(decimal? amount) => amount is { } a ? CommandLine.Sek(decimal.ToInt64(decimal.Round(a * 100m))) : Hidden;

    /// <summary>A share in per cent, to the six decimals of the fraction the explainer gives.</summary>
    private static string Share(decimal? share) => share is { } s ? (s * 100m).ToString("0.0000", CultureInfo.InvariantCulture) + " %" : Hidden;
}
