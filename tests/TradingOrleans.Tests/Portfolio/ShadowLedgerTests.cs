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

    [Fact]
    public void A_target_whose_decision_never_came_is_sized_with_the_last_fraction_and_skipped_before_there_is_one()
    {
        var ledger = new ShadowLedger(new ShadowLedgerState(), new ShadowTerms(1_000m, 0m, 0m, LatencyBars: 0));
        var longOne = new SignalContribution("a", SignalDirection.Long, 1, 1);
        var flat = new SignalContribution("a", SignalDirection.Flat, 0, 1);

        // No fraction known yet: nothing to size with, and the sequence stays free for the same signal once decided.
        Assert.False(ledger.Target(Target(1, T.AddMinutes(5), longOne), positionSizeFraction: null));
        Assert.True(ledger.Target(Target(1, T.AddMinutes(5), longOne), 0.3m));
        // 0.3 × 1,000 / 100 = 3 units, bought at the next open.
        ledger.Bar("BTCUSDT", T.AddMinutes(5), 100m, 100m);
        // Flat, then long again without a fraction: sized with the last one, 0.3, not zero.
        ledger.Target(Target(2, T.AddMinutes(10), flat), 0.3m);
        ledger.Bar("BTCUSDT", T.AddMinutes(10), 100m, 100m);
        Assert.True(ledger.Target(Target(3, T.AddMinutes(15), longOne), positionSizeFraction: null));
        ledger.Bar("BTCUSDT", T.AddMinutes(15), 100m, 110m);

        // Two buys and a sell of 3 units; the last 3 marked 10 up.
        Assert.Equal([new ShadowBook("a", 30m, 0m, 3)], ledger.Books());
    }

    [Fact]
    public void Each_book_has_its_pnl_per_symbol_and_its_change_over_the_horizon()
    {
        var state = new ShadowLedgerState();
        var terms = new ShadowTerms(1_000m, FeeBps: 10m, SlippageBps: 0m, LatencyBars: 0, PnlHorizon: TimeSpan.FromMinutes(15));
        var ledger = new ShadowLedger(state, terms);
        var longOne = new SignalContribution("a", SignalDirection.Long, 1, 1);

        ledger.Bar("BTCUSDT", T, 100m, 100m);
        ledger.Bar("ETHUSDT", T, 50m, 50m);
        // a goes long a full position on both: 20 % × 1,000 / 100 = 2 BTC, / 50 = 4 ETH.
        ledger.Target(Target(1, T.AddMinutes(5), longOne), 0.2m);
        ledger.Target(new CombinedSignal("ETHUSDT", 1, SignalDirection.Long, 1, [longOne], 50m, T.AddMinutes(5), T.AddMinutes(5)), 0.2m);
        // BTC bought at 110 (fee 0.22): −220.22 + 2 × 115 = 9.78. ETH bought at 50 (fee 0.2), marked 45: −200.2 + 180 = −20.2.
        ledger.Bar("BTCUSDT", T.AddMinutes(5), 110m, 115m);
        ledger.Bar("ETHUSDT", T.AddMinutes(5), 50m, 45m);
        ledger.Bar("BTCUSDT", T.AddMinutes(10), 115m, 120m); // 19.78
        // Younger than the 15-minute horizon: its whole PnL is the change over it.
        Assert.Equal([new StrategyPnl("a", "BTCUSDT", 19.78m, 19.78m, TimeSpan.FromMinutes(15), 200m, T.AddMinutes(10))], ledger.PnlOn("BTCUSDT"));

        ledger.Bar("BTCUSDT", T.AddMinutes(15), 120m, 100m); // −20.22
        ledger.Bar("BTCUSDT", T.AddMinutes(20), 100m, 130m); // 39.78
        // The horizon now starts at T+5, when the book stood at 9.78: 39.78 − 9.78 = 30.
        Assert.Equal([new StrategyPnl("a", "BTCUSDT", 39.78m, 30m, TimeSpan.FromMinutes(15), 200m, T.AddMinutes(20))], ledger.PnlOn("BTCUSDT"));
        Assert.Equal(-20.2m, ledger.PnlOn("ETHUSDT").Single().NetPnl);
        // The symbols' PnL adds up to the book's.
        Assert.Equal(39.78m - 20.2m, ledger.Books().Single().NetPnl);
        Assert.Empty(ledger.PnlOn("LTCUSDT"));
        // Only the baseline and what came after it are kept; the ledger over the persisted state after a restart agrees.
        Assert.Equal([T.AddMinutes(5), T.AddMinutes(10), T.AddMinutes(15), T.AddMinutes(20)], state.Books["a"].PnlHistory["BTCUSDT"].Select(p => p.At));
        Assert.Equal(ledger.PnlOn("BTCUSDT"), new ShadowLedger(state, terms).PnlOn("BTCUSDT"));
    }

    [Fact]
    public void Pnl_samples_are_one_per_48th_of_the_horizon_the_last_bar_of_each()
    {
        var state = new ShadowLedgerState();
        // 48 samples per 4 hours: one per 5 minutes, while the bars come every minute.
        var ledger = new ShadowLedger(state, new ShadowTerms(1_000m, 0m, 0m, 0, PnlHorizon: TimeSpan.FromHours(4)));
        ledger.Bar("BTCUSDT", T, 100m, 100m);
        ledger.Target(Target(1, T.AddMinutes(1), new SignalContribution("a", SignalDirection.Long, 1, 1)), 0.1m);
        for (var minute = 1; minute <= 300; minute++)
        {
            ledger.Bar("BTCUSDT", T.AddMinutes(minute), 100m + minute, 100m + minute);
        }

        // One unit bought at 101 and marked at 400: 299. The horizon starts at minute 60; each 5-minute bucket keeps
        // its last bar (minute 64 for 60–64, after the start), so the baseline is minute 59's: 159 − 101 = 58.
        var pnl = ledger.PnlOn("BTCUSDT").Single();
        Assert.Equal(299m, pnl.NetPnl);
        Assert.Equal(299m - 58m, pnl.PnlOverHorizon);
        Assert.InRange(state.Books["a"].PnlHistory["BTCUSDT"].Count, 48, 50);
    }
}
