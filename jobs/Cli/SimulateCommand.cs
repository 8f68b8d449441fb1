using System.Globalization;
using ItDrift.Tbm.Changes;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm simulate --run RUNDIR --changes FILE.json [--year Y] --out DIR</c>: every tenant's fees after changes to
/// cost, driver volumes, rule keys and tenants, and the fee bridge against the run (docs/changes.md).
/// </summary>
internal static class SimulateCommand
{
    public static int Execute(string run, string changesFile, int? year, string output, EngineSettings settings, TextWriter stdout)
    {
        var changes = ReadChanges(changesFile);
        if (year is not null)
        {
            changes = changes with { FiscalYear = year };
        }

        var result = Simulation.Write(run, changes, output, settings);
        var end = result.Run;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Simulation of {end.Supplier} {end.FiscalYear} {end.Scenario} (run {end.RunId}): {result.Changes.Count} change{(result.Changes.Count == 1 ? "" : "s")}, {result.Lines} tenant and service lines"));
        stdout.WriteLine($"  cost changed   {Money(result.CostChange),18}");
        stdout.WriteLine($"  fees before    {Money(result.FeeFrom),18}");
        stdout.WriteLine($"  volume effect  {Money(result.VolumeEffect),18}");
        stdout.WriteLine($"  price effect   {Money(result.PriceEffect),18}");
        stdout.WriteLine($"  fees after     {Money(result.FeeTo),18}");
        if (result.UnallocatedFrom != 0 || result.UnallocatedTo != 0)
        {
            stdout.WriteLine($"  unallocated    {Money(result.UnallocatedFrom),18} → {Money(result.UnallocatedTo)}");
        }

        stdout.WriteLine($"Written to {result.OutputDirectory} ({FeeBridge.ChangesFile}, {FeeBridge.ChangesByPoolFile}, {FeeBridge.ChangesByTowerFile}, {Simulation.FeesFile}, {Simulation.PricesFile}, {Simulation.UnallocatedFile}, {Simulation.SimulationFile})");
        return CommandLine.Ok;
    }

    /// <summary>The changes in <paramref name="path"/>: the read API's schema (<see cref="SimulationJson"/>, docs/changes.md).</summary>
    internal static SimulationChanges ReadChanges(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"the changes {path} do not exist");
        }

        return SimulationJson.Read(bytes, path);
    }

    private static string Money(long ore) =>
        (ore / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
