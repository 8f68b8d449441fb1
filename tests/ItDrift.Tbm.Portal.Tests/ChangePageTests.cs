using System.Globalization;
using System.Net;
using ItDrift.Tbm.Api.Portal;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Tests.Support;
using OpenQA.Selenium;

namespace ItDrift.Tbm.Tests;

/// <summary>The page Avgiftsförändring in a real browser: last year against this, figures equal to <c>tbm changes</c>' changes.csv, axe-clean, 404 for another tenant.</summary>
public sealed class ChangePageTests(PortalFixture portal) : IClassFixture<PortalFixture>, IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "tbm-changepage-" + Guid.NewGuid().ToString("N"));

    private OpenQA.Selenium.Chrome.ChromeDriver Driver => portal.Driver;

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string Shown(decimal amount) => Html.Kr(amount).Replace('\u00a0', ' ');

    private static string Signed(decimal amount) => ChangePages.Signed(amount).Replace('\u00a0', ' ');

    [Fact]
    public async Task Tenant_SeesItsFeeAgainstLastYear_AsChangesCsv_WithAWaterfall_AndNotAnotherTenants()
    {
        var run = portal.Store.FkRun;
        portal.SignIn("tenant T-A");
        portal.Go($"/portal/runs/{run}/tenants/T-A");
        Driver.FindElement(By.PartialLinkText("Avgiftsförändring")).Click();
        portal.Wait(d => d.Title.StartsWith("Avgiftsförändring för Myndighet A", StringComparison.Ordinal));
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // By default the run's latest year against the year before, as tbm changes --from RUN:YEAR-1 --to RUN writes it.
        var latest = portal.Store.FkCsv("fees").Skip(1).Max(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture));
        var output = Path.Combine(_temp, "bridge");
        FeeBridge.Write(new BridgeSide(portal.Store.FkFolder, latest - 1), new BridgeSide(portal.Store.FkFolder), output);
        var expected = File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesFile)).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "T-A")
            .ToDictionary(f => f[1], f => (Shown(Dec(f[2])), Shown(Dec(f[3])), Signed(Dec(f[4])), Signed(Dec(f[5])), Signed(Dec(f[6]))));
        var shown = Driver.FindElements(By.CssSelector("#changes tbody tr")).ToDictionary(r => r.GetAttribute("data-service")!,
            r => (Cell(r, "from"), Cell(r, "to"), Cell(r, "change"), Cell(r, "volume"), Cell(r, "price")));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(), shown.OrderBy(e => e.Key, StringComparer.Ordinal).ToList());
        Assert.Contains(latest.ToString(CultureInfo.InvariantCulture) + " (utfall) jämförd med " + (latest - 1).ToString(CultureInfo.InvariantCulture), Driver.FindElement(By.Id("compared")).Text, StringComparison.Ordinal);

        // The waterfall: an SVG named by its title and described by its figures, which the table after it repeats.
        var lines = File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesFile)).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "T-A").ToList();
        var steps = new[] { Shown(lines.Sum(f => Dec(f[2]))), Signed(lines.Sum(f => Dec(f[5]))), Signed(lines.Sum(f => Dec(f[6]))), Shown(lines.Sum(f => Dec(f[3]))) };
        Assert.Equal(steps, Driver.FindElements(By.CssSelector("#waterfall tbody td")).Select(PortalFixture.Text));
        var svg = Driver.FindElement(By.CssSelector("svg.waterfall"));
        Assert.Equal("img", svg.GetAttribute("role"));
        var description = Driver.FindElement(By.Id("waterfall-desc")).GetAttribute("textContent")!.Replace('\u00a0', ' ');
        Assert.All(steps, s => Assert.Contains(s, description, StringComparison.Ordinal));
        Assert.Equal(4, svg.FindElements(By.TagName("rect")).Count);

        // Application X is shared by two tenants: its unit price is withheld, as the API's bridge does.
        Assert.Contains("visas ej", Driver.FindElement(By.CssSelector("#changes tr[data-service='APP-X']")).Text, StringComparison.Ordinal);

        // The workbook of the same comparison, downloaded by the browser.
        Driver.FindElement(By.PartialLinkText("Ladda ner avgiftsförändringen")).Click();
        Assert.True(PortalFixture.IsXlsx(portal.Downloaded(".xlsx")));

        // Another year chosen with the selectors: budget against outcome of the latest year.
        Driver.FindElement(By.CssSelector($"#fromYear option[value='{latest.ToString(CultureInfo.InvariantCulture)}']")).Click();
        Driver.FindElement(By.CssSelector("#fromScenario option[value='budget']")).Click();
        Driver.FindElement(By.CssSelector("form[action$='/avgiftsforandring'] button[type=submit]")).Click();
        portal.Wait(d => d.FindElement(By.Id("compared")).Text.Contains("jämförd med " + latest.ToString(CultureInfo.InvariantCulture) + " (budget)", StringComparison.Ordinal));
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // Another tenant's page and workbook: the same 404 as every page.
        using var client = portal.BrowserClient();
        foreach (var path in new[] { $"/portal/runs/{run}/tenants/T-B/avgiftsforandring", $"/portal/runs/{run}/tenants/T-B/avgiftsforandring.xlsx", $"/portal/runs/{run}/tenants/T-A/avgiftsforandring?from=NO-SUCH-RUN" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Sidan finns inte", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A year the run does not have: said on the page, in Swedish, with the choices to correct it.
        using var refused = await client.GetAsync(new Uri($"/portal/runs/{run}/tenants/T-A/avgiftsforandring?fromYear=2019", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Jämförelsen går inte att göra", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Cell(IWebElement row, string name) => PortalFixture.Text(row.FindElement(By.CssSelector("td." + name)));
}
