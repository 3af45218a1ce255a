using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;
using static TradingOrleans.Grains.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves a trained DQN agent (<c>train dqn</c>): after each bar its greedy action — sell, hold or buy, one step
/// between short, flat and long — sets the position it signals. Strength is the agent's confidence (the softmax
/// weight of the chosen action's Q-value); the agent tracks its own position, not the portfolio's.
/// </summary>
public sealed class DqnStrategy : BarStrategy, IModelServedStrategy
{
    public static StrategyType Type { get; } = StrategyType.Modelled(
        "dqn", "Trained DQN agent (buy/hold/sell on features and its position): signals the position it chooses (needs `train dqn`).",
        [Whole("version", 0, 0, 100_000, "Model version to load (0 = the latest trained for the symbol)")],
        (id, symbol, p, models) => new DqnStrategy(id, symbol, models.Load("dqn", symbol, p.Whole("version"))));

    private static readonly string[] ActionNames = ["sell", "hold", "buy"];

    private readonly DqnPolicy? _policy;
    private readonly string? _modelName;
    private readonly CandleFeatures _features = new();

    public DqnStrategy(string strategyId, string symbol, ModelFile? model) : base(strategyId, symbol)
    {
        if (model is not null)
        {
            _policy = new DqnPolicy(DqnAgent.Restore(DqnOptions.FromHyperParameters(model.HyperParameters), model.Parameters), model.Scaler);
            _modelName = model.Name;
        }
    }

    public string? Problem => _policy is null ? ModelStore.Missing("dqn", Symbol) : null;

    public override bool IsReady => _policy is not null && _features.IsReady;

    protected override void Update(Candle candle) => _features.Update(candle);

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(Candle candle)
    {
        var position = _policy!.Decide(_features.Current);
        var direction = position switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat };
        return (direction, _policy.Confidence, string.Create(CultureInfo.InvariantCulture,
            $"{_modelName} chose {ActionNames[_policy.LastAction]} (confidence {_policy.Confidence:P0}): position {position}"));
    }
}
