namespace TradingOrleans.Grains.Interfaces.Ml;

/// <summary>A trained model without its parameters, for listings.</summary>
/// <param name="EpochsOrEpisodes">Training epochs (forecasters) or episodes (policies) it ran.</param>
/// <param name="Verdict">Whether it beats the naive baselines on its test period, in words.</param>
/// <param name="Calibration">How its confidence was calibrated and the reliability before and after on its test period; null when the model file has none (saved before calibration).</param>
/// <param name="Sizing">How its strategy turns a call into a strength, in words: calibrated, or the uncalibrated formula for a model without calibration.</param>
[GenerateSerializer, Immutable]
public sealed record ModelSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Symbol,
    [property: Id(3)] int Version,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] IReadOnlyDictionary<string, double> HyperParameters,
    [property: Id(6)] DateTimeOffset TrainFrom,
    [property: Id(7)] DateTimeOffset TrainTo,
    [property: Id(8)] ModelEvaluation? Evaluation,
    [property: Id(9)] int EpochsOrEpisodes,
    [property: Id(10)] string? Verdict,
    [property: Id(11)] IReadOnlyDictionary<string, double>? Metrics,
    [property: Id(12)] CalibrationReport? Calibration,
    [property: Id(13)] string Sizing);
