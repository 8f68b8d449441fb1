using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ItDrift.Tbm.Access;

/// <summary>The four kinds of reader of published runs (docs/api.md).</summary>
public enum Role
{
    /// <summary>A customer agency: its own rows only, bound to one tenant id of one supplier (tenant ids are the supplier's own).</summary>
    Tenant,

    /// <summary>A supplier agency's finance staff: that supplier's runs, all its tenants.</summary>
    Supplier,

    /// <summary>The coordinating agency: everything, read-only.</summary>
    Coordinator,

    /// <summary>Ekonomistyrningsverket: everything, read-only.</summary>
    Esv,
}

/// <summary>
/// What a credential allows: a role, and the tenant or supplier it is bound to. The one place that
/// decides who may see which supplier's runs and which tenant's rows; the API asks it on every read.
/// </summary>
/// <param name="Role">The role.</param>
/// <param name="Tenant">For <see cref="Role.Tenant"/>: the tenant id (required).</param>
/// <param name="Supplier">For <see cref="Role.Supplier"/> and <see cref="Role.Tenant"/>: the supplier id (required). A tenant id
/// names an agency only within one supplier's packages, so a tenant grant is bound to the supplier that gave it.</param>
public sealed record AccessGrant(Role Role, string? Tenant = null, string? Supplier = null)
{
    /// <summary>The role names used in key files, tokens and on the command line.</summary>
    public static IReadOnlyList<string> RoleNames { get; } = ["tenant", "supplier", "coordinator", "esv"];

    /// <summary>Whether this grant may read every supplier's tenants' rows (supplier, coordinator, ESV).</summary>
    public bool SeesAllTenants => Role is not Role.Tenant;

    /// <summary>Whether runs of every supplier may be read (coordinator, ESV); a supplier or tenant grant is bound to one supplier.</summary>
    public bool SeesAllSuppliers => Role is Role.Coordinator or Role.Esv;

    /// <summary>Whether runs of <paramref name="supplier"/> may be read at all (a tenant also needs to be a tenant of the run).</summary>
    public bool MaySeeSupplier(string supplier) => SeesAllSuppliers || string.Equals(Supplier, supplier, StringComparison.Ordinal);

    /// <summary>Whether a published run exists for this grant at all: a run of a supplier it may see, and for a tenant a run it is a tenant of.</summary>
    public bool MaySeeRun(Runs.RunFolder run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return MaySeeSupplier(run.SupplierId) && (Role != Role.Tenant || run.Tenants.ContainsKey(Tenant!));
    }

    /// <summary>Whether rows of <paramref name="tenant"/> may be read.</summary>
    public bool MaySeeTenant(string tenant) => Role is not Role.Tenant || string.Equals(Tenant, tenant, StringComparison.Ordinal);

    /// <summary>The role's name (<c>tenant</c>, <c>supplier</c>, <c>coordinator</c>, <c>esv</c>).</summary>
    public string RoleName => RoleNames[(int)Role];

    /// <summary>A short description for logs and listings, e.g. <c>tenant T-A</c>; never a secret.</summary>
    public override string ToString() => Role switch
    {
        Role.Tenant => $"tenant {Tenant} of {Supplier}",
        Role.Supplier => $"supplier {Supplier}",
        _ => RoleName,
    };

    /// <summary>Parses a role name (case-insensitive).</summary>
    public static bool TryParseRole(string? text, out Role role)
    {
        for (var i = 0; i < RoleNames.Count; i++)
        {
            if (string.Equals(RoleNames[i], text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = (Role)i;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>Builds a grant, checking that the role is bound to what it must be bound to.</summary>
    /// <exception cref="TbmException">The role and ids do not make a grant (<see cref="TryCreate"/> says why, in the domain's words).</exception>
    public static AccessGrant Create(Role role, string? tenant, string? supplier) =>
        TryCreate(role, tenant, supplier, out var grant, out var problem) ? grant : throw TbmException.Usage(Describe(problem, role, tenant, supplier));

    /// <summary>
    /// Builds a grant when the role is bound to what it must be bound to: a tenant to a tenant id and the supplier
    /// that gave it, a supplier to its supplier id alone, a coordinator or ESV to nothing. Blank ids count as none;
    /// ids are trimmed.
    /// </summary>
    /// <returns>Whether <paramref name="grant"/> was made; otherwise <paramref name="problem"/> says why, for each host to say in its own words
    /// (<see cref="Describe"/> in the domain's).</returns>
    public static bool TryCreate(Role role, string? tenant, string? supplier, [NotNullWhen(true)] out AccessGrant? grant, out GrantProblem problem)
    {
        tenant = Normalize(tenant);
        supplier = Normalize(supplier);
        problem = tenant is not null && !Ids.IsId(tenant) ? GrantProblem.NotATenantId
            : supplier is not null && !Ids.IsPathSegment(supplier) ? GrantProblem.NotASupplierId
            : role switch
            {
                Role.Tenant when tenant is null || supplier is null => GrantProblem.TenantUnbound,
                Role.Supplier when supplier is null || tenant is not null => GrantProblem.SupplierUnbound,
                Role.Coordinator or Role.Esv when tenant is not null || supplier is not null => GrantProblem.EverythingBound,
                _ => GrantProblem.None,
            };
        grant = problem is GrantProblem.None ? new AccessGrant(role, role is Role.Tenant ? tenant : null, role is Role.Tenant or Role.Supplier ? supplier : null) : null;
        return grant is not null;
    }

    /// <summary>Why <paramref name="role"/> with these ids makes no grant, in the domain's words (no host's syntax: no flag, no claim name).</summary>
    public static string Describe(GrantProblem problem, Role role, string? tenant, string? supplier) => problem switch
    {
        GrantProblem.NotATenantId => $"'{Normalize(tenant)}' is not a tenant id (letters, digits, _ - .)",
        GrantProblem.NotASupplierId => $"'{Normalize(supplier)}' is not a supplier id (letters, digits, _ - .)",
        GrantProblem.TenantUnbound => "a tenant grant needs a tenant id and a supplier id (a tenant id names an agency only within one supplier's packages)",
        GrantProblem.SupplierUnbound => "a supplier grant needs a supplier id and no tenant id",
        GrantProblem.EverythingBound => $"the {RoleNames[(int)role]} role sees everything; its grant is bound to neither a tenant nor a supplier",
        _ => "the grant is valid",
    };

    private static string? Normalize(string? id) => string.IsNullOrWhiteSpace(id) ? null : id.Trim();
}

/// <summary>Why a role and ids make no <see cref="AccessGrant"/> (<see cref="AccessGrant.TryCreate"/>).</summary>
public enum GrantProblem
{
    /// <summary>They make a grant.</summary>
    None,

    /// <summary>The tenant id is not an id.</summary>
    NotATenantId,

    /// <summary>The supplier id is not an id that may name a folder.</summary>
    NotASupplierId,

    /// <summary>A tenant grant without a tenant id or without a supplier id.</summary>
    TenantUnbound,

    /// <summary>A supplier grant without a supplier id, or with a tenant id.</summary>
    SupplierUnbound,

    /// <summary>A coordinator or ESV grant bound to a tenant or a supplier.</summary>
    EverythingBound,
}

/// <summary>Ids as the model format defines them, checked before any of them comes near a file path.</summary>
public static class Ids
{
    /// <summary>Longest id accepted from outside.</summary>
    public const int MaxLength = 200;

    /// <summary>Letters and digits of any script, <c>_</c>, <c>-</c> and <c>.</c> (docs/model-format.md §1.3).</summary>
    public static bool IsId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var letterOrDigit = category is System.Globalization.UnicodeCategory.UppercaseLetter or System.Globalization.UnicodeCategory.LowercaseLetter
                or System.Globalization.UnicodeCategory.TitlecaseLetter or System.Globalization.UnicodeCategory.ModifierLetter or System.Globalization.UnicodeCategory.OtherLetter
                or System.Globalization.UnicodeCategory.DecimalDigitNumber or System.Globalization.UnicodeCategory.LetterNumber or System.Globalization.UnicodeCategory.OtherNumber;
            if (!letterOrDigit && rune.Value is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The id the engine keeps for money no mapping row matches: no object or tenant may take it.</summary>
    public const string Unmapped = "UNMAPPED";

    /// <summary>
    /// Why <paramref name="value"/> is not an id a tenant may have (not an id, too long, or reserved), or
    /// <see langword="null"/>; a long value is shown cut short.
    /// </summary>
    public static string? TenantIdProblem(string? value) =>
        value == Unmapped ? $"'{Unmapped}' is reserved for money no mapping row matches; choose another id"
        : !IsId(value) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{Shown(value ?? "")}' is not an id (1–{MaxLength} letters, digits, _ - .)")
        : null;

    private static string Shown(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");

    /// <summary>
    /// An id that may name a folder: an id that does not start with <c>.</c>, so <c>.</c>, <c>..</c> and the
    /// store's own hidden folders (<c>.work</c>) can never be reached through it.
    /// </summary>
    public static bool IsPathSegment(string? value) => IsId(value) && value![0] != '.';
}
