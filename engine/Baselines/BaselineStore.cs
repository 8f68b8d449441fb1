using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Baselines;

/// <summary>One row of a tenant's baseline (nolläge): its in-house cost of a service or service area in a year.</summary>
/// <param name="Tenant">The tenant's id.</param>
/// <param name="Year">The year the in-house cost describes.</param>
/// <param name="Service">A service id or a service area.</param>
/// <param name="Cost">In-house cost in öre.</param>
/// <param name="Quantity">Volume in millionths of <paramref name="Unit"/>, when known.</param>
/// <param name="Unit">What the quantity counts (users, servers, TB …).</param>
/// <param name="Employees">The tenant's employees that year, when given.</param>
public sealed record BaselineRow(string Tenant, int Year, string Service, long Cost, long? Quantity, string? Unit, int? Employees);

/// <summary>A recorded version of a tenant's baseline: immutable, with who recorded it, when and why.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Number">1 for the first recording, then 2, 3 … for each correction.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When (UTC).</param>
/// <param name="Reason">Why: for a correction, what was wrong.</param>
/// <param name="Source">The file it was imported from.</param>
/// <param name="Sha256">SHA-256 of the version's CSV file.</param>
/// <param name="Rows">How many rows it has.</param>
/// <param name="CsvPath">The version's rows.</param>
/// <param name="MetadataPath">The version's metadata (this record as JSON).</param>
public sealed record BaselineVersion(string Tenant, int Number, string RecordedBy, DateTimeOffset RecordedAt, string Reason, string Source, string Sha256, int Rows, string CsvPath, string MetadataPath)
{
    /// <summary>How indicators name the version: <c>v1</c>, <c>v2</c> ….</summary>
    public string Label => "v" + Number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The versioned, append-only baseline store: <c>ROOT/&lt;tenant&gt;/vNNNN.csv</c> (the rows, in the
/// model format's <c>baseline</c> columns) and <c>vNNNN.json</c> (who, when, why, and the CSV's hash).
/// A version exists once its JSON exists; neither file is ever rewritten.
/// </summary>
/// <remarks>
/// A version is a tenant's complete baseline: a correction records all of its rows again, with the
/// reason. Both files are written to temporary names and moved into place without overwriting, so two
/// writers cannot both take one number (the second moves on to the next), and then made read-only.
/// Recording rows identical to the latest version records nothing.
/// </remarks>
public sealed class BaselineStore
{
    /// <summary>The CSV header of a version file: the model format's <c>baseline</c> columns.</summary>
    public const string Header = "tenant,year,service,cost,quantity,unit,employees";

    /// <summary>The store's folder inside a model package: a run compares each tenant with its latest version there.</summary>
    public const string PackageFolder = "baselines";

    private readonly TimeProvider _time;

    /// <summary>A store rooted at <paramref name="root"/> (created when the first version is recorded).</summary>
    public BaselineStore(string root, TimeProvider? time = null)
    {
        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>Every version of a tenant, oldest first.</summary>
    public IReadOnlyList<BaselineVersion> Versions(string tenant)
    {
        if (!ModelManifest.IsId(tenant))
        {
            return [];
        }

        var folder = Path.Combine(Root, tenant);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, "v*.json")
            .Select(f => Number(Path.GetFileNameWithoutExtension(f)) is { } n ? ReadMetadata(f, tenant, n) : null)
            .OfType<BaselineVersion>()
            .OrderBy(v => v.Number)
            .ToList();
    }

    /// <summary>A tenant's latest version, or <see langword="null"/>.</summary>
    public BaselineVersion? Latest(string tenant) => Versions(tenant).LastOrDefault();

    /// <summary>Every tenant's latest version, by tenant id (ordinal).</summary>
    public IReadOnlyList<BaselineVersion> LatestVersions(List<ModelWarning>? warnings = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var latest = new List<BaselineVersion>();
        foreach (var folder in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            var tenant = Path.GetFileName(folder);
            if (tenant.StartsWith('.'))
            {
                continue;
            }

            if (!ModelManifest.IsId(tenant))
            {
                warnings?.Add(new ModelWarning(Path.GetFileName(Root) + "/" + tenant, "not a tenant id; the folder is ignored"));
                continue;
            }

            if (Latest(tenant) is { } version)
            {
                latest.Add(version);
            }
        }

        return latest;
    }

    /// <summary>Records a new version of a tenant's baseline unless its rows equal the latest version's.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="rows">The tenant's complete baseline.</param>
    /// <param name="recordedBy">Who records it.</param>
    /// <param name="reason">Why; required for a correction (a second or later version).</param>
    /// <param name="source">The file the rows came from (for the record).</param>
    /// <returns>The version, and whether it is new.</returns>
    /// <exception cref="TbmException">No rows, rows of another tenant, or a correction without a reason.</exception>
    public (BaselineVersion Version, bool New) Record(string tenant, IReadOnlyList<BaselineRow> rows, string recordedBy, string? reason, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!ModelManifest.IsId(tenant))
        {
            throw TbmException.Usage($"'{tenant}' is not an id");
        }

        if (rows.Count == 0 || rows.Any(r => !string.Equals(r.Tenant, tenant, StringComparison.Ordinal)))
        {
            throw TbmException.Usage($"a baseline version of '{tenant}' needs rows, all of that tenant");
        }

        if (string.IsNullOrWhiteSpace(recordedBy))
        {
            throw TbmException.Usage("who records the baseline must be given");
        }

        var text = Canonical(rows);
        var bytes = Encoding.UTF8.GetBytes(text);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var latest = Latest(tenant);
        if (latest is not null && string.Equals(latest.Sha256, sha, StringComparison.Ordinal))
        {
            return (latest, false);
        }

        if (latest is not null && string.IsNullOrWhiteSpace(reason))
        {
            throw TbmException.Conflict($"'{tenant}' already has baseline {latest.Label}; a correction needs a reason");
        }

        var folder = Path.Combine(Root, tenant);
        Directory.CreateDirectory(folder);
        // Written once under a temporary name, then claimed under the next free version number by a rename
        // that refuses an existing file (another writer may take a number meanwhile).
        var temporary = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}");
        File.WriteAllBytes(temporary + ".csv", bytes);
        try
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var number = NextNumber(folder);
                var csv = Path.Combine(folder, FileStem(number) + ".csv");
                try
                {
                    File.Move(temporary + ".csv", csv, overwrite: false);
                }
                catch (IOException) when (File.Exists(csv))
                {
                    continue; // another writer took this number
                }

                var version = new BaselineVersion(tenant, number, recordedBy.Trim(), _time.GetUtcNow(),
                    string.IsNullOrWhiteSpace(reason) ? "first recording" : reason.Trim(), source, sha, rows.Count, csv, Path.Combine(folder, FileStem(number) + ".json"));
                IO.AtomicFile.WriteAllText(version.MetadataPath, JsonSerializer.Serialize(Metadata.Of(version), JsonOptions) + "\n", overwrite: false);
                File.SetAttributes(csv, File.GetAttributes(csv) | FileAttributes.ReadOnly);
                File.SetAttributes(version.MetadataPath, File.GetAttributes(version.MetadataPath) | FileAttributes.ReadOnly);
                return (version, true);
            }

            throw new IOException($"could not find a free version number for '{tenant}' in {folder}");
        }
        finally
        {
            File.Delete(temporary + ".csv");
        }
    }

    /// <summary>The rows of a version.</summary>
    public static IReadOnlyList<BaselineRow> ReadRows(BaselineVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        connection.Execute("CREATE TABLE rows (tenant VARCHAR, year INTEGER, line VARCHAR, cost BIGINT, quantity BIGINT, unit VARCHAR, version VARCHAR, employees INTEGER)");
        LoadRows(connection, "rows", version);
        return connection.Query(
            "SELECT tenant, year, line, cost, quantity, unit, employees FROM rows ORDER BY year, line",
            r => new BaselineRow(r.GetString(0), r.GetInt32(1), r.GetString(2), r.Int64(3), r.NullableInt64(4), r.NullableString(5), r.IsDBNull(6) ? null : r.GetInt32(6)));
    }

    /// <summary>
    /// Appends a version's rows to <paramref name="table"/>, whose first seven columns are
    /// <c>(tenant, year, line, cost öre, quantity millionths, unit, version)</c> and an optional eighth employees.
    /// </summary>
    internal static void LoadRows(DuckDBConnection connection, string table, BaselineVersion version)
    {
        var employees = connection.Scalar<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = 'employees'", table) > 0
            ? ", CAST(employees AS INTEGER)" : "";
        connection.Execute($$"""
            INSERT INTO {{table}}
            SELECT tenant, CAST(year AS INTEGER), service, CAST(CAST(cost AS DECIMAL(38,2)) * 100 AS BIGINT),
                   CAST(CAST(quantity AS DECIMAL(38,6)) * 1000000 AS BIGINT), nullif(unit, ''), ?{{employees}}
            FROM read_csv({{Duck.Literal(version.CsvPath)}}, header = true, delim = ',', quote = '"', escape = '"',
                 columns = {'tenant': 'VARCHAR', 'year': 'VARCHAR', 'service': 'VARCHAR', 'cost': 'VARCHAR', 'quantity': 'VARCHAR', 'unit': 'VARCHAR', 'employees': 'VARCHAR'})
            """, version.Label);
    }

    /// <summary>The version file's text: the header, then the rows by year and service (ordinal), amounts with two decimals.</summary>
    internal static string Canonical(IEnumerable<BaselineRow> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in rows.OrderBy(r => r.Year).ThenBy(r => r.Service, StringComparer.Ordinal))
        {
            text.Append(r.Tenant).Append(',')
                .Append(r.Year.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.Service).Append(',')
                .Append(Money.Format(r.Cost)).Append(',')
                .Append(r.Quantity is { } q ? FormatQuantity(q) : "").Append(',')
                .Append(Quote(r.Unit ?? "")).Append(',')
                .Append(r.Employees is { } e ? e.ToString(CultureInfo.InvariantCulture) : "")
                .Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A quantity in millionths in its shortest exact form (<c>242.5</c>, <c>534</c>).</summary>
    public static string FormatQuantity(long millionths)
    {
        var whole = (millionths / 1_000_000).ToString(CultureInfo.InvariantCulture);
        var fraction = Math.Abs(millionths % 1_000_000);
        var sign = millionths < 0 && whole[0] != '-' ? "-" : "";
        return fraction == 0 ? sign + whole : sign + whole + "." + fraction.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string FileStem(int number) => "v" + number.ToString("0000", CultureInfo.InvariantCulture);

    private static int? Number(string stem) =>
        stem.Length > 1 && stem[0] == 'v' && int.TryParse(stem.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>One more than any number used, counting CSV files whose JSON never came (a crashed writer): numbers are never reused.</summary>
    private static int NextNumber(string folder) =>
        Directory.GetFiles(folder, "v*.*").Select(f => Number(Path.GetFileNameWithoutExtension(f)) ?? 0).DefaultIfEmpty(0).Max() + 1;

    private static BaselineVersion? ReadMetadata(string path, string tenant, int number)
    {
        var csv = Path.ChangeExtension(path, ".csv");
        if (!File.Exists(csv))
        {
            return null;
        }

        var m = JsonSerializer.Deserialize<Metadata>(File.ReadAllText(path), JsonOptions);
        return m is null || !string.Equals(m.Tenant, tenant, StringComparison.Ordinal) || m.Version != number
            ? null
            : new BaselineVersion(tenant, number, m.RecordedBy, m.RecordedAt, m.Reason, m.Source, m.Sha256, m.Rows, csv, path);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record Metadata(string Tenant, int Version, string RecordedBy, DateTimeOffset RecordedAt, string Reason, string Source, string Sha256, int Rows)
    {
        public static Metadata Of(BaselineVersion v) => new(v.Tenant, v.Number, v.RecordedBy, v.RecordedAt, v.Reason, v.Source, v.Sha256, v.Rows);
    }
}
