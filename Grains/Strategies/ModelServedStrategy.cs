using System.Diagnostics;
using System.Globalization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// A single-symbol strategy served by a trained model of one kind, restored from its model file when the strategy
/// is built. Without a model for the symbol it never becomes ready, and <see cref="Problem"/> says how to train one.
/// Every served model reads the same <see cref="CandleFeatures"/>, updated with each bar. Each call is timed, and
/// judged live over the model's horizon (<see cref="RealisedCallError"/>) for the model metrics.
/// </summary>
public abstract class ModelServedStrategy<TModel> : BarStrategy, IModelServedStrategy
    where TModel : class
{
    private readonly string _kind;
    private readonly ModelCalibration? _calibration;
    private readonly RealisedCallError _realisedError;
    private double _confidence;

    /// <param name="kind">The model kind (<c>lstm</c>…), named in <see cref="Problem"/> when there is no model.</param>
    /// <param name="horizonBars">Bars over which a call is judged right or wrong (as its calibration judges it).</param>
    /// <param name="file">The model file loaded for the symbol; null when there is none.</param>
    /// <param name="restore">Builds the model from its file; null when the file holds no usable model.</param>
    protected ModelServedStrategy(string strategyId, string symbol, string kind, int horizonBars, ModelFile? file, Func<ModelFile, TModel?> restore)
        : base(strategyId, symbol)
    {
        _kind = kind;
        _realisedError = new RealisedCallError(horizonBars);
        if (file is not null && restore(file) is { } model)
        {
            Model = model;
            ModelName = file.Name;
            ModelVersion = file.Version;
            _calibration = file.Calibration;
        }
    }

    /// <summary>The restored model; null when none was found.</summary>
    protected TModel? Model { get; }

    /// <summary>The model's file name (<c>lstm-BTCUSDT-v3</c>), for the signal's reason.</summary>
    protected string? ModelName { get; }

    protected CandleFeatures Features { get; } = new();

    public string? Problem => Model is null ? ModelStore.Missing(_kind, Symbol) : null;

    public string ModelKind => _kind;

    public int? ModelVersion { get; }

    public double? HeldOutErrorRate => _calibration?.HeldOutErrorRate;

    public double? RealisedErrorRate => _realisedError.Rate;

    public ModelCallTiming? LastCall { get; private set; }

    public sealed override bool IsReady => Model is not null && HasInputs;

    /// <summary>True once the model has all the inputs it reads; by default, once the features are ready.</summary>
    protected virtual bool HasInputs => Features.IsReady;

    protected override void Update(Candle candle)
    {
        LastCall = null;
        _realisedError.Bar((double)candle.Close);
        Features.Update(candle);
    }

    protected sealed override (SignalDirection Direction, double Strength, string Reason) Decide(Candle candle)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = Decide(Model!, candle);
        LastCall = new ModelCallTiming(Stopwatch.GetElapsedTime(started), _confidence);
        return decision;
    }

    /// <summary>
    /// A call's strength — from the model file's calibration when it has one, else the uncalibrated formula — and a
    /// note for the signal's reason. Also records the call to judge it live, and its confidence for the metrics.
    /// </summary>
    protected (double Strength, string Note) Size(DirectionalCall call, double uncalibratedStrength)
    {
        _realisedError.Call(call.Direction);
        if (_calibration is not { } calibration)
        {
            _confidence = ConfidenceCalibration.ImpliedProbability(uncalibratedStrength);
            return (uncalibratedStrength, "uncalibrated");
        }

        _confidence = calibration.Map.Probability(call.Score);
        return (ConfidenceCalibration.Strength(_confidence), string.Create(CultureInfo.InvariantCulture, $"calibrated P(right) {_confidence:F3}"));
    }

    /// <summary>The signal from the model, called only once <see cref="IsReady"/>.</summary>
    protected abstract (SignalDirection Direction, double Strength, string Reason) Decide(TModel model, Candle candle);
}
