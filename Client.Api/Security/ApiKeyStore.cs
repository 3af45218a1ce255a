using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Client.Api.Security;

/// <summary>A key holder as authentication knows it.</summary>
public sealed record ApiKeyHolder(string Name, ApiRole Role);

/// <summary>The configured keys, by hash (<see cref="ApiKeys.Hash"/>); lookups compare hashes in constant time.</summary>
public sealed class ApiKeyStore
{
    private const string KeyPrefix = "tok_";
    private readonly byte[][] _hashes;
    private readonly ApiKeyHolder[] _holders;

    public ApiKeyStore(IOptions<ApiSecurityOptions> options, ILogger<ApiKeyStore> logger)
    {
        var settings = options.Value;
        var keys = settings.Keys.Select(k => (Convert.FromHexString(k.Sha256), new ApiKeyHolder(k.Name, k.Role))).ToList();
        if (keys.Count == 0)
        {
            var (path, created) = LocalAdminKey(settings.LocalAdminKeyFile, out var localKey);
            keys.Add((Hash(localKey), new ApiKeyHolder("local-admin", ApiRole.Admin)));
            // The path, never the key.
            logger.LogWarning("No API keys configured: {Action} local admin key in {Path} (send it as X-Api-Key)",
                created ? "generated a" : "using the", path);
        }

        (_hashes, _holders) = ([.. keys.Select(k => k.Item1)], [.. keys.Select(k => k.Item2)]);
    }

    /// <summary>A new random key in the form clients send.</summary>
    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => ApiKeys.Hash(key);

    /// <summary>A short, non-reversible tag of a presented key for logs: never the key itself.</summary>
    public static string Fingerprint(string key) => Convert.ToHexStringLower(Hash(key))[..8];

    public ApiKeyHolder? Find(string presentedKey) => ApiKeys.IndexOf(_hashes, presentedKey) is var index and >= 0 ? _holders[index] : null;

    private static (string Path, bool Created) LocalAdminKey(string configuredPath, out string key)
    {
        var path = Path.GetFullPath(configuredPath);
        if (File.Exists(path))
        {
            key = File.ReadAllText(path).Trim();
            return (path, false);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        key = NewKey();
        File.WriteAllText(path, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (path, true);
    }
}
