using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Strategies;

public sealed class LegAlignerTests
{
    private static readonly DateTimeOffset Start = new(2021, 4, 20, 1, 0, 0, TimeSpan.Zero);

    private static Candle Bar(string symbol, int index, decimal close) =>
        new(symbol, TimeSpan.FromMinutes(5), Start.AddMinutes(5 * index), close, close, close, close, 1m, Start);

    [Fact]
    public void Bars_of_the_same_open_time_are_paired_whichever_leg_arrives_first()
    {
        var aligner = new LegAligner("ETHUSDT", "BTCUSDT");

        Assert.Null(aligner.Add(Bar("BTCUSDT", 0, 55000m)));
        var pair = aligner.Add(Bar("ETHUSDT", 0, 2300m));

        Assert.NotNull(pair);
        Assert.Equal(("ETHUSDT", 2300m), (pair.Value.A.Symbol, pair.Value.A.Close));
        Assert.Equal(("BTCUSDT", 55000m), (pair.Value.B.Symbol, pair.Value.B.Close));
        Assert.Equal(1, aligner.AlignedBars);
    }

    [Fact]
    public void A_bar_missing_on_one_leg_is_skipped_and_alignment_resumes()
    {
        var aligner = new LegAligner("ETHUSDT", "BTCUSDT");

        // Bar 1 exists for ETH only (a gap on BTC, like the 2021-04-20 maintenance window).
        aligner.Add(Bar("ETHUSDT", 1, 2301m));
        Assert.Null(aligner.Add(Bar("BTCUSDT", 2, 55010m)));
        var pair = aligner.Add(Bar("ETHUSDT", 2, 2302m));

        Assert.Equal(Start.AddMinutes(10), pair!.Value.A.OpenTime);
        Assert.Equal(pair.Value.A.OpenTime, pair.Value.B.OpenTime);
        Assert.Equal(1, aligner.AlignedBars);
        // The orphaned ETH bar 1 can no longer pair with a late BTC bar 1.
        Assert.Null(aligner.Add(Bar("BTCUSDT", 1, 55000m)));
    }

    [Fact]
    public void A_bar_of_another_symbol_is_refused()
    {
        var aligner = new LegAligner("ETHUSDT", "BTCUSDT");

        Assert.Throws<ArgumentException>(() => aligner.Add(Bar("LTCUSDT", 0, 200m)));
    }
}
