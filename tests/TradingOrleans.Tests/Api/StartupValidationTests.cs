using Microsoft.Extensions.Options;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api;

public sealed class StartupValidationTests
{
    private static Exception StartWith(params (string Key, string Value)[] overrides)
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        using var factory = new TradingApiFactory(settings);
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    private static string Messages(Exception error) =>
        error is OptionsValidationException validation ? string.Join(" | ", validation.Failures) : error.ToString();

    [Fact]
    public void A_bad_risk_setting_stops_start_up_naming_the_setting()
    {
        var error = StartWith(("Trading:Risk:PositionSizeFraction", "5"), ("Trading:Broker:Paper:FeeBps", "-1"));

        var messages = Messages(error);
        Assert.Contains("Trading:Risk:PositionSizeFraction", messages);
        Assert.Contains("Trading:Broker:Paper:FeeBps", messages);
    }

    [Fact]
    public void The_next_bar_open_fill_model_on_a_live_feed_or_with_an_impossible_cap_stops_start_up_naming_the_setting()
    {
        var liveFeed = Messages(StartWith(("Trading:Broker:Paper:Fills:Model", "NextBarOpen"), ("Trading:MarketData:Source", "Binance")));
        var badCap = Messages(StartWith(("Trading:Broker:Paper:Fills:ParticipationCap", "0")));

        Assert.Contains("Trading:Broker:Paper:Fills:Model NextBarOpen needs Trading:MarketData:Source Replay (it is Binance)", liveFeed);
        Assert.Contains("Trading:Broker:Paper:Fills:ParticipationCap", badCap);
    }

    [Fact]
    public void A_missing_replay_folder_stops_start_up_naming_the_setting()
    {
        var error = StartWith(("Trading:Replay:Enabled", "true"), ("Trading:Replay:DataDirectory", "no/such/folder"));

        Assert.Contains("Trading:Replay:DataDirectory: 'no/such/folder' was not found", Messages(error));
    }

    [Fact]
    public void Live_without_its_confirmation_stops_start_up_naming_the_setting()
    {
        var error = StartWith(("Trading:Mode", "Live"));

        Assert.Contains("Trading:Mode=Live trades real money: set Trading:ConfirmLive=true as well", Messages(error));
    }
}
