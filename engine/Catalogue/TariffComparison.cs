using System.Globalization;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Catalogue;

/// <summary>One supplier's price of a catalogue service in a year (a row of <c>prices.csv</c> of a classified service).</summary>
/// <param name="CatalogueService">The state service map's id.</param>
/// <param name="Supplier">The supplier.</param>
/// <param name="Service">The supplier's own service id.</param>
/// <param name="ServiceName">The supplier's name of it.</param>
/// <param name="Units">Units priced (prices.csv), in the supplier's unit.</param>
/// <param name="Unit">The supplier's unit (<c>objects.unit</c>; empty: the catalogue's).</param>
/// <param name="Cost">Cost delivered to tenants, SEK.</param>
/// <param name="UnitPrice">The supplier's unit price, SEK per its unit.</param>
/// <param name="NormalUnit">The catalogue's unit the comparison is in.</param>
/// <param name="NormalUnits">Units in the catalogue's unit; <see langword="null"/> when the supplier's unit cannot be converted.</param>
/// <param name="NormalUnitPrice">SEK per the catalogue's unit, half away from zero to öre; <see langword="null"/> when not comparable.</param>
/// <param name="Tenants">Tenants with a fee for the service.</param>
/// <param name="RunId">The run it comes from.</param>
public sealed record TariffRow(string CatalogueService, string Supplier, string Service, string ServiceName, decimal Units, string Unit, decimal Cost, decimal UnitPrice,
    string NormalUnit, decimal? NormalUnits, decimal? NormalUnitPrice, long Tenants, string RunId);

/// <summary>All suppliers' price of a catalogue service: the comparable rows together, and their spread when at least three suppliers price it.</summary>
/// <param name="CatalogueService">The state service map's id.</param>
/// <param name="NameSv">Its Swedish name.</param>
/// <param name="Unit">The catalogue's unit.</param>
/// <param name="Suppliers">Suppliers with a comparable price.</param>
/// <param name="Units">Σ units in the catalogue's unit.</param>
/// <param name="Cost">Σ cost, SEK.</param>
/// <param name="UnitPrice">Σ cost ÷ Σ units, half away from zero to öre.</param>
/// <param name="Suppressed">Fewer than three suppliers: no lowest, median or highest price is given (each would be one supplier's).</param>
/// <param name="Min">Lowest supplier unit price.</param>
/// <param name="Median">Median supplier unit price (the mean of the middle two for an even count, half away from zero to öre).</param>
/// <param name="Max">Highest supplier unit price.</param>
public sealed record TariffSummary(string CatalogueService, string NameSv, string Unit, int Suppliers, decimal Units, decimal Cost, decimal? UnitPrice,
    bool Suppressed, decimal? Min, decimal? Median, decimal? Max);

/// <summary>A row of the register of services: which supplier delivers which catalogue service, under which id of its own.</summary>
/// <param name="CatalogueService">The state service map's id; empty for a service the supplier has not classified.</param>
/// <param name="Supplier">The supplier.</param>
/// <param name="SupplierName">The supplier's name.</param>
/// <param name="Service">The supplier's own service id.</param>
/// <param name="ServiceName">The supplier's name of it.</param>
/// <param name="ServiceType">Its TBM service type, as the package gives it.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Priced">Whether it has a unit price in the year (a driver rule).</param>
/// <param name="RunId">The run it comes from.</param>
public sealed record ServiceRegisterRow(string CatalogueService, string Supplier, string SupplierName, string Service, string ServiceName, string ServiceType, string Unit, bool Priced, string RunId);

/// <summary>The tariff comparison of one fiscal year and scenario over every supplier's latest published run.</summary>
/// <param name="FiscalYear">The year.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Tariffs">Per catalogue service and supplier, ordered by catalogue service and supplier.</param>
/// <param name="Summaries">Per catalogue service, in service map order.</param>
/// <param name="Register">Every supplier's services, ordered by supplier and service.</param>
/// <param name="Notes">What the comparison lacks (a supplier without a run of the year, a unit that cannot be converted).</param>
public sealed record TariffView(int FiscalYear, string Scenario, IReadOnlyList<TariffRow> Tariffs, IReadOnlyList<TariffSummary> Summaries,
    IReadOnlyList<ServiceRegisterRow> Register, IReadOnlyList<string> Notes);

/// <summary>
/// Tariffs comparable across suppliers (docs/catalogue.md): each supplier's unit price of each service it has
/// classified with the state service map's id, in the map's unit where the supplier's unit converts to it,
/// and the register of which supplier delivers which service. For the coordinator and ESV.
/// </summary>
/// <remarks>
/// Prices come from each supplier's latest published run of the year (<c>prices</c>), the classification from
/// the run's model snapshot (<c>model/objects</c>). A normalised price is recomputed from cost and units, never
/// scaled from a rounded price. The spread over suppliers follows the disclosure policy's threshold
/// (<see cref="Access.Disclosure.MinimumTenants"/>): under three suppliers no order statistic is given.
/// </remarks>
public static class TariffComparison
{
    /// <summary>Computes the comparison for <paramref name="fiscalYear"/> from the runs store at <paramref name="runsDirectory"/>.</summary>
    /// <exception cref="TbmException">The runs folder does not exist (NotFound).</exception>
    public static TariffView Compute(string runsDirectory, int fiscalYear, string scenario = "actual")
    {
        var store = new RunStore(runsDirectory);
        if (!System.IO.Directory.Exists(store.Root))
        {
            throw TbmException.NotFound($"the runs folder {store.Root} does not exist");
        }

        using var connection = Duck.OpenInMemory(EngineSettings.Default with { Threads = 1 });
        var tariffs = new List<TariffRow>();
        var register = new List<ServiceRegisterRow>();
        var notes = new List<string>();
        foreach (var supplier in store.Suppliers().Order(StringComparer.Ordinal))
        {
            if (store.Latest(supplier, fiscalYear) is not { } published)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{supplier}: no published run has fiscal year {fiscalYear}"));
                continue;
            }

            var run = RunFolder.Open(published.Directory);
            var objectsPath = Path.Combine(run.Directory, "model", "objects.parquet");
            if (!File.Exists(objectsPath))
            {
                notes.Add($"{supplier}: run {run.RunId} has no model snapshot (published before it was written); run the package again to include it");
                continue;
            }

            var classified = connection.Scalar<long>("SELECT count(*) FROM parquet_schema(?) WHERE name = 'catalogue_service'", objectsPath) > 0;
            var columns = classified ? "catalogue_service, service_type" : "CAST(NULL AS VARCHAR) AS catalogue_service, service_type";
            var prices = Path.Combine(run.Directory, "prices.parquet");
            var fees = Path.Combine(run.Directory, "fees.parquet");
            var rows = connection.Query($"""
                WITH o AS (SELECT object_id, kind, name, unit, {columns} FROM read_parquet({Duck.Literal(objectsPath)})),
                p AS (SELECT service, CAST(units AS DECIMAL(18,6)) AS units, CAST(cost AS DECIMAL(18,2)) AS cost, CAST(unit_price AS DECIMAL(18,2)) AS unit_price
                      FROM read_parquet({Duck.Literal(prices)}) WHERE fiscal_year = ? AND scenario = ?),
                f AS (SELECT service, count(DISTINCT tenant) AS tenants FROM read_parquet({Duck.Literal(fees)}) WHERE fiscal_year = ? AND scenario = ? GROUP BY ALL)
                SELECT o.object_id, o.name, o.unit, o.catalogue_service, o.service_type, p.units, p.cost, p.unit_price, coalesce(f.tenants, 0)
                FROM o LEFT JOIN p ON p.service = o.object_id LEFT JOIN f ON f.service = o.object_id
                WHERE o.kind = 'service' OR p.service IS NOT NULL OR f.service IS NOT NULL
                ORDER BY o.object_id
                """, r => (Id: r.GetString(0), Name: r.NullableString(1) ?? r.GetString(0), Unit: r.NullableString(2) ?? "", Catalogue: r.NullableString(3) ?? "",
                    Type: r.NullableString(4) ?? "", Units: r.IsDBNull(5) ? (decimal?)null : r.GetDecimal(5), Cost: r.IsDBNull(6) ? 0m : r.GetDecimal(6),
                    Price: r.IsDBNull(7) ? 0m : r.GetDecimal(7), Tenants: Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture)),
                fiscalYear, scenario, fiscalYear, scenario);

            foreach (var row in rows)
            {
                register.Add(new ServiceRegisterRow(row.Catalogue, supplier, run.SupplierName, row.Id, row.Name, row.Type, row.Unit, row.Units is not null, run.RunId));
                if (row.Units is not { } units || TbmCatalogue.Service(row.Catalogue) is not { } service)
                {
                    continue;
                }

                var factor = UnitConversion.Factor(row.Unit, service.DefaultUnit);
                if (factor is null)
                {
                    notes.Add($"{supplier}: {row.Id} is priced per '{row.Unit}', which does not convert to {service.Id}'s unit '{service.DefaultUnit}'; it is shown but not compared");
                }

                var normalUnits = factor is { } f1 ? units * f1.Numerator / f1.Denominator : (decimal?)null;
                var normalPrice = factor is { } f2 ? UnitPrice(row.Cost, units * f2.Numerator, f2.Denominator) : null;
                tariffs.Add(new TariffRow(service.Id, supplier, row.Id, row.Name, units, row.Unit, row.Cost, row.Price, service.DefaultUnit, normalUnits, normalPrice, row.Tenants, run.RunId));
            }
        }

        tariffs = [.. tariffs.OrderBy(t => MapOrder(t.CatalogueService)).ThenBy(t => t.Supplier, StringComparer.Ordinal).ThenBy(t => t.Service, StringComparer.Ordinal)];
        var summaries = TbmCatalogue.Services
            .Select(s => Summary(s, [.. tariffs.Where(t => t.CatalogueService == s.Id && t.NormalUnitPrice is not null)]))
            .Where(s => s is not null).Select(s => s!).ToList();
        return new TariffView(fiscalYear, scenario, tariffs, summaries,
            [.. register.OrderBy(r => r.Supplier, StringComparer.Ordinal).ThenBy(r => r.Service, StringComparer.Ordinal)], notes);
    }

    private static int MapOrder(string id)
    {
        var services = TbmCatalogue.Services;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].Id == id)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static TariffSummary? Summary(CatalogueService service, List<TariffRow> rows)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var units = rows.Sum(r => r.NormalUnits!.Value);
        var cost = rows.Sum(r => r.Cost);
        var suppliers = rows.Select(r => r.Supplier).Distinct().Count();

        // A supplier pricing one catalogue service under two ids of its own is one supplier at its combined price.
        var perSupplier = rows.GroupBy(r => r.Supplier)
            .Select(g => UnitPrice(g.Sum(r => r.Cost), g.Sum(r => r.NormalUnits!.Value), 1)!.Value).Order().ToList();
        var suppressed = suppliers < Access.Disclosure.MinimumTenants;
        decimal? median = null;
        if (!suppressed)
        {
            var mid = perSupplier.Count / 2;
            median = perSupplier.Count % 2 == 1 ? perSupplier[mid] : HalfAwayFromZero((perSupplier[mid - 1] + perSupplier[mid]) / 2m);
        }

        return new TariffSummary(service.Id, service.NameSv, service.DefaultUnit, suppliers, units, cost, UnitPrice(cost, units, 1),
            suppressed, suppressed ? null : perSupplier[0], median, suppressed ? null : perSupplier[^1]);
    }

    /// <summary>cost ÷ (units ÷ denominator), half away from zero to öre, in integers (öre and millionths); <see langword="null"/> for no units.</summary>
    internal static decimal? UnitPrice(decimal cost, decimal units, long denominator)
    {
        var ore = (Int128)(cost * 100m);
        var millionths = (Int128)(units * 1_000_000m);
        if (millionths <= 0)
        {
            return null;
        }

        var numerator = Int128.Abs(ore) * denominator * 1_000_000;
        var price = (2 * numerator + millionths) / (2 * millionths);
        return (decimal)(ore < 0 ? -price : price) / 100m;
    }

    private static decimal HalfAwayFromZero(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}

/// <summary>Units that convert into the state service map's units (<c>engine/Catalogue/units.csv</c>).</summary>
internal static class UnitConversion
{
    private static readonly Lazy<List<(string Unit, string Normal, long Numerator, long Denominator)>> Table = new(() =>
        [.. TbmCatalogue.DataRows("units.csv").Select(r => (r[0], r[1], long.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture)))]);

    /// <summary>
    /// How many of <paramref name="target"/> one <paramref name="unit"/> is, as a fraction; 1 for the same unit
    /// or none given (a blank unit is the catalogue's, as in baselines); <see langword="null"/> when it does not convert.
    /// </summary>
    public static (long Numerator, long Denominator)? Factor(string unit, string target)
    {
        if (unit.Trim().Length == 0 || TbmCatalogue.Same(unit, target))
        {
            return (1, 1);
        }

        var row = Table.Value.FirstOrDefault(r => TbmCatalogue.Same(r.Unit, unit));
        return row.Unit is not null && TbmCatalogue.Same(row.Normal, target) ? (row.Numerator, row.Denominator) : null;
    }
}
