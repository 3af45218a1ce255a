using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;

namespace TradingOrleans.Tests.MarketData;

public sealed class CandleAggregatorTests
{
    private static readonly DateTimeOffset Midnight = new(2021, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static long _tradeId;

    private static MarketTick Trade(TimeSpan at, decimal price, decimal quantity) =>
        new("BTCUSDT", ++_tradeId, price, quantity, Midnight + at, Midnight + at + TimeSpan.FromMilliseconds(3));

    [Fact]
    public void Trades_build_ohlcv_and_the_first_trade_of_the_next_interval_closes_the_bar()
    {
        var aggregator = new CandleAggregator("BTCUSDT", TimeSpan.FromMinutes(5));

        Assert.Empty(aggregator.Add(Trade(TimeSpan.FromSeconds(10), 100m, 1m)));
        Assert.Empty(aggregator.Add(Trade(TimeSpan.FromMinutes(2), 105m, 2m)));
        Assert.Empty(aggregator.Add(Trade(new TimeSpan(0, 4, 59), 99m, 1m)));
        var closingTrade = Trade(new TimeSpan(0, 5, 1), 101m, 1m);
        var closed = Assert.Single(aggregator.Add(closingTrade));

        Assert.Equal(
            new Candle("BTCUSDT", TimeSpan.FromMinutes(5), Midnight, 100m, 105m, 99m, 99m, 4m, closingTrade.IngestedAt),
            closed);
        Assert.Equal(Midnight.AddMinutes(5), aggregator.Current!.OpenTime);
    }

    [Fact]
    public void Late_trades_are_counted_and_ignored_and_empty_intervals_make_no_bar()
    {
        var aggregator = new CandleAggregator("BTCUSDT", TimeSpan.FromMinutes(5));
        aggregator.Add(Trade(TimeSpan.FromMinutes(6), 100m, 1m));

        Assert.Empty(aggregator.Add(Trade(TimeSpan.FromMinutes(3), 90m, 1m)));
        Assert.Equal(1, aggregator.LateTicks);

        var closed = Assert.Single(aggregator.Add(Trade(TimeSpan.FromMinutes(21), 102m, 1m)));
        Assert.Equal((Midnight.AddMinutes(5), 100m, 1m), (closed.OpenTime, closed.Close, closed.Volume));
        Assert.Equal(Midnight.AddMinutes(20), aggregator.Current!.OpenTime);
    }

    [Fact]
    public void Flush_closes_the_open_bar_only_after_its_interval_ended()
    {
        var aggregator = new CandleAggregator("BTCUSDT", TimeSpan.FromMinutes(5));
        aggregator.Add(Trade(TimeSpan.FromMinutes(1), 100m, 1m));

        Assert.Null(aggregator.Flush(Midnight.AddMinutes(4)));
        var closed = aggregator.Flush(Midnight.AddMinutes(5));

        Assert.Equal(Midnight, closed!.OpenTime);
        Assert.Null(aggregator.Current);
    }
}
