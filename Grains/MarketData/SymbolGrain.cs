using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.BroadcastChannel;
using Orleans.Streams.Core;
using Orleans.Streams;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Persisted part of a SymbolGrain: what runs on the symbol and how far its data got. Indicators are rebuilt from the feed.</summary>
[GenerateSerializer]
public sealed class SymbolGrainState
{
    [Id(0)] public List<StrategyConfig> Strategies { get; set; } = [];

    [Id(1)] public List<string> PairKeys { get; set; } = [];

    /// <summary>Open time of the last bar processed: redelivered bars (stream replay after a restart) are dropped.</summary>
    [Id(2)] public DateTimeOffset? LastBarOpenTime { get; set; }

    /// <summary>Id of the last trade aggregated, for the same reason.</summary>
    [Id(3)] public long LastTradeId { get; set; } = -1;

    /// <summary>Whether the execution grain asked for bars (it has working parents).</summary>
    [Id(4)] public bool ForwardBarsToExecution { get; set; }

    /// <summary>Strategies quarantined on this symbol, by id, with the reason; they stay so until reinstated.</summary>
    [Id(5)] public Dictionary<string, string> Quarantined { get; set; } = [];
}

/// <summary>
/// One instrument: rolling bars, its single-symbol strategies, and forwarding of closes to its pairs. Market data
/// arrives on the <c>market</c> broadcast channel (embedded) or the Kafka-backed <c>market</c> stream (cluster);
/// both subscriptions are implicit and feed the same <see cref="OnMarketData"/>.
/// </summary>
[ImplicitChannelSubscription(MarketChannels.Namespace)]
[ImplicitStreamSubscription(MarketChannels.Namespace)]
public sealed class SymbolGrain(
    [PersistentState("symbol")] IPersistentState<SymbolGrainState> state,
    IOptions<MarketDataOptions> options,
    IOptions<StrategyIsolationOptions> isolation,
    TimeProvider time,
    TradingMetrics metrics,
    IStrategyFactory strategyFactory,
    ICandleHistory history,
    IAuditSink audit,
    ILogger<SymbolGrain> logger) : Grain, ISymbolGrain, IOnBroadcastChannelSubscribed, IStreamSubscriptionObserver, IAsyncObserver<object>
{
    private readonly RollingCandles _candles = new(options.Value.CandleHistory);
    private List<IsolatedStrategy> _strategies = [];
    private CandleAggregator? _aggregator;
    private long _lastTradeId = -1;
    private Quote? _quote;
    private Task _orderPath = Task.CompletedTask;

    // Kept, not looked up per bar: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;
    private IExecutionGrain _execution = null!;
    private ISignalAggregatorGrain _signalAggregator = null!;

    private string Symbol => this.GetPrimaryKeyString();

    /// <summary>How often the data position is saved while data flows; also saved on deactivation.</summary>
    private static readonly TimeSpan ProgressWriteInterval = TimeSpan.FromSeconds(1);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        _execution = GrainFactory.GetGrain<IExecutionGrain>(Symbol);
        _signalAggregator = GrainFactory.GetGrain<ISignalAggregatorGrain>(Symbol);
        _strategies = BuildStrategies(state.State.Strategies);
        if (state.State.LastBarOpenTime is { } lastBar)
        {
            await Recall(lastBar, cancellationToken);
            _candles.ResumeAfter(lastBar);
        }

        _lastTradeId = state.State.LastTradeId;
        // On a timer at a random phase, not at the bar close: every symbol's bar closes at the same instant, and 50
        // storage writes in that burst would hold the data (and the orders) queued behind them.
        this.RegisterGrainTimer(static (grain, _) => grain.SaveProgress(), this, new GrainTimerCreationOptions
        {
            DueTime = ProgressWriteInterval * Random.Shared.NextDouble(),
            Period = ProgressWriteInterval,
            KeepAlive = false,
        });
    }

    /// <summary>
    /// Activated again (a restart, a failover): the bars up to the last one taken, from the feed's history, warm the
    /// strategies, so they vote at the next bar as they would have without the restart. Without history they re-learn
    /// from the feed, as before.
    /// </summary>
    private async Task Recall(DateTimeOffset lastBar, CancellationToken cancellationToken)
    {
        IReadOnlyList<Candle> bars;
        try
        {
            bars = await history.Before(Symbol, lastBar, options.Value.CandleHistory, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("{Symbol}: no bars recalled before {LastBar:u}; the strategies re-learn from the feed: {Error}", Symbol, lastBar, e.Message);
            return;
        }

        foreach (var bar in bars)
        {
            _candles.TryAdd(bar);
        }

        if (_candles.Count > 0)
        {
            await WarmUp(_strategies);
            logger.LogInformation("{Symbol}: {Bars} bars recalled up to {LastBar:u} warmed {Strategies} strategies", Symbol, _candles.Count, lastBar, _strategies.Count);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _orderPath;
        await SaveProgress();
    }

    Task IOnBroadcastChannelSubscribed.OnSubscribed(IBroadcastChannelSubscription subscription)
    {
        subscription.Attach<object>(OnMarketData, OnChannelError);
        return Task.CompletedTask;
    }

    Task IStreamSubscriptionObserver.OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<object>().ResumeAsync(this);

    Task IAsyncObserver<object>.OnNextAsync(object item, StreamSequenceToken? token) => OnMarketData(item);

    Task IAsyncObserver<object>.OnCompletedAsync() => Task.CompletedTask;

    Task IAsyncObserver<object>.OnErrorAsync(Exception ex) => OnChannelError(ex);

    /// <summary>The one entry for market data, whichever transport (channel or stream) delivered it.</summary>
    public Task OnMarketData(object item) => item switch
    {
        Candle candle => ((ISymbolGrain)this).OnCandle(candle),
        MarketTick tick => ((ISymbolGrain)this).OnTick(tick),
        MarketTickBatch batch => OnTicks(batch),
        Quote quote => OnQuote(quote),
        _ => Unrecognised(item),
    };

    async Task ISymbolGrain.OnCandle(Candle candle)
    {
        if (!_candles.TryAdd(candle))
        {
            metrics.StaleCandleDropped(Symbol);
            return;
        }

        metrics.CandleProcessed(Symbol);
        // From the feed receiving the data that closed the bar to this grain: the transport's share of tick-to-order.
        metrics.StageTook("delivery", time.GetUtcNow() - candle.IngestedAt);
        _portfolio.MarkBar(candle).Ignore();
        if (state.State.ForwardBarsToExecution)
        {
            _execution.OnBar(candle, _quote).Ignore();
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (signals, quarantined) = await RunStrategies(candle);
        metrics.StageCompleted("strategies", started);

        // The order path (the vote, risk, execution; the pairs) runs on without holding this turn: the feed's publish,
        // and every symbol's data queued behind it, need not wait for an order to be placed. The previous bar's order
        // path finishes first, so bars reach the aggregator and the pairs in order, and an order path slower than the
        // bars slows this symbol's data only.
        await _orderPath;
        _orderPath = ForwardBar(candle, signals, quarantined);
    }

    async Task ISymbolGrain.OnTick(MarketTick tick)
    {
        // A redelivered trade (stream replay after a restart) must not count twice in the bar's volume.
        if (tick.TradeId <= _lastTradeId)
        {
            return;
        }

        _lastTradeId = tick.TradeId;
        _aggregator ??= new CandleAggregator(Symbol, options.Value.CandleInterval);
        foreach (var closed in _aggregator.Add(tick))
        {
            await ((ISymbolGrain)this).OnCandle(closed);
        }
    }

    // Awaited in this turn: the order path's own continuations still run, they are not requests.
    Task ISymbolGrain.OrderPathSettled() => _orderPath;

    private async Task OnTicks(MarketTickBatch batch)
    {
        foreach (var tick in batch.Ticks)
        {
            await ((ISymbolGrain)this).OnTick(tick);
        }
    }

    async Task ISymbolGrain.Configure(IReadOnlyList<StrategyConfig> strategies, IReadOnlyList<string> pairKeys)
    {
        state.State.Strategies = [.. strategies];
        state.State.PairKeys = [.. pairKeys];

        var removed = state.State.Quarantined.Keys.Where(id => !strategies.Any(s => s.Id == id)).ToList();
        foreach (var id in removed)
        {
            state.State.Quarantined.Remove(id);
        }

        await state.WriteStateAsync();
        foreach (var gone in _strategies.Where(s => !strategies.Any(c => c.Id == s.Config.Id)))
        {
            metrics.StrategyRemoved(Symbol, gone.Config.Id);
            metrics.ServingModel(Symbol, gone.Config.Id, null);
        }

        _strategies = BuildStrategies(state.State.Strategies);
        await WarmUp(_strategies);
        logger.LogInformation("{Symbol}: {StrategyCount} strategies, {PairCount} pairs", Symbol, _strategies.Count, pairKeys.Count);
    }

    Task<IReadOnlyList<Candle>> ISymbolGrain.GetRecentCandles(int count) => Task.FromResult(_candles.Recent(count));

    Task ISymbolGrain.ForwardBarsToExecution(bool forward)
    {
        if (state.State.ForwardBarsToExecution == forward)
        {
            return Task.CompletedTask;
        }

        state.State.ForwardBarsToExecution = forward;
        return state.WriteStateAsync();
    }

    Task<Quote?> ISymbolGrain.GetQuote() => Task.FromResult(_quote);

    Task<IReadOnlyList<StrategyHealth>> ISymbolGrain.GetStrategyHealth() =>
        Task.FromResult<IReadOnlyList<StrategyHealth>>([.. _strategies.Select(s => s.Health(Symbol))]);

    async Task<bool> ISymbolGrain.Reinstate(string strategyId)
    {
        var index = _strategies.FindIndex(s => s.Config.Id == strategyId);
        if (index < 0 || !_strategies[index].IsQuarantined)
        {
            return false;
        }

        state.State.Quarantined.Remove(strategyId);
        await state.WriteStateAsync();
        // A fresh instance, warmed on the bars kept: the quarantined one missed bars, and may be stuck mid-run.
        var fresh = Build(_strategies[index].Config);
        _strategies[index] = fresh;
        metrics.StrategyQuarantine(Symbol, strategyId, false);
        audit.Write(AuditEvents.Quarantine(strategyId, Symbol, null, time.GetUtcNow(), AuditActor.Current));
        logger.LogInformation("{Symbol}: strategy {StrategyId} reinstated", Symbol, strategyId);
        await WarmUp([fresh]);
        return true;
    }

    private async Task ForwardBar(Candle candle, List<Signal> signals, List<string>? quarantined)
    {
        try
        {
            // A quarantined strategy's standing vote goes first, so this bar's vote is taken without it.
            foreach (var strategyId in quarantined ?? [])
            {
                await _signalAggregator.Withdraw(strategyId);
            }

            if (signals.Count > 0)
            {
                await _signalAggregator.Submit(signals);
            }

            foreach (var pairKey in state.State.PairKeys)
            {
                await GrainFactory.GetGrain<IPairGrain>(pairKey).OnLegClose(candle);
            }
        }
        catch (Exception exception)
        {
            // Nobody awaits this path's outcome: log it here, and let the next bar go on.
            logger.LogError(exception, "{Symbol}: the order path of the bar opened at {OpenTime} failed", Symbol, candle.OpenTime);
        }
    }

    private Task OnQuote(Quote quote)
    {
        // Book updates can overtake each other across reconnects; the update id orders them.
        if (_quote is null || quote.UpdateId > _quote.UpdateId)
        {
            _quote = quote;
        }

        return Task.CompletedTask;
    }

    private Task SaveProgress()
    {
        if (_candles.LastOpenTime == state.State.LastBarOpenTime && _lastTradeId == state.State.LastTradeId)
        {
            return Task.CompletedTask;
        }

        state.State.LastBarOpenTime = _candles.LastOpenTime;
        state.State.LastTradeId = _lastTradeId;
        return state.WriteStateAsync();
    }

    /// <summary>
    /// Runs every strategy that is not quarantined on the bar, each isolated (see <see cref="IsolatedStrategy"/>):
    /// the ones on this turn first, then the off-turn ones, waited for together at most the time budget.
    /// Returns the signals, and the strategies this bar quarantined (null when none: the usual case allocates nothing more).
    /// </summary>
    private async ValueTask<(List<Signal> Signals, List<string>? Quarantined)> RunStrategies(Candle candle)
    {
        var signals = new List<Signal>(_strategies.Count);
        List<string>? quarantined = null;
        List<(IsolatedStrategy Strategy, ValueTask<StrategyRun> Run)>? offTurn = null;
        foreach (var strategy in _strategies)
        {
            if (strategy.IsQuarantined)
            {
                continue;
            }

            var run = strategy.Start(candle);
            if (run.IsCompleted)
            {
                await Collect(strategy, run.Result, signals, ref quarantined);
            }
            else
            {
                (offTurn ??= []).Add((strategy, run));
            }
        }

        if (offTurn is not null)
        {
            var deadline = time.GetTimestamp() + (long)(isolation.Value.TimeBudget.TotalSeconds * time.TimestampFrequency);
            foreach (var (strategy, run) in offTurn)
            {
                await Collect(strategy, await strategy.Outcome(run, candle, deadline), signals, ref quarantined);
            }
        }

        return (signals, quarantined);
    }

    private ValueTask Collect(IsolatedStrategy strategy, StrategyRun run, List<Signal> signals, ref List<string>? quarantined)
    {
        if (run.Signal is { } signal)
        {
            metrics.SignalEmitted(signal.StrategyId, signal.Direction.ToString());
            signals.Add(signal);
        }

        if (run.Failure is not { } failure || !Failed(strategy, failure))
        {
            return ValueTask.CompletedTask;
        }

        (quarantined ??= []).Add(strategy.Config.Id);
        return new ValueTask(state.WriteStateAsync());
    }

    /// <summary>Counts a strategy's failure; true when it quarantined the strategy (recorded in the state, not yet written).</summary>
    private bool Failed(IsolatedStrategy strategy, StrategyFailure failure)
    {
        var id = strategy.Config.Id;
        metrics.StrategyFailed(Symbol, id, failure.Kind);
        if (strategy.TotalFailures == 0)
        {
            // Logged once per strategy instance: a strategy failing on every bar would flood the log. The metric counts them all.
            logger.LogWarning("{Symbol}: strategy {StrategyId} failed ({Kind}): {Problem}; further failures are counted in trading_strategy_failures_total",
                Symbol, id, failure.Kind, failure.Problem);
        }

        if (!strategy.RecordFailure(failure))
        {
            return false;
        }

        var reason = strategy.QuarantineReason!;
        state.State.Quarantined[id] = reason;
        metrics.StrategyQuarantine(Symbol, id, true);
        audit.Write(AuditEvents.Quarantine(id, Symbol, reason, time.GetUtcNow(), AuditActor.System));
        logger.LogError("{Symbol}: strategy {StrategyId} quarantined, its vote withdrawn, until reinstated: {Reason}", Symbol, id, reason);
        return true;
    }

    /// <summary>Feeds the bars this symbol has to new strategies, so a config saved mid-session trades at once.</summary>
    private async Task WarmUp(IReadOnlyList<IsolatedStrategy> strategies)
    {
        List<string>? quarantined = null;
        foreach (var candle in _candles.Recent(_candles.Count))
        {
            foreach (var strategy in strategies.Where(s => !s.IsQuarantined))
            {
                if (strategy.WarmUp(candle) is { } failure && Failed(strategy, failure))
                {
                    (quarantined ??= []).Add(strategy.Config.Id);
                }
            }
        }

        if (quarantined is not null)
        {
            await state.WriteStateAsync();
            // After the bar in flight, so its vote cannot bring the withdrawn one back.
            await _orderPath;
            foreach (var strategyId in quarantined)
            {
                await _signalAggregator.Withdraw(strategyId);
            }
        }
    }

    private List<IsolatedStrategy> BuildStrategies(List<StrategyConfig> configs) => [.. configs.Select(Build)];

    private IsolatedStrategy Build(StrategyConfig config)
    {
        var quarantineReason = state.State.Quarantined.GetValueOrDefault(config.Id);
        var strategy = new IsolatedStrategy(config, strategyFactory.CreateSingleSymbol(config, Symbol), isolation.Value, time, metrics, quarantineReason);
        if (strategy.Strategy is IModelServedStrategy { Problem: { } problem })
        {
            logger.LogWarning("{Symbol}: strategy {StrategyId} will not signal: {Problem}", Symbol, config.Id, problem);
        }

        metrics.ServingModel(Symbol, config.Id, strategy.Strategy as IModelServedStrategy);

        metrics.StrategyQuarantine(Symbol, config.Id, quarantineReason is not null);
        return strategy;
    }

    private Task Unrecognised(object item)
    {
        metrics.MalformedMarketData(Symbol);
        logger.LogWarning("{Symbol}: ignored market data of unexpected type {Type}", Symbol, item.GetType().Name);
        return Task.CompletedTask;
    }

    private Task OnChannelError(Exception exception)
    {
        logger.LogError(exception, "{Symbol}: market data subscription error", Symbol);
        return Task.CompletedTask;
    }
}
