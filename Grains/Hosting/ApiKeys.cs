using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// How both hosts read and check an API key: the headers a client sends it in, and the SHA-256 that
/// <c>Trading:Api:Keys</c> stores. Keys are 256-bit random secrets, so one SHA-256 is enough (a slow password hash
/// protects low-entropy secrets, which these are not).
/// </summary>
public static class ApiKeys
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The scheme word of the alternative <c>Authorization: ApiKey &lt;key&gt;</c> header (what Prometheus can send).</summary>
    public const string AuthorizationScheme = "ApiKey";

    /// <summary>The key a request presents: its one <c>X-Api-Key</c> header, else <c>Authorization: ApiKey &lt;key&gt;</c>; null for none (or several).</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var values))
        {
            return values.Count == 1 ? values[0] : null;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(AuthorizationScheme.Length + 1)..].Trim()
            : null;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Where the presented key's hash stands among <paramref name="hashes"/> (the last match), or -1. Every hash is
    /// compared, in constant time, so timing does not reveal which one matched.
    /// </summary>
    public static int IndexOf(IReadOnlyList<byte[]> hashes, string presentedKey)
    {
        var presented = Hash(presentedKey);
        var match = -1;
        for (var i = 0; i < hashes.Count; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hashes[i]))
            {
                match = i;
            }
        }

        return match;
    }
}
