using TradingOrleans.Grains.Backtesting;

namespace TradingOrleans.Tests.Backtesting;

public sealed class MarketClockTests
{
    private static readonly DateTimeOffset Start = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_moves_only_when_advanced_and_never_back()
    {
        var clock = new MarketClock(Start);
        var stamp = clock.GetTimestamp();
        Thread.Sleep(20);

        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetElapsedTime(stamp));
        clock.AdvanceTo(Start.AddMinutes(5));
        clock.AdvanceTo(Start.AddMinutes(1));
        Assert.Equal(Start.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(5), clock.GetElapsedTime(stamp));
    }

    [Fact]
    public void Timers_fire_when_the_clock_reaches_them_in_due_order_and_a_periodic_one_once_per_move()
    {
        var clock = new MarketClock(Start);
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal(0, clock.AdvanceTo(Start.AddMilliseconds(999)));
        Assert.Equal(2, clock.AdvanceTo(Start.AddMinutes(2)));
        Assert.Equal(["tick", "early"], fired);
        // Due one period after the move, not 119 times for the seconds it jumped.
        Assert.Equal(2, clock.AdvanceTo(Start.AddMinutes(5)));
        Assert.Equal(["tick", "early", "tick", "late"], fired);
    }

    [Fact]
    public async Task A_delay_on_the_clock_completes_when_market_time_passes_it_not_before()
    {
        var clock = new MarketClock(Start);
        var delay = Task.Delay(TimeSpan.FromSeconds(30), clock);

        await Task.Delay(50);
        Assert.False(delay.IsCompleted);
        clock.AdvanceTo(Start.AddMinutes(5));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Once_released_the_clock_and_its_timers_run_on_wall_time_from_the_last_market_time()
    {
        var clock = new MarketClock(Start);
        var pending = Task.Delay(TimeSpan.FromMilliseconds(100), clock);
        clock.AdvanceTo(Start.AddMinutes(5));
        var armed = Task.Delay(TimeSpan.FromMilliseconds(50), clock);

        clock.Release();

        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        await armed.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(50), clock).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.InRange(clock.GetUtcNow() - Start.AddMinutes(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
    }
}
