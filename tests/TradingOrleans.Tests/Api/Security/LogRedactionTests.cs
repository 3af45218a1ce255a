using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

public sealed class LogRedactionTests
{
    private sealed class LoggedApi(IReadOnlyDictionary<string, string?> settings, CapturingLoggerProvider logs) : IDisposable
    {
        private readonly TradingApiFactory _factory = new(settings);

        public HttpClient CreateClient(ApiRole role) =>
            _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs)))).CreateClient()
                .WithKey(role);

        public void Dispose() => _factory.Dispose();
    }

    [Fact]
    public async Task Key_holder_names_reach_the_logs_only_as_keyed_pseudonyms()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings[LogRedaction.KeySetting] = Convert.ToBase64String(new byte[32]);
        var logs = new CapturingLoggerProvider();
        using var api = new LoggedApi(settings, logs);

        var response = await api.CreateClient(ApiRole.Viewer).DeleteAsync("/api/v1/strategies/rsi-14");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Contains("403 DELETE /api/v1/strategies/rsi-14 for key holder"));
        Assert.DoesNotContain("test-viewer", line);
        Assert.Matches(@"for key holder 1:\S{8,}", line);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("test-viewer"));
    }
}

/// <summary>Sends a role's test key.</summary>
internal static class HttpClientKeys
{
    public static HttpClient WithKey(this HttpClient client, ApiRole role)
    {
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TradingApiFactory.KeyFor(role));
        return client;
    }
}
