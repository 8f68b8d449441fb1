using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ItDrift.Tbm.Tests.Billing;

/// <summary>
/// The Peppol BIS Billing 3.0 and EN 16931 rules this project can encode without the official artefacts (no package
/// in the registry ships the UBL 2.1 schemas or the Schematron), checked over a UBL invoice read with LINQ to XML —
/// independently of the writer: it knows nothing of <c>UblInvoice</c>.
/// </summary>
/// <remarks>
/// <para>Schema (UBL 2.1, the subset the writer may use): the document element, and for every aggregate the order of
/// its children as the UBL 2.1 <c>xsd:sequence</c> gives it, unknown children and repeats of non-repeating ones.</para>
/// <para>Business rules: BR-02..BR-16 (mandatory terms), BR-21..BR-27 (lines), BR-CO-04, BR-CO-10, BR-CO-13..16,
/// BR-CO-18, BR-CO-25, BR-CO-26, BR-DEC-* (two decimals at most), BR-62/63, BR-O-01, 02, 05, 08..12 (category O, not
/// subject to VAT), BR-CL-22 (the exemption code of O), PEPPOL-EN16931-R001..R004, R007, R008, R010, R020, R051, R053, R120, R121,
/// PEPPOL-COMMON-R030 (dates), PEPPOL-COMMON-R049 and SE-R-003/004/013 (Swedish organisation numbers), and the
/// UBL-CR warnings against extensions and UBLVersionID.</para>
/// </remarks>
internal static partial class BisRules
{
    public static readonly XNamespace Ubl = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    public static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    public static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    /// <summary>The UBL 2.1 sequences (the part this project can meet), in schema order; <c>*</c> marks an element that may repeat.</summary>
    private static readonly Dictionary<string, string[]> Sequences = new(StringComparer.Ordinal)
    {
        ["Invoice"] =
        [
            "ext:UBLExtensions", "cbc:UBLVersionID", "cbc:CustomizationID", "cbc:ProfileID", "cbc:ProfileExecutionID", "cbc:ID", "cbc:CopyIndicator",
            "cbc:UUID", "cbc:IssueDate", "cbc:IssueTime", "cbc:DueDate", "cbc:InvoiceTypeCode", "cbc:Note*", "cbc:TaxPointDate",
            "cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "cbc:PricingCurrencyCode", "cbc:PaymentCurrencyCode",
            "cbc:PaymentAlternativeCurrencyCode", "cbc:AccountingCostCode", "cbc:AccountingCost", "cbc:LineCountNumeric",
            "cbc:BuyerReference", "cac:InvoicePeriod*", "cac:OrderReference", "cac:BillingReference*", "cac:DespatchDocumentReference*",
            "cac:ReceiptDocumentReference*", "cac:StatementDocumentReference*", "cac:OriginatorDocumentReference*",
            "cac:ContractDocumentReference*", "cac:AdditionalDocumentReference*", "cac:ProjectReference*", "cac:Signature*",
            "cac:AccountingSupplierParty", "cac:AccountingCustomerParty", "cac:PayeeParty", "cac:BuyerCustomerParty",
            "cac:SellerSupplierParty", "cac:TaxRepresentativeParty", "cac:Delivery*", "cac:DeliveryTerms", "cac:PaymentMeans*",
            "cac:PaymentTerms*", "cac:PrepaidPayment*", "cac:AllowanceCharge*", "cac:TaxExchangeRate", "cac:PricingExchangeRate",
            "cac:PaymentExchangeRate", "cac:PaymentAlternativeExchangeRate", "cac:TaxTotal*", "cac:WithholdingTaxTotal*",
            "cac:LegalMonetaryTotal", "cac:InvoiceLine*",
        ],
        ["AccountingSupplierParty"] = ["cbc:CustomerAssignedAccountID", "cbc:AdditionalAccountID*", "cbc:DataSendingCapability", "cac:Party"],
        ["AccountingCustomerParty"] = ["cbc:CustomerAssignedAccountID", "cbc:SupplierAssignedAccountID", "cbc:AdditionalAccountID*", "cac:Party"],
        ["Party"] =
        [
            "cbc:MarkCareIndicator", "cbc:MarkAttentionIndicator", "cbc:WebsiteURI", "cbc:LogoReferenceID", "cbc:EndpointID",
            "cbc:IndustryClassificationCode", "cac:PartyIdentification*", "cac:PartyName*", "cac:Language", "cac:PostalAddress",
            "cac:PhysicalLocation", "cac:PartyTaxScheme*", "cac:PartyLegalEntity*", "cac:Contact",
        ],
        ["PartyIdentification"] = ["cbc:ID"],
        ["PartyName"] = ["cbc:Name"],
        ["PostalAddress"] =
        [
            "cbc:ID", "cbc:AddressTypeCode", "cbc:AddressFormatCode", "cbc:Postbox", "cbc:Floor", "cbc:Room", "cbc:StreetName",
            "cbc:AdditionalStreetName", "cbc:BlockName", "cbc:BuildingName", "cbc:BuildingNumber", "cbc:InhouseMail", "cbc:Department",
            "cbc:MarkAttention", "cbc:MarkCare", "cbc:PlotIdentification", "cbc:CitySubdivisionName", "cbc:CityName", "cbc:PostalZone",
            "cbc:CountrySubentity", "cbc:CountrySubentityCode", "cbc:Region", "cbc:District", "cbc:TimezoneOffset", "cac:AddressLine*",
            "cac:Country",
        ],
        ["Country"] = ["cbc:IdentificationCode", "cbc:Name"],
        ["PartyTaxScheme"] = ["cbc:RegistrationName", "cbc:CompanyID", "cbc:TaxLevelCode", "cbc:ExemptionReasonCode", "cbc:ExemptionReason*", "cac:RegistrationAddress", "cac:TaxScheme"],
        ["PartyLegalEntity"] = ["cbc:RegistrationName", "cbc:CompanyID", "cbc:RegistrationDate", "cbc:RegistrationExpirationDate", "cbc:CompanyLegalFormCode", "cbc:CompanyLegalForm"],
        ["TaxTotal"] = ["cbc:TaxAmount", "cbc:RoundingAmount", "cbc:TaxEvidenceIndicator", "cbc:TaxIncludedIndicator", "cac:TaxSubtotal*"],
        ["TaxSubtotal"] = ["cbc:TaxableAmount", "cbc:TaxAmount", "cbc:CalculationSequenceNumeric", "cbc:TransactionCurrencyTaxAmount", "cbc:Percent", "cbc:BaseUnitMeasure", "cbc:PerUnitAmount", "cbc:TierRange", "cbc:TierRatePercent", "cac:TaxCategory"],
        ["TaxCategory"] = ["cbc:ID", "cbc:Name", "cbc:Percent", "cbc:BaseUnitMeasure", "cbc:PerUnitAmount", "cbc:TaxExemptionReasonCode", "cbc:TaxExemptionReason*", "cbc:TierRange", "cbc:TierRatePercent", "cac:TaxScheme"],
        ["ClassifiedTaxCategory"] = ["cbc:ID", "cbc:Name", "cbc:Percent", "cbc:BaseUnitMeasure", "cbc:PerUnitAmount", "cbc:TaxExemptionReasonCode", "cbc:TaxExemptionReason*", "cbc:TierRange", "cbc:TierRatePercent", "cac:TaxScheme"],
        ["TaxScheme"] = ["cbc:ID", "cbc:Name", "cbc:TaxTypeCode", "cbc:CurrencyCode"],
        ["LegalMonetaryTotal"] = ["cbc:LineExtensionAmount", "cbc:TaxExclusiveAmount", "cbc:TaxInclusiveAmount", "cbc:AllowanceTotalAmount", "cbc:ChargeTotalAmount", "cbc:PrepaidAmount", "cbc:PayableRoundingAmount", "cbc:PayableAmount", "cbc:PayableAlternativeAmount"],
        ["InvoiceLine"] =
        [
            "cbc:ID", "cbc:UUID", "cbc:Note*", "cbc:InvoicedQuantity", "cbc:LineExtensionAmount", "cbc:TaxPointDate", "cbc:AccountingCostCode",
            "cbc:AccountingCost", "cbc:PaymentPurposeCode", "cbc:FreeOfChargeIndicator", "cac:InvoicePeriod*", "cac:OrderLineReference*",
            "cac:DespatchLineReference*", "cac:ReceiptLineReference*", "cac:BillingReference*", "cac:DocumentReference*", "cac:PricingReference",
            "cac:OriginatorParty", "cac:Delivery*", "cac:PaymentTerms*", "cac:AllowanceCharge*", "cac:TaxTotal*", "cac:WithholdingTaxTotal*",
            "cac:Item", "cac:Price", "cac:DeliveryTerms", "cac:SubInvoiceLine*", "cac:ItemPriceExtension",
        ],
        ["Item"] =
        [
            "cbc:Description*", "cbc:PackQuantity", "cbc:PackSizeNumeric", "cbc:CatalogueIndicator", "cbc:Name", "cbc:HazardousRiskIndicator",
            "cbc:AdditionalInformation*", "cbc:Keyword*", "cbc:BrandName*", "cbc:ModelName*", "cac:BuyersItemIdentification",
            "cac:SellersItemIdentification", "cac:ManufacturersItemIdentification*", "cac:StandardItemIdentification",
            "cac:CatalogueItemIdentification", "cac:AdditionalItemIdentification*", "cac:CatalogueDocumentReference",
            "cac:ItemSpecificationDocumentReference*", "cac:OriginCountry", "cac:CommodityClassification*", "cac:TransactionConditions*",
            "cac:HazardousItem*", "cac:ClassifiedTaxCategory*", "cac:AdditionalItemProperty*",
        ],
        ["SellersItemIdentification"] = ["cbc:ID", "cbc:ExtendedID", "cbc:BarcodeSymbologyID", "cac:PhysicalAttribute*", "cac:MeasurementDimension*", "cac:IssuerParty"],
        ["Price"] = ["cbc:PriceAmount", "cbc:BaseQuantity", "cbc:PriceChangeReason*", "cbc:PriceTypeCode", "cbc:PriceType", "cbc:OrientationInDegreesMeasure", "cac:ValidityPeriod*", "cac:PriceList", "cac:AllowanceCharge*", "cac:PricingExchangeRate"],
    };

    /// <summary>The amounts whose value is restricted to two decimals (BR-DEC-*), by local name.</summary>
    private static readonly HashSet<string> TwoDecimalAmounts = new(StringComparer.Ordinal)
    {
        "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
        "PayableRoundingAmount", "PayableAmount", "TaxAmount", "TaxableAmount", "Amount", "BaseAmount",
    };

    /// <summary>Every rule the invoice breaks, as <c>RULE-ID: what</c>; empty when it passes.</summary>
    public static List<string> Check(XDocument document)
    {
        var broken = new List<string>();
        void Rule(bool holds, string id, string what)
        {
            if (!holds)
            {
                broken.Add(id + ": " + what);
            }
        }

        var root = document.Root!;
        Rule(root.Name == Ubl + "Invoice", "UBL-SCHEMA", "the document element is not a UBL 2.1 Invoice");
        foreach (var element in root.DescendantsAndSelf())
        {
            Order(element, broken);
            Rule(element.HasElements || element.Value.Trim().Length > 0, "PEPPOL-EN16931-R008", $"empty element {element.Name.LocalName}");
        }

        Rule(!root.Elements().Any(e => e.Name.LocalName == "UBLExtensions"), "UBL-CR-001", "a UBL invoice should not include extensions");
        Rule(root.Element(Cbc + "UBLVersionID") is null, "UBL-CR-002", "a UBL invoice should not include the UBLVersionID");
        Rule(Text(root, "cbc:CustomizationID") == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "PEPPOL-EN16931-R004", "specification identifier");
        Rule(Text(root, "cbc:ProfileID") is not null, "PEPPOL-EN16931-R001", "business process must be provided");
        Rule(Text(root, "cbc:ProfileID") is { } profile && ProfilePattern().IsMatch(profile), "PEPPOL-EN16931-R007", "business process format");
        Rule(Text(root, "cbc:ID") is not null, "BR-02", "invoice number");
        Rule(Text(root, "cbc:IssueDate") is not null, "BR-03", "issue date");
        Rule(Text(root, "cbc:InvoiceTypeCode") is "380" or "383" or "386" or "393" or "82" or "80" or "84" or "395" or "575" or "623" or "780" or "326" or "384", "BR-04/BR-CL-01", "invoice type code");
        Rule(Text(root, "cbc:DocumentCurrencyCode") is { } code && CurrencyPattern().IsMatch(code), "BR-05", "invoice currency code");
        Rule(Text(root, "cbc:BuyerReference") is not null || root.Element(Cac + "OrderReference") is not null, "PEPPOL-EN16931-R003", "a buyer reference or purchase order reference must be provided");
        Rule(root.Elements(Cbc + "Note").Count() <= 1, "PEPPOL-EN16931-R002", "no more than one note");
        foreach (var date in root.Descendants().Where(e => e.Name.LocalName is "IssueDate" or "DueDate" or "TaxPointDate" or "StartDate" or "EndDate"))
        {
            Rule(DateOnly.TryParseExact(date.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), "PEPPOL-COMMON-R030", $"date {date.Value}");
        }

        var currency = Text(root, "cbc:DocumentCurrencyCode");
        foreach (var amount in root.Descendants().Where(e => e.Attribute("currencyID") is not null))
        {
            Rule(amount.Attribute("currencyID")!.Value == currency, "PEPPOL-EN16931-R051", $"{amount.Name.LocalName} in {amount.Attribute("currencyID")!.Value}, not the invoice currency");
            Rule(decimal.TryParse(amount.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _), "UBL-DT", $"{amount.Name.LocalName} '{amount.Value}' is not a decimal");
            if (TwoDecimalAmounts.Contains(amount.Name.LocalName))
            {
                var dot = amount.Value.IndexOf('.', StringComparison.Ordinal);
                Rule(dot < 0 || amount.Value.Length - dot - 1 <= 2, "BR-DEC", $"{amount.Name.LocalName} '{amount.Value}' has more than two decimals");
            }
        }

        var seller = root.Element(Cac + "AccountingSupplierParty")?.Element(Cac + "Party");
        var buyer = root.Element(Cac + "AccountingCustomerParty")?.Element(Cac + "Party");
        Rule(seller is not null, "BR-06", "seller");
        Rule(buyer is not null, "BR-07", "buyer");
        if (seller is not null)
        {
            Rule(Text(seller, "cac:PartyLegalEntity", "cbc:RegistrationName") is not null, "BR-06", "seller name");
            Rule(Text(seller, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode") is not null, "BR-09", "seller country code");
            Rule(seller.Element(Cbc + "EndpointID") is not null, "PEPPOL-EN16931-R020", "seller electronic address must be provided");
            Rule(seller.Element(Cac + "PartyIdentification") is not null || Text(seller, "cac:PartyLegalEntity", "cbc:CompanyID") is not null
                || seller.Elements(Cac + "PartyTaxScheme").Any(s => Text(s, "cac:TaxScheme", "cbc:ID") == "VAT"), "BR-CO-26", "the seller must be identifiable");
            if (Text(seller, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode") == "SE" && Text(seller, "cac:PartyLegalEntity", "cbc:CompanyID") is { } orgNr)
            {
                Rule(orgNr.All(char.IsAsciiDigit), "SE-R-003", "Swedish organisation numbers should be numeric");
                Rule(orgNr.Length == 10, "SE-R-004", "Swedish organisation numbers consist of 10 characters");
                Rule(Luhn(orgNr), "SE-R-013", "the last digit of a Swedish organisation number must be valid by the Luhn algorithm");
            }
        }

        if (buyer is not null)
        {
            Rule(Text(buyer, "cac:PartyLegalEntity", "cbc:RegistrationName") is not null, "BR-07", "buyer name");
            Rule(Text(buyer, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode") is not null, "BR-11", "buyer country code");
            Rule(buyer.Element(Cbc + "EndpointID") is not null, "PEPPOL-EN16931-R010", "buyer electronic address must be provided");
        }

        foreach (var endpoint in root.Descendants(Cbc + "EndpointID"))
        {
            Rule(endpoint.Attribute("schemeID") is { } scheme && EasPattern().IsMatch(scheme.Value), "BR-62/BR-63", "an electronic address needs a scheme identifier");
        }

        foreach (var id in root.Descendants().Where(e => e.Name.LocalName is "EndpointID" or "CompanyID" || (e.Name == Cbc + "ID" && e.Parent?.Name == Cac + "PartyIdentification")))
        {
            if (id.Attribute("schemeID")?.Value == "0007")
            {
                Rule(id.Value.Length == 10 && id.Value.All(char.IsAsciiDigit) && Luhn(id.Value), "PEPPOL-COMMON-R049", $"Swedish organisation number '{id.Value}' must be stated in the correct format");
            }
        }

        var lines = root.Elements(Cac + "InvoiceLine").ToList();
        Rule(lines.Count > 0, "BR-16", "at least one invoice line");
        var lineSum = 0m;
        foreach (var line in lines)
        {
            Rule(Text(line, "cbc:ID") is not null, "BR-21", "invoice line identifier");
            var quantity = line.Element(Cbc + "InvoicedQuantity");
            Rule(quantity is not null, "BR-22", "invoiced quantity");
            Rule(quantity?.Attribute("unitCode") is not null, "BR-23", "unit of measure");
            Rule(Text(line, "cbc:LineExtensionAmount") is not null, "BR-24", "invoice line net amount");
            Rule(Text(line, "cac:Item", "cbc:Name") is not null, "BR-25", "item name");
            var price = Number(Text(line, "cac:Price", "cbc:PriceAmount"));
            Rule(price is not null, "BR-26", "item net price");
            Rule(price is null or >= 0, "BR-27", "the item net price shall not be negative");
            var category = Text(line, "cac:Item", "cac:ClassifiedTaxCategory", "cbc:ID");
            Rule(category is not null, "BR-CO-04", "invoiced item VAT category code");
            var baseQuantity = Number(Text(line, "cac:Price", "cbc:BaseQuantity")) ?? 1m;
            Rule(baseQuantity > 0, "PEPPOL-EN16931-R121", "base quantity must be above zero");
            var net = Number(Text(line, "cbc:LineExtensionAmount")) ?? 0m;
            if (Number(quantity?.Value) is { } q && price is { } p && baseQuantity > 0)
            {
                Rule(Math.Round(q * p / baseQuantity, 2, MidpointRounding.AwayFromZero) == net, "PEPPOL-EN16931-R120", $"line {Text(line, "cbc:ID")}: net amount must equal quantity × price");
            }

            if (category == "O")
            {
                Rule(line.Element(Cac + "Item")?.Element(Cac + "ClassifiedTaxCategory")?.Element(Cbc + "Percent") is null, "BR-O-05", "a line of category O shall not contain a VAT rate");
            }

            lineSum += net;
        }

        var totals = root.Element(Cac + "LegalMonetaryTotal");
        Rule(totals is not null, "BR-12..15", "document totals");
        var lineTotal = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:LineExtensionAmount"));
        var taxExclusive = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:TaxExclusiveAmount"));
        var taxInclusive = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:TaxInclusiveAmount"));
        var payable = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:PayableAmount"));
        var allowances = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:AllowanceTotalAmount")) ?? 0m;
        var charges = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:ChargeTotalAmount")) ?? 0m;
        var prepaid = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:PrepaidAmount")) ?? 0m;
        var rounding = Number(Text(root, "cac:LegalMonetaryTotal", "cbc:PayableRoundingAmount")) ?? 0m;
        Rule(lineTotal is not null, "BR-12", "sum of invoice line net amounts");
        Rule(taxExclusive is not null, "BR-13", "invoice total amount without VAT");
        Rule(taxInclusive is not null, "BR-14", "invoice total amount with VAT");
        Rule(payable is not null, "BR-15", "amount due for payment");
        Rule(lineTotal == lineSum, "BR-CO-10", $"sum of line net amounts {lineSum} ≠ {lineTotal}");
        Rule(taxExclusive == lineTotal - allowances + charges, "BR-CO-13", "total without VAT = line sum − allowances + charges");

        var taxTotals = root.Elements(Cac + "TaxTotal").ToList();
        var withSubtotals = taxTotals.Where(t => t.Elements(Cac + "TaxSubtotal").Any()).ToList();
        Rule(withSubtotals.Count == 1, "PEPPOL-EN16931-R053", "only one tax total with tax subtotals must be provided");
        var vat = withSubtotals.Count == 1 ? Number(Text(withSubtotals[0], "cbc:TaxAmount")) : null;
        Rule(vat is not null && vat == withSubtotals[0].Elements(Cac + "TaxSubtotal").Sum(s => Number(Text(s, "cbc:TaxAmount")) ?? 0m), "BR-CO-14", "total VAT = sum of the VAT category amounts");
        Rule(taxInclusive == taxExclusive + (vat ?? 0m), "BR-CO-15", "total with VAT = total without VAT + VAT");
        Rule(payable == taxInclusive - prepaid + rounding, "BR-CO-16", "amount due = total with VAT − paid + rounding");
        Rule(payable is not > 0 || Text(root, "cbc:DueDate") is not null || root.Element(Cac + "PaymentTerms") is not null, "BR-CO-25", "a positive amount due needs a due date or payment terms");

        var subtotals = withSubtotals.SelectMany(t => t.Elements(Cac + "TaxSubtotal")).ToList();
        Rule(subtotals.Count > 0, "BR-CO-18", "at least one VAT breakdown");
        var categoryO = subtotals.Where(s => Text(s, "cac:TaxCategory", "cbc:ID") == "O").ToList();
        var linesO = lines.Where(l => Text(l, "cac:Item", "cac:ClassifiedTaxCategory", "cbc:ID") == "O").ToList();
        if (linesO.Count > 0)
        {
            Rule(categoryO.Count == 1, "BR-O-01", "exactly one VAT breakdown of category O");
            Rule(!root.Descendants(Cac + "PartyTaxScheme").Any(s => Text(s, "cac:TaxScheme", "cbc:ID") == "VAT"), "BR-O-02", "no VAT identifiers under category O");
            Rule(linesO.Count == lines.Count, "BR-O-12", "no lines of another category than O");
        }

        foreach (var subtotal in categoryO)
        {
            var sumO = linesO.Sum(l => Number(Text(l, "cbc:LineExtensionAmount")) ?? 0m);
            Rule(Number(Text(subtotal, "cbc:TaxableAmount")) == sumO, "BR-O-08", "taxable amount of O = sum of the O lines");
            Rule(Number(Text(subtotal, "cbc:TaxAmount")) == 0m, "BR-O-09", "VAT amount of O shall be 0");
            Rule(Text(subtotal, "cac:TaxCategory", "cbc:TaxExemptionReasonCode") is not null || Text(subtotal, "cac:TaxCategory", "cbc:TaxExemptionReason") is not null, "BR-O-10", "exemption reason code or text");
            Rule(Text(subtotal, "cac:TaxCategory", "cbc:TaxExemptionReasonCode") is null or "VATEX-EU-O", "BR-CL-22", "the exemption reason code of category O is VATEX-EU-O");
            Rule(subtotal.Element(Cac + "TaxCategory")?.Element(Cbc + "Percent") is null, "BR-O-RATE", "the VAT breakdown of category O has no VAT rate, as its lines (BR-O-05)");
            Rule(subtotals.Count == 1, "BR-O-11", "no other VAT breakdown beside category O");
        }

        return broken;
    }

    private static void Order(XElement element, List<string> broken)
    {
        if (!Sequences.TryGetValue(element.Name.LocalName, out var sequence) || (element.Name.Namespace != Cac && element.Name.Namespace != Ubl))
        {
            return;
        }

        var previous = -1;
        string? previousName = null;
        foreach (var child in element.Elements())
        {
            var name = Prefix(child.Name.Namespace) + ":" + child.Name.LocalName;
            var index = Array.FindIndex(sequence, s => s.TrimEnd('*') == name);
            if (index < 0)
            {
                broken.Add($"UBL-SCHEMA: {name} is not allowed in {element.Name.LocalName}");
                continue;
            }

            if (index < previous)
            {
                broken.Add($"UBL-SCHEMA: {name} comes after {previousName} in {element.Name.LocalName}; the UBL sequence puts it before");
            }
            else if (index == previous && !sequence[index].EndsWith('*'))
            {
                broken.Add($"UBL-SCHEMA: {name} occurs more than once in {element.Name.LocalName}");
            }

            previous = Math.Max(previous, index);
            previousName = name;
        }
    }

    private static string Prefix(XNamespace ns) => ns == Cac ? "cac" : ns == Cbc ? "cbc" : ns == Ubl ? "ubl" : ns.NamespaceName;

    /// <summary>The text of the first element at a path of <c>cac:</c>/<c>cbc:</c> names below <paramref name="from"/>, or null.</summary>
    public static string? Text(XElement from, params string[] path)
    {
        XElement? at = from;
        foreach (var step in path)
        {
            var local = step[4..];
            at = at?.Element((step.StartsWith("cac:", StringComparison.Ordinal) ? Cac : Cbc) + local);
        }

        return at?.Value;
    }

    private static decimal? Number(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool Luhn(string digits)
    {
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }

        return (10 - (sum % 10)) % 10 == digits[9] - '0';
    }

    [GeneratedRegex(@"^urn:fdc:peppol\.eu:2017:poacc:billing:\d\d:1\.0$")]
    private static partial Regex ProfilePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex EasPattern();
}
