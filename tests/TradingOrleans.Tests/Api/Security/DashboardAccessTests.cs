using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

public sealed class DashboardAccessTests
{
    /// <summary>Makes every request look as if it came from <paramref name="address"/>.</summary>
    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    [Theory]
    [InlineData("203.0.113.5", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    public async Task The_orleans_dashboard_answers_only_local_callers(string caller, HttpStatusCode expected)
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings["Trading:Silo:Dashboard"] = "true";
        using var factory = new TradingApiFactory(settings);
        var client = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Parse(caller)))))
            .CreateClient();

        Assert.Equal(expected, (await client.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_only_the_trading_API_not_the_dashboard()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings["Trading:Silo:Dashboard"] = "true";
        using var factory = new TradingApiFactory(settings);

        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains("/api/v1/orders", paths);
        Assert.All(paths, path => Assert.True(path.StartsWith("/api/v1/", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal), path));
    }
}
