using System.Globalization;
using System.Net;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Api.Portal;
using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Tests.Support;
using OpenQA.Selenium;

namespace ItDrift.Tbm.Tests;

/// <summary>The portal in a real browser (headless Chromium) against the API's real server: each role's pages, their figures, and axe-core on every page.</summary>
public sealed class PortalBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private OpenQA.Selenium.Chrome.ChromeDriver Driver => portal.Driver;

    [Fact]
    public async Task Tenant_SeesItsOwnFeesExplainsQuotesAndDownloads_AndNotAnotherTenant()
    {
        var run = portal.Store.FkRun;
        portal.Go("/");
        Assert.Equal("sv", Driver.FindElement(By.TagName("html")).GetAttribute("lang"));
        Assert.Empty(portal.SeriousAccessibilityViolations());

        portal.SignIn("tenant T-A");
        var session = Driver.Manage().Cookies.GetCookieNamed("tbm-portal");
        Assert.NotNull(session);
        Assert.True(session.IsHttpOnly);
        Assert.Equal("Strict", session.SameSite);
        Assert.Null(session.Expiry); // a session cookie
        Assert.Contains("kundmyndighet T-A", Driver.FindElement(By.TagName("header")).Text, StringComparison.Ordinal);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        Driver.FindElement(By.LinkText("Mina avgifter")).Click();
        portal.Wait(d => d.Title.StartsWith("Avgifter för Myndighet A", StringComparison.Ordinal));
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // Every fee on the page is fees.csv's sum for T-A per year, scenario and service, in Swedish format; and nothing else.
        var expected = portal.Store.FkCsv("fees").Skip(1).Select(l => l.Split(','))
            .Where(f => f[2] == "T-A")
            .GroupBy(f => (Year: f[0], Scenario: f[1], Service: f[3]))
            .ToDictionary(g => g.Key, g => Html.Kr(g.Sum(f => decimal.Parse(f[5], CultureInfo.InvariantCulture))).Replace('\u00a0', ' '));
        var shown = new Dictionary<(string Year, string Scenario, string Service), string>();
        foreach (var table in Driver.FindElements(By.CssSelector("table.fees")))
        {
            foreach (var row in table.FindElements(By.CssSelector("tbody tr")))
            {
                shown[(table.GetAttribute("data-year")!, table.GetAttribute("data-scenario")!, row.GetAttribute("data-service")!)] = PortalFixture.Text(row.FindElement(By.CssSelector("td.fee")));
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), shown.OrderBy(e => e.Key).ToList());
        Assert.Contains(" kr", shown.Values.First(), StringComparison.Ordinal);
        Assert.Single(Driver.FindElements(By.CssSelector("svg.chart")));
        if (Environment.GetEnvironmentVariable("TBM_PORTAL_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            // docs/portal.png: TBM_PORTAL_SCREENSHOT=$PWD/docs/portal.png dotnet test tests/ItDrift.Tbm.Portal.Tests --filter Tenant_
            Driver.GetScreenshot().SaveAsFile(screenshot);
        }

        // The true-up equals trueup.csv's for T-A, when the run has one.
        var trueUp = portal.Store.FkCsv("trueup").Skip(1).Select(l => l.Split(',')).Where(f => f[1] == "T-A").ToList();
        Assert.NotEmpty(trueUp);
        Assert.Equal(trueUp.Select(f => Html.Kr(decimal.Parse(f[5], CultureInfo.InvariantCulture)).Replace('\u00a0', ' ')),
            Driver.FindElements(By.CssSelector("#trueup td.trueup")).Select(PortalFixture.Text));

        // Application X is shared by two tenants: its volume is withheld from a tenant, as the API's price list does.
        Assert.Contains(Driver.FindElements(By.CssSelector("table.fees tbody tr[data-service='APP-X']")), r => r.Text.Contains("visas ej", StringComparison.Ordinal));

        // The explanation of a fee, down to the cost pools.
        var explain = Driver.FindElements(By.CssSelector("table.fees a")).First(a => a.GetAttribute("href")!.Contains("/fees/INF-VM/explain", StringComparison.Ordinal));
        explain.Click();
        portal.Wait(d => d.FindElements(By.Id("pools")).Count > 0);
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("#pools tbody tr")));
        Assert.Empty(portal.SeriousAccessibilityViolations());
        Driver.Navigate().Back();

        // A quote for two more virtual machines.
        portal.Wait(d => d.FindElements(By.Id("q-INF-VM")).Count > 0);
        Driver.FindElement(By.Id("q-INF-VM")).SendKeys("3");
        Driver.FindElement(By.Id("employees")).SendKeys("10");
        Driver.FindElement(By.CssSelector("form[action$='/quote'] button[type=submit]")).Click();
        portal.Wait(d => d.FindElements(By.Id("quote-totals")).Count > 0);
        Assert.NotEmpty(Driver.FindElements(By.CssSelector("#quote-lines tbody tr")));
        Assert.Contains("kr", PortalFixture.Text(Driver.FindElement(By.Id("connection"))), StringComparison.Ordinal);
        Assert.DoesNotContain("Myndighet B", Driver.PageSource, StringComparison.Ordinal);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // The fee specification, downloaded by the browser.
        portal.Go($"/portal/runs/{run}/tenants/T-A");
        Driver.FindElement(By.PartialLinkText("Ladda ner avgiftsspecifikationen")).Click();
        Assert.True(PortalFixture.IsXlsx(portal.Downloaded(".xlsx")));

        // Another tenant's page, a supplier page and an unknown run: the same 404, in Swedish.
        using var client = portal.BrowserClient();
        foreach (var path in new[] { $"/portal/runs/{run}/tenants/T-B", $"/portal/runs/{run}/leverantor", $"/portal/runs/{run}/tenants/T-B/fees/export.xlsx", "/portal/runs/NO-SUCH-RUN/tenants/T-A" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Sidan finns inte", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        portal.Go($"/portal/runs/{run}/tenants/T-B");
        Assert.StartsWith("Sidan finns inte", Driver.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("Myndighet B", Driver.PageSource, StringComparison.Ordinal);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // Signing out ends the session: a portal page sends the browser back to the sign-in form.
        SignOut();
        portal.Go($"/portal/runs/{run}/tenants/T-A");
        portal.Wait(d => d.FindElements(By.Id("key")).Count > 0);
    }

    [Fact]
    public void Supplier_SeesRunsPricesBalanceAndUnallocated_AndSignsOut()
    {
        portal.SignIn("supplier FK");
        Driver.FindElement(By.LinkText("Körning, prislista och balans")).Click();
        portal.Wait(d => d.FindElements(By.TagName("h2")).Any(h => h.Text == "Prislista"));
        var headings = Driver.FindElements(By.TagName("h2")).Select(h => h.Text).ToList();
        Assert.Equal(["Körningar", "Prislista", "Avgiftsområdets balans", "Ofördelade medel", "Kundernas avgiftsspecifikationer"], headings);
        Assert.Contains(portal.Store.FkRun, Driver.FindElement(By.TagName("table")).Text, StringComparison.Ordinal);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // The supplier opens a tenant's fee specification page (all of it: nothing is withheld from the supplier).
        Driver.FindElement(By.LinkText("Myndighet B")).Click();
        portal.Wait(d => d.Title.StartsWith("Avgifter för Myndighet B", StringComparison.Ordinal));
        Assert.DoesNotContain("visas ej", Driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);

        portal.Go($"/portal/runs/{portal.Store.SkvRun}/leverantor");
        Assert.StartsWith("Sidan finns inte", Driver.Title, StringComparison.Ordinal);
        SignOut();
        Assert.NotEmpty(Driver.FindElements(By.Id("key")));
    }

    [Fact]
    public void Esv_SeesIndicatorsOfEverySupplier_AndDownloadsTheStatusReport()
    {
        portal.SignIn("esv");
        Assert.Equal(2, Driver.FindElements(By.LinkText("Nyckeltal")).Count);
        Driver.FindElements(By.LinkText("Nyckeltal"))[0].Click();
        portal.Wait(d => d.Title.StartsWith("Nyckeltal", StringComparison.Ordinal));
        Assert.Empty(portal.SeriousAccessibilityViolations());
        var distributions = Driver.FindElements(By.CssSelector("#distributions tbody tr"));
        Assert.NotEmpty(distributions);

        // Groups under three tenants are suppressed, as the API's kpi routes do.
        Assert.All(distributions.Where(r => int.Parse(r.FindElements(By.TagName("td"))[4].Text, CultureInfo.InvariantCulture) < 3),
            r => Assert.Contains("undertryckt", r.Text, StringComparison.Ordinal));

        portal.Go("/");
        Driver.FindElement(By.CssSelector("form[action='/portal/statusrapport'] button")).Click();
        Assert.True(PortalFixture.IsXlsx(portal.Downloaded(".xlsx")));
        SignOut();
    }

    [Fact]
    public void SignIn_WithAnUnknownKey_SaysSoInSwedish()
    {
        Driver.Manage().Cookies.DeleteAllCookies();
        portal.Go("/");
        Driver.FindElement(By.Id("key")).SendKeys(portal.Store.Keys["revoked"]);
        Driver.FindElement(By.CssSelector("form[action='/login'] button")).Click();
        portal.Wait(d => d.FindElements(By.Id("login-error")).Count > 0);
        Assert.Equal("Nyckeln är okänd eller återkallad.", Driver.FindElement(By.Id("login-error")).Text);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("tbm-portal"));
        Assert.Empty(portal.SeriousAccessibilityViolations());
    }

    [Fact]
    public async Task Forms_WithoutAnAntiforgeryToken_AreRefused_AndSignNobodyIn()
    {
        using var client = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = portal.Store.Keys["esv"] });
        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("tbm-portal=", StringComparison.Ordinal));
        Assert.Contains("Formuläret hade gått ut", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Session_Ends_WhenItsKeyIsRevoked()
    {
        var keys = new ApiKeyStore(portal.Store.KeysFile);
        var (entry, key) = keys.Add(AccessGrant.Create(Role.Tenant, "T-D", "FK"), "revoked during the session");
        var page = $"/portal/runs/{portal.Store.FkRun}/tenants/T-D";
        portal.SignInWithKey(key);
        portal.Go(page);
        Assert.StartsWith("Avgifter för", Driver.Title, StringComparison.Ordinal);

        keys.Revoke(entry.Id);
        portal.Go(page);
        portal.Wait(d => d.FindElements(By.Id("key")).Count > 0);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("tbm-portal"));
    }

    private void SignOut()
    {
        portal.Go("/");
        Driver.FindElement(By.CssSelector("form[action='/logout'] button")).Click();
        portal.Wait(d => d.FindElements(By.Id("key")).Count > 0);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed("tbm-portal"));
    }
}
