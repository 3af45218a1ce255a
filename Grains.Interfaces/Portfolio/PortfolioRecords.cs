using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Interfaces.Portfolio;

/// <summary>
/// A combined signal as the strategies' shadow books take it: each strategy's share of the target, sized with the
/// position size fraction risk decided it under (the limits are risk's alone).
/// </summary>
/// <param name="PositionSizeFraction">Null when risk's decision never came (the order path timed out): the books then size
/// with the fraction of the last target that had one, and skip the target while none has.</param>
[GenerateSerializer, Immutable]
public sealed record ShadowTarget([property: Id(0)] CombinedSignal Signal, [property: Id(1)] decimal? PositionSizeFraction);

/// <summary>A signed holding of one symbol (negative = short), marked to the last known price.</summary>
/// <param name="AverageCost">Volume-weighted entry price of the open quantity.</param>
/// <param name="RealizedPnl">Closed-trade profit in the quote asset, before fees.</param>
[GenerateSerializer, Immutable]
public sealed record Position(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] decimal AverageCost,
    [property: Id(3)] decimal RealizedPnl,
    [property: Id(4)] decimal LastPrice,
    [property: Id(5)] decimal UnrealizedPnl)
{
    public decimal MarketValue => Quantity * LastPrice;
}

/// <summary>The whole account at one instant, in the quote asset.</summary>
/// <param name="InitialCash">The cash the book started with: configured (<c>Paper</c>), or the account's quote balance.</param>
/// <param name="Equity">Cash plus the market value of every position.</param>
/// <param name="FeesPaid">Sum of every fill's fee.</param>
/// <param name="NetTransfers">
/// Value brought in (positive) or taken out since the start, not by trading: deposits and withdrawals, holdings found in
/// the account (at their first price) and adopted drift. Equity − initial cash − net transfers is the book's PnL.
/// </param>
[GenerateSerializer, Immutable]
public sealed record PortfolioSnapshot(
    [property: Id(0)] string QuoteAsset,
    [property: Id(1)] decimal InitialCash,
    [property: Id(2)] decimal Cash,
    [property: Id(3)] decimal Equity,
    [property: Id(4)] decimal RealizedPnl,
    [property: Id(5)] decimal UnrealizedPnl,
    [property: Id(6)] decimal FeesPaid,
    [property: Id(7)] int FillCount,
    [property: Id(8)] IReadOnlyList<Position> Positions,
    [property: Id(9)] DateTimeOffset AsOf,
    [property: Id(10)] decimal NetTransfers = 0);

/// <summary>What risk needs from the portfolio to size one symbol.</summary>
[GenerateSerializer, Immutable]
public sealed record SymbolExposure(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal PositionQuantity,
    [property: Id(2)] decimal Equity,
    [property: Id(3)] decimal GrossExposure);

/// <summary>
/// What risk needs from the portfolio to check a trade against portfolio-wide limits: every open position, the
/// traded symbol, and the per-bar return covariance terms that involve the trade — O(n), not the n × n matrix.
/// </summary>
/// <param name="Symbols">The held symbols and the traded one (last, if not held), in the order of every list below.</param>
/// <param name="Quantities">Signed position per symbol (0 for the traded symbol when not held).</param>
/// <param name="Prices">Latest mark per symbol (the traded symbol's may be 0 when never marked).</param>
/// <param name="CovarianceWithTraded">Σ(i, traded) of per-bar simple returns (EWMA, bias-corrected), per symbol.</param>
/// <param name="Variances">Σ(i, i) per symbol.</param>
/// <param name="PortfolioVariance">w'Σw of the positions' values at their marks: the per-bar variance before the trade.</param>
/// <param name="ReturnObservations">Bars folded into the covariance; risk trusts it only past a minimum.</param>
/// <param name="BarInterval">The bar length the returns are measured over, once known.</param>
/// <param name="Available">The venue account's free balances for the traded symbol; null when there is no venue account (<c>Paper</c>).</param>
[GenerateSerializer, Immutable]
public sealed record PortfolioRiskView(
    [property: Id(0)] SymbolExposure Exposure,
    [property: Id(1)] IReadOnlyList<string> Symbols,
    [property: Id(2)] IReadOnlyList<decimal> Quantities,
    [property: Id(3)] IReadOnlyList<decimal> Prices,
    [property: Id(4)] IReadOnlyList<double> CovarianceWithTraded,
    [property: Id(5)] int ReturnObservations,
    [property: Id(6)] TimeSpan? BarInterval,
    [property: Id(7)] IReadOnlyList<double> Variances,
    [property: Id(8)] double PortfolioVariance,
    [property: Id(9)] AvailableBalance? Available = null);

/// <summary>
/// The account and the market as risk holds them, so it decides an order without asking the portfolio: pushed by the
/// portfolio once per bar close and whenever the account changes (fills, transfers, funding, free balances); risk asks
/// for one only when the one it holds is more than a bar behind the order's (see <see cref="MarkedThrough"/>), or for an
/// order that is not a signal's.
/// </summary>
/// <param name="Revision">Rises with every book the portfolio makes: risk keeps the highest it has received.</param>
/// <param name="Equity">Cash plus every position at its last price.</param>
/// <param name="GrossExposure">The sum of the positions' absolute values at their last prices.</param>
/// <param name="Positions">The open (non-zero) positions, by symbol, each at its last price.</param>
/// <param name="Marks">The latest mark of every marked symbol.</param>
/// <param name="MarkedThrough">
/// The latest bar close time whose marks are all in the book: the open row of marks once it holds as many symbols as the
/// row before it, else that row's time; null before any mark.
/// </param>
/// <param name="Returns">The per-bar return covariance as of the last closed row.</param>
/// <param name="Balances">The venue account's free balances; null when there is no venue account (<c>Paper</c>).</param>
/// <param name="ClosedOrders">
/// Orders that are final with their fills in this book, booked since the book before it was made: risk no longer counts
/// them as open (whatever the book's revision: closing an order twice changes nothing).
/// </param>
[GenerateSerializer, Immutable]
public sealed record RiskBook(
    [property: Id(0)] long Revision,
    [property: Id(1)] decimal Equity,
    [property: Id(2)] decimal GrossExposure,
    [property: Id(3)] IReadOnlyList<BookPosition> Positions,
    [property: Id(4)] IReadOnlyDictionary<string, decimal> Marks,
    [property: Id(5)] DateTimeOffset? MarkedThrough,
    [property: Id(6)] ReturnCovariance Returns,
    [property: Id(7)] VenueBalances? Balances,
    [property: Id(8)] IReadOnlyList<string> ClosedOrders);

/// <summary>An open position in a <see cref="RiskBook"/>: signed quantity at its last price.</summary>
[GenerateSerializer, Immutable]
public sealed record BookPosition(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Quantity,
    [property: Id(2)] decimal Price);

/// <summary>The venue account's free balances in a <see cref="RiskBook"/>; <paramref name="Free"/> is null until the account is read.</summary>
[GenerateSerializer, Immutable]
public sealed record VenueBalances(
    [property: Id(0)] string QuoteAsset,
    [property: Id(1)] FreeBalances? Free);

/// <summary>
/// The bias-corrected EWMA covariance of per-bar simple returns of every marked symbol, as one row-major n × n array.
/// </summary>
/// <param name="Index">Each symbol's row and column.</param>
/// <param name="Values">Row-major n × n, bias-corrected; never written after it is made.</param>
/// <param name="Observations">Return rows folded in.</param>
/// <param name="BarInterval">The bar length the returns are measured over, once known.</param>
[GenerateSerializer, Immutable]
public sealed record ReturnCovariance(
    [property: Id(0)] IReadOnlyDictionary<string, int> Index,
    [property: Id(1)] double[] Values,
    [property: Id(2)] int Observations,
    [property: Id(3)] TimeSpan? BarInterval)
{
    public double At(int row, int column) => Values[row * Index.Count + column];
}

/// <summary>The full return model of some symbols, for portfolio-wide figures (VaR three ways) computed on request.</summary>
/// <param name="Covariance">Row-major n × n covariance of per-bar simple returns (EWMA, bias-corrected).</param>
/// <param name="Scenarios">The kept per-bar return rows, oldest first (historical simulation).</param>
[GenerateSerializer, Immutable]
public sealed record ReturnModel(
    [property: Id(0)] IReadOnlyList<string> Symbols,
    [property: Id(1)] IReadOnlyList<double> Covariance,
    [property: Id(2)] IReadOnlyList<double[]> Scenarios);

/// <summary>One symbol's place in the target allocation.</summary>
/// <param name="TargetWeight">Configured share of equity (signed).</param>
/// <param name="CurrentWeight">Position value / equity now (signed).</param>
/// <param name="Drift">Current − target weight.</param>
/// <param name="OutsideBand">Whether |drift| exceeds the rebalance band, so a rebalance trades it.</param>
/// <param name="RebalanceQuantity">Signed base quantity that brings it back to target at the current mark.</param>
[GenerateSerializer, Immutable]
public sealed record AllocationRow(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal TargetWeight,
    [property: Id(2)] decimal CurrentWeight,
    [property: Id(3)] decimal Drift,
    [property: Id(4)] bool OutsideBand,
    [property: Id(5)] decimal RebalanceQuantity,
    [property: Id(6)] decimal Price);

/// <summary>The target allocation against the portfolio now.</summary>
[GenerateSerializer, Immutable]
public sealed record PortfolioAllocation(
    [property: Id(0)] decimal Equity,
    [property: Id(1)] decimal Band,
    [property: Id(2)] IReadOnlyList<AllocationRow> Rows,
    [property: Id(3)] DateTimeOffset? MarketTime);

/// <summary>Equity at one market time.</summary>
[GenerateSerializer, Immutable]
public sealed record EquityPoint(
    [property: Id(0)] DateTimeOffset MarketTime,
    [property: Id(1)] decimal Equity);

/// <summary>What a rebalance did: each symbol outside its band, risk's decision and the order's outcome.</summary>
[GenerateSerializer, Immutable]
public sealed record RebalanceOutcome(
    [property: Id(0)] string Trigger,
    [property: Id(1)] DateTimeOffset RanAt,
    [property: Id(2)] PortfolioAllocation Before,
    [property: Id(3)] IReadOnlyList<RebalanceOrder> Orders);

/// <summary>One rebalancing order: what was asked, what risk said, and what the venue did.</summary>
[GenerateSerializer, Immutable]
public sealed record RebalanceOrder(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal RequestedQuantity,
    [property: Id(2)] bool Approved,
    [property: Id(3)] string Explanation,
    [property: Id(4)] string? OrderId,
    [property: Id(5)] decimal FilledQuantity);

/// <summary>One strategy's shadow book: what holding only its own share of its symbols' targets made.</summary>
/// <param name="NetPnl">Cash after fees plus its positions at the last closes, in the quote asset.</param>
/// <param name="Trades">Its position changes.</param>
[GenerateSerializer, Immutable]
public sealed record ShadowBook(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] decimal NetPnl,
    [property: Id(2)] decimal Fees,
    [property: Id(3)] int Trades);

/// <summary>A strategy's attributed PnL on one symbol, from its shadow book: what weighs its vote there.</summary>
/// <param name="NetPnl">Since the book's first trade of the symbol: cash paid and received, fees included, plus the position at the last close.</param>
/// <param name="PnlOverHorizon">The change of <paramref name="NetPnl"/> over <paramref name="Horizon"/> (since the first trade when that is more recent).</param>
/// <param name="FullPositionCapital">What a full-strength target commits: risk's position size fraction × the sizing equity.</param>
/// <param name="AsOf">The open time of the symbol's last bar (its close marks the position).</param>
[GenerateSerializer, Immutable]
public sealed record StrategyPnl(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] decimal NetPnl,
    [property: Id(3)] decimal PnlOverHorizon,
    [property: Id(4)] TimeSpan Horizon,
    [property: Id(5)] decimal FullPositionCapital,
    [property: Id(6)] DateTimeOffset AsOf);

/// <summary>Per-strategy attribution of the account's PnL (definitions in docs/backtesting.md).</summary>
/// <param name="AccountNetPnl">Equity minus the initial cash and the net transfers.</param>
/// <param name="NettingResidual">The account's net PnL minus the books' sum: what netting, sizing and limits changed.</param>
/// <param name="AsOf">The market time of the latest mark.</param>
[GenerateSerializer, Immutable]
public sealed record AttributionReport(
    [property: Id(0)] IReadOnlyList<ShadowBook> Books,
    [property: Id(1)] decimal AccountNetPnl,
    [property: Id(2)] decimal NettingResidual,
    [property: Id(3)] DateTimeOffset? AsOf);
