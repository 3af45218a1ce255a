using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>Where the stops stand: the equity peak and the equity at the start of the current (market) day.</summary>
[GenerateSerializer]
public sealed class StopMarks
{
    [Id(0)] public decimal PeakEquity { get; set; }

    [Id(1)] public DateOnly Day { get; set; }

    [Id(2)] public decimal DayStartEquity { get; set; }
}

/// <summary>The result of checking the stops: the state to be in, and why it changed (null if it did not).</summary>
public sealed record StopCheck(TradingState State, string? Reason);

/// <summary>
/// Loss stops on equity. A drawdown of <c>maxDrawdown</c> from the peak halts trading (a person resumes it); a loss of
/// <c>dailyLoss</c> since the day's first check makes trading reducing-only until the next day. Fractions; 0 disables.
/// </summary>
public static class TradingStops
{
    public static StopCheck Check(TradingState state, StopMarks marks, decimal equity, DateOnly day, decimal maxDrawdown, decimal dailyLoss)
    {
        var newDay = marks.Day != day;
        if (newDay)
        {
            marks.Day = day;
            marks.DayStartEquity = equity;
        }

        marks.PeakEquity = Math.Max(marks.PeakEquity, equity);
        if (state == TradingState.Halted)
        {
            return new StopCheck(state, null);
        }

        if (maxDrawdown > 0 && marks.PeakEquity > 0 && 1 - equity / marks.PeakEquity >= maxDrawdown)
        {
            return new StopCheck(TradingState.Halted,
                $"drawdown stop: equity {equity:0.##} is {1 - equity / marks.PeakEquity:P1} below the peak {marks.PeakEquity:0.##} (limit {maxDrawdown:P1})");
        }

        if (dailyLoss > 0 && marks.DayStartEquity > 0 && 1 - equity / marks.DayStartEquity >= dailyLoss)
        {
            return state == TradingState.Reducing
                ? new StopCheck(state, null)
                : new StopCheck(TradingState.Reducing,
                    $"daily loss stop: equity {equity:0.##} is {1 - equity / marks.DayStartEquity:P1} below the day's start {marks.DayStartEquity:0.##} (limit {dailyLoss:P1})");
        }

        // The daily stop lifts with the new day.
        return state == TradingState.Reducing && newDay
            ? new StopCheck(TradingState.Active, $"new day {day:yyyy-MM-dd}: the daily loss stop is lifted")
            : new StopCheck(state, null);
    }
}
