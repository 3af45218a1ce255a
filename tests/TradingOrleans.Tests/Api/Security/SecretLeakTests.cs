using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

public sealed class SecretLeakTests
{
    /// <summary>The API with no configured keys (so it makes its local admin key) and every log line captured.</summary>
    private sealed class LocalKeyApi(Dictionary<string, string?> settings, CapturingLoggerProvider logs)
        : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
        }
    }

    [Fact]
    public async Task The_local_admin_key_works_is_stored_privately_and_no_secret_reaches_the_logs_or_audit_of_a_replay_run()
    {
        var database = TestSettings.NewDatabasePath();
        var keyFile = Path.Combine(Path.GetDirectoryName(database)!, "admin-api-key");
        var settings = TestSettings.For(database, replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-02T00:00:00Z", "BTCUSDT", "ETHUSDT");
        settings["Trading:Api:LocalAdminKeyFile"] = keyFile;
        var pseudonymKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        settings[LogRedaction.KeySetting] = pseudonymKey;
        var logs = new CapturingLoggerProvider();
        using var api = new LocalKeyApi(settings, logs);
        var http = api.CreateClient();

        await api.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(2));
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/v1/risk/halt?reason=leak-test", null)).StatusCode);
        var wrong = api.CreateClient();
        wrong.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/orders")).StatusCode);

        Assert.StartsWith("tok_", key);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        Assert.Contains(logs.Lines, line => line.Contains(keyFile) && line.Contains("local admin key"));
        Assert.Contains(logs.Lines, line => line.Contains("401") && line.Contains("unknown key"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(key[4..]) || line.Contains(pseudonymKey));
        var audit = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(database)!, "audit.jsonl"));
        Assert.Contains("kill-switch", audit);
        Assert.DoesNotContain(key[4..], audit);
        Assert.DoesNotContain(pseudonymKey, audit);
    }
}
