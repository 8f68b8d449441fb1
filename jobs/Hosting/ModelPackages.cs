using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>A model package the host recalculates.</summary>
/// <param name="Key">Its path under the models folder with <c>/</c> (its folder name when the models folder is the package): what jobs and the catalogue name it by.</param>
/// <param name="Directory">Its folder.</param>
internal sealed record PackageRef(string Key, string Directory);

/// <summary>
/// Finds the model packages under the models folder: the folder itself when it holds <c>model.json</c>,
/// else every folder below it (three levels deep at most, hidden folders skipped) that holds one.
/// </summary>
internal sealed class ModelPackages(string root)
{
    private const int MaxDepth = 3;

    public string Root { get; } = Path.GetFullPath(root);

    public IReadOnlyList<PackageRef> Discover()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        if (IsPackage(Root))
        {
            return [new PackageRef(Path.GetFileName(Root), Root)];
        }

        var found = new List<PackageRef>();
        Walk(Root, 1, found);
        return [.. found.OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>The package with this key, or <see langword="null"/> (keys are never paths outside the models folder).</summary>
    public PackageRef? Find(string key) => Discover().FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    /// <summary>The packages of a supplier (by <c>model.json</c>), and when a fiscal year is given and the supplier has several, those that cover it.</summary>
    public IReadOnlyList<PackageRef> OfSupplier(string supplier, int? fiscalYear, RunStore store)
    {
        var mine = Discover().Where(p => SupplierOf(p) == supplier).ToList();
        if (fiscalYear is not { } year || mine.Count <= 1)
        {
            return mine;
        }

        var text = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var covering = mine.Where(p =>
            string.Equals(Path.GetFileName(p.Directory), text, StringComparison.Ordinal)
            || store.List(supplier).FirstOrDefault(r => r.Package == p.Key)?.FiscalYears.Contains(year) == true).ToList();
        return covering.Count > 0 ? covering : mine;
    }

    /// <summary>The supplier a package's <c>model.json</c> names, or <see langword="null"/>.</summary>
    public static string? SupplierOf(PackageRef package)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Directory, "model.json")), new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
            return json.RootElement.TryGetProperty("supplier", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.Object
                && s.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String ? id.GetString() : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsPackage(string folder) => File.Exists(Path.Combine(folder, "model.json"));

    private void Walk(string folder, int depth, List<PackageRef> found)
    {
        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(child).StartsWith('.'))
            {
                continue;
            }

            if (IsPackage(child))
            {
                found.Add(new PackageRef(Path.GetRelativePath(Root, child).Replace('\\', '/'), child));
            }
            else if (depth < MaxDepth)
            {
                Walk(child, depth + 1, found);
            }
        }
    }
}
