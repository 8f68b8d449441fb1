using ItDrift.Tbm.Api.Data;
using Microsoft.Extensions.Caching.Memory;

namespace ItDrift.Tbm.Api.Portal;

/// <summary>
/// Parts of the portal's pages over a published run, kept in memory: a run never changes once published, so the
/// figures of a page (a tenant's fee tables and charts, the supplier's price list and balance) are rendered once per
/// run and view and reused, and only what is per request (the anti-forgery token, the sign-out form, the list of runs)
/// is made each time. The run access filter still decides every request first, so a kept part is only ever served
/// to a caller allowed the page, and a run removed from the store is 404 before its parts are looked at.
/// </summary>
/// <remarks>
/// The key says whose view it is (the tenant, and whether the reader is a tenant, which changes what is withheld).
/// At most <see cref="Budget"/> bytes of text are kept, least recently used first out.
/// </remarks>
internal sealed class PortalCache : IDisposable
{
    /// <summary>How much text is kept, in bytes (UTF-16).</summary>
    public const long Budget = 128L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Budget });

    /// <summary>The part <paramref name="kind"/> of <paramref name="run"/> for <paramref name="view"/> as UTF-8, made by <paramref name="make"/> the first time (a page writes it as it is).</summary>
    public byte[] Utf8(string kind, CatalogRun run, string view, Func<string> make) =>
        Get(kind, run, view, () => System.Text.Encoding.UTF8.GetBytes(make()), bytes => bytes.Length);

    /// <summary>A value of <paramref name="run"/> for <paramref name="view"/>, made the first time; <paramref name="size"/> says how many bytes it holds.</summary>
    public T Get<T>(string kind, CatalogRun run, string view, Func<T> make, Func<T, long> size)
        where T : class
    {
        var key = string.Join('\n', kind, run.Folder.Directory, view);
        if (_cache.TryGetValue(key, out T? kept) && kept is not null)
        {
            return kept;
        }

        var value = make();
        _cache.Set(key, value, new MemoryCacheEntryOptions { Size = Math.Max(1, size(value)) });
        return value;
    }

    public void Dispose() => _cache.Dispose();
}
