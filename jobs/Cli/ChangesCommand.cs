using System.Globalization;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm changes --from RUNDIR[:YEAR[:SCENARIO]] --to RUNDIR[:YEAR[:SCENARIO]] --out DIR [--workbooks]</c>: a fee bridge, and with <c>--workbooks</c> the workbook Avgiftsförändring of every tenant.</summary>
internal static class ChangesCommand
{
    public static int Execute(string from, string to, string output, bool workbooks, TextWriter stdout)
    {
        var (result, written) = workbooks
            ? FeeChangeWorkbook.WriteWithBridge(BridgeSide.Parse(from), BridgeSide.Parse(to), output)
            : (FeeBridge.Write(BridgeSide.Parse(from), BridgeSide.Parse(to), output), 0);
        stdout.WriteLine($"Fee bridge {Describe(result.From)} → {Describe(result.To)}: {result.Lines.ToString(CultureInfo.InvariantCulture)} tenant and service lines");
        stdout.WriteLine($"  fees from      {Money(result.FeeFrom),18}");
        stdout.WriteLine($"  volume effect  {Money(result.VolumeEffect),18}");
        stdout.WriteLine($"  price effect   {Money(result.PriceEffect),18}");
        stdout.WriteLine($"  fees to        {Money(result.FeeTo),18}");
        stdout.WriteLine($"Written to {result.OutputDirectory} ({FeeBridge.ChangesFile}, {FeeBridge.ChangesByPoolFile}, {FeeBridge.ChangesByTowerFile}, {FeeBridge.BridgeFile}"
            + (workbooks ? $", {FeeChangeWorkbook.Folder}/ with {written.ToString(CultureInfo.InvariantCulture)} workbooks)" : ")"));
        return CommandLine.Ok;
    }

    private static string Describe(BridgeEnd end) =>
        string.Create(CultureInfo.InvariantCulture, $"{end.Supplier} {end.FiscalYear} {end.Scenario} (run {end.RunId})");

    private static string Money(long ore) =>
        (ore / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
}
