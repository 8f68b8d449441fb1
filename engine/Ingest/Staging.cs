using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// Loads every source of a package into one staging table per model table: <c>stage_NAME(src, line,
/// column…)</c>, all cells as text, plus <c>sources(src, file)</c> naming the files for reports.
/// </summary>
internal static class Staging
{
    public static string TableName(TableSpec table) => "stage_" + table.Name;

    /// <param name="connection">The run's database.</param>
    /// <param name="package">The package's files.</param>
    /// <param name="errors">Where model errors go.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="progress">Progress, or nothing.</param>
    /// <param name="sie">What the user accepts in SIE files.</param>
    /// <param name="manifest">The package's <c>model.json</c> (null when it has errors): the supplier's organisation number, which a SIE file's #ORGNR must equal, and how FOCUS files are read.</param>
    public static void Load(DuckDBConnection connection, ModelPackage package, ErrorLog errors, List<ModelWarning> warnings, IProgress<RunProgress>? progress, SieAcceptance sie, ModelManifest? manifest)
    {
        connection.Execute($"CREATE TABLE {PipelineTables.Sources} (src SMALLINT, file VARCHAR)");
        short src = 0;
        foreach (var table in Tables.All)
        {
            var stage = TableName(table);
            var columns = string.Join(", ", table.Columns.Select(c => $"{Duck.Ident(c.Name)} VARCHAR"));
            connection.Execute($"CREATE TABLE {stage} (src SMALLINT, line INTEGER, {columns})");
            var sources = package.SourcesOf(table).ToList();
            foreach (var source in sources)
            {
                src++;
                progress?.Report(new RunProgress("read", $"reading {source.Name}"));
                connection.Execute($"INSERT INTO {PipelineTables.Sources} VALUES (?, ?)", src, source.Name);
                switch (source.Format)
                {
                    case SourceFormat.Csv:
                        CsvTableReader.Load(connection, source, src, stage, errors, warnings, sole: sources.Count == 1);
                        break;
                    case SourceFormat.Sheet:
                        XlsxTableReader.Load(connection, source, src, stage, errors, warnings);
                        break;
                    case SourceFormat.Parquet:
                        LoadParquet(connection, source, src, stage, errors, warnings);
                        break;
                    case SourceFormat.Sie:
                        SieSource.Load(connection, source, src, stage, errors, warnings, sie, manifest?.Supplier.OrgNr);
                        break;
                    case SourceFormat.Focus:
                        FocusSource.Load(connection, source, src, stage, errors, warnings, manifest);
                        break;
                    default:
                        throw new InvalidOperationException($"unknown source format {source.Format}");
                }
            }
        }
    }

    /// <summary>
    /// Reads a Parquet source; a file that DuckDB cannot read — not Parquet, or damaged anywhere in its
    /// metadata or pages — is a model error naming it, whichever statement finds the damage.
    /// </summary>
    private static void LoadParquet(DuckDBConnection connection, TableSource source, short src, string stage, ErrorLog errors, List<ModelWarning> warnings)
    {
        try
        {
            LoadParquetFile(connection, source, src, stage, errors, warnings);
        }
        catch (DuckDBException e)
        {
            var reason = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            reason = reason.Replace(source.Path, source.Name, StringComparison.Ordinal);
            errors.Add(new ModelError(source.Name, 0, "", $"not a readable Parquet file: {reason}"), ErrorLog.Reader);
        }
    }

    private static void LoadParquetFile(DuckDBConnection connection, TableSource source, short src, string stage, ErrorLog errors, List<ModelWarning> warnings)
    {
        var file = Duck.Literal(source.Path);
        var described = connection.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet({file}))", r => (Name: r.GetString(0), Type: r.GetString(1)));

        var names = described.ConvertAll(d => d.Name);
        var layout = StagingLayout.FromHeader(source, names, 1, errors, warnings);
        if (layout is null)
        {
            return;
        }

        if (TypedParquet.Applies(source.Table) && TypedParquet.TryCreate(connection, source, src, layout, names, described.ConvertAll(d => d.Type)))
        {
            return;
        }

        // Rows are numbered as if the file had a header line, so "line" means the same in every format.
        var select = string.Join(", ", layout.Columns.Select(c => c.FileIndex < 0
            ? "NULL"
            : $"nullif(trim(CAST({Duck.Ident(names[c.FileIndex])} AS VARCHAR)), '')"));
        connection.Execute($"INSERT INTO {stage} SELECT {src}, CAST(file_row_number AS INTEGER) + 2, {select} FROM read_parquet({file}, file_row_number = true)");
    }
}
