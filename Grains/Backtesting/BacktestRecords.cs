using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>The account at one bar's close in a backtest, with the benchmark it is judged against.</summary>
/// <param name="Time">The market time of the sample: the close of the bars just taken.</param>
/// <param name="Equity">Cash plus the market value of every position, in the quote asset.</param>
/// <param name="BuyAndHold">What the starting equity would be worth had it been split equally over the symbols at their first price and held.</param>
/// <param name="GrossExposure">The sum of the absolute market values of the positions.</param>
public sealed record EquitySample(DateTimeOffset Time, decimal Equity, decimal BuyAndHold, decimal GrossExposure);

/// <summary>One fill booked in a backtest, as the venue made it.</summary>
/// <param name="Time">Market time of the fill.</param>
/// <param name="OrderId">The parent order it belongs to.</param>
/// <param name="Fee">The fee charged, in the quote asset.</param>
public sealed record BacktestFill(DateTimeOffset Time, string Symbol, OrderSide Side, decimal Quantity, decimal Price, decimal Fee, string OrderId);

/// <summary>A symbol's close at one bar, for plotting its price with the trades on it.</summary>
public sealed record PriceSample(DateTimeOffset Time, decimal Close);

/// <summary>
/// One round trip on a symbol: it opens when the position leaves zero and closes when the position is back at zero or
/// crosses it (a fill that flips the position closes one round trip and opens the next with the rest). Zero means
/// exactly zero (decimal quantities, no tolerance). Built by <see cref="RoundTrips.From"/>.
/// </summary>
/// <param name="Direction">+1 long, −1 short.</param>
/// <param name="Opened">The time of the fill that opened it.</param>
/// <param name="Closed">The time of the fill that brought the position back to zero or across it.</param>
/// <param name="NetPnl">Realised profit or loss after every fee charged on its fills (a flipping fill's fee split by quantity):
/// its cash flow (a sell +quantity × price, a buy −quantity × price) minus <paramref name="Fees"/>.</param>
/// <param name="Fees">The fees charged on its fills, a flipping fill's pro rata by quantity.</param>
public sealed record RoundTrip(string Symbol, int Direction, DateTimeOffset Opened, DateTimeOffset Closed, decimal NetPnl, decimal Fees);

/// <summary>
/// The return of one calendar month (UTC): its last equity over the previous month's last (the start for the first).
/// Months without samples are skipped: the next month's return is measured from the last month that has samples.
/// </summary>
public sealed record MonthlyReturn(int Year, int Month, double Return);

/// <summary>
/// The return of one calendar day (UTC): its last equity over the previous day's last (the start for the first). Days
/// without samples are skipped, not counted as a zero return.
/// </summary>
public sealed record DailyReturn(DateOnly Day, double Return);

/// <summary>
/// A strategy's share of the result although votes are netted into one position per symbol: what a shadow book holding
/// only this strategy's own target position would have made, at the same fill prices, after the same fee rate.
/// </summary>
/// <param name="Trades">The shadow book's position changes.</param>
public sealed record StrategyAttribution(string StrategyId, string Type, decimal NetPnl, decimal Fees, int Trades);

/// <summary>
/// The figures a backtest is judged by, computed from its equity samples and fills (definitions in docs/backtesting.md).
/// Ratios that are undefined for the run (no variance, no losing trade, no drawdown) are null. Daily returns are those
/// of <see cref="DailyReturn"/>; the period of the run is from its first sample to its last.
/// </summary>
/// <param name="EndEquity">The last sample's equity; the start equity when there are no samples.</param>
/// <param name="TotalReturn">End equity over start equity, minus 1.</param>
/// <param name="AnnualisedReturn">Total return compounded to 365 days: (1 + total)^(365 days / period) − 1, with period the time
/// from the first sample to the last; the total return when that period is zero, and −1 when the end equity is zero or less.</param>
/// <param name="BuyAndHoldReturn">The benchmark's total return over the same samples: the last sample's buy-and-hold value over the
/// start equity, minus 1 (0 with no samples).</param>
/// <param name="Volatility">Standard deviation (ddof 1) of daily returns × √365; null with fewer than 2 daily returns. Null, as
/// Sharpe and Sortino are, when a sample's equity is zero or less (ruin: returns on a negative base change sign).</param>
/// <param name="Sharpe">Mean over standard deviation (ddof 1) of daily returns × √365; risk-free rate 0. Null with fewer than 2 daily
/// returns or when they are all equal (standard deviation 0).</param>
/// <param name="Sortino">Mean daily return over the downside deviation √(mean(min(r, 0)²)) × √365, the mean of the squares taken
/// over every daily return; null with fewer than 2 daily returns (as for Sharpe) or no negative one.</param>
/// <param name="Calmar">Annualised return over the absolute maximum drawdown; null with no drawdown.</param>
/// <param name="MaxDrawdown">The deepest fall of equity from its running peak, as a negative fraction (0 if it never falls); the
/// peak starts at the start equity, so a loss from the start counts.</param>
/// <param name="MaxDrawdownDuration">The longest time from a peak until equity is back at it (or the end, if never): from the sample
/// that set the peak (the start equity's peak is at the first sample's time) to the first sample at or above it again, counted only
/// when equity fell below the peak in between, so a curve that never falls has zero. Not necessarily the deepest drawdown's.</param>
/// <param name="WinRate">Round trips with positive net PnL over all round trips; null with none.</param>
/// <param name="ProfitFactor">Gross profit of winning round trips over gross loss of losing ones; null with no losing one.</param>
/// <param name="AverageTrade">Mean net PnL per round trip, in the quote asset; null with none.</param>
/// <param name="Exposure">The fraction of equity samples with any position open (gross exposure above 0); 0 with no samples.</param>
/// <param name="Turnover">Traded notional (Σ |quantity × price| over the fills) over the mean equity of the samples (the start equity
/// with no samples).</param>
/// <param name="Fees">Every fee paid, in the quote asset.</param>
/// <param name="TradeCount">Closed round trips (one still open after the last fill is not counted, nor in the trade figures).</param>
/// <param name="FillCount">Fills booked.</param>
public sealed record PerformanceSummary(
    decimal StartEquity,
    decimal EndEquity,
    double TotalReturn,
    double AnnualisedReturn,
    double BuyAndHoldReturn,
    double? Volatility,
    double? Sharpe,
    double? Sortino,
    double? Calmar,
    double MaxDrawdown,
    TimeSpan MaxDrawdownDuration,
    double? WinRate,
    double? ProfitFactor,
    decimal? AverageTrade,
    double Exposure,
    double Turnover,
    decimal Fees,
    int TradeCount,
    int FillCount);
