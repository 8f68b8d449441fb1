using System.Globalization;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Hosting;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm keys add|list|revoke</c>: the API keys of the read API's embedded authentication. A new key
/// is printed once; the keys file keeps only its SHA-256.
/// </summary>
internal static class KeysCommand
{
    public static int Execute(string? action, KeysOptions options, TextWriter stdout, TextWriter stderr)
    {
        var store = new ApiKeyStore(options.Keys ?? ApiKeyStore.DefaultFile);
        switch (action)
        {
            case "add":
            {
                var roleText = options.Role;
                if (!AccessGrant.TryParseRole(roleText, out var role))
                {
                    throw new UsageException($"--role must be one of {string.Join(", ", AccessGrant.RoleNames)}, not '{roleText}'");
                }

                var (tenant, supplier) = (options.Tenant, options.Supplier);
                if (!AccessGrant.TryCreate(role, tenant, supplier, out var grant, out var problem))
                {
                    stderr.WriteLine($"tbm: {Refusal(problem, role, tenant, supplier)}");
                    return CommandLine.ModelError;
                }

                var (entry, key) = store.Add(grant, options.Name);
                stdout.WriteLine(key);
                stderr.WriteLine($"Key {entry.Id} for {grant} added to {store.Path}.");
                stderr.WriteLine("This is the only time the key is shown: keep it now. Clients send it in the X-Api-Key header.");
                return CommandLine.Ok;
            }

            case "list":
            {
                var keys = store.List();
                if (keys.Count == 0)
                {
                    stderr.WriteLine($"No keys in {store.Path}.");
                    return CommandLine.Ok;
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"id",-14}{"role",-13}{"bound to",-22}{"created (UTC)",-19}{"revoked",-19}name"));
                foreach (var k in keys)
                {
                    var bound = k.Tenant is not null ? "tenant " + k.Tenant + (k.Supplier is null ? "" : " of " + k.Supplier) : k.Supplier is not null ? "supplier " + k.Supplier : "everything";
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{k.Id,-14}{k.Role,-13}{bound,-22}{k.Created.UtcDateTime,-19:yyyy-MM-dd HH:mm}{(k.Revoked is { } r ? r.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-"),-19}{k.Name}"));
                }

                return CommandLine.Ok;
            }

            case "revoke":
            {
                var id = options.Id;
                if (!store.Revoke(id))
                {
                    stderr.WriteLine($"tbm: there is no unrevoked key {id} in {store.Path}");
                    return CommandLine.ModelError;
                }

                stdout.WriteLine($"Key {id} revoked; it is refused from now on (the server re-reads {store.Path} when it changes).");
                return CommandLine.Ok;
            }

            default:
                throw new UsageException(action is null ? "tbm keys needs an action: add, list or revoke" : $"unknown keys action '{action}' (add, list, revoke)");
        }
    }

    /// <summary>Why the options make no key, in this command's words: the engine says it in the domain's, this names the flags.</summary>
    private static string Refusal(GrantProblem problem, Role role, string? tenant, string? supplier) => problem switch
    {
        GrantProblem.TenantUnbound => "a tenant key needs --tenant ID and --supplier ID (a tenant id names an agency only within one supplier's packages)",
        GrantProblem.SupplierUnbound => "a supplier key needs --supplier ID and no --tenant",
        GrantProblem.EverythingBound => $"a {AccessGrant.RoleNames[(int)role]} key sees everything; it takes neither --tenant nor --supplier",
        GrantProblem.NotATenantId => "--tenant: " + AccessGrant.Describe(problem, role, tenant, supplier),
        GrantProblem.NotASupplierId => "--supplier: " + AccessGrant.Describe(problem, role, tenant, supplier),
        _ => AccessGrant.Describe(problem, role, tenant, supplier),
    };
}

/// <summary>The options of <c>tbm keys add|list|revoke</c>: each action reads those it takes.</summary>
/// <param name="Keys">The keys file (default <c>keys.json</c>).</param>
/// <param name="Role">(add) tenant, supplier, coordinator or esv.</param>
/// <param name="Tenant">(add) The tenant a tenant key is bound to.</param>
/// <param name="Supplier">(add) The supplier a tenant or supplier key is bound to.</param>
/// <param name="Name">(add) Whose key it is, for the listing.</param>
/// <param name="Id">(revoke) The key's id.</param>
internal sealed record KeysOptions(string? Keys, string Role = "", string? Tenant = null, string? Supplier = null, string? Name = null, string Id = "");
