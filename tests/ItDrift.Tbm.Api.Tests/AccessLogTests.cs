using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>Every access is logged with who, what and when, and never the key.</summary>
[Collection("api")]
public sealed class AccessLogTests(ApiFixture api)
{
    [Fact]
    public async Task Request_IsLogged_WithCallerPathAndStatus_ButNotTheKey()
    {
        var key = api.Store.Keys["tenant T-B"];
        var id = key.Split('_')[1];
        using var client = api.Client("tenant T-B");
        var marker = Guid.NewGuid().ToString("N");
        using var _ = await client.GetAsync(new Uri($"/v1/runs/{api.Store.FkRun}/tenants/T-A/fees?marker={marker}&api_key=secret-{marker}", UriKind.Relative));

        // The line is written when the request has finished, which may be just after the client has the response.
        string[] Lines() => api.Logs.Where(l => l.Category.EndsWith("AccessLog", StringComparison.Ordinal) && l.Message.Contains(marker, StringComparison.Ordinal)).Select(l => l.Message).ToArray();
        for (var waited = 0; Lines().Length == 0 && waited < 5000; waited += 20)
        {
            await Task.Delay(20);
        }

        var line = Assert.Single(Lines());
        Assert.Contains($"key {id} (tenant T-B of FK)", line, StringComparison.Ordinal);
        Assert.Contains($"GET /v1/runs/{api.Store.FkRun}/tenants/T-A/fees", line, StringComparison.Ordinal);
        Assert.Contains("-> 404", line, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", line);
        Assert.DoesNotContain("secret-", line, StringComparison.Ordinal);
        // The secret is everything after the id: it may itself hold '_', so not Split('_')[2] (a short piece of it matched other lines by chance).
        var secret = key[(key.IndexOf('_', key.IndexOf('_', StringComparison.Ordinal) + 1) + 1)..];
        Assert.DoesNotContain(api.Logs, l => l.Message.Contains(key, StringComparison.Ordinal) || l.Message.Contains(secret, StringComparison.Ordinal));
    }
}
