using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace ItDrift.Tbm.Hosting;

/// <summary>
/// Sign-in cookies made from an API key (the web portal's and the jobs dashboard's): a session lasts only as
/// long as its key — revoked or removed from the keys file, it ends at the next request.
/// </summary>
public static class KeySessions
{
    /// <summary>Checks the session's key on every request and signs it out of <paramref name="scheme"/> once the key is gone.</summary>
    /// <param name="options">The cookie scheme's options.</param>
    /// <param name="scheme">The cookie scheme to sign out of.</param>
    /// <param name="keys">The keys file the sessions were made from.</param>
    public static void EndWhenKeyIsRevoked(this CookieAuthenticationOptions options, string scheme, Func<HttpContext, ApiKeyStore> keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        options.Events.OnValidatePrincipal = context =>
        {
            var id = context.Principal?.KeyId();
            var entry = id is null ? null : keys(context.HttpContext).List().FirstOrDefault(k => k.Id == id);
            if (entry is null || entry.Revoked is not null)
            {
                context.RejectPrincipal();
                return context.HttpContext.SignOutAsync(scheme);
            }

            return Task.CompletedTask;
        };
    }
}
