using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Catalogue;

/// <summary>
/// The package's classification against the catalogue (docs/catalogue.md): <c>objects.catalogue_service</c>
/// must name a service of the state service map, and <c>objects.service_type</c> a term of the taxonomy
/// <c>model.json</c> names — a tower's a TBM tower, any other object's a service type. Both may be blank:
/// an unclassified object is a data-quality figure, not an error.
/// </summary>
/// <remarks>
/// A taxonomy name the engine does not know is accepted with a warning and its codes go unchecked, so a
/// package written before the taxonomy was data (<c>"taxonomy": "own"</c>) still runs; so are the layers of a
/// known taxonomy the engine has no verified list of.
/// </remarks>
internal static class CatalogueChecks
{
    public static void Run(DuckDBConnection connection, ModelManifest manifest, ErrorLog errors, List<ModelWarning> warnings)
    {
        var rows = connection.Query("""
            SELECT f.file, o.line, o.kind, o.service_type, o.catalogue_service FROM objects o JOIN sources f USING (src)
            WHERE o.service_type IS NOT NULL OR o.catalogue_service IS NOT NULL ORDER BY f.file, o.line
            """, r => (File: r.GetString(0), Line: r.GetInt32(1), Kind: r.NullableString(2), Type: r.NullableString(3), Catalogue: r.NullableString(4)));

        foreach (var row in rows.Where(r => r.Catalogue is not null && TbmCatalogue.Service(r.Catalogue) is null))
        {
            errors.Add(new ModelError(row.File, row.Line, "catalogue_service",
                $"'{row.Catalogue}' is not a service of the state service map (INF-DC … APP-SAAS, docs/catalogue.md); leave it blank for a service outside the map"));
        }

        var typed = rows.Where(r => r.Type is not null).ToList();
        if (typed.Count == 0)
        {
            return;
        }

        if (TbmCatalogue.Find(manifest.Taxonomy) is not { } taxonomy)
        {
            warnings.Add(new ModelWarning(ModelManifest.FileName,
                $"taxonomy '{manifest.Taxonomy}' is not one the engine knows ({string.Join(", ", TbmCatalogue.Taxonomies.Select(t => t.Name))}): objects.service_type is not checked"));
            return;
        }

        if (taxonomy.Towers is null || taxonomy.ServiceTypes is null)
        {
            warnings.Add(new ModelWarning(ModelManifest.FileName,
                $"the engine has no verified list of the towers and service types of taxonomy '{taxonomy.Name}' (docs/catalogue.md): objects.service_type is not checked"));
            return;
        }

        foreach (var row in typed)
        {
            var tower = string.Equals(row.Kind, "tower", StringComparison.Ordinal);
            var known = tower ? taxonomy.Tower(row.Type!) is not null : taxonomy.ServiceType(row.Type!) is not null;
            if (!known)
            {
                var terms = tower ? taxonomy.Towers : taxonomy.ServiceTypes;
                errors.Add(new ModelError(row.File, row.Line, "service_type",
                    $"'{row.Type}' is not a {(tower ? "tower" : "service type")} of taxonomy {taxonomy.Name} ({string.Join(", ", terms.Select(t => t.Id))})"));
            }
        }
    }
}
