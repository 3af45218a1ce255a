using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;
using static TradingOrleans.Grains.Interfaces.Strategies.StrategyParameter;

namespace TradingOrleans.Grains.Strategies.Library;

/// <summary>
/// Serves a trained LSTM (<c>train lstm</c>): after each bar it forecasts the next five one-bar returns from the last
/// <c>sequenceLength</c> bars of features and goes long when their sum is above <c>thresholdBps</c>, short below
/// its negative, flat between. Strength — what the aggregator weighs and sizes by — is the calibrated probability p
/// that the forecast's sign is right, as 2p − 1 (floored at 0); a model file without calibration keeps the raw
/// min(1, |forecast| / (2 × threshold)). Without a model for the symbol it never becomes ready and says why.
/// </summary>
public sealed class LstmForecastStrategy : ModelServedStrategy<LstmForecaster>
{
    private const string Kind = "lstm";

    public static StrategyType Type { get; } = StrategyType.Modelled(
        Kind, "Trained LSTM forecast of the next five 5-minute returns: long/short when it clears the threshold (needs `train lstm`).",
        [Number("thresholdBps", 20, 0, 10_000, "Forecast five-bar return, in basis points, needed to hold a position (cover the round-trip fee)")],
        (id, symbol, p, model) => new LstmForecastStrategy(id, symbol, model, p["thresholdBps"]));

    private readonly double _threshold;
    private readonly double[][] _window;
    private int _filled;

    public LstmForecastStrategy(string strategyId, string symbol, ModelFile? model, double thresholdBps)
        : base(strategyId, symbol, Kind, LstmForecaster.Horizon, model,
            file => LstmForecaster.Restore(LstmOptions.FromHyperParameters(file.HyperParameters), file.Scaler, file.TargetScale, file.Parameters))
    {
        _threshold = thresholdBps / 10_000;
        _window = new double[Model?.Options.SequenceLength ?? 1][];
    }

    protected override bool HasInputs => _filled >= _window.Length;

    protected override void Update(Candle candle)
    {
        base.Update(candle);
        if (Model is null || !Features.IsReady)
        {
            return;
        }

        // Slide the window of scaled rows, oldest first.
        if (_filled == _window.Length)
        {
            Array.Copy(_window, 1, _window, 0, _window.Length - 1);
            _filled--;
        }

        _window[_filled++] = Model.Scaler.Transform(Features.Current);
    }

    protected override (SignalDirection Direction, double Strength, string Reason) Decide(LstmForecaster model, Candle candle)
    {
        var forecast = model.Forecast(_window).Sum();
        var direction = forecast > _threshold ? SignalDirection.Long : forecast < -_threshold ? SignalDirection.Short : SignalDirection.Flat;
        var call = LstmForecaster.Call(forecast);
        var (strength, note) = Size(call, LstmForecaster.UncalibratedStrength(call.Score, _threshold));
        return (direction, strength, string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} forecasts {forecast * 10_000:+0.0;-0.0} bps over 5 bars (threshold {_threshold * 10_000:0.#} bps; strength {strength:F3}, {note})"));
    }
}
