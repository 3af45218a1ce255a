using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TradingOrleans.Client.Api.Security;

namespace TradingOrleans.Tests.Support;

/// <summary>The real API with its co-hosted silo, on its own database and ports, with one key per role.</summary>
public sealed class TradingApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public TradingApiFactory(IReadOnlyDictionary<string, string?> settings)
    {
        var withKeys = new Dictionary<string, string?>(settings);
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            var index = (int)role;
            withKeys.TryAdd($"Trading:Api:Keys:{index}:Name", $"test-{role}".ToLowerInvariant());
            withKeys.TryAdd($"Trading:Api:Keys:{index}:Role", role.ToString());
            withKeys.TryAdd($"Trading:Api:Keys:{index}:Sha256", Convert.ToHexStringLower(ApiKeyStore.Hash(KeyFor(role))));
        }

        _settings = withKeys;
    }

    public TradingApiFactory(string databasePath, bool replay = false)
        : this(TestSettings.For(databasePath, replay))
    {
    }

    /// <summary>The test key of a role (its hash is what the API is configured with).</summary>
    public static string KeyFor(ApiRole role) => $"tok_test-key-for-the-{role}-role".ToLowerInvariant();

    /// <summary>A client that sends the key of <paramref name="role"/>.</summary>
    public HttpClient CreateClient(ApiRole role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, KeyFor(role));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
