using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TradingOrleans.Tests.Support;

/// <summary>The real API with its co-hosted silo, on its own database and ports.</summary>
public sealed class TradingApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public TradingApiFactory(string databasePath, bool replay = false)
        : this(TestSettings.For(databasePath, replay))
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
