using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>What a backtest's HTML report shows: the run's settings, its figures and the series it plots.</summary>
/// <param name="Title">The backtest's name or id, the page's title.</param>
/// <param name="From">The start of the period replayed.</param>
/// <param name="To">The end of the period replayed.</param>
/// <param name="Strategies">The strategies run, listed with their tunables.</param>
/// <param name="FillModel">How fills were simulated, in words, e.g. "next bar's open + 5 bps slippage, 10 bps fee".</param>
/// <param name="StartEquity">The account's equity before the first bar, in the quote asset; the drawdown's first peak.</param>
/// <param name="Summary">The figures the run is judged by, as computed by the metrics.</param>
/// <param name="Monthly">The return of each calendar month.</param>
/// <param name="Equity">The equity and the buy-and-hold benchmark at every bar.</param>
/// <param name="Prices">Each symbol's closes, for its price chart with the fills on it.</param>
/// <param name="Fills">Every fill booked.</param>
/// <param name="Attribution">Each strategy's share of the result, from its shadow book.</param>
/// <param name="NettingResidual">The actual net PnL minus the sum of the strategies' attributed net PnL.</param>
public sealed record BacktestReportModel(
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Symbols,
    IReadOnlyList<StrategyConfig> Strategies,
    string FillModel,
    decimal StartEquity,
    PerformanceSummary Summary,
    IReadOnlyList<MonthlyReturn> Monthly,
    IReadOnlyList<EquitySample> Equity,
    IReadOnlyDictionary<string, IReadOnlyList<PriceSample>> Prices,
    IReadOnlyList<BacktestFill> Fills,
    IReadOnlyList<StrategyAttribution> Attribution,
    decimal NettingResidual);
