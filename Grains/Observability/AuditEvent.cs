using System.Text.Json.Nodes;

namespace TradingOrleans.Grains.Observability;

/// <summary>One entry of the audit trail: what happened, to what, when, and why.</summary>
/// <param name="Type">One of <see cref="AuditEventTypes"/>.</param>
/// <param name="Id">The order, fill, strategy or decision id the event is about.</param>
/// <param name="Summary">One human-readable line, reasons included.</param>
/// <param name="Details">The full record (order, fill, decision, config) as JSON; a change holds its <c>old</c> and <c>new</c> values.</param>
/// <param name="Actor">Who caused it; null only in events written before actors were recorded.</param>
public sealed record AuditEvent(DateTimeOffset At, string Type, string? Symbol, string? Id, string Summary, JsonNode? Details, AuditActor? Actor);

/// <summary>The kinds of audit events.</summary>
public static class AuditEventTypes
{
    public const string Order = "order";
    public const string Fill = "fill";
    public const string RiskDecision = "risk-decision";
    public const string StrategyConfig = "strategy-config";
    public const string KillSwitch = "kill-switch";
    public const string RiskLimits = "risk-limits";
    public const string ApiRefusal = "api-refusal";
    public const string StrategyQuarantine = "strategy-quarantine";
    public const string Backtest = "backtest";
    public const string Surveillance = "surveillance";
    public const string Basket = "basket";
    public const string Account = "account";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Order, Fill, RiskDecision, StrategyConfig, KillSwitch, RiskLimits, ApiRefusal, StrategyQuarantine, Backtest, Surveillance, Basket, Account };
}
