using System.Globalization;
using System.Text;
using ItDrift.Tbm.Output;

namespace ItDrift.Tbm.Datasets;

/// <summary>
/// Writes a realistic, seeded demo model package (format v1, docs/model-format.md): one supplier agency
/// (Försäkringskassan) running IT for 36 real customer agencies, with a ledger of any size, the 20
/// catalogue services, the TBM v4 towers, a step-down allocation in three steps and preliminary fees.
/// </summary>
/// <remarks>
/// <para>
/// Deterministic: the same options give byte-identical files on any machine and culture (own generator,
/// integer arithmetic only, no clock, no ordering that depends on hashing). The amounts are synthetic;
/// names, organisation numbers and head counts of the agencies are public data.
/// </para>
/// <para>
/// Everything but the ledger is drawn first into a small in-memory plan (cells of cost centre × account ×
/// project with monthly amounts and line counts); the ledger is then streamed from the plan in blocks of
/// one fiscal year and period, so memory does not grow with <see cref="DemoModelOptions.LedgerLines"/>.
/// </para>
/// <para>
/// The package is written into a hidden sibling folder and renamed into place at the end: a crash never
/// leaves half a package. The target must be absent, empty, or an earlier output of the engine holding only
/// its own files (which is replaced; see <see cref="OutputFolder"/>).
/// </para>
/// </remarks>
public static class DemoModelGenerator
{
    /// <summary>What the package was generated from (seed, lines, years). Hidden: the engine ignores it.</summary>
    private const string Marker = ".demo-model";

    /// <summary>Writes the package into <paramref name="directory"/>.</summary>
    /// <param name="directory">The package folder to create or replace.</param>
    /// <param name="options">Seed, size and years.</param>
    /// <param name="progress">Receives the fraction done, 0 to 1.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> exists and may not be replaced (see <see cref="OutputFolder"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are out of range; nothing was written.</exception>
    /// <exception cref="TooFewLedgerLinesException">Too few ledger lines for the years; nothing was written.</exception>
    public static DemoModelSummary Write(string directory, DemoModelOptions options, IProgress<double>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        var target = Path.GetFullPath(directory);

        // The plan first: options out of range are refused before anything is written.
        var plan = DemoPlan.Build(options);
        var temporary = OutputFolder.Prepare(target);
        progress?.Report(0);
        try
        {
            TableWriter.WriteModel(temporary, plan);
            TableWriter.WriteCostPools(temporary, plan);
            TableWriter.WriteObjects(temporary, plan);
            TableWriter.WriteTenants(temporary, plan);
            TableWriter.WriteMapping(temporary, plan);
            TableWriter.WriteRules(temporary, plan);
            TableWriter.WriteDrivers(temporary, plan);
            TableWriter.WriteFees(temporary, plan);
            progress?.Report(0.02);

            var lines = (double)plan.LedgerLines;
            var parquet = options.LedgerFormat == LedgerFormat.Parquet;
            var share = parquet ? 0.6 : 0.97;
            var csv = Path.Combine(temporary, parquet ? ".ledger.csv" : "ledger.csv");
            var ledgerTotal = LedgerWriter.Write(csv, plan, written => progress?.Report(0.02 + (share * written / lines)));
            if (parquet)
            {
                ParquetLedger.Convert(csv, Path.Combine(temporary, "ledger.parquet"));
                File.Delete(csv);
            }

            var marker = PackageReadme.MarkerText(plan);
            if (options.Scale > 0 || options.LedgerFormat != LedgerFormat.Csv)
            {
                ScaleReadme.Write(temporary, plan, parquet ? "ledger.parquet" : "ledger.csv");
                marker += string.Create(CultureInfo.InvariantCulture, $"scale={options.Scale}\nformat={options.LedgerFormat}\n");
            }
            else
            {
                PackageReadme.Write(temporary, plan);
            }

            File.WriteAllText(Path.Combine(temporary, Marker), marker, new UTF8Encoding(false));
            // Its files' contents are recorded: a package the user edited is never replaced by the next generation.
            OutputFolder.MoveIntoPlace(temporary, target, "demo model package", recordContents: true);

            var summary = new DemoModelSummary(
                target,
                plan.LedgerLines,
                plan.Years,
                plan.Catalogue.Tenants.Length,
                plan.Catalogue.Services.Length,
                plan.Catalogue.Towers.Length,
                plan.Catalogue.CostCentres.Length,
                plan.Mapping.Count,
                plan.Rules.Count,
                plan.Drivers.Count,
                Sek(plan.ActualCost.Sum()),
                Sek(plan.UnmappedCost.Sum()),
                Sek(plan.InvoicedPerTenant.Sum(y => y.Sum())),
                Sek(ledgerTotal),
                Directory.EnumerateFiles(target).Sum(f => new FileInfo(f).Length));
            progress?.Report(1);
            return summary;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static decimal Sek(long ore) => ore / 100m;
}
