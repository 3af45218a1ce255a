using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>One risk rule: passes the order (having scaled it or noted something, maybe), or denies it with a reason.</summary>
public interface IRiskRule
{
    /// <summary>Null when the order passes this rule.</summary>
    RiskDenial? Check(RiskCheck order);
}

/// <summary>Why a rule stops an order, with the numbers that say so (returned unchanged in the API's 422).</summary>
public readonly record struct RiskDenial(RiskRejectionReason Reason, string Explanation);
