namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// The performance figures of a backtest from its equity samples and fills (definitions on
/// <see cref="PerformanceSummary"/> and in docs/backtesting.md). Money stays decimal; ratios are double.
/// </summary>
public static class PerformanceMetrics
{
    /// <summary>Crypto trades every day of the year, so daily figures are annualised over 365 days, not 252.</summary>
    private const double DaysPerYear = 365;

    /// <summary>The summary of a run; with no samples its end equity is its start equity.</summary>
    /// <param name="startEquity">The equity before the first sample (positive): the base of every return and the first peak.</param>
    /// <param name="equity">The equity samples in time order.</param>
    /// <param name="fills">The fills in time order.</param>
    /// <exception cref="ArgumentException">Samples or fills out of time order, or a fill with a non-positive quantity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A start equity of zero or less.</exception>
    public static PerformanceSummary Compute(decimal startEquity, IReadOnlyList<EquitySample> equity, IReadOnlyList<BacktestFill> fills)
    {
        Check(startEquity, equity);
        var trips = RoundTrips.From(fills);
        var start = (double)startEquity;
        var endEquity = equity.Count == 0 ? startEquity : equity[^1].Equity;
        var totalReturn = (double)endEquity / start - 1;
        var annualisedReturn = Annualise(totalReturn, equity.Count == 0 ? TimeSpan.Zero : equity[^1].Time - equity[0].Time);
        var (maxDrawdown, maxDrawdownDuration) = Drawdown(startEquity, equity);
        var daily = PeriodReturns(startEquity, equity, DateOnly.FromDateTime).Select(p => p.Return).ToArray();
        // An account whose equity reached zero is ruined: a return on a negative base has the wrong sign (a further loss
        // reads as a gain), so its ratios would rank it among the best.
        var (volatility, sharpe, sortino) = equity.Any(s => s.Equity <= 0) ? (null, null, null) : DailyRatios(daily);

        return new PerformanceSummary(
            StartEquity: startEquity,
            EndEquity: endEquity,
            TotalReturn: totalReturn,
            AnnualisedReturn: annualisedReturn,
            BuyAndHoldReturn: equity.Count == 0 ? 0 : (double)equity[^1].BuyAndHold / start - 1,
            Volatility: volatility,
            Sharpe: sharpe,
            Sortino: sortino,
            Calmar: maxDrawdown == 0 ? null : annualisedReturn / Math.Abs(maxDrawdown),
            MaxDrawdown: maxDrawdown,
            MaxDrawdownDuration: maxDrawdownDuration,
            WinRate: trips.Count == 0 ? null : (double)trips.Count(t => t.NetPnl > 0) / trips.Count,
            ProfitFactor: ProfitFactor(trips),
            AverageTrade: trips.Count == 0 ? null : trips.Sum(t => t.NetPnl) / trips.Count,
            Exposure: equity.Count == 0 ? 0 : (double)equity.Count(s => s.GrossExposure > 0) / equity.Count,
            Turnover: Turnover(startEquity, equity, fills),
            Fees: fills.Sum(f => f.Fee),
            TradeCount: trips.Count,
            FillCount: fills.Count);
    }

    /// <summary>
    /// The return of each UTC calendar day with samples: its last sample's equity over the previous such day's last
    /// (<paramref name="startEquity"/> for the first), minus 1. A day without samples has no return (not a zero one).
    /// </summary>
    public static IReadOnlyList<DailyReturn> DailyReturns(decimal startEquity, IReadOnlyList<EquitySample> equity)
    {
        Check(startEquity, equity);
        return [.. PeriodReturns(startEquity, equity, DateOnly.FromDateTime).Select(p => new DailyReturn(p.Period, p.Return))];
    }

    /// <summary>
    /// The return of each UTC calendar month with samples: its last sample's equity over the previous such month's
    /// last (<paramref name="startEquity"/> for the first), minus 1.
    /// </summary>
    public static IReadOnlyList<MonthlyReturn> MonthlyReturns(decimal startEquity, IReadOnlyList<EquitySample> equity)
    {
        Check(startEquity, equity);
        return [.. PeriodReturns(startEquity, equity, time => (time.Year, time.Month)).Select(p => new MonthlyReturn(p.Period.Year, p.Period.Month, p.Return))];
    }

    private static IEnumerable<(TPeriod Period, double Return)> PeriodReturns<TPeriod>(
        decimal startEquity, IReadOnlyList<EquitySample> equity, Func<DateTime, TPeriod> periodOf)
        where TPeriod : IEquatable<TPeriod>
    {
        var previous = (double)startEquity;
        for (var i = 0; i < equity.Count; i++)
        {
            var period = periodOf(equity[i].Time.UtcDateTime);
            if (i + 1 < equity.Count && periodOf(equity[i + 1].Time.UtcDateTime).Equals(period))
            {
                continue;
            }

            var last = (double)equity[i].Equity;
            yield return (period, last / previous - 1);
            previous = last;
        }
    }

    /// <summary>
    /// (1 + total)^(365 days / period) − 1. A run of no length has nothing to compound over, so its annualised return
    /// is its total; a run that lost everything (or more) is −1, where the power would be undefined.
    /// </summary>
    private static double Annualise(double totalReturn, TimeSpan period)
    {
        if (period <= TimeSpan.Zero)
        {
            return totalReturn;
        }

        return 1 + totalReturn <= 0 ? -1 : Math.Pow(1 + totalReturn, DaysPerYear / period.TotalDays) - 1;
    }

    /// <summary>
    /// The deepest fall below the running peak, and the longest time under water: from the time the peak was set
    /// (the start equity is a peak at the first sample's time) to the first sample back at or above it, or to the
    /// last sample if none is. A sample equal to the peak ends the fall and sets the peak's time anew.
    /// </summary>
    private static (double Depth, TimeSpan Duration) Drawdown(decimal startEquity, IReadOnlyList<EquitySample> equity)
    {
        if (equity.Count == 0)
        {
            return (0, TimeSpan.Zero);
        }

        var peak = startEquity;
        var peakTime = equity[0].Time;
        var underwater = false;
        double deepest = 0;
        var longest = TimeSpan.Zero;
        foreach (var sample in equity)
        {
            if (sample.Equity >= peak)
            {
                if (underwater)
                {
                    longest = Max(longest, sample.Time - peakTime);
                }

                peak = sample.Equity;
                peakTime = sample.Time;
                underwater = false;
                continue;
            }

            underwater = true;
            deepest = Math.Min(deepest, (double)sample.Equity / (double)peak - 1);
            longest = Max(longest, sample.Time - peakTime);
        }

        return (deepest, longest);
    }

    /// <summary>
    /// Volatility, Sharpe and Sortino of the daily returns, annualised by √365. With fewer than two returns none is
    /// defined (a standard deviation with ddof 1 needs two, and Sortino is held to the same bar).
    /// </summary>
    private static (double? Volatility, double? Sharpe, double? Sortino) DailyRatios(double[] daily)
    {
        if (daily.Length < 2)
        {
            return (null, null, null);
        }

        var mean = daily.Average();
        var deviation = Math.Sqrt(daily.Sum(r => (r - mean) * (r - mean)) / (daily.Length - 1));
        var downsideDeviation = Math.Sqrt(daily.Sum(r => Math.Min(r, 0) * Math.Min(r, 0)) / daily.Length);
        var annualise = Math.Sqrt(DaysPerYear);
        return (
            deviation * annualise,
            deviation == 0 ? null : mean / deviation * annualise,
            downsideDeviation == 0 ? null : mean / downsideDeviation * annualise);
    }

    private static double? ProfitFactor(IReadOnlyList<RoundTrip> trips)
    {
        var grossLoss = -trips.Where(t => t.NetPnl < 0).Sum(t => t.NetPnl);
        return grossLoss == 0 ? null : (double)trips.Where(t => t.NetPnl > 0).Sum(t => t.NetPnl) / (double)grossLoss;
    }

    /// <summary>Traded notional over the mean equity of the samples (the start equity when there are none).</summary>
    private static double Turnover(decimal startEquity, IReadOnlyList<EquitySample> equity, IReadOnlyList<BacktestFill> fills)
    {
        var notional = fills.Sum(f => Math.Abs(f.Quantity * f.Price));
        var meanEquity = equity.Count == 0 ? startEquity : equity.Sum(s => s.Equity) / equity.Count;
        return (double)notional / (double)meanEquity;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void Check(decimal startEquity, IReadOnlyList<EquitySample> equity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(startEquity);
        for (var i = 1; i < equity.Count; i++)
        {
            if (equity[i].Time < equity[i - 1].Time)
            {
                throw new ArgumentException($"Equity sample {i} at {equity[i].Time:O} is earlier than sample {i - 1} at {equity[i - 1].Time:O}; samples must be in time order.", nameof(equity));
            }
        }
    }
}
