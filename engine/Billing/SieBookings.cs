using System.Globalization;
using System.IO.Hashing;
using System.Text;
using ItDrift.Tbm.Model;
using ItDrift.Tbm.Runs;

namespace ItDrift.Tbm.Billing;

/// <summary>
/// <c>bookings.si</c>: the invoices of a fiscal year as SIE 4I vouchers for the supplier's ledger (docs/billing.md),
/// written to <em>SIE filformat utgåva 4B</em>: code page 437 (<c>#FORMAT PC8</c>, 4B 5.8), one <c>#VER</c> per invoice
/// dated its issue date, the receivables account debited with the invoice total and the revenue account credited
/// per line, the tenant as the object of the customer dimension on every row, and a <c>#KSUMMA</c> (4B chapter 10).
/// </summary>
/// <remarks>
/// The file holds no clock time: <c>#GEN</c> is the last voucher's date, so the same run gives the same bytes.
/// </remarks>
internal static class SieBookings
{
    private static readonly Encoding Cp437 = Encoding.GetEncoding(
        Ingest.Sie.SieTextDecoder.Cp437.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);

    public static byte[] Write(RunFolder run, int fiscalYear, BillingSettings settings, IReadOnlyList<Invoice> invoices)
    {
        var file = new SieFileBuilder();
        var last = invoices.Count == 0 ? new DateOnly(fiscalYear, 1, 1) : invoices.Max(i => i.IssueDate);
        file.Record(false, "#FLAGGA", "0");
        file.Record(false, "#KSUMMA");
        file.Record(true, "#FORMAT", "PC8");
        file.Record(true, "#SIETYP", "4");
        file.Record(true, "#PROGRAM", "ItDrift.Tbm", EngineInfo.Version);
        file.Record(true, "#GEN", Date(last));
        file.Record(true, "#FNAMN", run.SupplierName);
        if (run.SupplierOrgNr is { Length: > 0 } orgNr)
        {
            file.Record(true, "#ORGNR", orgNr);
        }

        file.Record(true, "#RAR", "0", Date(new DateOnly(fiscalYear, 1, 1)), Date(new DateOnly(fiscalYear, 12, 31)));
        file.Record(true, "#KPTYP", "EUBAS97");
        file.Record(true, "#KONTO", Account(settings.ReceivablesAccount), "Kundfordringar, avgifter");
        file.Record(true, "#KTYP", Account(settings.ReceivablesAccount), "T");
        file.Record(true, "#KONTO", Account(settings.RevenueAccount), "Intäkter av avgifter");
        file.Record(true, "#KTYP", Account(settings.RevenueAccount), "I");
        var dimension = Account(settings.CustomerDimension);
        file.Record(true, "#DIM", dimension, settings.CustomerDimension == 8 ? "Kund" : "Kundmyndighet");
        foreach (var buyer in invoices.Select(i => i.Buyer).DistinctBy(b => b.Id).OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            file.Record(true, "#OBJEKT", dimension, buyer.Id, buyer.Name);
        }

        foreach (var invoice in invoices)
        {
            var objects = new[] { dimension, invoice.Buyer.Id };
            file.Record(true, "#VER", "F", invoice.Number, Date(invoice.IssueDate), $"Faktura {invoice.Number} {invoice.Buyer.Name}");
            file.Brace('{');
            file.Transaction(Account(settings.ReceivablesAccount), objects, Money.Format(invoice.Total), $"Faktura {invoice.Number}");
            foreach (var line in invoice.Lines)
            {
                file.Transaction(Account(settings.RevenueAccount), objects, Money.Format(checked(-line.Amount)),
                    string.Create(CultureInfo.InvariantCulture, $"{line.Service} {Invoicing.KindName(line.Kind)} {line.FiscalYear}"));
            }

            file.Brace('}');
        }

        file.Close();
        return file.ToArray();
    }

    private static string Date(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Account(int number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes records in CP437 and sums the checksum over their labels and field values (4B 10.14).</summary>
    private sealed class SieFileBuilder
    {
        private readonly MemoryStream _bytes = new();
        private readonly Crc32 _crc = new();

        public void Record(bool checksummed, string label, params string[] fields)
        {
            Label(label, checksummed);
            foreach (var field in fields)
            {
                Space();
                Field(field, checksummed);
            }

            NewLine();
        }

        public void Transaction(string account, string[] objects, string amount, string text)
        {
            Label("#TRANS", true);
            Space();
            Field(account, true);
            Space();
            _bytes.WriteByte((byte)'{');
            for (var i = 0; i < objects.Length; i++)
            {
                if (i > 0)
                {
                    Space();
                }

                Field(objects[i], true);
            }

            _bytes.WriteByte((byte)'}');
            Space();
            Field(amount, true);
            Space();
            Field("", true); // no transaction date: the voucher's (4B #TRANS 2)
            Space();
            Field(text, true);
            NewLine();
        }

        public void Brace(char brace)
        {
            _bytes.WriteByte((byte)brace);
            NewLine();
        }

        public void Close()
        {
            Record(false, "#KSUMMA", _crc.GetCurrentHashAsUInt32().ToString(CultureInfo.InvariantCulture));
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Label(string label, bool checksummed)
        {
            var bytes = Cp437.GetBytes(label);
            _bytes.Write(bytes);
            if (checksummed)
            {
                _crc.Append(bytes);
            }
        }

        /// <summary>A field: bare when it is a plain word, else quoted (4B 5.7) with a quote inside written <c>\"</c>; control characters become blanks.</summary>
        private void Field(string value, bool checksummed)
        {
            // A backslash before the closing quote would escape it: text has none.
            var clean = new string([.. value.Select(c => char.IsControl(c) ? ' ' : c == '\\' ? '/' : c)]);
            var bytes = Cp437.GetBytes(clean);
            if (checksummed)
            {
                _crc.Append(bytes); // the value: not the quotes around it, of an escaped quote only the quote (4B 10.14)
            }

            if (bytes.Length > 0 && bytes.All(b => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-'))
            {
                _bytes.Write(bytes); // numbers, dates, accounts and plain ids bare, as importers expect them
                return;
            }

            _bytes.WriteByte((byte)'"');
            foreach (var b in bytes)
            {
                if (b == (byte)'"')
                {
                    _bytes.WriteByte((byte)'\\');
                }

                _bytes.WriteByte(b);
            }

            _bytes.WriteByte((byte)'"');
        }

        private void Space() => _bytes.WriteByte((byte)' ');

        private void NewLine()
        {
            _bytes.WriteByte((byte)'\r');
            _bytes.WriteByte((byte)'\n');
        }
    }
}
