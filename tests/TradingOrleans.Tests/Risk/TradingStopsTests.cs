using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

public sealed class TradingStopsTests
{
    private static readonly DateOnly Monday = new(2021, 1, 4);

    [Fact]
    public void A_five_percent_daily_loss_makes_trading_reducing_only_until_the_next_day()
    {
        var marks = new StopMarks();

        Assert.Null(TradingStops.Check(TradingState.Active, marks, 100_000m, Monday, 0.25m, 0.05m).Reason);
        Assert.Null(TradingStops.Check(TradingState.Active, marks, 95_001m, Monday, 0.25m, 0.05m).Reason);
        // 1 − 94,999 / 100,000 = 5.001 % ≥ 5 %.
        var stop = TradingStops.Check(TradingState.Active, marks, 94_999m, Monday, 0.25m, 0.05m);
        Assert.Equal(TradingState.Reducing, stop.State);
        Assert.Contains("daily loss stop", stop.Reason);
        Assert.Null(TradingStops.Check(TradingState.Reducing, marks, 94_000m, Monday, 0.25m, 0.05m).Reason);

        var nextDay = TradingStops.Check(TradingState.Reducing, marks, 94_000m, Monday.AddDays(1), 0.25m, 0.05m);
        Assert.Equal(TradingState.Active, nextDay.State);
        Assert.Equal(94_000m, marks.DayStartEquity);
    }

    [Fact]
    public void A_drawdown_from_the_peak_halts_and_stays_halted()
    {
        var marks = new StopMarks();
        TradingStops.Check(TradingState.Active, marks, 100_000m, Monday, 0.10m, 0m);
        TradingStops.Check(TradingState.Active, marks, 120_000m, Monday.AddDays(1), 0.10m, 0m);

        // 1 − 108,000 / 120,000 = 10 % from the peak.
        var stop = TradingStops.Check(TradingState.Active, marks, 108_000m, Monday.AddDays(2), 0.10m, 0m);
        Assert.Equal(TradingState.Halted, stop.State);
        Assert.Contains("drawdown stop", stop.Reason);
        Assert.Equal(TradingState.Halted, TradingStops.Check(TradingState.Halted, marks, 130_000m, Monday.AddDays(3), 0.10m, 0m).State);
    }

    [Fact]
    public void Zero_limits_disable_the_stops()
    {
        var marks = new StopMarks();
        TradingStops.Check(TradingState.Active, marks, 100_000m, Monday, 0m, 0m);

        Assert.Equal(TradingState.Active, TradingStops.Check(TradingState.Active, marks, 1m, Monday, 0m, 0m).State);
    }
}
