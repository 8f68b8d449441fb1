using System.Globalization;
using System.Net;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using ItDrift.Tbm.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>
/// A "Runs" page in the Hangfire dashboard: recalculations in progress with their stage, the latest run
/// per supplier and fiscal year, and the catalogue's recent attempts with their errors — of the suppliers the
/// signed-in key may see (<see cref="DashboardAccess.MaySee"/>): a supplier key its own, coordinator and ESV all.
/// </summary>
internal sealed class RunsPage : RazorPage
{
    public const string Path = "/runs";

    private static int _registered;

    /// <summary>
    /// Adds the page and its menu item to the dashboard, and hides Hangfire's own menu items (which lead to pages
    /// it refuses them, and carry the whole queue's counts) from keys bound to one supplier. Hangfire keeps both
    /// in static lists: once per process.
    /// </summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        for (var i = 0; i < NavigationMenu.Items.Count; i++)
        {
            var item = NavigationMenu.Items[i];
            NavigationMenu.Items[i] = page => DashboardAccess.SeesWholeQueue(page.Context.GetHttpContext().User) ? item(page) : null;
        }

        DashboardRoutes.Routes.AddRazorPage(Path, _ => new RunsPage());
        NavigationMenu.Items.Add(page => new MenuItem("Runs", page.Url.To(Path)) { Active = page.RequestPath.StartsWith(Path, StringComparison.Ordinal) });
    }

    public override void Execute()
    {
        Layout = new LayoutPage("Runs");
        var http = Context.GetHttpContext();
        var store = http.RequestServices.GetRequiredService<RunStore>();

        // The dashboard admits no key without a grant; should one get here, it sees nothing.
        var grant = DashboardAccess.Grant(http.User);
        bool Visible(string? supplier) => grant is not null && DashboardAccess.MaySee(grant, supplier);
        var attempts = store.Attempts().Where(a => Visible(a.Supplier)).ToList();

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Runs</h1>");
        if (grant is { SeesAllSuppliers: false })
        {
            WriteLiteral("<p class=\"text-muted\">Runs of supplier " + WebUtility.HtmlEncode(grant.Supplier) + " only (the supplier of the key you signed in with).</p>");
        }

        WriteLiteral("<h3>In progress</h3>");
        var running = attempts.Where(a => a.Status == AttemptStatus.Running).ToList();
        if (running.Count == 0)
        {
            WriteLiteral("<p class=\"text-muted\">No recalculation is running.</p>");
        }
        else
        {
            Table(["Package", "Supplier", "Stage", "Progress", "Started (UTC)", "Process"], running.Select(a => new[] { a.Package, a.Supplier ?? "", a.Stage ?? "starting", a.Message ?? "", Time(a.StartedAt), a.Process }));
        }

        WriteLiteral("<h3>Latest run per supplier and fiscal year</h3>");
        var latest = store.Suppliers().Where(Visible).SelectMany(s => store.LatestByYear(s).Select(y => new[]
        {
            s, y.Key.ToString(CultureInfo.InvariantCulture), y.Value.RunId, Time(y.Value.PublishedAt), y.Value.Package ?? "", y.Value.Final is null ? "" : "final",
        })).ToList();
        if (latest.Count == 0)
        {
            WriteLiteral("<p class=\"text-muted\">Nothing published yet.</p>");
        }
        else
        {
            Table(["Supplier", "Fiscal year", "Run", "Published (UTC)", "Package", ""], latest);
        }

        WriteLiteral("<h3>Recent attempts</h3>");
        Table(
            ["Started (UTC)", "Package", "Supplier", "Trigger", "Status", "Run", "Finished (UTC)", "Error"],
            attempts.Take(50).Select(a => new[] { Time(a.StartedAt), a.Package, a.Supplier ?? "", a.Trigger, a.Status.ToString().ToLowerInvariant(), a.RunId ?? "", a.FinishedAt is { } f ? Time(f) : "", a.Error ?? "" }));
        WriteLiteral("</div></div>");
    }

    private void Table(string[] headers, IEnumerable<string[]> rows)
    {
        WriteLiteral("<div class=\"table-responsive\"><table class=\"table table-condensed\"><thead><tr>");
        foreach (var h in headers)
        {
            WriteLiteral("<th>" + WebUtility.HtmlEncode(h) + "</th>");
        }

        WriteLiteral("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            WriteLiteral("<tr>");
            foreach (var cell in row)
            {
                WriteLiteral("<td>" + WebUtility.HtmlEncode(cell) + "</td>");
            }

            WriteLiteral("</tr>");
        }

        WriteLiteral("</tbody></table></div>");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
