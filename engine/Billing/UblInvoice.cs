using System.Globalization;
using System.Text;
using System.Xml;
using ItDrift.Tbm.IO;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Billing;

/// <summary>
/// Electronic invoices: one Peppol BIS Billing 3.0 invoice (UBL 2.1 <c>Invoice</c>) per <see cref="Invoice"/>, with
/// the mandatory business terms of EN 16931 and the Peppol rules (docs/billing-ubl.md).
/// </summary>
/// <remarks>
/// <para>Every line is VAT category <c>O</c>, not subject to VAT: fees between Swedish state agencies are outside
/// the scope of VAT. So there is one VAT breakdown (category O, tax 0.00, exemption reason code
/// <c>VATEX-EU-O</c>), no VAT rate and no VAT identifiers (BR-O-01..10), and the totals are the sum of the lines.</para>
/// <para>The document is always an invoice, type code 380, also when its total is negative (a true-up that
/// credits): EN 16931 and BIS 3.0 allow negative totals, and a UBL credit note (381) is a correction of an
/// earlier invoice, which a true-up is not. A negative line has quantity -1 and a positive price (an item net
/// price may not be negative, BR-27).</para>
/// <para>The bytes are deterministic: UTF-8 without a byte order mark, two-space indentation, <c>\n</c> newlines,
/// no timestamps or generated ids; amounts are written from öre through <see cref="decimal"/>, never a binary
/// floating-point number.</para>
/// </remarks>
public static class UblInvoice
{
    /// <summary>The folder of the UBL files in an invoice output: <c>ubl/NUMBER.xml</c>.</summary>
    public const string Folder = "ubl";

    /// <summary>BT-24: the Peppol BIS Billing 3.0 specification identifier.</summary>
    public const string CustomizationId = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";

    /// <summary>BT-23: the business process, Peppol billing process 01.</summary>
    public const string ProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

    /// <summary>The UBL 2.1 invoice namespace (the document element's).</summary>
    public const string InvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";

    /// <summary>The UBL 2.1 aggregate components' namespace (<c>cac:</c>).</summary>
    public const string AggregateNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    /// <summary>The UBL 2.1 basic components' namespace (<c>cbc:</c>).</summary>
    public const string BasicNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    /// <summary>BT-121: the VAT exemption reason code of category O.</summary>
    public const string ExemptionReasonCode = "VATEX-EU-O";

    /// <summary>BT-120: the VAT exemption reason text, in Swedish.</summary>
    public const string ExemptionReason = "Omfattas inte av mervärdesskatt (avgift mellan statliga myndigheter)";

    /// <summary>BT-130: the unit of every line's quantity, UN/ECE Recommendation 20 <c>C62</c> ("one").</summary>
    public const string UnitCode = "C62";

    /// <summary>BT-40 and BT-55: the country of both parties; the product invoices between Swedish state agencies.</summary>
    public const string Country = "SE";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Replace,
        OmitXmlDeclaration = false,
        CloseOutput = false,
    };

    /// <summary>
    /// The file name of an invoice in <see cref="Folder"/>: its number (BT-1) with every character outside ASCII letters,
    /// digits and <c>-_.</c> replaced by <c>_</c>, then <c>.xml</c>: invoice <c>2026-0001</c> is <c>2026-0001.xml</c>.
    /// </summary>
    public static string FileName(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var safe = new string([.. invoice.Number.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return (safe.Length == 0 || safe.All(c => c == '.') ? "_" + safe : safe) + ".xml";
    }

    /// <summary>
    /// What keeps <paramref name="invoice"/> from being a valid BIS 3.0 invoice, one English sentence each, in the
    /// order found; empty when it can be written.
    /// </summary>
    /// <remarks>
    /// The checks are those the writer cannot satisfy by itself: a number, names, an electronic address for both
    /// parties (PEPPOL-EN16931-R010, R020), the seller's organisation number (BR-CO-26: with no VAT identifier under
    /// category O it is the seller's only identifier; SE-R-003/004/013), valid Swedish organisation numbers in
    /// scheme 0007 (PEPPOL-COMMON-R049), an ISO 4217 currency, at least one line (BR-16), and text XML can carry.
    /// </remarks>
    public static IReadOnlyList<string> Check(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var problems = new List<string>();
        var number = invoice.Number ?? "";
        var prefix = "invoice '" + number + "'";
        if (string.IsNullOrWhiteSpace(number))
        {
            problems.Add("an invoice has no number (BT-1)");
        }

        Text(problems, prefix, "number", number);
        if (invoice.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            problems.Add($"{prefix}: currency '{invoice.Currency}' is not an ISO 4217 code (BT-5)");
        }

        if (invoice.Lines.Count == 0)
        {
            problems.Add($"{prefix}: has no lines; an invoice needs at least one (BR-16)");
        }

        Party(problems, prefix, "seller", invoice.Seller, orgNrRequired: true);
        Party(problems, prefix, "buyer", invoice.Buyer, orgNrRequired: false);
        if (invoice.Buyer.Reference is { } reference)
        {
            Text(problems, prefix, "buyer reference", reference);
        }

        foreach (var line in invoice.Lines)
        {
            if (string.IsNullOrWhiteSpace(line.Service))
            {
                problems.Add($"{prefix}: a line has no service");
            }

            Text(problems, prefix, "service", line.Service);
            if (line.Tenant != invoice.Buyer.Id)
            {
                problems.Add($"{prefix}: a line of tenant '{line.Tenant}' is on an invoice to '{invoice.Buyer.Id}'");
            }
        }

        return problems;
    }

    /// <summary>Writes <paramref name="invoice"/> as a UBL 2.1 invoice to <paramref name="output"/>.</summary>
    /// <exception cref="TbmException">The invoice cannot be a valid BIS 3.0 invoice (<see cref="Check"/>): the first problem.</exception>
    public static void Write(Invoice invoice, Stream output)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(output);
        if (Check(invoice) is [var first, ..] problems)
        {
            throw Refused(first, problems.Count);
        }

        using var xml = XmlWriter.Create(output, Settings);
        Document(xml, invoice);
    }

    /// <summary>The UBL bytes of <paramref name="invoice"/>, as <see cref="Write"/> writes them.</summary>
    /// <exception cref="TbmException">The invoice cannot be a valid BIS 3.0 invoice (<see cref="Check"/>).</exception>
    public static byte[] ToBytes(Invoice invoice)
    {
        using var buffer = new MemoryStream();
        Write(invoice, buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes every invoice as <c>ubl/NUMBER.xml</c> (<see cref="FileName"/>) under <paramref name="directory"/>: the
    /// output folder of <c>tbm invoice</c>, normally the temporary folder from <c>OutputFolder.Prepare</c>.
    /// </summary>
    /// <param name="invoices">The invoices, of any tenants and periods.</param>
    /// <param name="directory">The folder that gets the <see cref="Folder"/> subfolder (created if absent).</param>
    /// <returns>The number of files written.</returns>
    /// <remarks>
    /// Every invoice and every file name is checked before anything is written, so a refused set leaves no file
    /// behind. Each file is written whole (<see cref="AtomicFile"/>); a file already there is never replaced.
    /// </remarks>
    /// <exception cref="TbmException">
    /// An invoice cannot be a valid BIS 3.0 invoice (kind model: the first problem and how many there are), two
    /// invoices would share a file name (kind model), or a file of that name exists already (kind conflict).
    /// </exception>
    public static int WriteAll(IReadOnlyList<Invoice> invoices, string directory)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        ArgumentNullException.ThrowIfNull(directory);
        var problems = invoices.SelectMany(Check).ToList();
        if (problems.Count > 0)
        {
            throw Refused(problems[0], problems.Count);
        }

        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var invoice in invoices)
        {
            if (!names.TryAdd(FileName(invoice), invoice.Number))
            {
                throw new TbmException(TbmErrorKind.Model, $"invoices '{names[FileName(invoice)]}' and '{invoice.Number}' would both be written as {Folder}/{FileName(invoice)}; invoice numbers must differ in more than case and punctuation");
            }
        }

        var folder = Path.Combine(directory, Folder);
        if (invoices.Select(i => Path.Combine(folder, FileName(i))).FirstOrDefault(File.Exists) is { } existing)
        {
            throw TbmException.Conflict($"'{existing}' exists already; the engine does not replace a file it did not write");
        }

        foreach (var invoice in invoices)
        {
            AtomicFile.Write(Path.Combine(folder, FileName(invoice)), stream => Write(invoice, stream), overwrite: false);
        }

        return invoices.Count;
    }

    /// <summary>An amount in öre as BIS writes amounts: a decimal point and exactly two decimals, <c>-1234.50</c>.</summary>
    public static string Amount(long ore) => (ore / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The item name (BT-153) of a line, in Swedish: <c>Preliminär avgift 2026: SRV</c>.</summary>
    public static string ItemName(InvoiceLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return KindName(line.Kind) + " " + line.FiscalYear.ToString(CultureInfo.InvariantCulture) + ": " + line.Service;
    }

    /// <summary>The Swedish name of a kind of line: <c>Preliminär avgift</c>, <c>Avräkning</c>, <c>Avbetalning</c>.</summary>
    public static string KindName(InvoiceLineKind kind) => kind switch
    {
        InvoiceLineKind.Preliminary => "Preliminär avgift",
        InvoiceLineKind.TrueUp => "Avräkning",
        InvoiceLineKind.Instalment => "Avbetalning",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an invoice line kind this version does not know"),
    };

    /// <summary>BT-10: the buyer's reference when the billing plan gives one, otherwise the buyer's tenant id.</summary>
    public static string BuyerReference(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return string.IsNullOrWhiteSpace(invoice.Buyer.Reference) ? invoice.Buyer.Id : invoice.Buyer.Reference;
    }

    /// <summary>A party's electronic address as <c>(scheme, id)</c>: its endpoint, or <c>0007</c> and its organisation number.</summary>
    internal static (string Scheme, string Id)? Endpoint(InvoiceParty party)
    {
        if (!string.IsNullOrWhiteSpace(party.EndpointId))
        {
            var colon = party.EndpointId.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (party.EndpointId, "") : (party.EndpointId[..colon], party.EndpointId[(colon + 1)..]);
        }

        return OrgNr.TryParse(party.OrgNr, out var orgNr, out _) ? ("0007", Digits(orgNr)) : null;
    }

    private static string Digits(OrgNr orgNr) => orgNr.Value.Replace("-", "", StringComparison.Ordinal);

    private static TbmException Refused(string first, int count) =>
        new(TbmErrorKind.Model, count == 1 ? first : $"{first} (and {(count - 1).ToString(CultureInfo.InvariantCulture)} more problem(s) with the invoices)");

    private static void Party(List<string> problems, string prefix, string role, InvoiceParty party, bool orgNrRequired)
    {
        var who = $"{prefix}: {role} '{party.Id}'";
        if (string.IsNullOrWhiteSpace(party.Name))
        {
            problems.Add($"{who} has no name (BT-{(role == "seller" ? "27" : "44")})");
        }

        Text(problems, prefix, role + " name", party.Name ?? "");
        if (string.IsNullOrEmpty(party.OrgNr))
        {
            if (orgNrRequired)
            {
                problems.Add($"{who} has no organisation number; the seller's is its legal registration identifier (BT-30, BR-CO-26)");
            }
        }
        else if (!OrgNr.TryParse(party.OrgNr, out _, out var reason))
        {
            problems.Add($"{who}: {reason}");
        }

        switch (Endpoint(party))
        {
            case null:
                problems.Add($"{who} has neither a Peppol endpoint nor an organisation number; an electronic address is required (PEPPOL-EN16931-R{(role == "seller" ? "020" : "010")})");
                break;
            case var (scheme, id) when scheme.Length != 4 || !scheme.All(char.IsAsciiDigit) || id.Length == 0 || id.Any(char.IsWhiteSpace):
                problems.Add($"{who}: endpoint '{party.EndpointId}' is not of the form SCHEME:ID with a four-digit scheme (e.g. 0007:2021005489)");
                break;
            case ("0007", var id) when id.Length != 10 || !OrgNr.TryParse(id, out _, out _):
                problems.Add($"{who}: endpoint '{party.EndpointId}' is not a valid Swedish organisation number of ten digits (PEPPOL-COMMON-R049)");
                break;
            default:
                break;
        }
    }

    /// <summary>Adds a problem when <paramref name="text"/> holds a character XML 1.0 cannot carry.</summary>
    private static void Text(List<string> problems, string prefix, string what, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                continue;
            }

            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                i++;
                continue;
            }

            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}: the {what} holds a character XML cannot carry (U+{(int)text[i]:X4} at position {i + 1})"));
            return;
        }
    }

    private static void Document(XmlWriter xml, Invoice invoice)
    {
        var currency = invoice.Currency;
        var total = invoice.Lines.Aggregate(0L, (sum, line) => checked(sum + line.Amount));
        xml.WriteStartDocument();
        xml.WriteStartElement("", "Invoice", InvoiceNamespace);
        xml.WriteAttributeString("xmlns", InvoiceNamespace);
        xml.WriteAttributeString("xmlns", "cac", null, AggregateNamespace);
        xml.WriteAttributeString("xmlns", "cbc", null, BasicNamespace);
        Basic(xml, "CustomizationID", CustomizationId);
        Basic(xml, "ProfileID", ProfileId);
        Basic(xml, "ID", invoice.Number);
        Basic(xml, "IssueDate", Date(invoice.IssueDate));
        Basic(xml, "DueDate", Date(invoice.DueDate));
        Basic(xml, "InvoiceTypeCode", "380");
        Basic(xml, "DocumentCurrencyCode", currency);
        Basic(xml, "BuyerReference", BuyerReference(invoice));
        Party(xml, "AccountingSupplierParty", invoice.Seller);
        Party(xml, "AccountingCustomerParty", invoice.Buyer);

        Start(xml, "TaxTotal");
        Money(xml, "TaxAmount", 0, currency);
        Start(xml, "TaxSubtotal");
        Money(xml, "TaxableAmount", total, currency);
        Money(xml, "TaxAmount", 0, currency);
        Start(xml, "TaxCategory");
        Basic(xml, "ID", "O");
        Basic(xml, "TaxExemptionReasonCode", ExemptionReasonCode);
        Basic(xml, "TaxExemptionReason", ExemptionReason);
        TaxScheme(xml);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();

        Start(xml, "LegalMonetaryTotal");
        Money(xml, "LineExtensionAmount", total, currency);
        Money(xml, "TaxExclusiveAmount", total, currency);
        Money(xml, "TaxInclusiveAmount", total, currency);
        Money(xml, "PayableAmount", total, currency);
        xml.WriteEndElement();

        var number = 1;
        foreach (var line in invoice.Lines)
        {
            Start(xml, "InvoiceLine");
            Basic(xml, "ID", number++.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("cbc", "InvoicedQuantity", BasicNamespace);
            xml.WriteAttributeString("unitCode", UnitCode);
            xml.WriteString(line.Amount < 0 ? "-1" : "1");
            xml.WriteEndElement();
            Money(xml, "LineExtensionAmount", line.Amount, currency);
            Start(xml, "Item");
            Basic(xml, "Name", ItemName(line));
            Start(xml, "SellersItemIdentification");
            Basic(xml, "ID", line.Service);
            xml.WriteEndElement();
            Start(xml, "ClassifiedTaxCategory");
            Basic(xml, "ID", "O");
            TaxScheme(xml);
            xml.WriteEndElement();
            xml.WriteEndElement();
            Start(xml, "Price");
            Money(xml, "PriceAmount", Math.Abs(line.Amount), currency);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>A party: endpoint (BT-34/BT-49), country (BT-40/BT-55), registration name (BT-27/BT-44) and organisation number (BT-30/BT-47).</summary>
    private static void Party(XmlWriter xml, string role, InvoiceParty party)
    {
        Start(xml, role);
        Start(xml, "Party");
        var (scheme, id) = Endpoint(party)!.Value;
        xml.WriteStartElement("cbc", "EndpointID", BasicNamespace);
        xml.WriteAttributeString("schemeID", scheme);
        xml.WriteString(id);
        xml.WriteEndElement();
        Start(xml, "PostalAddress");
        Start(xml, "Country");
        Basic(xml, "IdentificationCode", Country);
        xml.WriteEndElement();
        xml.WriteEndElement();
        Start(xml, "PartyLegalEntity");
        Basic(xml, "RegistrationName", party.Name);
        if (OrgNr.TryParse(party.OrgNr, out var orgNr, out _))
        {
            xml.WriteStartElement("cbc", "CompanyID", BasicNamespace);
            xml.WriteAttributeString("schemeID", "0007");
            xml.WriteString(Digits(orgNr));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void TaxScheme(XmlWriter xml)
    {
        Start(xml, "TaxScheme");
        Basic(xml, "ID", "VAT");
        xml.WriteEndElement();
    }

    private static void Start(XmlWriter xml, string name) => xml.WriteStartElement("cac", name, AggregateNamespace);

    private static void Basic(XmlWriter xml, string name, string value) => xml.WriteElementString("cbc", name, BasicNamespace, value);

    private static void Money(XmlWriter xml, string name, long ore, string currency)
    {
        xml.WriteStartElement("cbc", name, BasicNamespace);
        xml.WriteAttributeString("currencyID", currency);
        xml.WriteString(Amount(ore));
        xml.WriteEndElement();
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
