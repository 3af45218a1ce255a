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

/// <summary>The return of one calendar month (UTC): its last equity over the previous month's last (the start for the first).</summary>
public sealed record MonthlyReturn(int Year, int Month, double Return);

/// <summary>
/// A strategy's share of the result although votes are netted into one position per symbol: what a shadow book holding
/// only this strategy's own target position would have made, at the same fill prices, after the same fee rate.
/// </summary>
/// <param name="Trades">The shadow book's position changes.</param>
public sealed record StrategyAttribution(string StrategyId, string Type, decimal NetPnl, decimal Fees, int Trades);

/// <summary>
/// The figures a backtest is judged by, computed from its equity samples and fills (definitions in docs/backtesting.md).
/// Ratios that are undefined for the run (no variance, no losing trade, no drawdown) are null.
/// </summary>
/// <param name="TotalReturn">End equity over start equity, minus 1.</param>
/// <param name="AnnualisedReturn">Total return compounded to 365 days: (1 + total)^(365 days / period) − 1.</param>
/// <param name="BuyAndHoldReturn">The benchmark's total return over the same samples.</param>
/// <param name="Volatility">Standard deviation (ddof 1) of daily returns × √365.</param>
/// <param name="Sharpe">Mean over standard deviation (ddof 1) of daily returns × √365; risk-free rate 0.</param>
/// <param name="Sortino">Mean daily return over the downside deviation √(mean(min(r, 0)²)) × √365.</param>
/// <param name="Calmar">Annualised return over the absolute maximum drawdown.</param>
/// <param name="MaxDrawdown">The deepest fall of equity from its running peak, as a negative fraction.</param>
/// <param name="MaxDrawdownDuration">The longest time from a peak until equity is back at it (or the end, if never).</param>
/// <param name="WinRate">Round trips with positive net PnL over all round trips.</param>
/// <param name="ProfitFactor">Gross profit of winning round trips over gross loss of losing ones.</param>
/// <param name="AverageTrade">Mean net PnL per round trip, in the quote asset.</param>
/// <param name="Exposure">The fraction of equity samples with any position open.</param>
/// <param name="Turnover">Traded notional over mean equity.</param>
/// <param name="Fees">Every fee paid, in the quote asset.</param>
/// <param name="TradeCount">Closed round trips.</param>
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
