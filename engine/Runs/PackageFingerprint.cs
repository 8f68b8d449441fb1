using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;

namespace ItDrift.Tbm.Runs;

/// <summary>
/// What a model package's run would be called, found without running it: the supplier from
/// <c>model.json</c> and the run id the engine derives from its version and the inputs' SHA-256.
/// </summary>
/// <remarks>
/// The nightly recalculation compares this with the store to recalculate only packages whose inputs
/// changed. It uses the engine's own discovery and hashing, so it names exactly the run the engine
/// would publish for the same files.
/// </remarks>
/// <param name="Directory">The package folder.</param>
/// <param name="Supplier">The supplier's id, or <see langword="null"/> when <c>model.json</c> is missing or wrong (the run will then fail with the reason).</param>
/// <param name="RunId">The run id the inputs give.</param>
/// <param name="InputFiles">How many input files were hashed.</param>
public sealed record PackageFingerprint(string Directory, string? Supplier, string RunId, int InputFiles)
{
    /// <summary>Hashes a package's inputs (reads every input file once; writes nothing).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static PackageFingerprint Of(string modelDirectory) => Of(modelDirectory, previousRun: null, Ingest.SieAcceptance.None);

    /// <summary>Hashes a package's inputs and the options that change its output, as <see cref="TbmEngine.Run"/> will.</summary>
    /// <param name="modelDirectory">The package folder.</param>
    /// <param name="previousRun">The previous run folder whose closing balances carry forward, if any.</param>
    /// <param name="sie">What is accepted in SIE files.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static PackageFingerprint Of(string modelDirectory, string? previousRun, Ingest.SieAcceptance sie)
    {
        ArgumentNullException.ThrowIfNull(sie);
        if (!System.IO.Directory.Exists(modelDirectory))
        {
            throw new DirectoryNotFoundException($"the model folder '{modelDirectory}' does not exist");
        }

        var errors = new List<ModelError>();
        var package = ModelPackage.Discover(modelDirectory, errors, []);
        var manifest = File.Exists(package.ManifestPath) ? ModelManifest.Read(package.ManifestPath, Path.GetFileName(package.Directory), errors) : null;
        // The baseline store's latest versions are inputs of the run too (RunIndicators adds them).
        var baselines = Path.Combine(package.Directory, Baselines.BaselineStore.PackageFolder);
        if (System.IO.Directory.Exists(baselines))
        {
            foreach (var version in new Baselines.BaselineStore(baselines).LatestVersions([]))
            {
                package.InputFiles.Add(version.CsvPath);
                package.InputFiles.Add(version.MetadataPath);
            }
        }

        var inputs = RunWriter.HashInputs(package.Directory, package.InputFiles);
        var supplier = manifest?.Supplier.Id;
        var options = RunOption.Of(previousRun, sie, inputs.Any(i => ModelPackage.IsSieFile(i.Name)));
        return new PackageFingerprint(package.Directory, Access.Ids.IsPathSegment(supplier) ? supplier : null, RunWriter.RunId(inputs, options), inputs.Count);
    }
}
