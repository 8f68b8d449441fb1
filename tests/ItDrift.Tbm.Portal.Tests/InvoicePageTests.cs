using ItDrift.Tbm.Api.Portal;
using ItDrift.Tbm.Billing;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using OpenQA.Selenium;

namespace ItDrift.Tbm.Tests;

/// <summary>The page Fakturaunderlag in a real browser: the tenant's invoices of a year as <c>tbm invoice</c> computes them, axe-clean, another tenant's not found.</summary>
public sealed class InvoicePageTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private OpenQA.Selenium.Chrome.ChromeDriver Driver => portal.Driver;

    private static string Shown(long ore) => Html.Kr(ore / 100m).Replace('\u00a0', ' ');

    [Fact]
    public void Tenant_SeesItsInvoicesOfTheYear_AsInvoicingComputesThem_AndNotAnotherTenants()
    {
        var run = portal.Store.FkRun;
        var folder = RunFolder.Open(portal.Store.FkFolder);
        var year = Invoicing.Years(folder)[^1];
        var expected = Invoicing.Invoices(folder, year).Where(i => i.Buyer.Id == "T-A").ToList();
        Assert.NotEmpty(expected);

        portal.SignIn("tenant T-A");
        portal.Go($"/portal/runs/{run}/tenants/T-A");
        Driver.FindElement(By.PartialLinkText("Fakturaunderlag")).Click();
        portal.Wait(d => d.Title.StartsWith("Fakturaunderlag för Myndighet A", StringComparison.Ordinal));
        Assert.Empty(portal.SeriousAccessibilityViolations());

        var tables = Driver.FindElements(By.CssSelector("table.invoice"));
        Assert.Equal(expected.Select(i => i.Number), tables.Select(t => t.GetAttribute("data-invoice")));
        Assert.Equal(expected.Select(i => Shown(i.Total)), tables.Select(t => PortalFixture.Text(t.FindElement(By.CssSelector("tfoot td")))));
        Assert.Contains(Shown(expected.Sum(i => i.Total)), PortalFixture.Text(Driver.FindElement(By.Id("year-total"))), StringComparison.Ordinal);

        portal.Go($"/portal/runs/{run}/tenants/T-B/fakturaunderlag");
        Assert.DoesNotContain("Fakturaunderlag för", Driver.Title, StringComparison.Ordinal);
    }
}
