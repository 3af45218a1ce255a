using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Observability;

/// <summary>Builds the audit events of the trading records, each with a one-line summary and the full record.</summary>
public static class AuditEvents
{
    /// <summary>An order's state; <paramref name="actor"/> is the key that placed, amended or cancelled it, or the system.</summary>
    public static AuditEvent Order(ParentOrder order, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.Order, order.Symbol, order.OrderId,
        Invariant($"{order.Side} {order.Quantity} {order.Symbol}: {order.Status}, filled {order.FilledQuantity} at {order.AverageFillPrice}, fees {order.Fees}; {order.RejectReason ?? order.Reason}"),
        JsonSerializer.SerializeToNode(order, FileAuditTrail.Json), actor);

    /// <summary>A venue's fill: the market's doing, whoever placed the order.</summary>
    public static AuditEvent Fill(Fill fill, DateTimeOffset at) => new(
        at, AuditEventTypes.Fill, fill.Symbol, fill.FillId,
        Invariant($"{fill.Side} {fill.Quantity} {fill.Symbol} at {fill.Price}, fee {fill.Fee} (order {fill.ClientOrderId})"),
        JsonSerializer.SerializeToNode(fill, FileAuditTrail.Json), AuditActor.System);

    /// <summary>Risk's decision: the risk engine's, also on an order a person asked for (the order names them).</summary>
    public static AuditEvent Decision(RiskDecision decision) => new(
        decision.DecidedAt, AuditEventTypes.RiskDecision, decision.Symbol, $"{decision.Symbol}-{decision.SignalSequence}",
        decision.Intent is { } intent
            ? Invariant($"approved {intent.Side} {intent.Quantity}: {decision.Explanation}")
            : $"rejected ({decision.Rejection}): {decision.Explanation}",
        JsonSerializer.SerializeToNode(decision, FileAuditTrail.Json), AuditActor.System);

    public static AuditEvent Config(StrategyConfig? old, StrategyConfig? @new, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.StrategyConfig, null, (@new ?? old)!.Id,
        @new is null ? "deleted" : old is null ? "created" : "replaced",
        Change(old, @new), actor);

    public static AuditEvent LimitsChanged(RiskLimits old, RiskLimits @new, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.RiskLimits, null, null, "risk limits replaced", Change(old, @new), actor);

    public static AuditEvent KillSwitch(TradingState state, string? reason, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.KillSwitch, null, null, $"trading {state}{(reason is null ? "" : $": {reason}")}", null, actor);

    /// <summary>A strategy quarantined on a symbol (<paramref name="reason"/> set) or reinstated (null).</summary>
    public static AuditEvent Quarantine(string strategyId, string symbol, string? reason, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.StrategyQuarantine, symbol, strategyId, reason is null ? "reinstated" : $"quarantined: {reason}", null, actor);

    /// <summary>A surveillance rule flagged an order (the order itself names who placed it).</summary>
    public static AuditEvent Surveillance(string symbol, string orderId, string rule, string detail, DateTimeOffset at) => new(
        at, AuditEventTypes.Surveillance, symbol, orderId, $"{rule}: {detail}", null, AuditActor.System);

    /// <summary>A pair basket unwound (a leg refused, failed or not filled in time), with every leg and unwinding order.</summary>
    public static AuditEvent BasketUnwound(BasketOutcome basket, DateTimeOffset at) => new(
        at, AuditEventTypes.Basket, string.Join("|", basket.Orders.Select(o => o.Symbol).Distinct()), $"{basket.Decision.StrategyId}-{basket.Decision.Sequence}",
        $"basket of {basket.Decision.StrategyId} unwound: {basket.Note}", JsonSerializer.SerializeToNode(basket, FileAuditTrail.Json), AuditActor.System);

    /// <summary>
    /// The book and the venue account: funded from it, a deposit or withdrawal, drift found or adopted at a reconciliation
    /// (<paramref name="id"/> names which). <paramref name="details"/> holds the figures.
    /// </summary>
    public static AuditEvent Account(string id, string summary, object details, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.Account, null, id, summary, JsonSerializer.SerializeToNode(details, FileAuditTrail.Json), actor);

    /// <summary>A backtest job started or asked to stop.</summary>
    public static AuditEvent Backtest(string jobId, string what, DateTimeOffset at, AuditActor actor) => new(
        at, AuditEventTypes.Backtest, null, jobId, what, null, actor);

    /// <summary>A change's details: the value before (null when created) and after (null when deleted).</summary>
    private static JsonNode? Change<T>(T? old, T? @new) where T : class =>
        JsonSerializer.SerializeToNode(new { old, @new }, FileAuditTrail.Json);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
