namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm import-sie FILE --out DIR</c>: a SIE file's current-year ledger as a model package's ledger table.</summary>
internal static class ImportSieCommand
{
    public static int Execute(string? file, Options options, TextWriter stdout, TextWriter stderr)
    {
        options.AllowOnly("out", "accept-unbalanced", "accept-checksum", "accept-unknown-accounts", "memory-limit", "temp-dir");
        if (file is null)
        {
            throw new UsageException("tbm import-sie needs the SIE file: tbm import-sie FILE --out DIR");
        }

        var result = TbmEngine.ImportSie(file, options.Required("out"), options.Sie(), options.Settings());
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
