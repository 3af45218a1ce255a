using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Strategies;

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
    private readonly Counter<long> _surveillance;
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
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _consumerLag = new();
    private readonly Counter<long> _strategyFailures;
    private readonly ConcurrentDictionary<(string Symbol, string Strategy), int> _quarantined = new();
    private string? _mode;
    private readonly ConcurrentDictionary<(string Symbol, string Strategy), StrategyRunTally> _runTallies = new();
    private readonly ConcurrentDictionary<(string Symbol, string Strategy), StrategyStanding> _standings = new();
    private readonly ConcurrentDictionary<(string Pair, string Strategy), PairSpreadUpdate> _pairs = new();
    private readonly Counter<long> _cointegrationLost;
    private readonly Histogram<double> _legAlone;
    private readonly Counter<long> _basketUnwinds;
    private readonly ConcurrentDictionary<(string Symbol, string Strategy), IModelServedStrategy> _models = new();
    private readonly Histogram<double> _inference;
    private readonly Histogram<double> _confidence;
    private readonly Counter<long> _auditMirrored;
    private readonly ConcurrentDictionary<string, (decimal Drift, decimal Fraction)> _accountDrift = new(StringComparer.Ordinal);
    private readonly Counter<long> _reconciliations;
    private readonly Counter<long> _adjustments;

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
        meter.CreateObservableGauge("trading.strategy.quarantined", () => Observe(_quarantined, "symbol", q => (int?)q), "{state}",
            "1 while a strategy is quarantined on a symbol after repeated failures, 0 while it runs");
        // Counted, not a histogram: a histogram recording per strategy and bar (1,600 a bar cycle at 50 symbols × 32
        // strategies) doubled the strategies stage in the latency benchmark; two additions per run cost next to nothing.
        meter.CreateObservableCounter("trading.strategy.runs", () => Observe(_runTallies, "symbol", t => (long?)t.Runs), "{run}",
            "Bars a strategy ran on, by symbol (exceptions included)");
        meter.CreateObservableCounter("trading.strategy.compute", () => Observe(_runTallies, "symbol", t => (double?)t.ComputeSeconds), "s",
            "Time a strategy spent on its bars (indicators and decision), by symbol: divided by the runs, the mean per bar");
        meter.CreateObservableGauge("trading.strategy.weight", () => Observe(_standings, "symbol", s => (double?)s.Weight), "{weight}",
            "A strategy's vote weight on a symbol: its configured weight times the performance factor of its track record");
        meter.CreateObservableGauge("trading.strategy.hit_rate", () => Observe(_standings, "symbol", s => s.JudgedSignals > 0 ? s.HitRate : (double?)null), "{ratio}",
            "Exponentially weighted share of a strategy's judged signals on a symbol that were right (none before the first is judged)");
        meter.CreateObservableGauge("trading.pair.zscore", () => ObservePairs(u => u.ZScore), "{sigma}", "A pair strategy's spread in standard deviations from its mean");
        meter.CreateObservableGauge("trading.pair.hedge_ratio", () => ObservePairs(u => u.HedgeRatio), "{ratio}", "Units of ln B held against one unit of ln A in the spread");
        meter.CreateObservableGauge("trading.pair.spread_position", () => ObservePairs(u => (int)u.SpreadPosition), "{position}",
            "The pair strategy's spread position: 1 long A / short B, -1 short A / long B, 0 flat");
        meter.CreateObservableGauge("trading.pair.trace_statistic", () => ObservePairs(u => u.Cointegration?.TraceStatistic), "{statistic}",
            "Johansen trace statistic for rank 0 of the latest cointegration test (Johansen pair strategies)");
        meter.CreateObservableGauge("trading.pair.trace_critical_value", () => ObservePairs(u => u.Cointegration?.TraceCriticalValue), "{statistic}",
            "The trace statistic's critical value at the strategy's confidence");
        meter.CreateObservableGauge("trading.pair.cointegrated", () => ObservePairs(u => u.Cointegration is { } c ? (c.Cointegrated ? 1 : 0) : null), "{state}",
            "1 while the latest Johansen test finds cointegration (the strategy trades only then), 0 while it does not");
        meter.CreateObservableGauge("trading.pair.half_life_bars", () => ObservePairs(u => u.Cointegration?.HalfLifeBars), "{bar}",
            "Mean-reversion half-life of the tested spread, in bars (none while the spread does not revert)");
        _cointegrationLost = meter.CreateCounter<long>("trading.pair.cointegration_lost", "{test}",
            "Cointegration tests that found a pair strategy's legs no longer cointegrated while it held a spread position (it went flat)");
        _legAlone = meter.CreateHistogram<double>("trading.pair.leg_alone", "s",
            "How long a pair basket's legs were not all filled after they went out: until the last leg filled, or the basket was unwound");
        _basketUnwinds = meter.CreateCounter<long>("trading.pair.basket_unwinds", "{basket}",
            "Pair baskets unwound because a leg was refused, failed or did not fill within Trading:Pairs:MaxLegAloneTime");
        _inference = meter.CreateHistogram<double>(
            "trading.model.inference.duration", "ms", "One model-served strategy's model call on one bar",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50] });
        _confidence = meter.CreateHistogram<double>(
            "trading.model.confidence", "{probability}", "A model's probability that its call is right (calibrated; (1 + strength) / 2 without a calibration)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1] });
        meter.CreateObservableGauge("trading.model.prediction_error", () => ObserveModels(m => m.RealisedErrorRate), "{ratio}",
            "Share of a served model's latest judged calls that were wrong, judged live as its calibration judged the held-out ones");
        meter.CreateObservableGauge("trading.model.validation_error", () => ObserveModels(m => m.HeldOutErrorRate), "{ratio}",
            "Share of the model's calls that were wrong on its held-out test period (from its file's calibration report)");
        meter.CreateObservableGauge("trading.model.version", () => ObserveModels(m => m.ModelVersion), "{version}", "Version of the model file a strategy serves");
        meter.CreateObservableGauge("trading.mode", ObserveMode, "{state}", "1, labelled with the trading mode (paper, testnet, live) the silo started in");
        meter.CreateObservableGauge("trading.account.drift", () => ObserveAccountDrift(d => d.Drift), "{unit}",
            "Venue account minus portfolio per asset (cash for the quote asset, the position for a base asset), at the last reconciliation");
        meter.CreateObservableGauge("trading.account.drift_fraction", () => ObserveAccountDrift(d => d.Fraction), "{ratio}",
            "An asset's drift valued at its mark, as a fraction of equity, at the last reconciliation (0 once adopted)");
        _reconciliations = meter.CreateCounter<long>("trading.account.reconciliations", "{reconciliation}",
            "Comparisons of the portfolio with the venue account read again, by outcome (agrees, drift, adopted, failed)");
        _adjustments = meter.CreateCounter<long>("trading.account.adjustments", "{adjustment}", "Drifts the portfolio adopted from the venue account, by asset");
        _apiRefusals = meter.CreateCounter<long>("trading.api.refusals", "{request}", "API requests refused: unauthenticated, forbidden, rate-limited");
        _auditMirrored = meter.CreateCounter<long>("trading.audit.mirrored", "{event}",
            "Messages of the audit topic the API's cluster-mode copy read: copied, or skipped as malformed");
        _surveillance = meter.CreateCounter<long>("trading.surveillance.flags", "{order}", "Orders a surveillance rule flagged, by symbol and rule");
        _tickToOrder = meter.CreateHistogram<double>(
            "trading.tick_to_order.latency", "ms", "From the ingest of the market data to the hand-off of the order to the broker",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 25, 50, 100, 250] });
    }

    public void CandleProcessed(string symbol) => _candles.Add(1, new KeyValuePair<string, object?>("symbol", symbol));

    public void StaleCandleDropped(string symbol) => _staleCandles.Add(1, new KeyValuePair<string, object?>("symbol", symbol));

    public void AuditEventMirrored(string outcome) => _auditMirrored.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

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

    /// <summary>Whether a strategy runs (false) or is quarantined (true) on a symbol.</summary>
    public void StrategyQuarantine(string symbol, string strategyId, bool quarantined) => _quarantined[(symbol, strategyId)] = quarantined ? 1 : 0;

    /// <summary>The tally a strategy's runs on a symbol add to; its holder keeps it, so a run costs no lookup.</summary>
    public StrategyRunTally RunTallyOf(string symbol, string strategyId) => _runTallies.GetOrAdd((symbol, strategyId), static _ => new StrategyRunTally());

    /// <summary>Forgets a strategy's quarantine state and run tally on a symbol (it was removed from the symbol).</summary>
    public void StrategyRemoved(string symbol, string strategyId)
    {
        _quarantined.TryRemove((symbol, strategyId), out _);
        _runTallies.TryRemove((symbol, strategyId), out _);
    }

    /// <summary>
    /// The holder of a strategy's standing in a symbol's vote (weight, hit rate), exported as gauges. The aggregator keeps
    /// it and updates it after each signal: no lookup on the vote's hot path.
    /// </summary>
    public StrategyStanding StandingOf(string symbol, string strategyId) => _standings.GetOrAdd((symbol, strategyId), static _ => new StrategyStanding());

    /// <summary>Forgets a strategy's standing on a symbol (its vote was withdrawn).</summary>
    public void StrategyWithdrawn(string symbol, string strategyId) => _standings.TryRemove((symbol, strategyId), out _);


    /// <summary>A pair strategy's latest update (pair key <c>A|B</c>); <paramref name="update"/> null forgets it (removed).</summary>
    public void PairUpdated(string pair, string strategyId, PairSpreadUpdate? update)
    {
        if (update is null)
        {
            _pairs.TryRemove((pair, strategyId), out _);
        }
        else if (_pairs.TryAdd((pair, strategyId), update))
        {
            if (update.Cointegration is not null)
            {
                // The count's series exists from the first test on, at 0: Prometheus' increase() misses a series' first sample.
                _cointegrationLost.Add(0, new("pair", pair), new("strategy", strategyId));
            }
        }
        else
        {
            _pairs[(pair, strategyId)] = update;
        }
    }

    /// <summary>A basket whose legs were not all filled at once settled after <paramref name="alone"/>, filled or unwound.</summary>
    public void BasketSettled(string pair, string strategyId, TimeSpan alone, bool unwound)
    {
        _legAlone.Record(alone.TotalSeconds, new("pair", pair), new("strategy", strategyId));
        // Added at 0 for a completed basket too, so the series exists before the first unwind and increase() sees it.
        _basketUnwinds.Add(unwound ? 1 : 0, new("pair", pair), new("strategy", strategyId));
    }

    public void PairCointegrationLost(string pair, string strategyId) =>
        _cointegrationLost.Add(1, new("pair", pair), new("strategy", strategyId));

    private IEnumerable<Measurement<double>> ObservePairs(Func<PairSpreadUpdate, double?> read) => Observe(_pairs, "pair", read);

    /// <summary>
    /// One measurement per (subject, strategy) holder whose reading has a value, tagged <paramref name="subjectTag"/>
    /// (symbol or pair) and strategy: the shape of every per-strategy instrument.
    /// </summary>
    private static IEnumerable<Measurement<T>> Observe<THolder, T>(
        ConcurrentDictionary<(string Subject, string Strategy), THolder> holders, string subjectTag, Func<THolder, T?> read) where T : struct
    {
        foreach (var (key, holder) in holders)
        {
            if (read(holder) is { } value)
            {
                yield return new Measurement<T>(value, new(subjectTag, key.Subject), new("strategy", key.Strategy));
            }
        }
    }

    /// <summary>The model-served strategy whose error and version the model gauges report; null forgets it.</summary>
    public void ServingModel(string symbol, string strategyId, IModelServedStrategy? strategy)
    {
        if (strategy is { ModelVersion: not null })
        {
            _models[(symbol, strategyId)] = strategy;
        }
        else
        {
            _models.TryRemove((symbol, strategyId), out _);
        }
    }

    /// <summary>Records a model's call on a bar: how long the model took and how sure it was.</summary>
    public void ModelCalled(IModelServedStrategy strategy, TimeSpan took, double confidence)
    {
        var tags = new TagList { { "symbol", strategy.Symbol }, { "strategy", strategy.StrategyId }, { "model", strategy.ModelKind } };
        _inference.Record(took.TotalMilliseconds, tags);
        _confidence.Record(confidence, tags);
    }

    private IEnumerable<Measurement<double>> ObserveModels(Func<IModelServedStrategy, double?> read)
    {
        foreach (var (key, strategy) in _models)
        {
            if (read(strategy) is { } value)
            {
                yield return new Measurement<double>(value, new("symbol", key.Symbol), new("strategy", key.Strategy), new("model", strategy.ModelKind));
            }
        }
    }

    /// <summary>The mode the <c>trading.mode</c> gauge reports, from silo start.</summary>
    public void TradingModeResolved(Hosting.TradingMode mode) => _mode = mode.ToString().ToLowerInvariant();

    private IEnumerable<Measurement<int>> ObserveMode() =>
        _mode is null ? [] : [new Measurement<int>(1, new KeyValuePair<string, object?>("mode", _mode))];

    /// <summary>An asset's drift at a reconciliation: account minus portfolio in units, and its value as a fraction of equity.</summary>
    public void AccountDriftMeasured(string asset, decimal drift, decimal fractionOfEquity) => _accountDrift[asset] = (drift, fractionOfEquity);

    public void AccountReconciled(string outcome) => _reconciliations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void AccountDriftAdopted(string asset) => _adjustments.Add(1, new KeyValuePair<string, object?>("asset", asset));

    private IEnumerable<Measurement<double>> ObserveAccountDrift(Func<(decimal Drift, decimal Fraction), decimal> read) =>
        _accountDrift.Select(d => new Measurement<double>((double)read(d.Value), new KeyValuePair<string, object?>("asset", d.Key)));

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

    public void SurveillanceFlagged(string symbol, string rule) => _surveillance.Add(1, new("symbol", symbol), new("rule", rule));

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

    /// <summary>A strategy's standing in a symbol's vote, written by the aggregator's turn and read by scrapes.</summary>
    public sealed class StrategyStanding
    {
        public double Weight { get; private set; }

        public double HitRate { get; private set; }

        public int JudgedSignals { get; private set; }

        public void Update(double weight, double hitRate, int judgedSignals) => (Weight, HitRate, JudgedSignals) = (weight, hitRate, judgedSignals);
    }

    /// <summary>A strategy's runs on a symbol and the time they took; added to by its grain's turn or its off-turn chain.</summary>
    public sealed class StrategyRunTally
    {
        private long _runs;
        private long _elapsedTicks;

        public long Runs => Interlocked.Read(ref _runs);

        public double ComputeSeconds => (double)Interlocked.Read(ref _elapsedTicks) / TimeSpan.TicksPerSecond;

        public void Ran(TimeSpan took)
        {
            Interlocked.Add(ref _elapsedTicks, took.Ticks);
            Interlocked.Increment(ref _runs);
        }
    }
}
