using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Interfaces;

/// <summary>One instrument (key: symbol): rolling candles, its single-symbol strategies, forwarding to pairs.</summary>
public interface ISymbolGrain : IGrainWithStringKey
{
    /// <summary>
    /// A closed bar from the feed. Completes once the bar's strategies have run; the order path (vote, risk,
    /// execution, pairs) follows on its own, at most one bar of it in flight per symbol, in bar order.
    /// </summary>
    Task OnCandle(Candle candle);

    /// <summary>A trade from the feed; aggregated into bars of the configured interval.</summary>
    Task OnTick(MarketTick tick);

    /// <summary>Completes once the order path of the last bar taken has finished (a replay's end waits for it).</summary>
    Task OrderPathSettled();

    /// <summary>Replaces the strategies that run on this symbol and the pairs it feeds.</summary>
    Task Configure(IReadOnlyList<StrategyConfig> strategies, IReadOnlyList<string> pairKeys);

    /// <summary>The most recent closed bars, oldest first.</summary>
    Task<IReadOnlyList<Candle>> GetRecentCandles(int count);

    /// <summary>The latest best bid and offer, if the feed sends quotes.</summary>
    Task<Quote?> GetQuote();

    /// <summary>
    /// Whether closed bars also go to the symbol's execution grain: on while it has working parents to slice, off
    /// otherwise, so the order-free path carries no extra message per bar.
    /// </summary>
    [OneWay]
    Task ForwardBarsToExecution(bool forward);
}

/// <summary>
/// One pair of instruments (key: <c>A|B</c>): aligns both legs bar by bar and runs every pair strategy
/// configured on that ordered pair against the aligned closes.
/// </summary>
public interface IPairGrain : IGrainWithStringKey
{
    Task OnLegClose(Candle candle);

    /// <summary>Replaces the pair strategies this grain runs; strategies no longer listed withdraw their votes.</summary>
    Task Configure(IReadOnlyList<StrategyConfig> strategies);

    Task<IReadOnlyList<PairState>> GetState();
}

/// <summary>What a PairGrain shows to the API for one pair strategy.</summary>
/// <param name="HedgeRatio">Units of ln B held against one unit of ln A in the spread.</param>
/// <param name="Strength">Conviction of the legs' latest signals, in [0, 1].</param>
/// <param name="Cointegration">The latest cointegration test (Johansen pair strategies only).</param>
[GenerateSerializer, Immutable]
public sealed record PairState(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] string LegA,
    [property: Id(2)] string LegB,
    [property: Id(3)] double? HedgeRatio,
    [property: Id(4)] double? SpreadZScore,
    [property: Id(5)] int AlignedBars,
    [property: Id(6)] SignalDirection SpreadPosition,
    [property: Id(7)] string Type = "",
    [property: Id(8)] double Strength = 0,
    [property: Id(9)] string? Reason = null,
    [property: Id(10)] PairCointegration? Cointegration = null);

/// <summary>Per symbol: votes the strategies' latest signals into one combined target.</summary>
public interface ISignalAggregatorGrain : IGrainWithStringKey
{
    Task Submit(IReadOnlyList<Signal> signals);

    /// <summary>Forgets a strategy's vote (it was deleted or disabled).</summary>
    Task Withdraw(string strategyId);

    Task<SymbolSignals> GetSignals();
}

/// <summary>The latest signal of each strategy on a symbol and the vote they produced.</summary>
[GenerateSerializer, Immutable]
public sealed record SymbolSignals(
    [property: Id(0)] string Symbol,
    [property: Id(1)] IReadOnlyList<Signal> Latest,
    [property: Id(2)] CombinedSignal? Combined,
    [property: Id(3)] RiskDecision? LastDecision,
    [property: Id(4)] IReadOnlyList<StrategyPerformance>? Performance = null);

/// <summary>The single risk gate (key 0): sizes combined signals into order intents or rejects them with a reason.</summary>
public interface IRiskGrain : IGrainWithIntegerKey
{
    Task<RiskDecision> Evaluate(CombinedSignal signal);

    /// <summary>
    /// Checks an order that did not come from a signal (a rebalance): trading state, lot size, minimum order,
    /// the throttle and the portfolio limits, as for any order.
    /// </summary>
    Task<RiskDecision> Review(OrderIntent intent);

    /// <summary>An approved order reached a final state (filled or rejected): it no longer counts as open.</summary>
    [OneWay]
    Task OrderClosed(string intentId);

    Task Halt(string reason);

    Task Resume();

    /// <summary>State, limits, recent decisions and the portfolio's risk figures (VaR three ways: computed on each call).</summary>
    Task<RiskStatus> GetStatus();

    /// <summary>The limits risk applies now (cheap: no figures computed).</summary>
    Task<RiskLimits> GetLimits();

    /// <summary>Replaces the limits (validated by the caller); they survive restarts and override the configuration.</summary>
    Task SetLimits(RiskLimits limits);
}

/// <summary>The single account (key 0): cash, positions, PnL; applies every fill exactly once.</summary>
public interface IPortfolioGrain : IGrainWithIntegerKey
{
    Task ApplyFills(IReadOnlyList<Fill> fills);

    /// <summary>Updates the mark price of a symbol (not persisted: marks are re-learned from the feed).</summary>
    [OneWay]
    Task MarkToMarket(string symbol, decimal price, DateTimeOffset asOf);

    Task<SymbolExposure> GetExposure(string symbol);

    /// <summary>
    /// Positions, marks and the return covariance risk checks a trade in <paramref name="symbol"/> against, with the
    /// <paramref name="pending"/> signed quantities (approved orders not yet final) counted as held.
    /// </summary>
    /// <remarks>
    /// Interleaves: it reads in one synchronous step, so it may run while a fill's storage write is awaited — the
    /// fill is already in the ledger — instead of queueing the single risk gate behind every write.
    /// </remarks>
    [AlwaysInterleave]
    Task<PortfolioRiskView> GetRiskView(string symbol, IReadOnlyDictionary<string, decimal> pending);

    /// <summary>The target weights against the current positions, with drift and the trade that closes it.</summary>
    Task<PortfolioAllocation> GetAllocation();

    /// <summary>Equity sampled every <c>Trading:Portfolio:EquityCurveInterval</c> of market time, oldest first.</summary>
    Task<IReadOnlyList<EquityPoint>> GetEquityCurve();

    /// <summary>The covariance and kept return rows of <paramref name="symbols"/> (for VaR figures on request).</summary>
    Task<ReturnModel> GetReturnModel(IReadOnlyList<string> symbols);

    Task<PortfolioSnapshot> GetSnapshot();
}

/// <summary>The result of a cancel or amend: the order as it is now, or why the change was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderChange(
    [property: Id(0)] ParentOrder? Order,
    [property: Id(1)] string? Problem);

/// <summary>
/// The rebalancer (key 0): brings the portfolio back to its target weights when they drift beyond the band, on
/// an Orleans reminder and on demand. Its orders pass risk like any other.
/// </summary>
public interface IRebalancerGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or updates) the reminder; idempotent, called by every silo at start.</summary>
    Task Schedule();

    Task<RebalanceOutcome> Rebalance(string trigger);

    Task<RebalanceOutcome?> GetLastOutcome();
}

/// <summary>Per symbol: turns order intents into broker orders and tracks them to their final state.</summary>
public interface IExecutionGrain : IGrainWithStringKey
{
    Task<ParentOrder> Execute(OrderIntent intent);

    /// <summary>A closed bar of the symbol: advances the execution clock and the working parents' algorithms.</summary>
    [OneWay]
    Task OnBar(Candle candle);

    /// <summary>Stops a working or open parent: no more children, open children cancelled at their venue; what was filled stands.</summary>
    Task<OrderChange> Cancel(string orderId);

    /// <summary>Changes a working parent's total quantity (not below what was already sent); the schedule re-plans.</summary>
    Task<OrderChange> Amend(string orderId, decimal quantity);

    Task<ParentOrder?> GetOrder(string orderId);

    /// <summary>
    /// A venue's report on one of this symbol's child orders (user-data stream): new fills and status are merged,
    /// fills already known are ignored. Returns false when no child here has that client order id.
    /// </summary>
    Task<bool> OnVenueReport(OrderAck report);

    /// <summary>Asks the venues now about every child whose state is not settled (start-up, stream reconnect).</summary>
    Task Reconcile();

    /// <summary>The most recent orders, newest first.</summary>
    Task<IReadOnlyList<ParentOrder>> GetOrders(int limit);
}

/// <summary>
/// One sealed page of a symbol's finished orders (key <c>{symbol}/{page}</c>): the execution grain's history, written
/// once, so the execution grain's own state holds only its live orders and the newest finished ones.
/// </summary>
public interface IOrderHistoryPageGrain : IGrainWithStringKey
{
    Task Write(IReadOnlyList<ParentOrder> orders);

    Task<IReadOnlyList<ParentOrder>> Read();

    Task Clear();
}

/// <summary>The single store of strategy configs (key 0); pushes every change to the grains that run them.</summary>
public interface IStrategyRegistryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<StrategyConfig>> List();

    Task<StrategyConfig?> Get(string id);

    /// <summary>Creates or replaces a config (validated by the caller) and applies it at once.</summary>
    Task Save(StrategyConfig config);

    /// <summary>Returns false when no config has that id.</summary>
    Task<bool> Delete(string id);

    /// <summary>Stores the defaults only if the registry has never been seeded; re-applies every config either way.</summary>
    Task EnsureSeeded(IReadOnlyList<StrategyConfig> defaults);
}

/// <summary>How far the replay of one data set has got (key: data folder name), so a restart resumes after it.</summary>
public interface IReplayProgressGrain : IGrainWithStringKey
{
    Task<DateTimeOffset?> GetLastPublished();

    Task SetLastPublished(DateTimeOffset openTime);
}
