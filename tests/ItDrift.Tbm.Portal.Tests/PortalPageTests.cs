using System.Globalization;
using System.Net;
using ItDrift.Tbm.Api.Portal;
using ItDrift.Tbm.Api.Quotes;
using ItDrift.Tbm.Changes;
using ItDrift.Tbm.Quotes;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// The portal's new pages at the HTTP level, against the real server: who gets which page (and 404 for the rest),
/// the largest fee changes in order, the prospect's quote, and the quote's refusals in Swedish.
/// </summary>
public sealed class PortalPageTests(PortalServer portal) : IClassFixture<PortalServer>
{
    /// <summary>The FK run's tenants, by id and name: a prospect sees none of them.</summary>
    private static readonly string[] OtherTenants = ["T-A", "T-B", "T-C", "T-D", "Myndighet A", "Myndighet B", "Myndighet C", "Myndighet D"];

    private string Run => portal.Store.FkRun;

    /// <summary>A page's figures are kept per run and view: the tenant's view (with withheld figures) is never served to the supplier, nor the other way round.</summary>
    [Fact]
    public async Task TenantPage_KeptFigures_AreThoseOfTheReadersView()
    {
        var page = new Uri($"/portal/runs/{Run}/tenants/T-A", UriKind.Relative);
        using var tenant = await portal.SignedIn("tenant T-A");
        using var supplier = await portal.SignedIn("supplier FK");
        for (var round = 0; round < 2; round++)
        {
            using var own = await tenant.GetAsync(page);
            Assert.Contains("visas ej", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(own.Headers.CacheControl is { NoCache: true, NoStore: true }, own.Headers.CacheControl?.ToString());
            Assert.Contains("no-cache", own.Headers.Pragma.Select(p => p.Name));
            var full = await supplier.GetStringAsync(page);
            Assert.DoesNotContain("visas ej", full, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("tenant T-A")]
    [InlineData("tenant T-X")]
    [InlineData("prospect T-NEW")]
    [InlineData("supplier SKV")]
    public async Task LargestChanges_IsNotFound_ForTenantsProspectsAndOtherSuppliers(string caller)
    {
        using var client = await portal.SignedIn(caller);
        using var response = await client.GetAsync(new Uri(LargestChanges.Path(Run), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Sidan finns inte", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Myndighet", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// FK's fees, 2024 actual (the ledger × 0.9) against 2025 actual, worked by hand (see TestStore.FkModel):
    /// the data centre (4011 + 4020: 1 125,50 / 1 250,55) goes 2:1 to virtual machines and support, largest remainder.
    /// Virtual machines 750,33 + 108,09 + 72,00 = 930,42 (2024) and 833,70 + 120,10 + 80,00 = 1 033,80 (2025), by VMs
    /// 1,5 : 1 : 2 → T-A 310,14 / 344,60, T-B 206,76 / 229,74, T-C 413,52 / 459,46. Support 375,17 + 270,00 = 645,17 and
    /// 416,85 + 300,00 = 716,85 evenly over four, the öre left to T-A: 161,30 / 179,22 and 161,29 / 179,21. Application X
    /// 450,00 / 500,00 by licences 10 : 5 → T-A 300,00 / 333,33, T-B 150,00 / 166,67. So the changes, largest first:
    /// T-C VM 45,94; T-A VM 34,46; T-A X 33,33; T-B VM 22,98; support 17,92 for each of the four (by tenant id); T-B X 16,67.
    /// </summary>
    [Theory]
    [InlineData("supplier FK")]
    [InlineData("esv")]
    public async Task LargestChanges_ListsTheLargestChangeFirst_WithHandWorkedFigures(string caller)
    {
        using var client = await portal.SignedIn(caller);
        using var response = await client.GetAsync(new Uri(LargestChanges.Path(Run), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);

        var rows = Rows(html, "largest-changes");
        string[][] expected =
        [
            ["T-C", "INF-VM", "413,52 kr", "459,46 kr", "45,94 kr"],
            ["T-A", "INF-VM", "310,14 kr", "344,60 kr", "34,46 kr"],
            ["T-A", "APP-X", "300,00 kr", "333,33 kr", "33,33 kr"],
            ["T-B", "INF-VM", "206,76 kr", "229,74 kr", "22,98 kr"],
            ["T-A", "FUN-SUP", "161,30 kr", "179,22 kr", "17,92 kr"],
            ["T-B", "FUN-SUP", "161,29 kr", "179,21 kr", "17,92 kr"],
            ["T-C", "FUN-SUP", "161,29 kr", "179,21 kr", "17,92 kr"],
            ["T-D", "FUN-SUP", "161,29 kr", "179,21 kr", "17,92 kr"],
            ["T-B", "APP-X", "150,00 kr", "166,67 kr", "16,67 kr"],
        ];
        Assert.Equal(expected.Select(e => string.Join(" | ", e)), rows.Select(r => string.Join(" | ", r.Tenant, r.Service, r.Cells[2], r.Cells[3], r.Cells[4])));
        Assert.Contains("Största avgiftsförändringar 2024–2025", html, StringComparison.Ordinal);
    }

    [Fact]
    public void LargestChanges_AreTheFeeBridgesChangesCsv_SortedByTheSizeOfTheChange()
    {
        var folder = RunFolder.Open(portal.Store.FkFolder);
        var changes = LargestChanges.Compute(folder, [2024, 2025])!;
        var output = Path.Combine(portal.Store.Root, "bridge-" + Guid.NewGuid().ToString("N")[..8]);
        FeeBridge.Write(new BridgeSide(portal.Store.FkFolder, 2024), new BridgeSide(portal.Store.FkFolder, 2025), output);
        var csv = File.ReadAllLines(Path.Combine(output, FeeBridge.ChangesFile)).Skip(1).Select(l => l.Split(','))
            .Select(f => (Tenant: f[0], Service: f[1], Change: decimal.Parse(f[4], CultureInfo.InvariantCulture)))
            .OrderByDescending(l => Math.Abs(l.Change)).ThenBy(l => l.Tenant, StringComparer.Ordinal).ThenBy(l => l.Service, StringComparer.Ordinal).ToList();
        Assert.Equal(csv, changes.Lines.Select(l => (l.Tenant, l.Service, l.Change)));
        Assert.Null(LargestChanges.Compute(folder, [2025]));
    }

    [Fact]
    public async Task ProspectPage_ShowsOnlyTheProspectsOwnQuote_AndNothingElse()
    {
        using var client = await portal.SignedIn("prospect T-NEW");
        var start = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains(ProspectPages.Path(Run), start, StringComparison.Ordinal);
        Assert.DoesNotContain("Mina avgifter", start, StringComparison.Ordinal);

        var page = await client.GetStringAsync(new Uri(ProspectPages.Path(Run), UriKind.Relative));
        Assert.Contains("Vad skulle en anslutning till Försäkringskassan kosta?", page, StringComparison.Ordinal);
        Assert.Contains("id=\"q-INF-VM\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherTenants, t => page.Contains(t, StringComparison.Ordinal));
        Assert.DoesNotContain("\u00a0kr", page, StringComparison.Ordinal); // no figure before a quote

        using var quoted = await PortalServer.PostForm(client, ProspectPages.Path(Run), ProspectPages.Path(Run),
            new Dictionary<string, string> { ["name"] = "Nya myndigheten", ["employees"] = "40", ["q-INF-VM"] = "2,5" });
        var html = await quoted.Content.ReadAsStringAsync();
        Assert.True(quoted.StatusCode == HttpStatusCode.OK, html);

        // The API's own quote for the same order, as the same prospect sees it.
        var order = new QuoteOrder("T-NEW", "Nya myndigheten", 40, null, new Dictionary<string, decimal>(StringComparer.Ordinal) { ["INF-VM"] = 2.5m });
        var engine = TbmEngine.QuoteFromRun(portal.Store.FkFolder, order);
        Assert.Equal(engine.TotalByYear.OrderBy(t => t.Key).Select(t => $"{t.Key} | {Html.Kr(t.Value / 100m).Replace('\u00a0', ' ')}"), Rows(html, "quote-totals").Select(r => $"{r.Tenant} | {r.Cells[0]}"));
        Assert.Contains("Anslutningskostnad", html, StringComparison.Ordinal);
        Assert.Contains(Html.Kr(engine.ConnectionCost / 100m), html, StringComparison.Ordinal);
        Assert.Contains("id=\"instalments\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherTenants, t => html.Contains(t, StringComparison.Ordinal));
        Assert.DoesNotContain("Avgift före", html, StringComparison.Ordinal);

        // Everything else of the run: 404, as in the API.
        foreach (var path in new[] { $"/portal/runs/{Run}/tenants/T-A", $"/portal/runs/{Run}/tenants/T-NEW", $"/portal/runs/{Run}/leverantor", $"/portal/runs/{Run}/nyckeltal", LargestChanges.Path(Run) })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("tenant T-A")]
    [InlineData("supplier FK")]
    [InlineData("prospect T-NEW of SKV")]
    [InlineData("tenant T-X")]
    public async Task ProspectPage_IsNotFound_ForAnyoneButTheRunsProspects(string caller)
    {
        using var client = await portal.SignedIn(caller);
        using var response = await client.GetAsync(new Uri(ProspectPages.Path(Run), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ProspectQuote_OfAServiceSharedByTooFew_IsRefusedInSwedish()
    {
        using var client = await portal.SignedIn("prospect T-NEW");
        using var response = await PortalServer.PostForm(client, ProspectPages.Path(Run), ProspectPages.Path(Run),
            new Dictionary<string, string> { ["name"] = "Nya myndigheten", ["employees"] = "40", ["q-APP-X"] = "3" });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Applikation X delas av för få kunder för att kostnaden ska få visas (färre än 3), så en offert skulle avslöja vad andra myndigheter betalar. Be leverantören om den här offerten.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("shared by", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q-INF-VM", "0,0000001", "Antalet för Virtuell maskin måste vara mellan 0 och 1 000 000 000 000 med högst sex decimaler.")]
    [InlineData("q-APP-X", "2", "Applikation X delas av för få kunder för att kostnaden ska få visas (färre än 3), så en offert skulle avslöja vad andra myndigheter betalar. Be leverantören om den här offerten.")]
    public async Task TenantQuote_Refusals_AreInSwedish(string field, string quantity, string message)
    {
        using var client = await portal.SignedIn("tenant T-D");
        var page = $"/portal/runs/{Run}/tenants/T-D";
        using var response = await PortalServer.PostForm(client, page, page + "/quote", new Dictionary<string, string> { ["employees"] = "10", [field] = quantity });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(WebUtility.HtmlDecode(html).Replace("\u00a0", " ", StringComparison.Ordinal).Contains("<li>" + message + "</li>", StringComparison.Ordinal), html);
        Assert.DoesNotContain("cannot", html, StringComparison.Ordinal);
    }

    /// <summary>Every reason the API or the engine gives is said in Swedish, none falls through to the generic text or to English.</summary>
    [Fact]
    public void Swedish_HasATextForEveryRefusalReason()
    {
        var folder = RunFolder.Open(portal.Store.FkFolder);
        var texts = new List<string>();
        foreach (var kind in Enum.GetValues<QuoteRefusalKind>().Where(k => k != QuoteRefusalKind.Engine))
        {
            texts.Add(QuoteView.Swedish(new QuoteRefusal(400, kind, "English", ["APP-X"], null), folder));
        }

        foreach (var reason in Enum.GetValues<QuoteRefusalReason>())
        {
            texts.Add(QuoteView.Swedish(new QuoteRefusal(400, QuoteRefusalKind.Engine, "English", ["INF-VM"], new QuoteRefusedException(reason, "English", "INF-VM") { Method = "even" }), folder));
        }

        Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(texts, t => t.Contains("English", StringComparison.Ordinal) || t == "Offerten kunde inte räknas fram.");
    }

    /// <summary>A quote with instalments shows them as a plan (year, item, kind, amount and their sum) apart from the fees per service.</summary>
    [Fact]
    public void QuoteResult_ShowsTheConnectionCostAndTheInstalmentPlan()
    {
        var quote = new QuoteResponse("R", "FK", "T-A", "Myndighet A", true,
            [
                new QuoteLineItem(2025, "actual", "INF-VM", "Virtuell maskin", 2m, null, 1000.00m),
                new QuoteLineItem(2025, "connection", "ANSL-1", "ANSL-1", 0m, null, 1200.00m),
                new QuoteLineItem(2026, "connection", "ANSL-1", "ANSL-1", 0m, null, 1200.00m),
                new QuoteLineItem(2026, "asset", "SRV-9", "SRV-9", 0m, null, 333.34m),
            ],
            [new QuoteYearTotal(2025, 2200.00m, 2000.00m), new QuoteYearTotal(2026, 1533.34m, 1500.00m)], 4500.00m, [], null, []);
        var html = QuoteView.Result(quote).Replace('\u00a0', ' ');
        Assert.Contains("<strong>4 500,00 kr</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>2025</td><th scope=\"row\">ANSL-1</th><td>anslutning</td><td class=\"n\">1 200,00 kr</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>2026</td><th scope=\"row\">SRV-9</th><td>tillgång</td><td class=\"n\">333,34 kr</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("Summa avbetalningar</th><td class=\"n\">2 733,34 kr</td>", html, StringComparison.Ordinal);
        var lines = html[html.IndexOf("id=\"quote-lines\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("ANSL-1", lines, StringComparison.Ordinal);
        Assert.Contains("Virtuell maskin", lines, StringComparison.Ordinal);
    }

    /// <summary>The rows of a table: the row header (first th in the body row, or its data-tenant), its data-service, and its cells' text.</summary>
    private static List<(string Tenant, string Service, List<string> Cells)> Rows(string html, string tableId)
    {
        var start = html.IndexOf($"id=\"{tableId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, tableId + " not in the page");
        var table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        var body = table[table.IndexOf("<tbody>", StringComparison.Ordinal)..];
        var rows = new List<(string, string, List<string>)>();
        foreach (var row in body.Split("<tr", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            string Attribute(string name) => row.Contains(name + "=\"", StringComparison.Ordinal) ? row.Split(name + "=\"")[1].Split('"')[0] : "";
            var cells = System.Text.RegularExpressions.Regex.Matches(row, "<(td|th)[^>]*>(.*?)</\\1>").Select(m => System.Text.RegularExpressions.Regex.Replace(m.Groups[2].Value, "<[^>]+>", "").Replace('\u00a0', ' ')).ToList();
            var header = Attribute("data-tenant") is { Length: > 0 } tenant ? tenant : cells[0];
            rows.Add((header, Attribute("data-service"), cells.Skip(1).ToList()));
        }

        return rows;
    }
}
