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
        Assert.Equal(["chart-services", "chart-years"], Driver.FindElements(By.CssSelector("svg.chart")).Select(c => c.GetAttribute("id")!));

        // The fee over years: per year the fees.csv sum of the best-known scenario (actual, else forecast, else budget), as a chart with a title and a description, and as a table.
        var best = new[] { "actual", "forecast", "budget" };
        var byYear = portal.Store.FkCsv("fees").Skip(1).Select(l => l.Split(',')).Where(f => f[2] == "T-A").GroupBy(f => f[0]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var scenario = best.First(b => g.Any(f => f[1] == b));
                return $"{g.Key} {scenario} {Html.Kr(g.Where(f => f[1] == scenario).Sum(f => decimal.Parse(f[5], CultureInfo.InvariantCulture))).Replace('\u00a0', ' ')}";
            }).ToList();
        Assert.Equal(["2024 actual 771,44 kr", "2025 actual 857,15 kr"], byYear); // by hand: see PortalPageTests.LargestChanges_ListsTheLargestChangeFirst_WithHandWorkedFigures
        Assert.Equal(byYear, Driver.FindElements(By.CssSelector("#fee-years tbody tr")).Select(r => $"{r.GetAttribute("data-year")} {r.GetAttribute("data-scenario")} {PortalFixture.Text(r.FindElement(By.CssSelector("td.fee")))}"));
        var years = Driver.FindElement(By.Id("chart-years"));
        Assert.Equal("img", years.GetAttribute("role"));
        Assert.Equal("chart-years-title", years.GetAttribute("aria-labelledby"));
        var description = (string)Driver.ExecuteScript("return document.getElementById('chart-years-desc').textContent;")!;
        Assert.Equal("2024 (utfall): 771,44 kr; 2025 (utfall): 857,15 kr", description.Replace('\u00a0', ' '));
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
        Assert.Contains("inga avbetalningar", Driver.FindElement(By.Id("instalments")).Text, StringComparison.Ordinal);

        // A refusal of the engine, in Swedish: a quantity with seven decimals.
        Driver.FindElement(By.Id("q-INF-VM")).Clear();
        Driver.FindElement(By.Id("q-INF-VM")).SendKeys("0,0000001");
        Driver.FindElement(By.CssSelector("form[action$='/quote'] button[type=submit]")).Click();
        portal.Wait(d => d.FindElements(By.Id("quote-error")).Count > 0);
        Assert.Equal("Antalet för Virtuell maskin måste vara mellan 0 och 1 000 000 000 000 med högst sex decimaler.", PortalFixture.Text(Driver.FindElement(By.Id("quote-error"))));
        Assert.Empty(portal.SeriousAccessibilityViolations());
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

        // The largest fee changes: the fee bridge's changes.csv from 2024 to 2025, largest change first (the order by hand: PortalPageTests).
        Driver.Navigate().Back();
        portal.Wait(d => d.FindElements(By.PartialLinkText("Största avgiftsförändringar")).Count > 0);
        Driver.FindElement(By.PartialLinkText("Största avgiftsförändringar")).Click();
        portal.Wait(d => d.FindElements(By.Id("largest-changes")).Count > 0);
        Assert.Empty(portal.SeriousAccessibilityViolations());
        var bridge = Path.Combine(portal.Store.Root, "bridge-browser");
        ItDrift.Tbm.Changes.FeeBridge.Write(new(portal.Store.FkFolder, 2024), new(portal.Store.FkFolder, 2025), bridge);
        var changes = File.ReadAllLines(Path.Combine(bridge, "changes.csv")).Skip(1).Select(l => l.Split(','))
            .OrderByDescending(f => Math.Abs(decimal.Parse(f[4], CultureInfo.InvariantCulture))).ThenBy(f => f[0], StringComparer.Ordinal).ThenBy(f => f[1], StringComparer.Ordinal)
            .Select(f => string.Join(" ", f[0], f[1], string.Join(" ", f[2..7].Select(a => Html.Kr(decimal.Parse(a, CultureInfo.InvariantCulture)).Replace('\u00a0', ' ')))))
            .ToList();
        Assert.Equal(changes, Driver.FindElements(By.CssSelector("#largest-changes tbody tr"))
            .Select(r => string.Join(" ", r.GetAttribute("data-tenant"), r.GetAttribute("data-service"), string.Join(" ", r.FindElements(By.CssSelector("td.n")).Skip(1).Take(5).Select(PortalFixture.Text)))));
        Assert.Equal("T-C", Driver.FindElement(By.CssSelector("#largest-changes tbody tr")).GetAttribute("data-tenant"));

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
    public async Task Prospect_QuotesItsJoiningByKeyboard_AndSeesNothingElse()
    {
        var run = portal.Store.FkRun;
        portal.SignIn("prospect T-NEW");
        Assert.Empty(portal.SeriousAccessibilityViolations());
        Driver.FindElement(By.PartialLinkText("Vad skulle en anslutning kosta?")).Click();
        portal.Wait(d => d.FindElements(By.Id("q-INF-VM")).Count > 0);
        Assert.StartsWith("Vad skulle en anslutning till Försäkringskassan kosta?", Driver.Title, StringComparison.Ordinal);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // By keyboard: the skip link is the first stop, then the form is filled in and sent with Enter.
        new OpenQA.Selenium.Interactions.Actions(Driver).SendKeys(Keys.Tab).Perform();
        Assert.Equal("Hoppa till huvudinnehållet", Driver.SwitchTo().ActiveElement().Text);
        Driver.FindElement(By.Id("name")).SendKeys("Nya myndigheten");
        Driver.FindElement(By.Id("q-INF-VM")).SendKeys("2,5");
        Driver.FindElement(By.Id("employees")).SendKeys("40" + Keys.Enter);
        portal.Wait(d => d.FindElements(By.Id("quote-totals")).Count > 0);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        // The figures are the engine's quote of the same order, in Swedish format.
        var engine = TbmEngine.QuoteFromRun(portal.Store.FkFolder, new ItDrift.Tbm.Quotes.QuoteOrder("T-NEW", "Nya myndigheten", 40, null, new Dictionary<string, decimal>(StringComparer.Ordinal) { ["INF-VM"] = 2.5m }));
        Assert.Equal(engine.TotalByYear.OrderBy(t => t.Key).Select(t => $"{t.Key} {Html.Kr(t.Value / 100m).Replace('\u00a0', ' ')}"),
            Driver.FindElements(By.CssSelector("#quote-totals tbody tr")).Select(PortalFixture.Text));
        Assert.Contains(Html.Kr(engine.ConnectionCost / 100m).Replace('\u00a0', ' '), PortalFixture.Text(Driver.FindElement(By.Id("connection"))), StringComparison.Ordinal);
        Assert.NotEmpty(Driver.FindElements(By.Id("instalments")));
        Assert.DoesNotContain(["Myndighet A", "Myndighet B", "Myndighet C", "Myndighet D"], n => Driver.FindElement(By.TagName("main")).Text.Contains(n, StringComparison.Ordinal));

        // A refusal in Swedish: application X is shared by two tenants.
        Driver.FindElement(By.Id("q-APP-X")).SendKeys("1");
        Driver.FindElement(By.CssSelector("form[action$='/anslutning'] button[type=submit]")).Click();
        portal.Wait(d => d.FindElements(By.Id("quote-error")).Count > 0);
        Assert.Equal("Applikation X delas av för få kunder för att kostnaden ska få visas (färre än 3), så en offert skulle avslöja vad andra myndigheter betalar. Be leverantören om den här offerten.",
            Driver.FindElement(By.Id("quote-error")).Text);
        Assert.Empty(portal.SeriousAccessibilityViolations());

        using var client = portal.BrowserClient();
        foreach (var path in new[] { $"/portal/runs/{run}/tenants/T-A", $"/portal/runs/{run}/leverantor", $"/portal/runs/{run}/storsta-forandringar" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

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
