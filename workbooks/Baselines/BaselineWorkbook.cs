using System.Globalization;
using ClosedXML.Excel;
using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Ingest;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Output;
using ItDrift.Tbm.Validation;

namespace ItDrift.Tbm.Baselines;

/// <summary>What reading a filled-in baseline file gave: the rows, or every error found.</summary>
public sealed record BaselineImport(IReadOnlyList<BaselineRow> Rows, IReadOnlyList<ModelError> Errors, long ErrorCount, IReadOnlyList<ModelWarning> Warnings)
{
    /// <summary>No errors: the rows can be recorded.</summary>
    public bool Succeeded => ErrorCount == 0;

    /// <summary>The tenants in the file, ordinally.</summary>
    public IReadOnlyList<string> Tenants => Rows.Select(r => r.Tenant).Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// The baseline workbook: a template built from a model's service catalogue (<c>tbm baseline template</c>)
/// that a tenant fills in, and the import that reads it back (<c>tbm baseline import</c>), checking
/// every cell with the model format's own rules.
/// </summary>
/// <remarks>
/// The sheet <c>baseline</c> has the model format's <c>baseline</c> columns in its header row, so a
/// filled-in sheet is also a valid <c>baseline</c> sheet of a <c>model.xlsx</c>; the columns
/// <c>service_name</c> and <c>area</c> are there for the reader and ignored. A row whose cost, quantity
/// and employees are all empty is a service the tenant did not fill in, and is skipped.
/// </remarks>
public static class BaselineWorkbook
{
    /// <summary>The sheet the baseline is read from.</summary>
    public const string SheetName = "baseline";

    private static readonly string[] InformativeColumns = ["service_name", "area"];

    private const string InputColour = "FFF6D5";

    /// <summary>Writes the template for a model's services (and, when given, one tenant and year).</summary>
    /// <returns>Model errors in the package's <c>objects</c> or <c>tenants</c>; the file is written only when there are none.</returns>
    /// <exception cref="TbmException">Something is at <paramref name="outputPath"/> already (perhaps a template filled in): it is never replaced.</exception>
    public static IReadOnlyList<ModelError> WriteTemplate(string modelDirectory, string outputPath, string? tenant = null, int? year = null)
    {
        var full = Path.GetFullPath(outputPath);
        OutputFile.EnsureAbsent(full);
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        var errors = new ErrorLog(connection);
        LoadCatalogue(connection, modelDirectory, errors);
        if (errors.Count > 0)
        {
            return errors.First(200);
        }

        if (tenant is not null && connection.Scalar<long>("SELECT count(*) FROM tenants WHERE tenant_id = ?", tenant) == 0)
        {
            return [new ModelError("tenants", 0, "tenant_id", $"'{tenant}' is not a tenant of the model")];
        }

        var services = connection.Query(
            "SELECT object_id, name, area, unit FROM objects WHERE kind = 'service' ORDER BY coalesce(area, ''), line",
            r => (Id: r.GetString(0), Name: r.GetString(1), Area: r.NullableString(2), Unit: r.NullableString(3)));
        var tenants = connection.Query("SELECT tenant_id, name, org_nr FROM tenants ORDER BY line", r => (Id: r.GetString(0), Name: r.GetString(1), OrgNr: r.NullableString(2)));
        var areas = services.Select(s => s.Area).OfType<string>().Where(ModelManifest.IsId).Distinct().Order(StringComparer.Ordinal).ToList();

        using var workbook = new XLWorkbook();
        workbook.Properties.Title = "Nolläge – underlag";
        workbook.Properties.Author = "ItDrift.Tbm";
        Instructions(workbook.Worksheets.Add("Instruktioner"), tenant, year);
        var sheet = workbook.Worksheets.Add(SheetName);
        var catalogue = workbook.Worksheets.Add("Tjänster");
        var customers = workbook.Worksheets.Add("Kunder");

        string[] header = ["tenant", "year", "service", "service_name", "area", "cost", "quantity", "unit", "employees"];
        string[] notes =
        [
            "Kundmyndighetens id (se bladet Kunder).", "Året som kostnaden avser (egen regi, före anslutning).",
            "Tjänstens id, eller ett tjänsteområde (se bladet Tjänster).", "Tjänstens namn (läses inte in).", "Tjänsteområde (läses inte in).",
            "Kostnad i egen regi, kronor med högst två decimaler.", "Volym i enheten i kolumnen unit (högst sex decimaler).",
            "Enhet för volymen (användare, servrar, TB …).", "Antal anställda hos myndigheten det året.",
        ];
        for (var c = 0; c < header.Length; c++)
        {
            var cell = sheet.Cell(1, c + 1);
            cell.SetValue(header[c]);
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = XLColor.FromArgb(0xDD, 0xE6, 0xF0);
            cell.Comment.AddText(notes[c]);
        }

        var row = 2;
        foreach (var s in services.Select(s => (s.Id, s.Name, s.Area, s.Unit)).Concat(areas.Select(a => (Id: a, Name: "Hela tjänsteområdet", Area: (string?)a, Unit: (string?)null))))
        {
            if (tenant is not null)
            {
                sheet.Cell(row, 1).SetValue(tenant);
            }

            if (year is { } y)
            {
                sheet.Cell(row, 2).SetValue(y);
            }

            sheet.Cell(row, 3).SetValue(s.Id);
            sheet.Cell(row, 4).SetValue(s.Name);
            sheet.Cell(row, 5).SetValue(s.Area ?? "");
            if (s.Unit is not null)
            {
                sheet.Cell(row, 8).SetValue(s.Unit);
            }

            row++;
        }

        var last = Math.Max(row - 1, 2) + 200; // room for rows the tenant adds
        sheet.Range(2, 6, last, 7).Style.Fill.BackgroundColor = XLColor.FromHtml("#" + InputColour);
        sheet.Range(2, 9, last, 9).Style.Fill.BackgroundColor = XLColor.FromHtml("#" + InputColour);
        sheet.Range(2, 6, last, 6).Style.NumberFormat.Format = "#,##0.00";
        sheet.Range(2, 7, last, 7).Style.NumberFormat.Format = "#,##0.######";
        sheet.Range(2, 9, last, 9).Style.NumberFormat.Format = "0";

        // The bounds are written as the file format's invariant numbers: ClosedXML's typed criteria format a
        // double with the process culture (U+2212 for minus under sv-SE, bidi marks under fa-IR).
        Rule(sheet.Range(2, 2, last, 2), XLAllowedValues.WholeNumber, XLOperator.Between, "1900", "2999", "Ange ett år (fyra siffror).");
        Rule(sheet.Range(2, 6, last, 6), XLAllowedValues.Decimal, XLOperator.Between, "-999999999999999", "999999999999999", "Ange kostnaden i kronor, högst två decimaler.");
        Rule(sheet.Range(2, 7, last, 7), XLAllowedValues.Decimal, XLOperator.EqualOrGreaterThan, "0", null, "Volymen är 0 eller mer.");
        Rule(sheet.Range(2, 9, last, 9), XLAllowedValues.WholeNumber, XLOperator.EqualOrGreaterThan, "0", null, "Ange antal anställda som ett heltal.");

        catalogue.Cell(1, 1).SetValue("service");
        catalogue.Cell(1, 2).SetValue("Tjänst");
        catalogue.Cell(1, 3).SetValue("Tjänsteområde");
        catalogue.Cell(1, 4).SetValue("Enhet");
        var crow = 2;
        foreach (var s in services)
        {
            catalogue.Cell(crow, 1).SetValue(s.Id);
            catalogue.Cell(crow, 2).SetValue(s.Name);
            catalogue.Cell(crow, 3).SetValue(s.Area ?? "");
            catalogue.Cell(crow, 4).SetValue(s.Unit ?? "");
            crow++;
        }

        foreach (var a in areas)
        {
            catalogue.Cell(crow, 1).SetValue(a);
            catalogue.Cell(crow, 2).SetValue("Hela tjänsteområdet");
            catalogue.Cell(crow, 3).SetValue(a);
            crow++;
        }

        customers.Cell(1, 1).SetValue("tenant");
        customers.Cell(1, 2).SetValue("Myndighet");
        customers.Cell(1, 3).SetValue("Organisationsnummer");
        for (var i = 0; i < tenants.Count; i++)
        {
            customers.Cell(i + 2, 1).SetValue(tenants[i].Id);
            customers.Cell(i + 2, 2).SetValue(tenants[i].Name);
            customers.Cell(i + 2, 3).SetValue(tenants[i].OrgNr ?? "");
        }

        if (crow > 2)
        {
            var serviceRule = sheet.Range(2, 3, last, 3).SetDataValidation();
            serviceRule.List(catalogue.Range(2, 1, crow - 1, 1));
            serviceRule.ErrorMessage = "Välj en tjänst eller ett tjänsteområde från bladet Tjänster.";
        }

        if (tenants.Count > 0)
        {
            var tenantRule = sheet.Range(2, 1, last, 1).SetDataValidation();
            tenantRule.List(customers.Range(2, 1, tenants.Count + 1, 1));
            tenantRule.ErrorMessage = "Välj en kundmyndighet från bladet Kunder.";
        }

        foreach (var (ws, widths) in new[] { (sheet, new[] { 14, 8, 12, 38, 14, 18, 12, 16, 11 }), (catalogue, new[] { 12, 38, 24, 16 }), (customers, new[] { 14, 40, 20 }) })
        {
            for (var c = 0; c < widths.Length; c++)
            {
                ws.Column(c + 1).Width = widths[c];
            }

            ws.SheetView.FreezeRows(1);
            ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
            ws.PageSetup.FitToPages(1, 0);
            ws.PageSetup.SetRowsToRepeatAtTop(1, 1);
        }

        sheet.SetTabActive();
        OutputFile.Write(full, path => Workbooks.ReproduciblePackage.Save(workbook, path, created: null));
        return [];
    }

    private static void Instructions(IXLWorksheet sheet, string? tenant, int? year)
    {
        string[] lines =
        [
            "Nolläge – myndighetens IT-driftkostnad i egen regi före anslutning",
            "",
            "Så fyller ni i underlaget",
            "1. Gå till bladet \"baseline\". Varje rad är en tjänst ur tjänstekatalogen (eller ett helt tjänsteområde).",
            "2. Fyll i kolumnen tenant med er myndighets id (se bladet Kunder) och year med det år kostnaderna avser"
                + (tenant is null ? "." : $" (förifyllt: {tenant}{(year is { } y ? ", " + y.ToString(CultureInfo.InvariantCulture) : "")})."),
            "3. Ange i cost vad tjänsten kostade i egen regi det året, i kronor med högst två decimaler (t.ex. 1250000,50).",
            "4. Ange i quantity volymen i den enhet som står i unit (användare, servrar, TB …), om den är känd. Med volym kan",
            "   förändringen mot nolläget delas upp i en volymeffekt och en styckkostnadseffekt.",
            "5. Ange i employees antalet anställda det året (samma tal på alla rader).",
            "6. Lämna cost, quantity och employees tomma på rader för tjänster ni inte hade. De raderna läses inte in.",
            "7. Redovisa antingen per tjänst eller per tjänsteområde, inte båda för samma kostnad.",
            "",
            "Om inläsningen",
            "Varje cell kontrolleras. Ett fel anges med rad, kolumn och orsak, och ingenting läses in förrän alla fel är rättade.",
            "Ett inläst nolläge ändras aldrig. En rättelse läses in som en ny version, med vem som rättade, när och varför,",
            "och varje nyckeltal anger vilken version av nolläget det bygger på.",
            "",
            "Kolumnerna service_name och area är till för läsaren och läses inte in.",
        ];
        for (var i = 0; i < lines.Length; i++)
        {
            sheet.Cell(i + 1, 1).SetValue(lines[i]);
        }

        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 14;
        sheet.Cell(3, 1).Style.Font.Bold = true;
        sheet.Cell(14, 1).Style.Font.Bold = true;
        sheet.Column(1).Width = 120;
        sheet.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        sheet.PageSetup.FitToPages(1, 0);
    }

    /// <summary>
    /// Reads a filled-in baseline (the template's <c>baseline</c> sheet, or a CSV with the same columns),
    /// checking every cell; with a model, tenants and services must be the model's.
    /// </summary>
    public static BaselineImport Read(string file, string? modelDirectory = null)
    {
        using var connection = Duck.OpenInMemory(EngineSettings.Default);
        var errors = new ErrorLog(connection);
        var warnings = new List<ModelWarning>();
        var withModel = modelDirectory is not null;
        if (withModel)
        {
            LoadCatalogue(connection, modelDirectory!, errors);
        }
        else
        {
            connection.Execute("CREATE TABLE sources (src SMALLINT, file VARCHAR)");
            foreach (var table in Tables.All)
            {
                var columns = string.Join(", ", table.Columns.Select(c => $"{Duck.Ident(c.Name)} VARCHAR"));
                connection.Execute($"CREATE TABLE {Staging.TableName(table)} (src SMALLINT, line INTEGER, {columns})");
            }
        }

        var path = Path.GetFullPath(file);
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            return Failed(errors, warnings, new ModelError(name, 0, "", "the file does not exist"));
        }

        var src = (short)(connection.Scalar<long>("SELECT coalesce(max(src), 0) FROM sources") + 1);
        TableSource source;
        if (string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            source = new TableSource(Tables.Baseline, path, name, SourceFormat.Csv);
        }
        else
        {
            var readErrors = new List<ModelError>();
            var sheet = XlsxTableReader.SheetNames(path, readErrors).FirstOrDefault(s => string.Equals(s, SheetName, StringComparison.OrdinalIgnoreCase));
            if (readErrors.Count > 0 || sheet is null)
            {
                return Failed(errors, warnings, readErrors.Count > 0 ? readErrors[0] : new ModelError(name, 0, "", $"the workbook has no sheet '{SheetName}'"));
            }

            source = new TableSource(Tables.Baseline, path, $"{name}#{sheet}", SourceFormat.Sheet, sheet);
        }

        connection.Execute("INSERT INTO sources VALUES (?, ?)", src, source.Name);
        var readWarnings = new List<ModelWarning>();
        var stage = Staging.TableName(Tables.Baseline);
        if (source.Format == SourceFormat.Csv)
        {
            CsvTableReader.Load(connection, source, src, stage, errors, readWarnings);
        }
        else
        {
            XlsxTableReader.Load(connection, source, src, stage, errors, readWarnings);
        }

        warnings.AddRange(readWarnings.Where(w => !InformativeColumns.Any(c => w.Message.Contains($"'{c}'", StringComparison.OrdinalIgnoreCase))));

        // A template row the tenant did not fill in.
        connection.Execute($"DELETE FROM {stage} WHERE src = ? AND cost IS NULL AND quantity IS NULL AND employees IS NULL", src);
        CellRules.Type(connection, Tables.Baseline, errors);
        Check(connection, errors, withModel, src);

        if (errors.Count == 0 && connection.Scalar<long>("SELECT count(*) FROM baseline") == 0)
        {
            errors.Add(new ModelError(source.Name, 0, "", "no filled-in rows: give at least one cost"));
        }

        if (errors.Count > 0)
        {
            return new BaselineImport([], errors.First(200), errors.Count, warnings);
        }

        if (withModel)
        {
            foreach (var (line, service, unit, expected) in connection.Query("""
                SELECT b.line, b.service, b.unit, o.unit FROM baseline b JOIN objects o ON o.object_id = b.service
                WHERE b.quantity IS NOT NULL AND b.unit IS NOT NULL AND o.unit IS NOT NULL AND lower(trim(b.unit)) <> lower(trim(o.unit))
                ORDER BY b.line
                """, r => (r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3))))
            {
                warnings.Add(new ModelWarning(source.Name, string.Create(CultureInfo.InvariantCulture,
                    $"line {line}: {service} is counted in '{expected}' but the baseline gives '{unit}'; its change cannot be split into volume and unit cost")));
            }
        }

        var rows = connection.Query(
            "SELECT tenant, year, service, cost, quantity, unit, employees FROM baseline ORDER BY tenant, year, service",
            r => new BaselineRow(r.GetString(0), r.GetInt32(1), r.GetString(2), r.Int64(3), r.NullableInt64(4), r.NullableString(5), r.IsDBNull(6) ? null : r.GetInt32(6)));
        return new BaselineImport(rows, [], 0, warnings);
    }

    /// <summary>Reads a filled-in baseline and records a version for each tenant in it whose rows changed.</summary>
    /// <returns>The import (errors, if any: then nothing is recorded) and the versions, with whether each is new.</returns>
    public static (BaselineImport Import, IReadOnlyList<(BaselineVersion Version, bool New)> Versions) Import(
        string file, string? modelDirectory, BaselineStore store, string recordedBy, string? reason)
    {
        ArgumentNullException.ThrowIfNull(store);
        var import = Read(file, modelDirectory);
        if (!import.Succeeded)
        {
            return (import, []);
        }

        // Checked for every tenant before anything is recorded, so a file is recorded whole or not at all.
        var corrections = import.Tenants
            .Where(t => store.Latest(t) is { } latest
                && !string.Equals(latest.Sha256, Sha(import.Rows.Where(r => string.Equals(r.Tenant, t, StringComparison.Ordinal))), StringComparison.Ordinal))
            .ToList();
        if (string.IsNullOrWhiteSpace(reason) && corrections.Count > 0)
        {
            throw TbmException.Conflict($"{string.Join(", ", corrections)} already {(corrections.Count == 1 ? "has" : "have")} a recorded baseline; a correction needs a reason");
        }

        var versions = new List<(BaselineVersion, bool)>();
        foreach (var tenant in import.Tenants)
        {
            var rows = import.Rows.Where(r => string.Equals(r.Tenant, tenant, StringComparison.Ordinal)).ToList();
            versions.Add(store.Record(tenant, rows, recordedBy, reason, Path.GetFileName(file)));
        }

        return (import, versions);
    }

    private static string Sha(IEnumerable<BaselineRow> rows) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(BaselineStore.Canonical(rows))));

    private static BaselineImport Failed(ErrorLog errors, List<ModelWarning> warnings, ModelError error)
    {
        errors.Add(error);
        return new BaselineImport([], errors.First(200), errors.Count, warnings);
    }

    private static void Check(DuckDBConnection connection, ErrorLog errors, bool withModel, short src)
    {
        var s = src.ToString(CultureInfo.InvariantCulture);
        errors.AddQuery($"""
            SELECT f.file, d.line, 'service', 'duplicate tenant, year and service ' || d.tenant || ', ' || d.year || ', ' || d.service || ' (first at line ' || d.first || ')'
            FROM (SELECT src, line, tenant, year, service, min(line) OVER (PARTITION BY tenant, year, service) AS first
                  FROM baseline WHERE src = {s} AND tenant IS NOT NULL AND year IS NOT NULL AND service IS NOT NULL) d
            JOIN sources f USING (src) WHERE d.line > d.first
            """);
        errors.AddQuery($"""
            SELECT f.file, b.line, 'employees', 'employees ' || b.employees || ' differs from ' || e.first_value || ' (line ' || e.first_line || ') for the same tenant and year'
            FROM baseline b JOIN sources f USING (src)
            JOIN (SELECT tenant, year, arg_min(employees, line) AS first_value, min(line) AS first_line FROM baseline
                  WHERE src = {s} AND employees IS NOT NULL GROUP BY ALL) e USING (tenant, year)
            WHERE b.src = {s} AND b.employees IS NOT NULL AND b.employees <> e.first_value
            """);
        if (withModel)
        {
            errors.AddQuery($"""
                SELECT f.file, b.line, 'tenant', '''' || b.tenant || ''' is not a tenant of the model'
                FROM baseline b JOIN sources f USING (src)
                WHERE b.src = {s} AND b.tenant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = b.tenant)
                UNION ALL
                SELECT f.file, b.line, 'service', '''' || b.service || ''' is neither a service nor a service area of the model'
                FROM baseline b JOIN sources f USING (src)
                WHERE b.src = {s} AND b.service IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.object_id = b.service AND o.kind = 'service')
                  AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.area = b.service AND o.kind = 'service')
                """);
        }
    }

    /// <summary>Loads a model's <c>objects</c> and <c>tenants</c> (only those: the ledger is not needed) into typed tables.</summary>
    private static void LoadCatalogue(DuckDBConnection connection, string modelDirectory, ErrorLog errors)
    {
        // The other tables' files are not read here, and warnings about them are not this command's business.
        var ignored = new List<ModelWarning>();
        var early = new List<ModelError>();
        var package = ModelPackage.Discover(modelDirectory, early, ignored);
        if (!Directory.Exists(package.Directory))
        {
            errors.AddRange(early);
        }

        foreach (var table in new[] { Tables.Objects, Tables.Tenants })
        {
            if (!package.SourcesOf(table).Any() && Directory.Exists(package.Directory))
            {
                errors.Add(new ModelError($"{table.Name}.csv", 0, "", $"the model has no '{table.Name}' table"));
            }
        }

        errors.AddRange(early.Where(e => e.File.StartsWith("objects", StringComparison.Ordinal) || e.File.StartsWith("tenants", StringComparison.Ordinal)));
        package.Sources.RemoveAll(s => s.Table != Tables.Objects && s.Table != Tables.Tenants);
        Staging.Load(connection, package, errors, ignored, progress: null, SieAcceptance.None, manifest: null);
        CellRules.Type(connection, Tables.Objects, errors);
        CellRules.Type(connection, Tables.Tenants, errors);
    }

    /// <summary>A data validation with its bounds as invariant text (what the file stores).</summary>
    private static void Rule(IXLRange range, XLAllowedValues allowed, XLOperator comparison, string minimum, string? maximum, string message)
    {
        var rule = range.SetDataValidation();
        rule.AllowedValues = allowed;
        rule.Operator = comparison;
        rule.MinValue = minimum;
        if (maximum is not null)
        {
            rule.MaxValue = maximum;
        }

        rule.ErrorMessage = message;
    }
}
