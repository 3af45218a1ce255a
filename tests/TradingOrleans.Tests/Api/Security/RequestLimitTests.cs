using System.Net;
using System.Text;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

public sealed class RequestLimitTests
{
    private static TradingApiFactory Factory(params (string Key, string Value)[] overrides)
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return new TradingApiFactory(settings);
    }

    [Fact]
    public async Task Mutations_past_the_limit_get_429_with_retry_after()
    {
        using var factory = Factory(("Trading:Api:MutationsPerMinute", "3"));
        var trader = factory.CreateClient(ApiRole.Trader);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await trader.DeleteAsync($"/api/v1/strategies/none-{i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        var refused = await trader.DeleteAsync("/api/v1/strategies/none-5");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Reads have their own, larger budget.
        Assert.Equal(HttpStatusCode.OK, (await trader.GetAsync("/api/v1/strategies")).StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_callers_are_limited_by_address()
    {
        using var factory = Factory(("Trading:Api:RequestsPerMinute", "2"));
        var anonymous = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await anonymous.GetAsync("/api/v1/portfolio")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task A_body_over_the_size_cap_gets_413_not_500()
    {
        using var factory = Factory(("Trading:Api:MaxRequestBodyBytes", "2048"));
        var body = $$"""{"id":"big","type":"sma-crossover","symbols":["BTCUSDT"],"padding":"{{new string('x', 10_000)}}"}""";

        var response = await factory.CreateClient(ApiRole.Trader).PostAsync("/api/v1/strategies", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
