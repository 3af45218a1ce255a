using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves a trained DQN agent (<c>train dqn</c>): after each bar its greedy action — sell, hold or buy, one step
/// between short, flat and long — sets the position it signals. Strength is the calibrated probability p that the
/// next bar moves the position's way, as 2p − 1 (floored at 0), from the agent's confidence (the softmax weight of
/// the chosen action's Q-value), which a model file without calibration uses as is. The agent tracks its own
/// position, not the portfolio's.
/// </summary>
public sealed class DqnStrategy : ModelServedStrategy<DqnPolicy>
{
    private const string Kind = "dqn";

    public static StrategyType Type { get; } = StrategyType.Modelled(
        Kind, "Trained DQN agent (buy/hold/sell on features and its position): signals the position it chooses (needs `train dqn`).",
        [],
        (id, symbol, _, model) => new DqnStrategy(id, symbol, model));

    private static readonly string[] ActionNames = ["sell", "hold", "buy"];

    public DqnStrategy(string strategyId, string symbol, ModelFile? model)
        : base(strategyId, symbol, Kind, DqnPolicy.HorizonBars, model,
            file => new DqnPolicy(DqnAgent.Restore(DqnOptions.FromHyperParameters(file.HyperParameters), file.Parameters), file.Scaler))
    {
    }

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(DqnPolicy policy, Candle candle)
    {
        var position = policy.Decide(Features.Current);
        var direction = position switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat };
        var (strength, note) = Size(new DirectionalCall(Math.Sign(position), policy.Confidence), policy.Confidence);
        return (direction, strength, string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} chose {ActionNames[policy.LastAction]} (confidence {policy.Confidence:P0}): position {position} (strength {strength:F3}, {note})"));
    }
}
