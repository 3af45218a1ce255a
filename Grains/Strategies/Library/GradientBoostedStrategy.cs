using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;
using static TradingOrleans.Grains.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves the ML.NET FastTree baseline (<c>train mlnet</c>): after each bar, the probability that the next five bars
/// rise; long above ½ + <c>margin</c>, short below ½ − <c>margin</c>, flat between. Strength grows with the
/// distance from ½: min(1, |p − ½| / (2 × margin)).
/// </summary>
public sealed class GradientBoostedStrategy : BarStrategy, IModelServedStrategy
{
    public static StrategyType Type { get; } = StrategyType.Modelled(
        "mlnet", "ML.NET gradient-boosted trees: probability the next five 5-minute bars rise; long/short beyond the margin (needs `train mlnet`).",
        [
            Whole("version", 0, 0, 100_000, "Model version to load (0 = the latest trained for the symbol)"),
            Number("margin", 0.05, 0, 0.5, "Distance of the probability from 0.5 needed to hold a position"),
        ],
        (id, symbol, p, models) => new GradientBoostedStrategy(id, symbol, models.Load("mlnet", symbol, p.Whole("version")), p["margin"]));

    private readonly GradientBoostedClassifier? _model;
    private readonly string? _modelName;
    private readonly double _margin;
    private readonly CandleFeatures _features = new();

    public GradientBoostedStrategy(string strategyId, string symbol, ModelFile? model, double margin) : base(strategyId, symbol)
    {
        _margin = margin;
        if (model?.Blob is { } blob)
        {
            _model = GradientBoostedClassifier.Load(Convert.FromBase64String(blob));
            _modelName = model.Name;
        }
    }

    public string? Problem => _model is null ? ModelStore.Missing("mlnet", Symbol) : null;

    public override bool IsReady => _model is not null && _features.IsReady;

    protected override void Update(Candle candle) => _features.Update(candle);

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(Candle candle)
    {
        var probability = _model!.Probability(_features.Current);
        var direction = GradientBoostedClassifier.Position(probability, _margin) switch { > 0 => SignalDirection.Long, < 0 => SignalDirection.Short, _ => SignalDirection.Flat };
        var strength = _margin > 0 ? Math.Min(1, Math.Abs(probability - 0.5) / (2 * _margin)) : 1;
        return (direction, strength, string.Create(CultureInfo.InvariantCulture,
            $"{_modelName}: P(next 5 bars up) = {probability:F3} (margin {_margin:0.###})"));
    }
}
