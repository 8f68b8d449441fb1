using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>How a source's columns line up with its table's staging columns.</summary>
/// <param name="Columns">For each table column in order: its index among the file's columns (-1: absent) and its spec.</param>
/// <param name="FileColumns">How many columns the file has.</param>
internal sealed record StagingLayout(IReadOnlyList<(int FileIndex, ColumnSpec Column)> Columns, int FileColumns)
{
    /// <summary>Matches a header (case-insensitive, order free). <see langword="null"/> when the source cannot be read.</summary>
    public static StagingLayout? FromHeader(TableSource source, IReadOnlyList<string> header, int headerLine, ErrorLog errors, List<ModelWarning> warnings)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            if (name.Length == 0)
            {
                continue;
            }

            if (source.Table.Find(name) is null)
            {
                warnings.Add(new ModelWarning(source.Name, $"unknown column '{name}' is ignored"));
                continue;
            }

            if (!index.TryAdd(name, i))
            {
                errors.Add(new ModelError(source.Name, headerLine, name.ToLowerInvariant(), "the column is named twice in the header"), ErrorLog.Reader);
                ok = false;
            }
        }

        var columns = new List<(int, ColumnSpec)>();
        foreach (var column in source.Table.Columns)
        {
            if (index.TryGetValue(column.Name, out var at))
            {
                columns.Add((at, column));
            }
            else
            {
                if (column.Required)
                {
                    errors.Add(new ModelError(source.Name, headerLine, column.Name, "required column is missing from the header"), ErrorLog.Reader);
                    ok = false;
                }

                columns.Add((-1, column));
            }
        }

        return ok ? new StagingLayout(columns, header.Count) : null;
    }
}
