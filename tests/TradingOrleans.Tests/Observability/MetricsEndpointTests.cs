using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_of_a_replay_are_served_in_prometheus_format()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-02T00:00:00Z", "BTCUSDT", "ETHUSDT");
        using var api = new TradingApiFactory(settings);
        var http = api.CreateClient(Client.Api.Security.ApiRole.Viewer);
        await api.Services.GetRequiredService<ReplayService>().Completion.WaitAsync(TimeSpan.FromMinutes(2));

        var text = await Eventually.Returns(() => http.GetStringAsync("/metrics"), t => t.Contains("trading_tick_to_order_latency"));

        Assert.Contains("trading_candles_processed_total{", text);
        Assert.Contains("trading_tick_to_order_latency_milliseconds_bucket{", text);
        Assert.Contains("trading_orders_total{", text);
        foreach (var stage in new[] { "strategies", "aggregation", "risk", "broker" })
        {
            Assert.Contains($"trading_stage_duration_milliseconds_bucket{{otel_scope_name=\"TradingOrleans\",stage=\"{stage}\"", text);
        }

        Assert.Contains("trading_signals_total{", text);
        Assert.Matches(@"trading_portfolio_equity\S* \d", text);
        Assert.Contains("trading_risk_halted", text);
        Assert.Matches(@"trading_order_path_degraded\S* 0", text); // exported while healthy, so its alert always has data
    }
}
