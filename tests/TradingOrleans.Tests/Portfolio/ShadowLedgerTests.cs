using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

public sealed class ShadowLedgerTests
{
    private static readonly DateTimeOffset T = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static CombinedSignal Target(long sequence, DateTimeOffset close, params SignalContribution[] votes) =>
        new("BTCUSDT", sequence, SignalDirection.Flat, 0, votes, 100m, close, close);

    [Fact]
    public void Each_strategy_holds_its_weight_share_of_the_targets_filled_at_the_next_open_and_marked_at_the_close()
    {
        var ledger = new ShadowLedger(new ShadowLedgerState(), new ShadowTerms(SizingEquity: 1_000m, FeeBps: 10m, SlippageBps: 0m, LatencyBars: 0));

        ledger.Bar("BTCUSDT", T, open: 100m, close: 100m);
        // a long 1, b flat, equal configured weights (the performance-adjusted ones differ and do not count):
        // a's share 1/2 → 0.5 × 20 % (risk's position size fraction) × 1,000 / 100 = 1 unit.
        ledger.Target(Target(1, T.AddMinutes(5), new("a", SignalDirection.Long, 1, Weight: 0.7, ConfiguredWeight: 1), new("b", SignalDirection.Flat, 0, 1.3, ConfiguredWeight: 1)), 0.2m);
        // Bought at the next open, 110, fee 0.11.
        ledger.Bar("BTCUSDT", T.AddMinutes(5), open: 110m, close: 115m);
        // a flat, b short 1: a sells its unit at 120, b goes short 1 at 120.
        ledger.Target(Target(2, T.AddMinutes(10), new("a", SignalDirection.Flat, 0, 1, ConfiguredWeight: 1), new("b", SignalDirection.Short, 1, 1, ConfiguredWeight: 1)), 0.2m);
        ledger.Bar("BTCUSDT", T.AddMinutes(10), open: 120m, close: 130m);

        Assert.Equal(
            [
                // a: −110 − 0.11 + 120 − 0.12 = 9.77.
                new ShadowBook("a", 9.77m, 0.23m, 2),
                // b: +120 − 0.12, then short 1 marked at 130: 119.88 − 130 = −10.12.
                new ShadowBook("b", -10.12m, 0.12m, 1),
            ],
            ledger.Books());
    }

    [Fact]
    public void A_retried_target_or_a_repeated_bar_changes_nothing_and_latency_moves_the_fill_to_a_later_open()
    {
        var state = new ShadowLedgerState();
        var ledger = new ShadowLedger(state, new ShadowTerms(500m, 0m, 0m, LatencyBars: 1));
        var longOne = new SignalContribution("a", SignalDirection.Long, 1, 1);

        Assert.True(ledger.Target(Target(7, T.AddMinutes(5), longOne), 0.2m));
        Assert.False(ledger.Target(Target(7, T.AddMinutes(5), longOne), 0.2m));
        Assert.False(ledger.Bar("BTCUSDT", T.AddMinutes(5), 110m, 110m));
        Assert.False(ledger.Bar("BTCUSDT", T.AddMinutes(5), 999m, 999m));
        // One bar of latency: filled at T+10's open, 120, not 110; marked at 125.
        Assert.True(ledger.Bar("BTCUSDT", T.AddMinutes(10), 120m, 125m));

        Assert.Equal([new ShadowBook("a", 5m, 0m, 1)], ledger.Books());
        // The books live in the state the portfolio persists: a ledger over it after a restart has them.
        Assert.Equal(ledger.Books(), new ShadowLedger(state, new ShadowTerms(500m, 0m, 0m, 1)).Books());
    }
}
