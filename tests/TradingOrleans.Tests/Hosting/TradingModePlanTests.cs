using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Tests.Hosting;

/// <summary><c>Trading:Mode</c> sets feed and venue endpoints together and refuses settings that contradict it.</summary>
public sealed class TradingModePlanTests
{
    private static TradingModePlan Resolve(params (string Key, string Value)[] settings) =>
        TradingModePlan.Resolve(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>(s.Key, s.Value)))
            .Build());

    private static T Bound<T>(TradingModePlan plan, string section) where T : new() =>
        plan.Configuration.GetSection(section).Get<T>() ?? new T();

    private static string Refusals(TradingModePlan plan) => string.Join(" | ", plan.Refusals);

    [Fact]
    public void Paper_is_the_default_and_keeps_replay_and_the_paper_venue()
    {
        var plan = Resolve();

        Assert.Equal(TradingMode.Paper, plan.Mode);
        Assert.Empty(plan.Refusals);
        Assert.Equal(MarketDataSource.Replay, Bound<MarketDataOptions>(plan, MarketDataOptions.SectionName).Source);
        Assert.True(Bound<PaperBrokerOptions>(plan, PaperBrokerOptions.SectionName).Enabled);
        Assert.False(Bound<BinanceBrokerOptions>(plan, BinanceBrokerOptions.SectionName).Enabled);
        Assert.True(Bound<RiskLimits>(plan, "Trading:Risk").AllowShortSelling);
        Assert.Equal("Paper: feed replay of data/binance-usdt-2021-5m; venues paper", plan.Summary);
    }

    [Fact]
    public void Paper_takes_live_binance_prices_when_the_source_is_binance()
    {
        var plan = Resolve(("Trading:MarketData:Source", "Binance"));

        Assert.Empty(plan.Refusals);
        Assert.Equal(BinanceEndpoints.Live.MarketStreamUrl, Bound<BinanceMarketDataOptions>(plan, BinanceMarketDataOptions.SectionName).BaseUrl);
        Assert.Equal("Paper: feed Binance live wss://stream.binance.com:9443; venues paper", plan.Summary);
    }

    [Theory]
    [InlineData("Testnet")]
    [InlineData("Live")]
    public void Testnet_and_live_take_their_networks_data_and_venue_and_turn_short_selling_off(string modeName)
    {
        var mode = Enum.Parse<TradingMode>(modeName);
        var endpoints = mode == TradingMode.Live ? BinanceEndpoints.Live : BinanceEndpoints.Testnet;

        var plan = Resolve(("Trading:Mode", modeName), ("Trading:ConfirmLive", "true"));

        Assert.Equal(mode, plan.Mode);
        Assert.Empty(plan.Refusals);
        Assert.Equal(MarketDataSource.Binance, Bound<MarketDataOptions>(plan, MarketDataOptions.SectionName).Source);
        Assert.Equal(endpoints.MarketStreamUrl, Bound<BinanceMarketDataOptions>(plan, BinanceMarketDataOptions.SectionName).BaseUrl);
        var binance = Bound<BinanceBrokerOptions>(plan, BinanceBrokerOptions.SectionName);
        Assert.Equal((true, endpoints.RestBaseUrl, endpoints.WebSocketApiUrl), (binance.Enabled, binance.RestBaseUrl, binance.WebSocketApiUrl));
        Assert.False(Bound<PaperBrokerOptions>(plan, PaperBrokerOptions.SectionName).Enabled);
        Assert.False(Bound<RiskLimits>(plan, "Trading:Risk").AllowShortSelling);
        Assert.Equal($"{modeName}: feed Binance {modeName.ToLowerInvariant()} {endpoints.MarketStreamUrl}; venues binance (Binance {modeName.ToLowerInvariant()} {endpoints.RestBaseUrl})",
            plan.Summary);
    }

    [Fact]
    public void Testnet_endpoints_published_by_binance_are_classified_as_testnet_and_live_ones_as_live()
    {
        Assert.All([BinanceEndpoints.Testnet.RestBaseUrl, BinanceEndpoints.Testnet.WebSocketApiUrl, BinanceEndpoints.Testnet.MarketStreamUrl],
            url => Assert.Equal(BinanceNetwork.Testnet, BinanceEndpoints.Classify(url)));
        Assert.All([BinanceEndpoints.Live.RestBaseUrl, BinanceEndpoints.Live.WebSocketApiUrl, BinanceEndpoints.Live.MarketStreamUrl, "https://api3.binance.com", "wss://data-stream.binance.vision"],
            url => Assert.Equal(BinanceNetwork.Live, BinanceEndpoints.Classify(url)));
        Assert.All(["http://127.0.0.1:5123", "ws://localhost:5123/ws-api/v3", "http://[::1]:80"], url => Assert.Equal(BinanceNetwork.Local, BinanceEndpoints.Classify(url)));
        Assert.All(["https://api.binance.us", "https://binance.com.example.org", "not a url"], url => Assert.Equal(BinanceNetwork.Unknown, BinanceEndpoints.Classify(url)));
    }

    [Fact]
    public void Live_is_refused_without_the_confirmation_even_with_conflicts_allowed()
    {
        var plan = Resolve(("Trading:Mode", "Live"), ("Trading:AllowModeConflicts", "true"));

        Assert.Equal(["Trading:Mode=Live trades real money: set Trading:ConfirmLive=true as well"], plan.Refusals);
    }

    [Fact]
    public void A_live_feed_with_the_testnet_venue_is_refused_naming_the_feed_setting_and_the_override()
    {
        var plan = Resolve(("Trading:Mode", "Testnet"), ("Trading:MarketData:Binance:BaseUrl", "wss://stream.binance.com:9443"));

        Assert.Equal(
            [
                "Trading:MarketData:Binance:BaseUrl=wss://stream.binance.com:9443 (Binance live) contradicts Trading:Mode=Testnet: it takes Binance testnet market data",
                "set Trading:AllowModeConflicts=true to start with it anyway",
            ],
            plan.Refusals);
    }

    [Fact]
    public void Every_setting_that_contradicts_live_is_named()
    {
        var plan = Resolve(("Trading:Mode", "Live"), ("Trading:ConfirmLive", "true"),
            ("Trading:MarketData:Source", "Replay"),
            ("Trading:Broker:Paper:Enabled", "true"),
            ("Trading:Broker:Binance:RestBaseUrl", "https://testnet.binance.vision"),
            ("Trading:Broker:Binance:WebSocketApiUrl", "wss://ws-api.example.org/ws-api/v3"),
            ("Trading:Risk:AllowShortSelling", "true"));

        var refusals = Refusals(plan);
        Assert.Equal(5, plan.Conflicts.Count);
        Assert.Contains("Trading:MarketData:Source=Replay contradicts Trading:Mode=Live: it sizes and risk-checks orders on Binance live prices", refusals);
        Assert.Contains("Trading:Broker:Paper:Enabled=true contradicts", refusals);
        Assert.Contains("Trading:Broker:Binance:RestBaseUrl=https://testnet.binance.vision (Binance testnet) contradicts", refusals);
        Assert.Contains("Trading:Broker:Binance:WebSocketApiUrl=wss://ws-api.example.org/ws-api/v3 (neither Binance live nor testnet)", refusals);
        Assert.Contains("Trading:Risk:AllowShortSelling=true contradicts Trading:Mode=Live: it trades a Binance spot account, which cannot sell what it does not hold", refusals);
        Assert.EndsWith("set Trading:AllowModeConflicts=true to start with them anyway", refusals);
    }

    [Fact]
    public void Testnet_without_the_binance_venue_is_refused()
    {
        var plan = Resolve(("Trading:Mode", "Testnet"), ("Trading:Broker:Binance:Enabled", "false"));

        Assert.StartsWith("Trading:Broker:Binance:Enabled=false contradicts Trading:Mode=Testnet: it trades on Binance testnet", Refusals(plan));
    }

    [Fact]
    public void Paper_refuses_a_real_binance_venue_and_testnet_prices()
    {
        var plan = Resolve(("Trading:MarketData:Source", "Binance"), ("Trading:MarketData:Binance:BaseUrl", "wss://stream.testnet.binance.vision"),
            ("Trading:Broker:Binance:Enabled", "true"));

        Assert.Equal(2, plan.Conflicts.Count);
        Assert.Contains("Trading:MarketData:Binance:BaseUrl=wss://stream.testnet.binance.vision (Binance testnet) contradicts Trading:Mode=Paper: it trades on live or replayed prices", Refusals(plan));
        Assert.Contains("Trading:Broker:Binance:Enabled=true with Trading:Broker:Binance:RestBaseUrl=https://testnet.binance.vision contradicts Trading:Mode=Paper: it routes to the paper venues only", Refusals(plan));
    }

    [Theory]
    [InlineData("Paper")]
    [InlineData("Testnet")]
    [InlineData("Live")]
    public void A_binance_speaking_server_on_this_machine_fits_every_mode(string mode)
    {
        var plan = Resolve(("Trading:Mode", mode), ("Trading:ConfirmLive", "true"),
            ("Trading:MarketData:Source", "Binance"), ("Trading:MarketData:Binance:BaseUrl", "ws://127.0.0.1:5123"),
            ("Trading:Broker:Binance:Enabled", "true"), ("Trading:Broker:Binance:RestBaseUrl", "http://127.0.0.1:5124"),
            ("Trading:Broker:Binance:WebSocketApiUrl", "ws://127.0.0.1:5124/ws-api/v3"));

        Assert.Empty(plan.Refusals);
        Assert.Contains("binance (a local server http://127.0.0.1:5124)", plan.Venues);
    }

    [Fact]
    public void The_override_starts_a_mixed_configuration_and_keeps_its_conflicts_for_the_log()
    {
        var plan = Resolve(("Trading:Mode", "Testnet"), ("Trading:AllowModeConflicts", "true"), ("Trading:MarketData:Source", "Replay"));

        Assert.Empty(plan.Refusals);
        Assert.StartsWith("Trading:MarketData:Source=Replay", Assert.Single(plan.Conflicts));
        Assert.Equal("Testnet: feed replay of data/binance-usdt-2021-5m; venues binance (Binance testnet https://testnet.binance.vision)", plan.Summary);
    }

    [Fact]
    public void An_explicit_setting_wins_over_the_modes_default()
    {
        var plan = Resolve(("Trading:Mode", "Testnet"), ("Trading:MarketData:Binance:BaseUrl", "wss://stream.testnet.binance.vision:9443"));

        Assert.Empty(plan.Refusals);
        Assert.Equal("wss://stream.testnet.binance.vision:9443", Bound<BinanceMarketDataOptions>(plan, BinanceMarketDataOptions.SectionName).BaseUrl);
    }
}
