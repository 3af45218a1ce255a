using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Observability;

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
}

/// <summary>The single risk gate: sizes each combined signal against the portfolio and the limits.</summary>
public sealed class RiskGrain(
    [PersistentState("risk")] IPersistentState<RiskGrainState> state,
    IOptions<RiskLimits> configuredLimits,
    IOptions<RiskOptions> options,
    IInstrumentCatalog instruments,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    ILogger<RiskGrain> logger) : Grain, IRiskGrain
{
    private const int RecentDecisionsKept = 100;
    private const int MonteCarloPaths = 20_000;
    private readonly Queue<RiskDecision> _recentRejections = new();
    private readonly Queue<RiskDecision> _recentDecisions = new();
    private readonly Queue<DateTimeOffset> _recentApprovals = new();

    // Approved orders not yet reported final by execution, with their signed quantity; in memory, so a restart forgets
    // in-flight orders (they finish within seconds unless an algorithm keeps them working). The portfolio-wide checks
    // count them as held: order paths of different symbols run at once, and a second approval must not be judged on a
    // portfolio the first order's fill has not reached yet.
    private readonly Dictionary<string, (string Symbol, decimal Quantity)> _openOrders = new(StringComparer.Ordinal);

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;

    private RiskLimits Limits => state.State.Limits ?? configuredLimits.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        metrics.TradingStateChanged(state.State.State == TradingState.Halted);
        return Task.CompletedTask;
    }

    async Task<RiskDecision> IRiskGrain.Evaluate(CombinedSignal signal)
    {
        // Two stages: the portfolio grain's answer (a grain call, which waits behind its mark-to-market work) and
        // the risk computation itself, so a tail shows where it comes from.
        var viewRequested = System.Diagnostics.Stopwatch.GetTimestamp();
        var view = await _portfolio.GetRiskView(signal.Symbol, PendingQuantities());
        metrics.StageCompleted("risk-view", viewRequested);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await CheckStops(view.Exposure.Equity, DateOnly.FromDateTime(signal.MarketTime.UtcDateTime));
        var now = time.GetUtcNow();
        metrics.ValueAtRiskMeasured(PortfolioLimits.ParametricValueAtRisk(view, options.Value));
        var decision = RiskEngine.Decide(signal, view.Exposure, Limits, instruments.For(signal.Symbol), state.State.State, now);
        if (decision.Intent is { } intent)
        {
            decision = CheckPortfolio(decision, intent, view, now);
        }

        Remember(decision);

        metrics.StageCompleted("risk", started);
        audit.Write(() => AuditEvents.Decision(decision));
        return decision;
    }

    async Task<RiskDecision> IRiskGrain.Review(OrderIntent intent)
    {
        var view = await _portfolio.GetRiskView(intent.Symbol, PendingQuantities());
        await CheckStops(view.Exposure.Equity, DateOnly.FromDateTime(intent.MarketTime.UtcDateTime));
        var now = time.GetUtcNow();
        var decision = ReviewOrder(intent, view.Exposure.PositionQuantity, now);
        if (decision.Intent is { } sized)
        {
            decision = CheckPortfolio(decision, sized, view, now);
        }

        Remember(decision);
        audit.Write(() => AuditEvents.Decision(decision));
        return decision;
    }

    /// <summary>The per-order rules for an order that did not come from a signal: state, order and position limits, lot, minimum.</summary>
    private RiskDecision ReviewOrder(OrderIntent intent, decimal position, DateTimeOffset now)
    {
        var limits = Limits;
        RiskDecision Reject(RiskRejectionReason reason, string explanation) => new(intent.Symbol, 0, null, reason, explanation, now);
        if (state.State.State == TradingState.Halted)
        {
            return Reject(RiskRejectionReason.TradingHalted, "Trading is halted: no order is sent until trading is resumed.");
        }

        var price = intent.ReferencePrice;
        var sign = intent.Side == OrderSide.Buy ? 1 : -1;
        var quantity = Math.Min(intent.Quantity, limits.MaxOrderNotional / price);
        var room = limits.MaxPositionNotional / price - sign * position;
        quantity = Math.Max(0, Math.Min(quantity, room));
        quantity = instruments.For(intent.Symbol).RoundDown(quantity);
        var explanation = $"{intent.Reason}: {intent.Side} {quantity} of {intent.Quantity} asked (order limit {limits.MaxOrderNotional}, position limit {limits.MaxPositionNotional}, holding {position})";
        if (state.State.State == TradingState.Reducing && !RiskEngine.Reduces(position, sign * quantity))
        {
            return Reject(RiskRejectionReason.ReducingOnly, $"{explanation}; trading is reducing-only");
        }

        return quantity * price < limits.MinOrderNotional
            ? Reject(quantity < intent.Quantity ? RiskRejectionReason.PositionLimitReached : RiskRejectionReason.BelowMinimumNotional,
                $"{explanation}; {quantity} × {price} is below the minimum order {limits.MinOrderNotional}")
            : new RiskDecision(intent.Symbol, 0, intent with { Quantity = quantity }, RiskRejectionReason.None, explanation, now);
    }

    /// <summary>The approved, not yet final orders' signed quantities by symbol (a fill may count twice until its order closes: the safe side).</summary>
    private Dictionary<string, decimal> PendingQuantities()
    {
        var pending = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (symbol, quantity) in _openOrders.Values)
        {
            pending[symbol] = pending.GetValueOrDefault(symbol) + quantity;
        }

        return pending;
    }

    Task IRiskGrain.OrderClosed(string intentId)
    {
        _openOrders.Remove(intentId);
        metrics.OpenOrdersCounted(_openOrders.Count);
        return Task.CompletedTask;
    }

    async Task IRiskGrain.Halt(string reason)
    {
        state.State.State = TradingState.Halted;
        state.State.HaltReason = reason;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.KillSwitch(TradingState.Halted, reason, time.GetUtcNow()));
        metrics.TradingStateChanged(halted: true);
        logger.LogWarning("Trading halted: {Reason}", reason);
    }

    async Task IRiskGrain.Resume()
    {
        state.State.State = TradingState.Active;
        state.State.HaltReason = null;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.KillSwitch(TradingState.Active, null, time.GetUtcNow()));
        metrics.TradingStateChanged(halted: false);
        logger.LogWarning("Trading resumed");
    }

    /// <summary>Moves the trading state when a loss stop triggers or lifts; the market day drives the daily stop.</summary>
    private async Task CheckStops(decimal equity, DateOnly day)
    {
        var limits = Limits;
        var previousDay = state.State.Stops.Day;
        var peak = Math.Max(state.State.Stops.PeakEquity, equity);
        metrics.DrawdownMeasured(peak > 0 ? (double)((peak - equity) / peak) : 0);
        var check = TradingStops.Check(state.State.State, state.State.Stops, equity, day, limits.MaxDrawdownFraction, limits.DailyLossFraction);
        if (check.Reason is null)
        {
            // The peak and the day's start are saved once a day, so a restart keeps them (at most a day old).
            if (state.State.Stops.Day != previousDay)
            {
                await state.WriteStateAsync();
            }

            return;
        }

        state.State.State = check.State;
        state.State.HaltReason = check.State == TradingState.Active ? null : check.Reason;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.KillSwitch(check.State, check.Reason, time.GetUtcNow()));
        metrics.TradingStateChanged(halted: check.State == TradingState.Halted);
        logger.LogWarning("Trading {State}: {Reason}", check.State, check.Reason);
    }

    Task<RiskLimits> IRiskGrain.GetLimits() => Task.FromResult(Limits);

    async Task<RiskStatus> IRiskGrain.GetStatus()
    {
        var view = await _portfolio.GetRiskView("", PendingQuantities());
        var model = await _portfolio.GetReturnModel(view.Symbols);
        return new RiskStatus(state.State.State, state.State.HaltReason, Limits, [.. _recentRejections.Reverse()],
            [.. _recentDecisions.Reverse()], RiskMeasures.Of(view, model, options.Value, MonteCarloPaths));
    }

    /// <summary>The order rate throttle, then the portfolio-wide limits; either may reject or scale the order.</summary>
    private RiskDecision CheckPortfolio(RiskDecision decision, OrderIntent intent, PortfolioRiskView view, DateTimeOffset now)
    {
        var limits = Limits;
        while (_recentApprovals.Count > 0 && now - _recentApprovals.Peek() >= TimeSpan.FromMinutes(1))
        {
            _recentApprovals.Dequeue();
        }

        if (limits.MaxOpenOrders > 0 && _openOrders.Count >= limits.MaxOpenOrders)
        {
            return decision with
            {
                Intent = null,
                Rejection = RiskRejectionReason.OpenOrderLimit,
                Explanation = $"{decision.Explanation}; {_openOrders.Count} orders are still open, the limit is {limits.MaxOpenOrders}",
            };
        }

        if (limits.MaxOrdersPerMinute > 0 && _recentApprovals.Count >= limits.MaxOrdersPerMinute)
        {
            return decision with
            {
                Intent = null,
                Rejection = RiskRejectionReason.OrderRateLimit,
                Explanation = $"{decision.Explanation}; {_recentApprovals.Count} orders in the last minute reach the limit of {limits.MaxOrdersPerMinute}",
            };
        }

        var outcome = PortfolioLimits.Check(intent, view, limits, instruments.For(intent.Symbol), options.Value);
        var explanation = string.Join("; ", [decision.Explanation, .. outcome.Notes]);
        if (outcome.Rejection != RiskRejectionReason.None)
        {
            return decision with { Intent = null, Rejection = outcome.Rejection, Explanation = outcome.RejectionNote ?? explanation };
        }

        _recentApprovals.Enqueue(now);
        _openOrders[intent.IntentId] = (intent.Symbol, (intent.Side == OrderSide.Buy ? 1 : -1) * outcome.Quantity);
        metrics.OpenOrdersCounted(_openOrders.Count);
        return outcome.Quantity == intent.Quantity
            ? decision with { Explanation = explanation }
            // A portfolio limit will not move by trading more: the target counts as reached, so no restated order follows.
            : decision with { Intent = intent with { Quantity = outcome.Quantity, Reason = $"{intent.Reason}; {string.Join("; ", outcome.Notes)}" }, Explanation = explanation, TargetReached = true };
    }

    async Task IRiskGrain.SetLimits(RiskLimits limits)
    {
        var previous = Limits;
        state.State.Limits = limits;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.LimitsChanged(previous, limits, time.GetUtcNow()));
        logger.LogWarning("Risk limits changed: {Limits}", limits);
    }

    private void Remember(RiskDecision decision)
    {
        Keep(_recentDecisions, decision);
        if (!decision.Approved)
        {
            metrics.RiskRejected(decision.Symbol, decision.Rejection);
            Keep(_recentRejections, decision);
        }
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
