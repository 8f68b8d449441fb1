using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>The forms a table can come in (docs/model-format.md §1.1).</summary>
internal enum SourceFormat
{
    Csv,
    Parquet,
    Sheet,
    Sie,
    Focus,
}

/// <summary>One input that feeds one table.</summary>
/// <param name="Table">The table it feeds.</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Name">How reports name it: the file name, or <c>model.xlsx#sheet</c>.</param>
/// <param name="Format">Its form.</param>
/// <param name="Sheet">The sheet's name in <c>model.xlsx</c>.</param>
internal sealed record TableSource(TableSpec Table, string Path, string Name, SourceFormat Format, string? Sheet = null);

/// <summary>The files of a model package, found by name, before anything is read.</summary>
internal sealed class ModelPackage
{
    /// <summary>Whether a file name is a SIE export (<c>*.se</c>, <c>*.si</c>, <c>*.sie</c>, any case).</summary>
    public static bool IsSieFile(string name) => Path.GetExtension(name).ToLowerInvariant() is ".se" or ".si" or ".sie";

    public const string WorkbookName = "model.xlsx";

    private ModelPackage(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Every file that is an input (hashed into run.json), ordinally by name.</summary>
    public List<string> InputFiles { get; } = [];

    public List<TableSource> Sources { get; } = [];

    public string ManifestPath => Path.Combine(Directory, ModelManifest.FileName);

    public IEnumerable<TableSource> SourcesOf(TableSpec table) => Sources.Where(s => ReferenceEquals(s.Table, table));

    /// <summary>Finds the package's tables; naming problems go to <paramref name="errors"/>.</summary>
    public static ModelPackage Discover(string directory, List<ModelError> errors, List<ModelWarning> warnings)
    {
        var package = new ModelPackage(Path.GetFullPath(directory));
        if (!System.IO.Directory.Exists(directory))
        {
            errors.Add(new ModelError(directory, 0, "", "the model folder does not exist"));
            return package;
        }

        var files = System.IO.Directory.GetFiles(package.Directory).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var extension = Path.GetExtension(name).ToLowerInvariant();
            var stem = Path.GetFileNameWithoutExtension(name);
            if (name.StartsWith('.') || name.StartsWith("~$", StringComparison.Ordinal))
            {
                continue; // hidden files and Excel's lock files
            }

            if (string.Equals(name, ModelManifest.FileName, StringComparison.OrdinalIgnoreCase))
            {
                package.InputFiles.Add(file);
            }
            else if (string.Equals(name, WorkbookName, StringComparison.OrdinalIgnoreCase))
            {
                package.InputFiles.Add(file);
                foreach (var sheet in XlsxTableReader.SheetNames(file, errors))
                {
                    var table = Tables.Find(sheet);
                    if (table is null)
                    {
                        warnings.Add(new ModelWarning($"{name}#{sheet}", "not a model table; the sheet is ignored"));
                        continue;
                    }

                    package.Sources.Add(new TableSource(table, file, $"{name}#{sheet}", SourceFormat.Sheet, sheet));
                }
            }
            else if (FocusSource.IsFocusFile(name))
            {
                package.InputFiles.Add(file);
                package.Sources.Add(new TableSource(Tables.Ledger, file, name, SourceFormat.Focus));
            }
            else if (extension is ".csv" or ".parquet")
            {
                var table = Tables.Find(stem);
                if (table is null)
                {
                    warnings.Add(new ModelWarning(name, "not a model table; the file is ignored"));
                    continue;
                }

                package.InputFiles.Add(file);
                package.Sources.Add(new TableSource(table, file, name, extension == ".csv" ? SourceFormat.Csv : SourceFormat.Parquet));
            }
            else if (IsSieFile(name))
            {
                package.InputFiles.Add(file);
                package.Sources.Add(new TableSource(Tables.Ledger, file, name, SourceFormat.Sie));
            }
        }

        if (!File.Exists(package.ManifestPath))
        {
            errors.Add(new ModelError(ModelManifest.FileName, 0, "", "model.json is missing from the model folder"));
        }

        foreach (var table in Tables.All)
        {
            var tabular = package.SourcesOf(table).Where(s => s.Format is not (SourceFormat.Sie or SourceFormat.Focus)).ToList();
            if (tabular.Count > 1)
            {
                errors.Add(new ModelError(tabular[1].Name, 0, "", $"table '{table.Name}' is given more than once ({string.Join(", ", tabular.Select(s => s.Name))}); keep one"));
            }

            if (table.Required && !package.SourcesOf(table).Any())
            {
                var forms = table == Tables.Ledger ? "ledger.csv, ledger.parquet, a 'ledger' sheet in model.xlsx, a SIE file or a FOCUS file (focus.csv, focus.parquet)" : $"{table.Name}.csv, {table.Name}.parquet or a '{table.Name}' sheet in model.xlsx";
                errors.Add(new ModelError($"{table.Name}.csv", 0, "", $"required table '{table.Name}' is missing: give {forms}"));
            }
        }

        return package;
    }
}
