using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;
using static TradingOrleans.Grains.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves a trained LSTM (<c>train lstm</c>): after each bar it forecasts the next five one-bar returns from the last
/// <c>sequenceLength</c> bars of features and goes long when their sum is above <c>thresholdBps</c>, short below
/// its negative, flat between. Strength — the confidence the aggregator weighs — grows with the forecast's size:
/// min(1, |forecast| / (2 × threshold)). Without a model for the symbol it never becomes ready and says why.
/// </summary>
public sealed class LstmForecastStrategy : BarStrategy, IModelServedStrategy
{
    public static StrategyType Type { get; } = StrategyType.Modelled(
        "lstm", "Trained LSTM forecast of the next five 5-minute returns: long/short when it clears the threshold (needs `train lstm`).",
        [
            Whole("version", 0, 0, 100_000, "Model version to load (0 = the latest trained for the symbol)"),
            Number("thresholdBps", 20, 0, 10_000, "Forecast five-bar return, in basis points, needed to hold a position (cover the round-trip fee)"),
        ],
        (id, symbol, p, models) => new LstmForecastStrategy(id, symbol, models.Load("lstm", symbol, p.Whole("version")), p["thresholdBps"]));

    private readonly LstmForecaster? _model;
    private readonly string? _modelName;
    private readonly double _threshold;
    private readonly CandleFeatures _features = new();
    private readonly double[][] _window;
    private int _filled;

    public LstmForecastStrategy(string strategyId, string symbol, ModelFile? model, double thresholdBps) : base(strategyId, symbol)
    {
        _threshold = thresholdBps / 10_000;
        if (model is not null)
        {
            _model = LstmForecaster.Restore(LstmOptions.FromHyperParameters(model.HyperParameters), model.Scaler, model.TargetScale, model.Parameters);
            _modelName = model.Name;
        }

        _window = new double[_model?.Options.SequenceLength ?? 1][];
    }

    public string? Problem => _model is null ? ModelStore.Missing("lstm", Symbol) : null;

    public override bool IsReady => _model is not null && _filled >= _window.Length;

    protected override void Update(Candle candle)
    {
        _features.Update(candle);
        if (_model is null || !_features.IsReady)
        {
            return;
        }

        // Slide the window of scaled rows, oldest first.
        if (_filled == _window.Length)
        {
            Array.Copy(_window, 1, _window, 0, _window.Length - 1);
            _filled--;
        }

        _window[_filled++] = _model.Scaler.Transform(_features.Current);
    }

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(Candle candle)
    {
        var forecast = _model!.Forecast(_window).Sum();
        var direction = forecast > _threshold ? SignalDirection.Long : forecast < -_threshold ? SignalDirection.Short : SignalDirection.Flat;
        var strength = _threshold > 0 ? Math.Min(1, Math.Abs(forecast) / (2 * _threshold)) : 1;
        return (direction, strength, string.Create(CultureInfo.InvariantCulture,
            $"{_modelName} forecasts {forecast * 10_000:+0.0;-0.0} bps over 5 bars (threshold {_threshold * 10_000:0.#} bps)"));
    }
}
