using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Signals;

namespace TradingOrleans.Tests.Signals;

public sealed class OrderCatchUpTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static CombinedSignal Signal(long sequence, DateTimeOffset ingestedAt) =>
        new("BTCUSDT", sequence, SignalDirection.Long, 0.5, [], 30_000m, ingestedAt, ingestedAt);

    [Fact]
    public void Backoff_doubles_per_attempt_within_its_jitter_band_and_stops_at_the_cap()
    {
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(1);

        Assert.Equal([50, 100, 200, 400, 500, 500], Enumerable.Range(0, 6).Select(a => OrderCatchUp.Backoff(a, baseDelay, max, 0).TotalMilliseconds));
        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(0, 6).Select(a => Math.Round(OrderCatchUp.Backoff(a, baseDelay, max, 0.999999).TotalMilliseconds)));
        Assert.Equal(1000, OrderCatchUp.Backoff(int.MaxValue, baseDelay, max, 0.999999).TotalMilliseconds, 0.01);
    }

    [Fact]
    public void The_same_signal_failing_again_backs_off_further_and_a_newer_one_starts_over()
    {
        var catchUp = new OrderCatchUp(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), new Random(7));
        var first = Signal(1, Now);

        var delays = Enumerable.Range(0, 4).Select(_ => catchUp.Failed(first).TotalMilliseconds).ToArray();
        Assert.All(delays.Zip([100.0, 200, 400, 800]), d => Assert.InRange(d.First, d.Second / 2, d.Second));
        Assert.Equal((first, 4), (catchUp.Pending, catchUp.Attempts));

        var newer = Signal(2, Now);
        Assert.InRange(catchUp.Failed(newer).TotalMilliseconds, 50, 100);
        Assert.Equal((newer, 1), (catchUp.Pending, catchUp.Attempts));
        Assert.Same(newer, catchUp.Due(Now.AddSeconds(1)));

        catchUp.Delivered();
        Assert.Null(catchUp.Due(Now.AddSeconds(1)));
    }

    [Fact]
    public void A_signal_owed_past_the_signal_age_is_given_up_and_the_next_bar_restates_the_target()
    {
        var catchUp = new OrderCatchUp(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), new Random(7));
        catchUp.Failed(Signal(1, Now));

        Assert.NotNull(catchUp.Due(Now.AddSeconds(30)));
        Assert.Null(catchUp.Due(Now.AddSeconds(31)));
        Assert.Equal((null, true), (catchUp.Pending, catchUp.RestateOnNextBar));
    }
}
