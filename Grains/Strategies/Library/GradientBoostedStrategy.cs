using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves the ML.NET FastTree baseline (<c>train mlnet</c>): after each bar, the probability that the next five bars
/// rise; long above ½ + <c>margin</c>, short below ½ − <c>margin</c>, flat between. Strength is the calibrated
/// probability q that the side of ½ is right, as 2q − 1 (floored at 0); a model file without calibration keeps the
/// raw min(1, |p − ½| / (2 × margin)).
/// </summary>
public sealed class GradientBoostedStrategy : ModelServedStrategy<GradientBoostedClassifier>
{
    private const string Kind = "mlnet";

    public static StrategyType Type { get; } = StrategyType.Modelled(
        Kind, "ML.NET gradient-boosted trees: probability the next five 5-minute bars rise; long/short beyond the margin (needs `train mlnet`).",
        [Number("margin", 0.05, 0, 0.5, "Distance of the probability from 0.5 needed to hold a position")],
        (id, symbol, p, model) => new GradientBoostedStrategy(id, symbol, model, p["margin"]));

    private readonly double _margin;

    public GradientBoostedStrategy(string strategyId, string symbol, ModelFile? model, double margin)
        : base(strategyId, symbol, Kind, LstmForecaster.Horizon, model,
            file => file.Blob is { } blob ? GradientBoostedClassifier.Load(Convert.FromBase64String(blob)) : null)
    {
        _margin = margin;
    }

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(GradientBoostedClassifier model, Candle candle)
    {
        var probability = model.Probability(Features.Current);
        var direction = GradientBoostedClassifier.Position(probability, _margin) switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat };
        var call = GradientBoostedClassifier.Call(probability);
        var (strength, note) = Size(call, GradientBoostedClassifier.UncalibratedStrength(call.Score, _margin));
        return (direction, strength, string.Create(CultureInfo.InvariantCulture,
            $"{ModelName}: P(next 5 bars up) = {probability:F3} (margin {_margin:0.###}; strength {strength:F3}, {note})"));
    }
}
