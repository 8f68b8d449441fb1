namespace ItDrift.Tbm.Catalogue;

/// <summary>A service of the state service map (tjänstekartan): the shared catalogue suppliers are compared by.</summary>
/// <param name="Id">Its id (<c>INF-VM</c>): what <c>objects.catalogue_service</c> names.</param>
/// <param name="AreaSv">The service area in Swedish.</param>
/// <param name="AreaEn">The service area in English.</param>
/// <param name="NameSv">The service's Swedish name.</param>
/// <param name="NameEn">The service's English name.</param>
/// <param name="TbmServiceType">Its TBM service type (<c>Infrastructure</c>, <c>End User</c> …).</param>
/// <param name="DefaultUnit">The unit its price is given per (<c>virtual server</c>, <c>TB</c>).</param>
/// <param name="DefaultDriver">The key (driver) the demo package and the indicators use for it.</param>
internal sealed record CatalogueService(string Id, string AreaSv, string AreaEn, string NameSv, string NameEn, string TbmServiceType, string DefaultUnit, string DefaultDriver);

/// <summary>One term of a TBM taxonomy layer: its id (the English name the taxonomy uses) and its Swedish name.</summary>
internal sealed record TaxonomyTerm(string Id, string NameSv);

/// <summary>
/// A version of the TBM taxonomy as the engine knows it. A layer the engine has no verified list of is
/// <see langword="null"/>: its codes are then accepted unchecked (docs/catalogue.md).
/// </summary>
/// <param name="Name">The name <c>model.json</c> gives it (<c>tbm-v4</c>).</param>
/// <param name="Version">The published version (<c>4.0</c>).</param>
/// <param name="CostPools">The cost pools.</param>
/// <param name="Towers">The towers, or <see langword="null"/>.</param>
/// <param name="ServiceTypes">The service (solution) types, or <see langword="null"/>.</param>
internal sealed record Taxonomy(string Name, string Version, IReadOnlyList<TaxonomyTerm> CostPools, IReadOnlyList<TaxonomyTerm>? Towers, IReadOnlyList<TaxonomyTerm>? ServiceTypes)
{
    /// <summary>The tower of that id (compared trimmed, case-insensitively), or <see langword="null"/>.</summary>
    public TaxonomyTerm? Tower(string id) => Towers?.FirstOrDefault(t => TbmCatalogue.Same(t.Id, id));

    /// <summary>The service type of that id (compared trimmed, case-insensitively), or <see langword="null"/>.</summary>
    public TaxonomyTerm? ServiceType(string id) => ServiceTypes?.FirstOrDefault(t => TbmCatalogue.Same(t.Id, id));
}

/// <summary>
/// The catalogue as versioned data (docs/catalogue.md): the TBM taxonomies and the state service map, read
/// once from the CSV files embedded in the engine (<c>engine/Catalogue/*.csv</c>). The one owner of cost-pool,
/// tower and service-type names and of the service map: validation, the indicators, the tariff comparison and
/// the workbooks all ask here.
/// </summary>
internal static class TbmCatalogue
{
    /// <summary>The taxonomy a package names when <c>model.json</c> gives none.</summary>
    public const string DefaultTaxonomy = "tbm-v4";

    private static readonly Lazy<IReadOnlyList<CatalogueService>> LazyServices = new(() =>
        [.. Rows("service-map.csv").Select(r => new CatalogueService(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]))]);

    private static readonly Lazy<IReadOnlyList<Taxonomy>> LazyTaxonomies = new(() =>
    [
        new Taxonomy("tbm-v4", "4.0", Terms("tbm-v4.0-cost-pools.csv"), Terms("tbm-v4.0-towers.csv"), Terms("tbm-v4.0-service-types.csv")),
        new Taxonomy("tbm-v5", "5.0", Terms("tbm-v5.0-cost-pools.csv"), null, null),
    ]);

    /// <summary>The twenty services of the state service map, in map order.</summary>
    public static IReadOnlyList<CatalogueService> Services => LazyServices.Value;

    /// <summary>The taxonomies the engine knows, oldest first.</summary>
    public static IReadOnlyList<Taxonomy> Taxonomies => LazyTaxonomies.Value;

    /// <summary>The service map's service of that id (exact, as ids compare), or <see langword="null"/>.</summary>
    public static CatalogueService? Service(string id) => Services.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// The taxonomy <c>model.json</c> names: <c>tbm-v4</c> or <c>tbm-v4.0</c>, <c>tbm-v5</c> or <c>tbm-v5.0</c>
    /// (any case); <see langword="null"/> for a name the engine does not know.
    /// </summary>
    public static Taxonomy? Find(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        return Taxonomies.FirstOrDefault(t => key == t.Name || key == t.Name[..^1] + t.Version);
    }

    /// <summary>
    /// A cost pool's Swedish name: the TBM taxonomy's (v4.0 first, then v5.0) for a pool named as the
    /// taxonomy names it (trimmed, any case), else the name as the package writes it.
    /// </summary>
    public static string CostPoolNameSv(string pool)
    {
        foreach (var taxonomy in Taxonomies)
        {
            if (taxonomy.CostPools.FirstOrDefault(p => Same(p.Id, pool)) is { } term)
            {
                return term.NameSv;
            }
        }

        return pool;
    }

    /// <summary>Codes of the taxonomy compare trimmed and case-insensitively (a package writes <c>end user</c> as well as <c>End User</c>).</summary>
    internal static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static List<TaxonomyTerm> Terms(string file) => [.. Rows(file).Select(r => new TaxonomyTerm(r[0], r[2]))];

    /// <summary>The data rows of another embedded catalogue file (the unit conversions).</summary>
    internal static List<string[]> DataRows(string file) => Rows(file);

    /// <summary>The data rows of an embedded catalogue file: plain comma-separated UTF-8 with a header row and no quoting (the files hold no commas).</summary>
    private static List<string[]> Rows(string file)
    {
        using var stream = typeof(TbmCatalogue).Assembly.GetManifestResourceStream("catalogue/" + file)
            ?? throw new InvalidOperationException($"the engine lacks its embedded catalogue file {file}");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var header = reader.ReadLine()!.Split(',');
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                throw new InvalidOperationException($"catalogue file {file}: a row has {fields.Length} fields, the header {header.Length}");
            }

            rows.Add(fields);
        }

        return rows;
    }
}
