using System.Globalization;
using System.Text;
using System.Xml.Linq;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Billing;

public sealed class UblInvoiceTests
{
    private static readonly XNamespace Cac = BisRules.Cac;
    private static readonly XNamespace Cbc = BisRules.Cbc;

    /// <summary>The whole document of the credit 2026-0003, as BIS 3.0 wants it: every element in UBL order.</summary>
    private const string CreditXml = """
        <?xml version="1.0" encoding="utf-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
          <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
          <cbc:ID>2026-0003</cbc:ID>
          <cbc:IssueDate>2026-07-15</cbc:IssueDate>
          <cbc:DueDate>2026-08-14</cbc:DueDate>
          <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
          <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
          <cbc:BuyerReference>T-B</cbc:BuyerReference>
          <cac:AccountingSupplierParty>
            <cac:Party>
              <cbc:EndpointID schemeID="0007">2021005521</cbc:EndpointID>
              <cac:PostalAddress>
                <cac:Country>
                  <cbc:IdentificationCode>SE</cbc:IdentificationCode>
                </cac:Country>
              </cac:PostalAddress>
              <cac:PartyLegalEntity>
                <cbc:RegistrationName>Försäkringskassan</cbc:RegistrationName>
                <cbc:CompanyID schemeID="0007">2021005521</cbc:CompanyID>
              </cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingSupplierParty>
          <cac:AccountingCustomerParty>
            <cac:Party>
              <cbc:EndpointID schemeID="0007">2021004284</cbc:EndpointID>
              <cac:PostalAddress>
                <cac:Country>
                  <cbc:IdentificationCode>SE</cbc:IdentificationCode>
                </cac:Country>
              </cac:PostalAddress>
              <cac:PartyLegalEntity>
                <cbc:RegistrationName>Agency B</cbc:RegistrationName>
                <cbc:CompanyID schemeID="0007">2021004284</cbc:CompanyID>
              </cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingCustomerParty>
          <cac:TaxTotal>
            <cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>
            <cac:TaxSubtotal>
              <cbc:TaxableAmount currencyID="SEK">-1400.00</cbc:TaxableAmount>
              <cbc:TaxAmount currencyID="SEK">0.00</cbc:TaxAmount>
              <cac:TaxCategory>
                <cbc:ID>O</cbc:ID>
                <cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>
                <cbc:TaxExemptionReason>Omfattas inte av mervärdesskatt (avgift mellan statliga myndigheter)</cbc:TaxExemptionReason>
                <cac:TaxScheme>
                  <cbc:ID>VAT</cbc:ID>
                </cac:TaxScheme>
              </cac:TaxCategory>
            </cac:TaxSubtotal>
          </cac:TaxTotal>
          <cac:LegalMonetaryTotal>
            <cbc:LineExtensionAmount currencyID="SEK">-1400.00</cbc:LineExtensionAmount>
            <cbc:TaxExclusiveAmount currencyID="SEK">-1400.00</cbc:TaxExclusiveAmount>
            <cbc:TaxInclusiveAmount currencyID="SEK">-1400.00</cbc:TaxInclusiveAmount>
            <cbc:PayableAmount currencyID="SEK">-1400.00</cbc:PayableAmount>
          </cac:LegalMonetaryTotal>
          <cac:InvoiceLine>
            <cbc:ID>1</cbc:ID>
            <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
            <cbc:LineExtensionAmount currencyID="SEK">100.00</cbc:LineExtensionAmount>
            <cac:Item>
              <cbc:Name>Preliminär avgift 2026: FUN-SUP</cbc:Name>
              <cac:SellersItemIdentification>
                <cbc:ID>FUN-SUP</cbc:ID>
              </cac:SellersItemIdentification>
              <cac:ClassifiedTaxCategory>
                <cbc:ID>O</cbc:ID>
                <cac:TaxScheme>
                  <cbc:ID>VAT</cbc:ID>
                </cac:TaxScheme>
              </cac:ClassifiedTaxCategory>
            </cac:Item>
            <cac:Price>
              <cbc:PriceAmount currencyID="SEK">100.00</cbc:PriceAmount>
            </cac:Price>
          </cac:InvoiceLine>
          <cac:InvoiceLine>
            <cbc:ID>2</cbc:ID>
            <cbc:InvoicedQuantity unitCode="C62">-1</cbc:InvoicedQuantity>
            <cbc:LineExtensionAmount currencyID="SEK">-1500.00</cbc:LineExtensionAmount>
            <cac:Item>
              <cbc:Name>Avräkning 2025: INF-VM</cbc:Name>
              <cac:SellersItemIdentification>
                <cbc:ID>INF-VM</cbc:ID>
              </cac:SellersItemIdentification>
              <cac:ClassifiedTaxCategory>
                <cbc:ID>O</cbc:ID>
                <cac:TaxScheme>
                  <cbc:ID>VAT</cbc:ID>
                </cac:TaxScheme>
              </cac:ClassifiedTaxCategory>
            </cac:Item>
            <cac:Price>
              <cbc:PriceAmount currencyID="SEK">1500.00</cbc:PriceAmount>
            </cac:Price>
          </cac:InvoiceLine>
        </Invoice>
        """;

    [Fact]
    public void Write_GivesTheWholeBisDocument_CreditInvoice()
    {
        var bytes = UblInvoice.ToBytes(SampleInvoices.Credit());

        Assert.Equal(CreditXml.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.DoesNotContain((byte)'\r', bytes);
    }

    [Fact]
    public void Write_PassesTheEncodedBisRules_EverySampleInvoice()
    {
        foreach (var invoice in SampleInvoices.All())
        {
            var broken = BisRules.Check(Read(UblInvoice.ToBytes(invoice)));
            Assert.True(broken.Count == 0, invoice.Number + ": " + string.Join("; ", broken));
        }
    }

    [Fact]
    public void Write_GivesTheHandWorkedTotals_ReadBackIndependently()
    {
        var first = Read(UblInvoice.ToBytes(SampleInvoices.First())).Root!;
        var second = Read(UblInvoice.ToBytes(SampleInvoices.Second())).Root!;

        // 1 234 567,89 + 0,05 + 1 000,00 = 1 235 567,94 kr.
        Assert.Equal("1235567.94", Total(first, "PayableAmount"));
        Assert.Equal("1235567.94", Total(first, "LineExtensionAmount"));
        Assert.Equal("1235567.94", Total(first, "TaxExclusiveAmount"));
        Assert.Equal("1235567.94", Total(first, "TaxInclusiveAmount"));
        Assert.Equal(["1234567.89", "0.05", "1000.00"], first.Elements(Cac + "InvoiceLine").Select(l => l.Element(Cbc + "LineExtensionAmount")!.Value));
        Assert.Equal("FAKTREF-17", first.Element(Cbc + "BuyerReference")!.Value);
        Assert.Equal("Avbetalning 2026: INF-VM", first.Elements(Cac + "InvoiceLine").Last().Element(Cac + "Item")!.Element(Cbc + "Name")!.Value);

        // 1 234 567,88 + 0,04 − 250 000,50 + 0,01 = 984 567,43 kr; the credit line has quantity −1 and a positive price.
        Assert.Equal("984567.43", Total(second, "PayableAmount"));
        Assert.Equal("984567.43", second.Element(Cac + "TaxTotal")!.Element(Cac + "TaxSubtotal")!.Element(Cbc + "TaxableAmount")!.Value);
        Assert.Equal("0.00", second.Element(Cac + "TaxTotal")!.Element(Cbc + "TaxAmount")!.Value);
        var credit = second.Elements(Cac + "InvoiceLine").ElementAt(2);
        Assert.Equal("-1", credit.Element(Cbc + "InvoicedQuantity")!.Value);
        Assert.Equal("-250000.50", credit.Element(Cbc + "LineExtensionAmount")!.Value);
        Assert.Equal("250000.50", credit.Element(Cac + "Price")!.Element(Cbc + "PriceAmount")!.Value);
        Assert.Equal(["1", "2", "3", "4"], second.Elements(Cac + "InvoiceLine").Select(l => l.Element(Cbc + "ID")!.Value));
    }

    [Theory]
    [InlineData(0L, "0.00")]
    [InlineData(5L, "0.05")]
    [InlineData(-5L, "-0.05")]
    [InlineData(-100L, "-1.00")]
    [InlineData(123_456_789L, "1234567.89")]
    [InlineData(999_999_999_999_999_999L, "9999999999999999.99")]
    [InlineData(-999_999_999_999_999_999L, "-9999999999999999.99")]
    public void Amount_WritesTwoDecimalsExactly_FromOre(long ore, string expected) => Assert.Equal(expected, UblInvoice.Amount(ore));

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("de-DE")]
    public void Write_GivesTheSameBytes_UnderAnyCulture(string culture)
    {
        var invariant = UblInvoice.ToBytes(SampleInvoices.Second());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(invariant, UblInvoice.ToBytes(SampleInvoices.Second()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void WriteAll_WritesOneFilePerInvoice_ByteIdenticalTwice()
    {
        using var one = new TempFolder();
        using var two = new TempFolder();

        Assert.Equal(3, UblInvoice.WriteAll(SampleInvoices.All(), one.Path));
        UblInvoice.WriteAll(SampleInvoices.All(), two.Path);

        var names = Directory.GetFiles(one.Combine("ubl")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["2026-0001.xml", "2026-0002.xml", "2026-0003.xml"], names);
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(one.Combine("ubl", name!)), File.ReadAllBytes(two.Combine("ubl", name!)));
        }

        Assert.Equal("-1400.00", Total(XDocument.Load(one.Combine("ubl", "2026-0003.xml")).Root!, "PayableAmount"));
    }

    [Fact]
    public void WriteAll_WritesNothing_WhenAnInvoiceCannotBeValid()
    {
        using var folder = new TempFolder();
        var noOrgNr = SampleInvoices.Credit() with { Buyer = SampleInvoices.AgencyB with { OrgNr = "" } };

        var e = Assert.Throws<TbmException>(() => UblInvoice.WriteAll([SampleInvoices.First(), noOrgNr], folder.Path));

        Assert.Equal(TbmErrorKind.Model, e.Kind);
        Assert.Equal("invoice '2026-0003': buyer 'T-B' has neither a Peppol endpoint nor an organisation number; an electronic address is required (PEPPOL-EN16931-R010)", e.Message);
        Assert.False(Directory.Exists(folder.Combine("ubl")));
    }

    [Fact]
    public void WriteAll_RefusesToReplace_AFileItDidNotWrite()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("ubl"));
        File.WriteAllText(folder.Combine("ubl", "2026-0002.xml"), "mine");

        var e = Assert.Throws<TbmException>(() => UblInvoice.WriteAll(SampleInvoices.All(), folder.Path));

        Assert.Equal(TbmErrorKind.Conflict, e.Kind);
        Assert.Equal($"'{folder.Combine("ubl", "2026-0002.xml")}' exists already; the engine does not replace a file it did not write", e.Message);
        Assert.Equal("mine", File.ReadAllText(folder.Combine("ubl", "2026-0002.xml")));
    }

    [Fact]
    public void WriteAll_Refuses_TwoNumbersWithOneFileName()
    {
        using var folder = new TempFolder();
        var a = SampleInvoices.First() with { Number = "2026/1" };
        var b = SampleInvoices.Second() with { Number = "2026:1" };

        var e = Assert.Throws<TbmException>(() => UblInvoice.WriteAll([a, b], folder.Path));

        Assert.Equal("invoices '2026/1' and '2026:1' would both be written as ubl/2026_1.xml; invoice numbers must differ in more than case and punctuation", e.Message);
    }

    [Fact]
    public void Check_NamesEveryProblem_OfABrokenInvoice()
    {
        var invoice = SampleInvoices.First() with
        {
            Number = "",
            Currency = "kr",
            Seller = SampleInvoices.Seller with { OrgNr = "", EndpointId = "7:1" },
            Buyer = SampleInvoices.AgencyA with { Name = " ", OrgNr = "202100-5449", EndpointId = "0007:2021005449" },
        };

        Assert.Equal(
            [
                "an invoice has no number (BT-1)",
                "invoice '': currency 'kr' is not an ISO 4217 code (BT-5)",
                "invoice '': seller 'FK' has no organisation number; the seller's is its legal registration identifier (BT-30, BR-CO-26)",
                "invoice '': seller 'FK': endpoint '7:1' is not of the form SCHEME:ID with a four-digit scheme (e.g. 0007:2021005489)",
                "invoice '': buyer 'T-A' has no name (BT-44)",
                "invoice '': buyer 'T-A': organisation number '202100-5449' has a wrong check digit (expected 8)",
                "invoice '': buyer 'T-A': endpoint '0007:2021005449' is not a valid Swedish organisation number of ten digits (PEPPOL-COMMON-R049)",
            ],
            UblInvoice.Check(invoice));
    }

    [Fact]
    public void Check_Refuses_TextXmlCannotCarry_AndLinesOfAnotherTenant()
    {
        var invoice = SampleInvoices.Credit() with
        {
            Lines = [new InvoiceLine("T-A", 2026, 7, "A\u0001B", InvoiceLineKind.Preliminary, 1)],
        };

        Assert.Equal(
            [
                "invoice '2026-0003': the service holds a character XML cannot carry (U+0001 at position 2)",
                "invoice '2026-0003': a line of tenant 'T-A' is on an invoice to 'T-B'",
            ],
            UblInvoice.Check(invoice));
        Assert.Equal("invoice '2026-0003': the service holds a character XML cannot carry (U+0001 at position 2) (and 1 more problem(s) with the invoices)", Assert.Throws<TbmException>(() => UblInvoice.ToBytes(invoice)).Message);
    }

    [Fact]
    public void Write_TakesTheBuyersId_AsReferenceWhenThePlanGivesNone()
    {
        var root = Read(UblInvoice.ToBytes(SampleInvoices.Credit() with { Buyer = SampleInvoices.AgencyB with { Reference = "  " } })).Root!;

        Assert.Equal("T-B", root.Element(Cbc + "BuyerReference")!.Value);
    }

    [Fact]
    public void FileName_KeepsSafeCharacters_AndReplacesTheRest()
    {
        Assert.Equal("2026-0001.xml", UblInvoice.FileName(SampleInvoices.First()));
        Assert.Equal("FK_2026_001.xml", UblInvoice.FileName(SampleInvoices.First() with { Number = "FK/2026 001" }));
        Assert.Equal("_...xml", UblInvoice.FileName(SampleInvoices.First() with { Number = ".." }));
    }

    // The encoded rules must catch what they claim to: each mutation of a valid document breaks exactly its rule.
    [Theory]
    [InlineData("BuyerReference", "PEPPOL-EN16931-R003")]
    [InlineData("ProfileID", "PEPPOL-EN16931-R001")]
    [InlineData("EndpointID", "PEPPOL-EN16931-R020")]
    public void BisRules_CatchAMissingTerm(string element, string rule)
    {
        var document = Read(UblInvoice.ToBytes(SampleInvoices.First()));
        document.Descendants(Cbc + element).First().Remove();

        Assert.Contains(BisRules.Check(document), b => b.StartsWith(rule + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void BisRules_CatchWrongTotalsOrderAndCategoryO()
    {
        var document = Read(UblInvoice.ToBytes(SampleInvoices.First()));
        var root = document.Root!;
        root.Element(Cac + "InvoiceLine")!.Element(Cbc + "LineExtensionAmount")!.Value = "1234567.88";
        root.Element(Cbc + "DueDate")!.AddBeforeSelf(new XElement(Cbc + "DocumentCurrencyCode", "SEK"));
        root.Descendants(Cac + "ClassifiedTaxCategory").First().Element(Cbc + "ID")!.AddAfterSelf(new XElement(Cbc + "Percent", "0"));
        root.Descendants(Cbc + "EndpointID").Last().Value = "2021005449";
        root.Element(Cac + "LegalMonetaryTotal")!.Element(Cbc + "PayableAmount")!.Value = "1235567.945";

        var rules = BisRules.Check(document).Select(b => b[..b.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["BR-CO-10", "BR-CO-16", "BR-DEC", "BR-O-05", "BR-O-08", "PEPPOL-COMMON-R049", "PEPPOL-EN16931-R120", "UBL-SCHEMA"], rules);
    }

    private static XDocument Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return XDocument.Load(stream);
    }

    private static string Total(XElement root, string name) => root.Element(Cac + "LegalMonetaryTotal")!.Element(Cbc + name)!.Value;
}
