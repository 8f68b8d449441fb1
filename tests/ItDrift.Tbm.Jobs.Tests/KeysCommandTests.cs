using ItDrift.Tbm.Hosting;
using ItDrift.Tbm.Jobs.Cli;

namespace ItDrift.Tbm.Tests;

/// <summary><c>tbm keys add</c> says in its own flags what the engine says in the domain's words.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tbm-keys-cli-" + Guid.NewGuid().ToString("N")[..8]);

    private string KeysFile => Path.Combine(_folder, "keys.json");

    [Theory]
    [InlineData("tenant", "T-A", null, "tbm: a tenant key needs --tenant ID and --supplier ID (a tenant id names an agency only within one supplier's packages)")]
    [InlineData("supplier", "T-A", "FK", "tbm: a supplier key needs --supplier ID and no --tenant")]
    [InlineData("esv", null, "FK", "tbm: a esv key sees everything; it takes neither --tenant nor --supplier")]
    [InlineData("tenant", "T/A", "FK", "tbm: --tenant: 'T/A' is not a tenant id (letters, digits, _ - .)")]
    [InlineData("supplier", null, "..", "tbm: --supplier: '..' is not a supplier id (letters, digits, _ - .)")]
    public void Add_BoundWrongly_NamesTheFlags_Exit2_AndAddsNoKey(string role, string? tenant, string? supplier, string expected)
    {
        List<string> args = ["keys", "add", "--keys", KeysFile, "--role", role];
        if (tenant is not null)
        {
            args.AddRange(["--tenant", tenant]);
        }

        if (supplier is not null)
        {
            args.AddRange(["--supplier", supplier]);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, CommandLine.Run([.. args], stdout, stderr));
        Assert.Equal(expected, stderr.ToString().TrimEnd());
        Assert.Equal("", stdout.ToString());
        Assert.Empty(new ApiKeyStore(KeysFile).List());
    }

    [Fact]
    public void Add_PrintsTheKeyOnce_AndTheStoreVerifiesIt()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["keys", "add", "--keys", KeysFile, "--role", "tenant", "--tenant", "T-A", "--supplier", "FK"], stdout, stderr));

        var entry = new ApiKeyStore(KeysFile).Verify(stdout.ToString().Trim());
        Assert.NotNull(entry);
        Assert.Equal("tenant T-A of FK", entry.Grant().ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
