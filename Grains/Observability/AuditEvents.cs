using System.Globalization;
using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Observability;

/// <summary>Builds the audit events of the trading records, each with a one-line summary and the full record.</summary>
public static class AuditEvents
{
    public static AuditEvent Order(ParentOrder order, DateTimeOffset at) => new(
        at, AuditEventTypes.Order, order.Symbol, order.OrderId,
        Invariant($"{order.Side} {order.Quantity} {order.Symbol}: {order.Status}, filled {order.FilledQuantity} at {order.AverageFillPrice}, fees {order.Fees}; {order.RejectReason ?? order.Reason}"),
        JsonSerializer.SerializeToNode(order, FileAuditTrail.Json));

    public static AuditEvent Fill(Fill fill, DateTimeOffset at) => new(
        at, AuditEventTypes.Fill, fill.Symbol, fill.FillId,
        Invariant($"{fill.Side} {fill.Quantity} {fill.Symbol} at {fill.Price}, fee {fill.Fee} (order {fill.ClientOrderId})"),
        JsonSerializer.SerializeToNode(fill, FileAuditTrail.Json));

    public static AuditEvent Decision(RiskDecision decision) => new(
        decision.DecidedAt, AuditEventTypes.RiskDecision, decision.Symbol, $"{decision.Symbol}-{decision.SignalSequence}",
        decision.Intent is { } intent
            ? Invariant($"approved {intent.Side} {intent.Quantity}: {decision.Explanation}")
            : $"rejected ({decision.Rejection}): {decision.Explanation}",
        JsonSerializer.SerializeToNode(decision, FileAuditTrail.Json));

    public static AuditEvent Config(StrategyConfig? previous, StrategyConfig? current, DateTimeOffset at) => new(
        at, AuditEventTypes.StrategyConfig, null, (current ?? previous)!.Id,
        current is null ? "deleted" : previous is null ? "created" : "replaced",
        JsonSerializer.SerializeToNode(new { previous, current }, FileAuditTrail.Json));

    public static AuditEvent LimitsChanged(RiskLimits previous, RiskLimits current, DateTimeOffset at) => new(
        at, AuditEventTypes.RiskLimits, null, null, "risk limits replaced",
        JsonSerializer.SerializeToNode(new { previous, current }, FileAuditTrail.Json));

    public static AuditEvent KillSwitch(TradingState state, string? reason, DateTimeOffset at) => new(
        at, AuditEventTypes.KillSwitch, null, null, $"trading {state}{(reason is null ? "" : $": {reason}")}", null);

    /// <summary>A strategy quarantined on a symbol (<paramref name="reason"/> set) or reinstated (null).</summary>
    public static AuditEvent Quarantine(string strategyId, string symbol, string? reason, DateTimeOffset at) => new(
        at, AuditEventTypes.StrategyQuarantine, symbol, strategyId, reason is null ? "reinstated" : $"quarantined: {reason}", null);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
