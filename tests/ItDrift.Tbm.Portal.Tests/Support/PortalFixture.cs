using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// The read API's real HTTP server (Kestrel on a free loopback port) over the test runs store, and one
/// headless Debian Chromium driven through Debian's chromedriver, shared by a test class's tests.
/// </summary>
/// <remarks>
/// Nothing is downloaded: the browser and its driver are named by path (so Selenium Manager never runs) and
/// axe-core comes from <c>tests/ItDrift.Tbm.Portal.Tests/axe</c> (<c>npm ci</c> there). When either is missing
/// the fixture fails with one line saying what to install: CI installs them, and a skipped browser test proves nothing.
/// </remarks>
public sealed class PortalFixture : IDisposable
{
    /// <summary>Debian's Chromium (<c>TBM_CHROMIUM</c> names another).</summary>
    public static readonly string Chromium = Environment.GetEnvironmentVariable("TBM_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";

    /// <summary>Debian's chromedriver (<c>TBM_CHROMEDRIVER</c> names another).</summary>
    public static readonly string ChromeDriver = Environment.GetEnvironmentVariable("TBM_CHROMEDRIVER") is { Length: > 0 } d ? d : "/usr/bin/chromedriver";

    private readonly WebApplication _app;

    public PortalFixture()
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            throw new InvalidOperationException($"Chromium is not installed ({Chromium}, {ChromeDriver}): run `apt-get install -y chromium chromium-driver`.");
        }

        AxeSource = File.ReadAllText(AxePath());
        Store = new TestStore();
        Downloads = Path.Combine(Store.Root, "downloads");
        Directory.CreateDirectory(Downloads);

        _app = ApiHost.Create(["--urls", "http://127.0.0.1:0", "--runs", Store.Runs, "--keys", Store.KeysFile,
            "--ResponseCache:Folder", Path.Combine(Store.Root, "cache"), "--Logging:LogLevel:Default", "Warning"]);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Urls.Single().TrimEnd('/');

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1600",
            "--lang=sv-SE", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        options.AddUserProfilePreference("download.default_directory", Downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
    }

    public TestStore Store { get; }

    public string BaseUrl { get; }

    public ChromeDriver Driver { get; }

    /// <summary>Where the browser saves downloads.</summary>
    public string Downloads { get; }

    private string AxeSource { get; }

    /// <summary>axe-core's script, installed by npm beside the tests' sources.</summary>
    private static string AxePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "tests", "ItDrift.Tbm.Portal.Tests", "axe");
            if (Directory.Exists(project))
            {
                var script = Path.Combine(project, "node_modules", "axe-core", "axe.min.js");
                return File.Exists(script)
                    ? script
                    : throw new InvalidOperationException($"axe-core is not installed: run `npm ci` in {project}.");
            }
        }

        throw new InvalidOperationException("tests/ItDrift.Tbm.Portal.Tests/axe not found above " + AppContext.BaseDirectory);
    }

    public void Go(string path) => Driver.Navigate().GoToUrl(BaseUrl + path);

    /// <summary>Signs the browser out (if in) and in with the key of <paramref name="caller"/>.</summary>
    public void SignIn(string caller) => SignInWithKey(Store.Keys[caller]);

    /// <summary>Signs the browser out (if in) and in with <paramref name="key"/>.</summary>
    public void SignInWithKey(string key)
    {
        Driver.Manage().Cookies.DeleteAllCookies();
        Go("/");
        Driver.FindElement(By.Id("key")).SendKeys(key);
        Driver.FindElement(By.CssSelector("form[action='/login'] button[type=submit]")).Click();
        Wait(d => d.FindElements(By.CssSelector("form[action='/logout']")).Count > 0);
    }

    public void Wait(Func<IWebDriver, bool> condition) => new WebDriverWait(Driver, TimeSpan.FromSeconds(15)).Until(condition);

    /// <summary>The visible text of an element, with no-break spaces as plain spaces (as WebDriver reports them).</summary>
    public static string Text(IWebElement element) => element.Text.Replace('\u00a0', ' ');

    /// <summary>
    /// Runs axe-core in the current page and returns its serious and critical violations, one line each
    /// (rule, impact, how many elements, help), so a failing assertion says what to fix.
    /// </summary>
    public IReadOnlyList<string> SeriousAccessibilityViolations()
    {
        Driver.ExecuteScript(AxeSource);
        var json = (string?)Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | ') })))))
              .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', nodes: 0, help: String(e), target: '' }])));
            """);
        using var document = JsonDocument.Parse(json ?? throw new InvalidOperationException("axe-core gave no answer in " + Driver.Url));
        return [.. document.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => string.Create(CultureInfo.InvariantCulture,
                $"{Driver.Url}: {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}, {v.GetProperty("nodes").GetInt32()} elements: {v.GetProperty("target").GetString()}): {v.GetProperty("help").GetString()}"))];
    }

    /// <summary>A client sending the browser's cookies: to read a page's status code, which WebDriver does not report.</summary>
    public HttpClient BrowserClient()
    {
        var cookies = new CookieContainer();
        foreach (var cookie in Driver.Manage().Cookies.AllCookies)
        {
            cookies.Add(new Uri(BaseUrl), new System.Net.Cookie(cookie.Name, cookie.Value, "/"));
        }

#pragma warning disable CA2000 // the client owns the handler
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
#pragma warning restore CA2000
    }

    /// <summary>Waits for the browser to finish a download whose name ends in <paramref name="extension"/> and returns its bytes.</summary>
    public byte[] Downloaded(string extension)
    {
        string? file = null;
        Wait(_ =>
        {
            file = Directory.GetFiles(Downloads, "*" + extension).FirstOrDefault();
            return file is not null && !File.Exists(file + ".crdownload");
        });
        var bytes = File.ReadAllBytes(file!);
        File.Delete(file!);
        return bytes;
    }

    /// <summary>Whether the bytes are an xlsx: a zip package with a workbook part.</summary>
    public static bool IsXlsx(byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4)
        {
            return false;
        }

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        return zip.GetEntry("xl/workbook.xml") is not null && zip.GetEntry("[Content_Types].xml") is not null;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        Store.Dispose();
    }
}
