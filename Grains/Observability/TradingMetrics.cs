using System.Diagnostics.Metrics;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Observability;

/// <summary>The "TradingOrleans" meter: one instrument per pipeline fact worth watching.</summary>
public sealed class TradingMetrics
{
    public const string MeterName = "TradingOrleans";

    private readonly Counter<long> _candles;
    private readonly Counter<long> _staleCandles;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _undelivered;
    private readonly Counter<long> _orders;
    private readonly Counter<long> _riskRejections;
    private readonly Histogram<double> _tickToOrder;
    private readonly Counter<long> _apiRefusals;
    private readonly Counter<long> _produceFailures;
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _signals;
    private readonly Counter<long> _orderPathFaults;
    private decimal _equity;
    private decimal _grossExposure;
    private decimal _realizedPnl;
    private decimal _unrealizedPnl;
    private readonly Counter<long> _fills;
    private int _halted;
    private int _orderPathDegraded;
    private double _valueAtRisk;
    private double _drawdown;
    private int _openOrders;
    private IReadOnlyList<IBroker> _venues = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Topic, int Partition), long> _consumerLag = new();
    private readonly Counter<long> _strategyFailures;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Symbol, string Strategy), int> _quarantined = new();
    private string? _mode;

    public TradingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _candles = meter.CreateCounter<long>("trading.candles.processed", "{candle}", "Closed bars run through the strategies");
        _staleCandles = meter.CreateCounter<long>("trading.candles.stale", "{candle}", "Duplicate or out-of-order bars dropped");
        _malformed = meter.CreateCounter<long>("trading.market_data.malformed", "{message}", "Market-data messages skipped as malformed");
        _undelivered = meter.CreateCounter<long>("trading.market_data.undelivered", "{trade}", "Trades a feed lane could not deliver to their symbol's grain");
        _orders = meter.CreateCounter<long>("trading.orders", "{order}", "Orders handed to a broker, by final status");
        _orderPathFaults = meter.CreateCounter<long>("trading.order_path.faults", "{signal}",
            "Signals a passing order-path fault stopped (a hop unanswered or failing, its circuit open, no venue), each retried");
        _riskRejections = meter.CreateCounter<long>("trading.risk.rejections", "{decision}", "Combined signals risk did not pass, by reason");
        _stageDuration = meter.CreateHistogram<double>(
            "trading.stage.duration", "ms", "Time spent in one pipeline stage for one bar or signal",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25] });
        _signals = meter.CreateCounter<long>("trading.signals", "{signal}", "Signals emitted, by strategy and direction");
        meter.CreateObservableGauge("trading.portfolio.equity", () => (double)_equity, "{quote}", "Cash plus positions at the latest marks");
        meter.CreateObservableGauge("trading.kafka.consumer_lag", ObserveConsumerLag, "{record}", "Records in a partition not yet read by its queue receiver");
        meter.CreateObservableGauge("trading.risk.halted", () => _halted, "{state}", "1 while the kill switch has halted trading");
        meter.CreateObservableGauge("trading.order_path.degraded", () => _orderPathDegraded, "{state}",
            "1 while new orders are held or reduce-only because risk or the portfolio is slow or failing");
        meter.CreateObservableGauge("trading.risk.value_at_risk", () => _valueAtRisk, "{quote}",
            "Parametric VaR of the portfolio at the configured confidence and horizon, as of the last risk check");
        meter.CreateObservableGauge("trading.risk.drawdown", () => _drawdown, "{ratio}", "Equity below its peak, as a fraction of the peak");
        meter.CreateObservableGauge("trading.risk.open_orders", () => _openOrders, "{order}", "Approved orders not yet filled, rejected or cancelled");
        meter.CreateObservableGauge("trading.portfolio.realized_pnl", () => (double)_realizedPnl, "{quote}", "Closed-trade profit before fees");
        meter.CreateObservableGauge("trading.portfolio.unrealized_pnl", () => (double)_unrealizedPnl, "{quote}", "Open positions at the latest marks against their average cost");
        _fills = meter.CreateCounter<long>("trading.fills", "{fill}", "Fills received, by venue and symbol");
        meter.CreateObservableGauge("trading.venue.available", ObserveVenues, "{state}",
            "1 while a venue takes new orders; 0 while its circuit is open or it is banned (degraded when every venue is 0)");
        meter.CreateObservableGauge("trading.portfolio.gross_exposure", () => (double)_grossExposure, "{quote}", "Sum of absolute position values");
        _produceFailures = meter.CreateCounter<long>("trading.kafka.produce_failures", "{record}", "Records Kafka did not acknowledge (publishes that did not await delivery)");
        _strategyFailures = meter.CreateCounter<long>("trading.strategy.failures", "{failure}",
            "Bars a strategy failed on (exception, or over its time budget), by symbol, strategy and kind");
        meter.CreateObservableGauge("trading.strategy.quarantined", ObserveQuarantine, "{state}",
            "1 while a strategy is quarantined on a symbol after repeated failures, 0 while it runs");
        meter.CreateObservableGauge("trading.mode", ObserveMode, "{state}", "1, labelled with the trading mode (paper, testnet, live) the silo started in");
        _apiRefusals = meter.CreateCounter<long>("trading.api.refusals", "{request}", "API requests refused: unauthenticated, forbidden, rate-limited");
        _tickToOrder = meter.CreateHistogram<double>(
            "trading.tick_to_order.latency", "ms", "From the ingest of the market data to the hand-off of the order to the broker",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 25, 50, 100, 250] });
    }

    public void CandleProcessed(string symbol) => _candles.Add(1, new KeyValuePair<string, object?>("symbol", symbol));

    public void StaleCandleDropped(string symbol) => _staleCandles.Add(1, new KeyValuePair<string, object?>("symbol", symbol));

    public void MalformedMarketData(string source) => _malformed.Add(1, new KeyValuePair<string, object?>("source", source));

    public void MarketDataUndelivered(string symbol, int trades) => _undelivered.Add(trades, new KeyValuePair<string, object?>("symbol", symbol));

    public void OrderPathFault(string symbol, OrderPathHop hop) =>
        _orderPathFaults.Add(1, new KeyValuePair<string, object?>("symbol", symbol), new KeyValuePair<string, object?>("hop", hop.ToString()));

    public void RiskRejected(string symbol, RiskRejectionReason reason) =>
        _riskRejections.Add(1, new("symbol", symbol), new("reason", reason.ToString()));

    /// <summary>Records how long a stage took, from a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> taken at its start.</summary>
    public void StageCompleted(string stage, long startTimestamp) =>
        StageTook(stage, System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp));

    public void StageTook(string stage, TimeSpan elapsed) =>
        _stageDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    public void SignalEmitted(string strategyId, string direction) =>
        _signals.Add(1, new("strategy", strategyId), new("direction", direction));

    /// <summary>How far a partition's receiver is behind the partition's end, after its latest poll.</summary>
    public void ConsumerLag(string topic, int partition, long records) => _consumerLag[(topic, partition)] = records;

    private IEnumerable<Measurement<long>> ObserveConsumerLag() =>
        _consumerLag.Select(lag => new Measurement<long>(lag.Value, new("topic", lag.Key.Topic), new("partition", lag.Key.Partition)));

    public void StrategyFailed(string symbol, string strategyId, string kind) =>
        _strategyFailures.Add(1, new("symbol", symbol), new("strategy", strategyId), new("kind", kind));

    /// <summary>Whether a strategy runs (false) or is quarantined (true) on a symbol; <paramref name="quarantined"/> null forgets it (deleted).</summary>
    public void StrategyQuarantine(string symbol, string strategyId, bool? quarantined)
    {
        if (quarantined is { } value)
        {
            _quarantined[(symbol, strategyId)] = value ? 1 : 0;
        }
        else
        {
            _quarantined.TryRemove((symbol, strategyId), out _);
        }
    }

    private IEnumerable<Measurement<int>> ObserveQuarantine() =>
        _quarantined.Select(q => new Measurement<int>(q.Value, new("symbol", q.Key.Symbol), new("strategy", q.Key.Strategy)));

    /// <summary>The mode the <c>trading.mode</c> gauge reports, from silo start.</summary>
    public void TradingModeResolved(Hosting.TradingMode mode) => _mode = mode.ToString().ToLowerInvariant();

    private IEnumerable<Measurement<int>> ObserveMode() =>
        _mode is null ? [] : [new Measurement<int>(1, new KeyValuePair<string, object?>("mode", _mode))];

    public void TradingStateChanged(bool halted) => _halted = halted ? 1 : 0;

    public void OrderPathDegraded(bool degraded) => _orderPathDegraded = degraded ? 1 : 0;

    public void ValueAtRiskMeasured(double valueAtRisk) => _valueAtRisk = valueAtRisk;

    public void DrawdownMeasured(double drawdown) => _drawdown = drawdown;

    public void OpenOrdersCounted(int count) => _openOrders = count;

    /// <summary>The portfolio's latest valuation, exported as gauges.</summary>
    public void PortfolioValued(decimal equity, decimal grossExposure, decimal realizedPnl, decimal unrealizedPnl) =>
        (_equity, _grossExposure, _realizedPnl, _unrealizedPnl) = (equity, grossExposure, realizedPnl, unrealizedPnl);

    /// <summary>The venues whose availability the <c>trading.venue.available</c> gauge reports.</summary>
    public void WatchVenues(IReadOnlyList<IBroker> venues) => _venues = venues;

    private IEnumerable<Measurement<int>> ObserveVenues() =>
        _venues.Select(v => new Measurement<int>(v.IsAvailable ? 1 : 0, new KeyValuePair<string, object?>("venue", v.Name)));

    public void KafkaProduceFailed(string topic) => _produceFailures.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void ApiRequestRefused(string reason) => _apiRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void OrderPlaced(ParentOrder order)
    {
        var venue = order.Children.Count > 0 ? order.Children[0].Venue : "";
        _orders.Add(1, new("symbol", order.Symbol), new("status", order.Status.ToString()), new("venue", venue));
        foreach (var fill in order.Fills)
        {
            _fills.Add(1, new("symbol", fill.Symbol), new("venue", venue));
        }

        if (order.TickToOrderLatency is { } latency)
        {
            _tickToOrder.Record(latency.TotalMilliseconds, new KeyValuePair<string, object?>("symbol", order.Symbol));
        }
    }
}
