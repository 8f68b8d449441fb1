using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Ingest.Sie;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Ingest;

/// <summary>
/// <c>tbm import-sie</c>: a SIE file's current-year ledger as the canonical <c>ledger.csv</c> (and
/// <c>ledger.parquet</c>) of a model package, with <c>ingest-report.json</c> saying what was read, skipped
/// and checked. Written to a temporary folder and renamed into place; on errors only <c>errors.csv</c>.
/// </summary>
internal static class SieImport
{
    public static RunResult Import(string file, string outputDirectory, SieAcceptance accept, EngineSettings settings)
    {
        var output = Path.GetFullPath(outputDirectory);
        if (!File.Exists(file))
        {
            throw TbmException.NotFound($"'{file}' does not exist");
        }

        var temporary = OutputFolder.Prepare(output);
        try
        {
            using var connection = Duck.OpenInMemory(settings);
            var errors = new ErrorLog(connection);
            var warnings = new List<ModelWarning>();
            var stage = Staging.TableName(Tables.Ledger);
            connection.Execute("CREATE TABLE sources (src SMALLINT, file VARCHAR)");
            connection.Execute("INSERT INTO sources VALUES (1, ?)", Path.GetFileName(file));
            connection.Execute($"CREATE TABLE {stage} (src SMALLINT, line INTEGER, {string.Join(", ", Tables.Ledger.Columns.Select(c => $"{Duck.Ident(c.Name)} VARCHAR"))})");
            var source = new TableSource(Tables.Ledger, Path.GetFullPath(file), Path.GetFileName(file), SourceFormat.Sie);
            var report = SieSource.Load(connection, source, 1, stage, errors, warnings, accept, supplierOrgNr: null);
            CellRules.Type(connection, Tables.Ledger, errors);
            if (errors.Count > 0)
            {
                errors.WriteCsv(Path.Combine(temporary, "errors.csv"));
                var failed = new RunResult { Errors = errors.First(TbmEngine.ReportedErrors), ErrorCount = errors.Count, Warnings = warnings, OutputDirectory = output };
                OutputFolder.MoveIntoPlace(temporary, output, "the errors of an SIE import");
                return failed;
            }

            var columns = string.Join(", ", Tables.Ledger.Columns.Select(c => c.Kind == CellKind.Money ? $"money_text({Duck.Ident(c.Name)}) AS {Duck.Ident(c.Name)}" : Duck.Ident(c.Name)));
            RunWriter.CreateTextMacros(connection);
            connection.Execute("SET threads = 1");
            connection.Execute($"COPY (SELECT {columns} FROM ledger ORDER BY line) TO {Duck.Literal(Path.Combine(temporary, "ledger.csv"))} (FORMAT csv, HEADER, DELIMITER ',', QUOTE '\"')");
            connection.Execute($"COPY (SELECT * EXCLUDE (src, line, amount), CAST(CAST(amount AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS amount FROM ledger ORDER BY line) TO {Duck.Literal(Path.Combine(temporary, "ledger.parquet"))} (FORMAT parquet, COMPRESSION zstd)");
            WriteReport(Path.Combine(temporary, "ingest-report.json"), Path.GetFileName(file), report, warnings);
            OutputFolder.MoveIntoPlace(temporary, output, "SIE import");
            return new RunResult { Warnings = warnings, OutputDirectory = output };
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static void WriteReport(string path, string file, SieReadReport report, List<ModelWarning> warnings)
    {
        using var stream = File.Create(path);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteString("sieType", report.SieType);
            json.WriteString("program", report.ProgramName);
            json.WriteString("orgNr", report.OrgNumber);
            json.WriteString("company", report.CompanyName);
            json.WriteString("encoding", report.EncodingName);
            json.WriteString("encodingReason", report.EncodingReason);
            json.WriteString("basis", report.Basis.ToString());
            json.WriteBoolean("yearLevel", report.YearLevel);
            json.WriteString("checksum", report.Checksum.ToString());
            json.WriteNumber("vouchers", report.Vouchers);
            json.WriteNumber("linesEmitted", report.LinesEmitted);
            json.WriteStartArray("fiscalYears");
            foreach (var y in report.FiscalYears)
            {
                json.WriteStartObject();
                json.WriteNumber("rar", y.YearIndex);
                json.WriteNumber("fiscalYear", y.FiscalYear);
                json.WriteString("start", y.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("end", y.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("years");
            foreach (var y in report.Years)
            {
                json.WriteStartObject();
                json.WriteNumber("rar", y.YearIndex);
                json.WriteNumber("fiscalYear", y.FiscalYear);
                json.WriteString("scenario", y.Scenario == SieScenario.Budget ? "budget" : "actual");
                json.WriteNumber("lines", y.Lines);
                json.WriteString("amount", Money.Format((long)y.AmountOre));
                json.WriteBoolean("inLedger", y.Sent);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("records");
            foreach (var (label, count) in report.RecordCounts.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(label, count);
            }

            json.WriteEndObject();
            json.WriteStartObject("unknownRecords");
            foreach (var (label, count) in report.UnknownLabels.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(label, count);
            }

            json.WriteEndObject();
            json.WriteStartObject("notInLedger");
            foreach (var (reason, count) in report.NotEmitted.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(reason, count);
            }

            json.WriteEndObject();
            json.WriteStartArray("warnings");
            foreach (var w in warnings)
            {
                json.WriteStringValue(w.Message);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}
