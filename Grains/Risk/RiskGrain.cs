using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Risk.Rules;

namespace TradingOrleans.Grains.Risk;

/// <summary>Persisted part of the RiskGrain: the kill switch survives a restart.</summary>
[GenerateSerializer]
public sealed class RiskGrainState
{
    [Id(0)] public TradingState State { get; set; } = TradingState.Active;

    [Id(1)] public string? HaltReason { get; set; }

    [Id(2)] public StopMarks Stops { get; set; } = new();

    /// <summary>Limits set over the API; null means the configured ones.</summary>
    [Id(3)] public RiskLimits? Limits { get; set; }

    /// <summary>Each pair strategy's sub-positions, by strategy id: a symbol's target adds them to its vote's.</summary>
    [Id(4)] public Dictionary<string, SpreadBookEntry> Spreads { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The single risk gate: gathers what a decision needs (the portfolio's book, the limits, the instrument, its own
/// state), lets <see cref="RiskEngine"/> decide, and keeps the state the rules read: trading state and stop marks,
/// open orders and approvals, recent decisions.
/// </summary>
/// <remarks>
/// The portfolio pushes its book here (<see cref="IRiskGrain.OnRiskBook"/>) whenever the account changes and once per bar
/// close, so a signal is decided with no call out. Risk asks the portfolio only when the book it holds is more than a bar
/// behind the signal's (a push still on its way, a portfolio that stopped pushing), and for every order that is not a
/// signal's; a portfolio that does not answer then holds the order (<see cref="OrderPathGuard"/>).
/// </remarks>
public sealed class RiskGrain(
    [PersistentState("risk")] IPersistentState<RiskGrainState> state,
    IOptions<RiskLimits> configuredLimits,
    IOptions<RiskOptions> model,
    IInstrumentCatalog instruments,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    OrderPathGuard orderPath,
    TradingModePlan mode,
    ILogger<RiskGrain> logger) : Grain, IRiskGrain
{
    private const int RecentDecisionsKept = 100;
    private readonly Queue<RiskDecision> _recentRejections = new();
    private readonly Queue<RiskDecision> _recentDecisions = new();
    private readonly OrderThrottle _throttle = new();

    // Basket legs approved and not yet final: until they fill, their quantities are not in the portfolio's position.
    private readonly Dictionary<string, (string Symbol, decimal Quantity)> _openLegs = new(StringComparer.Ordinal);

    // The newest book the portfolio pushed or gave: what a signal is decided on, and what reduce-only judges on while the
    // portfolio does not answer.
    private RiskBook? _book;

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;
    private IRiskMeasuresGrain _measures = null!;

    // Limits saved over the API (perhaps in Paper mode, before a switch to Testnet or Live) never let a spot account short.
    private RiskLimits Limits => mode.ShortSellingRefused && SavedOrConfiguredLimits.AllowShortSelling
        ? SavedOrConfiguredLimits with { AllowShortSelling = false }
        : SavedOrConfiguredLimits;

    private RiskLimits SavedOrConfiguredLimits => state.State.Limits ?? configuredLimits.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        _measures = GrainFactory.GetGrain<IRiskMeasuresGrain>(0);
        metrics.TradingStateChanged(state.State.State == TradingState.Halted);
        return Task.CompletedTask;
    }

    async Task<RiskDecision> IRiskGrain.Evaluate(CombinedSignal signal)
    {
        if (StaleSignalRule.Check(signal, time.GetUtcNow(), model.Value.MaxSignalAge) is { } stale)
        {
            return RecordSignalDecision(RiskEngine.Refuse(signal, stale, time.GetUtcNow()));
        }

        // Two stages: the portfolio's book (held, or a grain call when it is behind the signal's bar) and the risk
        // computation itself, so a tail shows where it comes from.
        var viewRequested = System.Diagnostics.Stopwatch.GetTimestamp();
        var (book, failure) = await BookThrough(signal.MarketTime);
        if (book is null)
        {
            return RecordSignalDecision(DecideWithoutPortfolio(signal, failure!));
        }

        var view = ViewOf(book, signal);
        metrics.StageCompleted("risk-view", viewRequested);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await CheckStops(view.Exposure.Equity, DateOnly.FromDateTime(signal.MarketTime.UtcDateTime));
        metrics.ValueAtRiskMeasured(ValueAtRiskRule.Before(view, model.Value));
        var decision = RecordSignalDecision(RiskEngine.Decide(signal, Inputs(view, signal.Symbol, RiskEngine.IntentIdFor(signal))));
        metrics.StageCompleted("risk", started);
        return decision;
    }

    /// <summary>
    /// The book held when it has every mark through the bar before <paramref name="marketTime"/>'s (its own bar's marks
    /// come in over the burst in which every symbol's bar closes: the order's symbol is then valued at its own close,
    /// <see cref="Behind"/>); else (or for any time, when null) the portfolio's book as it is now, asked through the order
    /// path's guard: null with the failure when it does not answer.
    /// </summary>
    private async Task<(RiskBook? Book, string? Failure)> BookThrough(DateTimeOffset? marketTime)
    {
        if (marketTime is { } asOf && _book is { MarkedThrough: { } through } held
            && (through >= asOf || held.Returns.BarInterval is { } bar && through >= asOf - bar))
        {
            return (held, null);
        }

        var (book, failure) = await orderPath.Call(OrderPathHop.Portfolio, () => _portfolio.GetRiskBook());
        if (book is null)
        {
            return (null, failure);
        }

        Adopt(book);
        return (_book, null);
    }

    /// <summary>
    /// A signal's view: its own earlier approval not counted against it (a signal sent again after a passing fault is the
    /// same order), and its symbol at the signal's price when the book is behind the signal's bar.
    /// </summary>
    private PortfolioRiskView ViewOf(RiskBook book, CombinedSignal signal) =>
        RiskBookView.Of(book, signal.Symbol, _throttle.PendingQuantities(except: RiskEngine.IntentIdFor(signal)),
            closes: Behind(book, signal.MarketTime) ? new Dictionary<string, decimal> { [signal.Symbol] = signal.Price } : null);

    /// <summary>Whether the book lacks some marks of the bar closing at <paramref name="marketTime"/>.</summary>
    private static bool Behind(RiskBook book, DateTimeOffset marketTime) => book.MarkedThrough is not { } through || through < marketTime;

    /// <summary>
    /// A book newer than the one held replaces it (pushes and answers may arrive out of order); the orders it closes no
    /// longer count as open, whichever it is.
    /// </summary>
    private void Adopt(RiskBook book)
    {
        foreach (var intentId in book.ClosedOrders)
        {
            Close(intentId);
        }

        if (_book is null || book.Revision > _book.Revision)
        {
            _book = book;
        }
    }

    /// <summary>
    /// The portfolio did not answer: the order holds, or in reduce-only mode passes if it shrinks the position in the last
    /// book the portfolio gave. Either way a target not reached is a passing fault, retried by the sender.
    /// </summary>
    private RiskDecision DecideWithoutPortfolio(CombinedSignal signal, string failure)
    {
        var now = time.GetUtcNow();
        if (orderPath.WhenDegraded != OrderPathMode.ReduceOnly || _book is null)
        {
            return RiskEngine.Refuse(signal, new RiskDenial(RiskRejectionReason.OrderPathDegraded,
                $"{failure}: new orders are held until the portfolio answers again"), now);
        }

        var inputs = Inputs(ViewOf(_book, signal), signal.Symbol);
        var decision = RiskEngine.Decide(signal, inputs with { State = inputs.State == TradingState.Halted ? TradingState.Halted : TradingState.Reducing });
        return decision.Rejection == RiskRejectionReason.ReducingOnly && state.State.State != TradingState.Reducing
            ? RiskEngine.Refuse(signal, new RiskDenial(RiskRejectionReason.OrderPathDegraded,
                $"{failure}: reduce-only on the portfolio's last answer; {decision.Explanation}"), now)
            : decision with { Explanation = $"{failure}: reduce-only on the portfolio's last answer; {decision.Explanation}" };
    }

    async Task<RiskDecision> IRiskGrain.Review(OrderIntent intent)
    {
        // Not a signal's order (manual, a rebalance): judged on the book as it is now, not the last bar's.
        var (book, failure) = await BookThrough(marketTime: null);
        if (book is null)
        {
            // A manual order or a rebalance is refused at once (its sender sees why), not held like a signal's target.
            return Record(new RiskDecision(intent.Symbol, 0, null, RiskRejectionReason.OrderPathDegraded,
                $"{failure}: no order is reviewed until the portfolio answers again", time.GetUtcNow(), TargetReached: true));
        }

        var view = RiskBookView.Of(book, intent.Symbol, _throttle.PendingQuantities());
        await CheckStops(view.Exposure.Equity, DateOnly.FromDateTime(intent.MarketTime.UtcDateTime));
        return Record(RiskEngine.Review(intent, Inputs(view, intent.Symbol)));
    }

    private RiskInputs Inputs(PortfolioRiskView view, string symbol, string? judgedAgain = null)
    {
        var now = time.GetUtcNow();
        return new RiskInputs(view, Limits, model.Value, instruments.For(symbol), state.State.State,
            _throttle.OpenOrders, _throttle.ApprovalsWithinAMinute(now), now, SpreadQuantity(symbol), _throttle.Commitments(symbol, except: judgedAgain));
    }

    /// <summary>
    /// What the pair strategies' sub-positions add to a symbol's target: their sum, less the basket legs still working
    /// (not in the position yet), so a vote's order neither unwinds a pair's leg nor buys it twice.
    /// </summary>
    private decimal SpreadQuantity(string symbol) =>
        state.State.Spreads.Values.Sum(s => s.On(symbol)) - _openLegs.Values.Where(l => l.Symbol == symbol).Sum(l => l.Quantity);

    async Task<SpreadDecision> IRiskGrain.EvaluateSpread(SpreadTarget target)
    {
        var now = time.GetUtcNow();
        if (now - target.IngestedAt > model.Value.MaxSignalAge)
        {
            return RecordSpread(target, new SpreadDecision(target.StrategyId, target.Sequence, 0, 0, [], RiskRejectionReason.StaleSignal,
                RiskCheck.Invariant($"The spread target is {(now - target.IngestedAt).TotalMilliseconds:0} ms old, past the {model.Value.MaxSignalAge.TotalMilliseconds:0} ms limit (Trading:Risk:MaxSignalAge)"), now, TargetReached: false));
        }

        var (book, failure) = await BookThrough(target.MarketTime);
        if (book is null)
        {
            return RecordSpread(target, new SpreadDecision(target.StrategyId, target.Sequence, 0, 0, [], RiskRejectionReason.OrderPathDegraded,
                $"{failure}: no basket is sent until the portfolio answers again", now, TargetReached: false));
        }

        var pending = _throttle.PendingQuantities();
        var closes = Behind(book, target.MarketTime) ? new Dictionary<string, decimal> { [target.LegA] = target.PriceA, [target.LegB] = target.PriceB } : null;
        var (viewA, viewB) = (RiskBookView.Of(book, target.LegA, pending, target.LegB, closes), RiskBookView.Of(book, target.LegB, pending, target.LegA, closes));
        await CheckStops(viewA.Exposure.Equity, DateOnly.FromDateTime(target.MarketTime.UtcDateTime));
        var held = state.State.Spreads.GetValueOrDefault(target.StrategyId);
        var decision = SpreadRisk.Decide(target, new SpreadRiskInputs(viewA, viewB, Limits, model.Value,
            instruments.For(target.LegA), instruments.For(target.LegB), state.State.State, _throttle.OpenOrders,
            _throttle.ApprovalsWithinAMinute(now), now, held?.QuantityA ?? 0, held?.QuantityB ?? 0,
            _throttle.Commitments(target.LegA), _throttle.Commitments(target.LegB)));
        if (decision.Approved)
        {
            state.State.Spreads[target.StrategyId] = new SpreadBookEntry
            {
                LegA = target.LegA, LegB = target.LegB, QuantityA = decision.QuantityA, QuantityB = decision.QuantityB,
                Sequence = target.Sequence, PreviousA = held?.QuantityA ?? 0, PreviousB = held?.QuantityB ?? 0,
            };
            await state.WriteStateAsync();
        }

        return RecordSpread(target, decision);
    }

    async Task IRiskGrain.SpreadUnwound(string strategyId, long sequence, IReadOnlyDictionary<string, decimal> left)
    {
        if (state.State.Spreads.GetValueOrDefault(strategyId) is { } entry && entry.Sequence == sequence)
        {
            (entry.QuantityA, entry.QuantityB) = (entry.PreviousA + left.GetValueOrDefault(entry.LegA), entry.PreviousB + left.GetValueOrDefault(entry.LegB));
            await state.WriteStateAsync();
        }
    }

    /// <summary>Each leg of a spread decision is recorded like an order's decision: the throttle, metrics, the audit trail.</summary>
    private SpreadDecision RecordSpread(SpreadTarget target, SpreadDecision decision)
    {
        foreach (var leg in decision.Legs)
        {
            _openLegs[leg.IntentId] = (leg.Symbol, (leg.Side == OrderSide.Buy ? 1 : -1) * leg.Quantity);
            Record(new RiskDecision(leg.Symbol, target.Sequence, leg, RiskRejectionReason.None, decision.Explanation, decision.DecidedAt, decision.TargetReached));
        }

        if (!decision.Approved)
        {
            Record(new RiskDecision($"{target.LegA}|{target.LegB}", target.Sequence, null, decision.Rejection,
                $"spread {target.StrategyId}: {decision.Explanation}", decision.DecidedAt, decision.TargetReached));
        }

        return decision;
    }

    /// <summary>
    /// A signal's decision, recorded with the position size fraction in force: the shadow books size the signal's target
    /// with it (<see cref="ShadowTarget"/>), whatever was decided.
    /// </summary>
    private RiskDecision RecordSignalDecision(RiskDecision decision) =>
        Record(decision with { PositionSizeFraction = Limits.PositionSizeFraction });

    private RiskDecision Record(RiskDecision decision)
    {
        if (decision.Intent is { } approved)
        {
            _throttle.Approved(approved, decision.DecidedAt);
            metrics.OpenOrdersCounted(_throttle.OpenOrders);
        }
        else
        {
            metrics.RiskRejected(decision.Symbol, decision.Rejection);
            Keep(_recentRejections, decision);
        }

        Keep(_recentDecisions, decision);
        audit.Write(() => AuditEvents.Decision(decision));
        return decision;
    }

    Task IRiskGrain.OrderClosed(string intentId)
    {
        Close(intentId);
        return Task.CompletedTask;
    }

    Task IRiskGrain.OnRiskBook(RiskBook book)
    {
        Adopt(book);
        return Task.CompletedTask;
    }

    private void Close(string intentId)
    {
        _throttle.Closed(intentId);
        _openLegs.Remove(intentId);
        metrics.OpenOrdersCounted(_throttle.OpenOrders);
    }

    Task IRiskGrain.Halt(string reason) => MoveTo(TradingState.Halted, reason, AuditActor.Current);

    Task IRiskGrain.Resume() => MoveTo(TradingState.Active, null, AuditActor.Current);

    /// <summary>Moves the trading state when a loss stop triggers or lifts; the market day drives the daily stop.</summary>
    private async Task CheckStops(decimal equity, DateOnly day)
    {
        var limits = Limits;
        var previousDay = state.State.Stops.Day;
        var peak = Math.Max(state.State.Stops.PeakEquity, equity);
        metrics.DrawdownMeasured(peak > 0 ? (double)((peak - equity) / peak) : 0);
        var check = TradingStops.Check(state.State.State, state.State.Stops, equity, day, limits.MaxDrawdownFraction, limits.DailyLossFraction);
        if (check.Reason is not null)
        {
            await MoveTo(check.State, check.Reason, AuditActor.System);
        }
        else if (state.State.Stops.Day != previousDay)
        {
            // The peak and the day's start are saved once a day, so a restart keeps them (at most a day old).
            await state.WriteStateAsync();
        }
    }

    /// <summary>
    /// The kill switch and the stops: the new state (and why) is saved, audited and exported, then told to the execution
    /// grain of every symbol that can have orders, which cancels or cuts its working parents (halted, reducing) before
    /// this returns: a halt answered is a halt in force at the venues.
    /// </summary>
    private async Task MoveTo(TradingState next, string? reason, AuditActor actor)
    {
        state.State.State = next;
        state.State.HaltReason = next == TradingState.Active ? null : reason;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.KillSwitch(next, reason, time.GetUtcNow(), actor));
        metrics.TradingStateChanged(halted: next == TradingState.Halted);
        logger.LogWarning("Trading {State}: {Reason}", next, reason ?? "resumed");
        var change = new TradingStateChange(next, state.State.HaltReason);
        var symbols = await OrderSymbols.WithOrders(GrainFactory);
        await Task.WhenAll(symbols.Select(symbol => GrainFactory.GetGrain<IExecutionGrain>(symbol).OnTradingState(change)));
    }

    Task<TradingStateChange> IRiskGrain.GetTradingState() => Task.FromResult(new TradingStateChange(state.State.State, state.State.HaltReason));

    Task<RiskLimits> IRiskGrain.GetLimits() => Task.FromResult(Limits);

    async Task<RiskStatus> IRiskGrain.GetStatus()
    {
        PortfolioRiskMeasures? measures = null;
        try
        {
            measures = await _measures.Measure(_throttle.PendingQuantities());
        }
        catch (Exception e)
        {
            // The status must show a failing portfolio (OrderPath), not fail with it.
            logger.LogWarning("Risk status without the portfolio's figures: {Error}", e.Message);
        }

        // Decisions went on while the figures were computed: the grain's own state is read as it is when they come, so a
        // decision asked for before the status is in it, as it was when the status waited its turn.
        return new RiskStatus(state.State.State, state.State.HaltReason, Limits, [.. _recentRejections.Reverse()], [.. _recentDecisions.Reverse()], measures,
            orderPath.Condition);
    }

    async Task IRiskGrain.SetLimits(RiskLimits limits)
    {
        var previous = Limits;
        state.State.Limits = limits;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.LimitsChanged(previous, limits, time.GetUtcNow(), AuditActor.Current));
        logger.LogWarning("Risk limits changed: {Limits}", limits);
    }

    private static void Keep(Queue<RiskDecision> recent, RiskDecision decision)
    {
        if (recent.Count == RecentDecisionsKept)
        {
            recent.Dequeue();
        }

        recent.Enqueue(decision);
    }
}
