using System.Globalization;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Billing;

/// <summary>
/// The invoices of a run (docs/billing.md): computed from the run folder alone — its fees under the fee model,
/// its true-up, its instalment plan, and the billing plan and settings its model snapshot carries — and
/// written as <c>invoice_lines.csv</c> and <c>bookings.si</c>.
/// </summary>
public static class Invoicing
{
    /// <summary>The file of the invoice lines.</summary>
    public const string LinesFile = "invoice_lines.csv";

    /// <summary>The file of the bookings (SIE 4I).</summary>
    public const string BookingsFile = "bookings.si";

    /// <summary>The fiscal years a run can invoice: its fee years, and the year after one it has a true-up of.</summary>
    public static IReadOnlyList<int> Years(RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var years = run.Query($"SELECT DISTINCT fiscal_year FROM {run.Table("fees_by_model")}", r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture));
        if (run.Has("trueup"))
        {
            years.AddRange(run.Query($"SELECT DISTINCT fiscal_year + 1 FROM {run.Table("trueup")}", r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture)));
        }

        return [.. years.Distinct().Order()];
    }

    /// <summary>The invoices of a fiscal year, ordered by issue date and number.</summary>
    /// <exception cref="TbmException">The run has nothing to invoice in the year (<see cref="TbmErrorKind.NotFound"/>).</exception>
    public static IReadOnlyList<Invoice> Invoices(RunFolder run, int fiscalYear)
    {
        ArgumentNullException.ThrowIfNull(run);
        var years = Years(run);
        if (!years.Contains(fiscalYear))
        {
            throw TbmException.NotFound(string.Create(CultureInfo.InvariantCulture,
                $"run {run.RunId} has nothing to invoice in {fiscalYear}: its years are {(years.Count == 0 ? "none" : string.Join(", ", years))} (a fee year, or the year after a true-up)"));
        }

        var settings = Settings(run);
        var seller = new InvoiceParty(run.SupplierId, run.SupplierName, run.SupplierOrgNr ?? "", null, InvoicePlan.EndpointOf(run.SupplierOrgNr));
        var plans = Plans(run, settings);

        // Money in the run's Parquet files is DECIMAL(18,2): times 100 is exact.
        var fees = run.Query(
            $"SELECT tenant, service, CAST(sum(fee) * 100 AS BIGINT) FROM {run.Table("fees_by_model")} WHERE fiscal_year = ? AND fee_model NOT IN ('connection', 'asset') GROUP BY ALL ORDER BY ALL",
            r => new ServiceAmount(r.GetString(0), r.GetString(1), r.Int64(2)), fiscalYear);
        var trueUps = !run.Has("trueup") ? [] : run.Query(
            $"SELECT tenant, service, CAST(trueup * 100 AS BIGINT) FROM {run.Table("trueup")} WHERE fiscal_year = ? ORDER BY ALL",
            r => new ServiceAmount(r.GetString(0), r.GetString(1), r.Int64(2)), fiscalYear - 1);
        var instalments = !run.Has("model/instalments") ? [] : run.Query(
            $"""
            SELECT tenant, item, CAST(month % 12 + 1 AS INTEGER), CAST(amount AS BIGINT)
            FROM ({Fees.FeeModels.InstalmentMonths(run.Table("model/instalments"))}) WHERE month // 12 = ? ORDER BY ALL
            """,
            r => new InstalmentMonth(r.GetString(0), r.GetString(1), r.GetInt32(2), r.Int64(3)), fiscalYear);
        return InvoicePlan.Compute(fiscalYear, seller, plans, settings.PaymentTermsDays, fees, trueUps, instalments);
    }

    /// <summary>
    /// Writes <c>invoice_lines.csv</c> and <c>bookings.si</c> of a fiscal year into <paramref name="output"/>, replaced
    /// only when it is new, empty, or an earlier output of the engine holding only its own files.
    /// </summary>
    /// <param name="run">The run folder.</param>
    /// <param name="fiscalYear">The year invoiced.</param>
    /// <param name="output">The folder to write.</param>
    /// <param name="alsoWrite">More files from the same invoices, written into the folder before it is moved into place (the
    /// invoice workbooks of <c>tbm invoice</c>): given the temporary folder and the invoices.</param>
    /// <returns>The invoices written.</returns>
    /// <remarks>Besides the lines and the bookings, every invoice as a Peppol BIS Billing 3.0 UBL file, <c>ubl/NUMBER.xml</c> (<see cref="UblInvoice"/>).</remarks>
    /// <exception cref="TbmException">Nothing to invoice in the year, an invoice that cannot be a valid BIS 3.0 invoice, or the folder may not be replaced.</exception>
    /// <param name="notElectronic">Told, once per invoice, why an invoice got no UBL file (a buyer without an organisation number or endpoint).</param>
    public static IReadOnlyList<Invoice> WriteFolder(RunFolder run, int fiscalYear, string output, Action<string, IReadOnlyList<Invoice>>? alsoWrite = null, Action<string>? notElectronic = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var invoices = Invoices(run, fiscalYear);
        var folder = Path.GetFullPath(output);
        if (string.Equals(Path.TrimEndingDirectorySeparator(folder), Path.TrimEndingDirectorySeparator(run.Directory), StringComparison.Ordinal))
        {
            throw TbmException.Usage("--out is the run folder itself; the invoices go into a folder of their own");
        }

        var temporary = Output.OutputFolder.Prepare(folder);
        try
        {
            using (var stream = File.Create(Path.Combine(temporary, LinesFile)))
            {
                WriteLines(invoices, stream);
            }

            var settings = Settings(run);
            File.WriteAllBytes(Path.Combine(temporary, BookingsFile), SieBookings.Write(run, fiscalYear, settings, invoices));
            // An electronic invoice needs the buyer's electronic address (an organisation number or an endpoint in the
            // billing plan): the invoices that cannot be valid BIS 3.0 invoices are left out of ubl/, each said once.
            var electronic = new List<Invoice>(invoices.Count);
            foreach (var invoice in invoices)
            {
                if (UblInvoice.Check(invoice) is [var problem, ..])
                {
                    notElectronic?.Invoke($"invoice {invoice.Number} ({invoice.Buyer.Id}) has no UBL file: {problem}");
                }
                else
                {
                    electronic.Add(invoice);
                }
            }

            UblInvoice.WriteAll(electronic, temporary);
            alsoWrite?.Invoke(temporary, invoices);
            Output.OutputFolder.MoveIntoPlace(temporary, folder, "invoices");
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        return invoices;
    }

    /// <summary>Writes invoice lines as <c>invoice_lines.csv</c> (UTF-8, the run folder's text form: docs/model-format.md §4.1), in the invoices' order.</summary>
    public static void WriteLines(IEnumerable<Invoice> invoices, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', RunSchema.InvoiceLines.Columns.Select(c => c.Name)));
        foreach (var invoice in invoices)
        {
            foreach (var line in invoice.Lines)
            {
                writer.WriteLine(string.Join(',',
                    Csv(line.Tenant), invoice.Number, line.InvoicePeriod.ToString(CultureInfo.InvariantCulture),
                    invoice.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Csv(line.Service), KindName(line.Kind), line.FiscalYear.ToString(CultureInfo.InvariantCulture), Money.Format(line.Amount)));
            }
        }
    }

    /// <summary>A kind as the files name it: <c>preliminary</c>, <c>true-up</c>, <c>instalment</c>.</summary>
    public static string KindName(InvoiceLineKind kind) => kind switch
    {
        InvoiceLineKind.Preliminary => "preliminary",
        InvoiceLineKind.TrueUp => "true-up",
        InvoiceLineKind.Instalment => "instalment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The run's billing settings: its <c>model/model.json</c>'s <c>billing</c>, with the defaults.</summary>
    internal static BillingSettings Settings(RunFolder run)
    {
        var path = Path.Combine(run.Directory, "model", ModelManifest.FileName);
        if (!File.Exists(path))
        {
            return BillingSettings.Default; // a run folder written before the model snapshot
        }

        var errors = new List<ModelError>();
        var manifest = ModelManifest.Read(path, run.ModelName, errors);
        return manifest?.Billing ?? throw TbmException.Usage($"run {run.RunId}: model/model.json: {string.Join("; ", errors.Select(e => e.Column + ": " + e.Reason))}");
    }

    /// <summary>Every tenant's billing plan: its row of the run's <c>model/billing</c>, else the default frequency from month 1.</summary>
    internal static IReadOnlyList<TenantBillingPlan> Plans(RunFolder run, BillingSettings settings)
    {
        var rows = !run.Has("model/billing") ? [] : run.Query(
            $"SELECT tenant, frequency, first_period, reference, endpoint FROM {run.Table("model/billing")}",
            r => (Tenant: r.GetString(0), Frequency: r.GetString(1).ToLowerInvariant(), First: r.IsDBNull(2) ? 1 : Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
                  Reference: r.NullableString(3), Endpoint: r.NullableString(4)));
        var byTenant = rows.ToDictionary(r => r.Tenant, StringComparer.Ordinal);
        return [.. run.Tenants.Values.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t =>
        {
            var orgNr = t.OrgNr ?? "";
            if (byTenant.TryGetValue(t.Id, out var row))
            {
                return new TenantBillingPlan(new InvoiceParty(t.Id, t.Name, orgNr, row.Reference, row.Endpoint ?? InvoicePlan.EndpointOf(t.OrgNr)), row.Frequency, row.First);
            }

            return new TenantBillingPlan(new InvoiceParty(t.Id, t.Name, orgNr, null, InvoicePlan.EndpointOf(t.OrgNr)), settings.Frequency, 1);
        })];
    }
}
