namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm import-sie FILE --out DIR</c>: a SIE file's current-year ledger as a model package's ledger table.</summary>
internal static class ImportSieCommand
{
    public static int Execute(string file, string output, Ingest.SieAcceptance sie, EngineSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var result = TbmEngine.ImportSie(file, output, sie, settings);
        CommandLine.ReportWarnings(result, stderr);
        if (!result.Succeeded)
        {
            CommandLine.ReportErrors(result, stderr, Path.Combine(result.OutputDirectory!, "errors.csv"));
            return CommandLine.ModelError;
        }

        stdout.WriteLine($"Imported {Path.GetFileName(file)} into {result.OutputDirectory} (ledger.csv, ledger.parquet, ingest-report.json)");
        return CommandLine.Ok;
    }
}
