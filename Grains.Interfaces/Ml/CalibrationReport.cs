namespace TradingOrleans.Grains.Interfaces.Ml;

/// <summary>One bin of a reliability table: the confidences that fell in [<c>Lower</c>, <c>Upper</c>] and how often they were right.</summary>
/// <param name="MeanPredicted">Mean confidence (claimed probability of being right) of the calls in the bin.</param>
/// <param name="ObservedFrequency">Share of those calls that were right.</param>
[GenerateSerializer, Immutable]
public sealed record ReliabilityBin(
    [property: Id(0)] double Lower,
    [property: Id(1)] double Upper,
    [property: Id(2)] double MeanPredicted,
    [property: Id(3)] double ObservedFrequency,
    [property: Id(4)] int Count);

/// <summary>A reliability table (non-empty bins only) and its expected calibration error.</summary>
/// <param name="ExpectedCalibrationError">Σ over bins of count / total × |observed frequency − mean predicted|.</param>
[GenerateSerializer, Immutable]
public sealed record Reliability(
    [property: Id(0)] double ExpectedCalibrationError,
    [property: Id(1)] IReadOnlyList<ReliabilityBin> Bins);

/// <summary>
/// How a model's confidence was calibrated and how well it is calibrated on bars it never saw: the map is fitted on
/// the (score, right) pairs of the validation fold, and both tables are measured on the walk-forward test period.
/// </summary>
/// <param name="Method">The fitting method (<c>isotonic</c>: pool-adjacent-violators).</param>
/// <param name="Right">What "right" means for this model's calls, in words.</param>
/// <param name="HorizonBars">Bars after the call over which its direction is judged.</param>
/// <param name="Uncalibrated">The confidence the uncalibrated strength implies, (1 + strength) / 2, on the test period.</param>
/// <param name="Calibrated">The calibrated probability of being right, on the test period.</param>
[GenerateSerializer, Immutable]
public sealed record CalibrationReport(
    [property: Id(0)] string Method,
    [property: Id(1)] string Right,
    [property: Id(2)] int HorizonBars,
    [property: Id(3)] DateTimeOffset FittedFrom,
    [property: Id(4)] DateTimeOffset FittedTo,
    [property: Id(5)] int FittedCalls,
    [property: Id(6)] DateTimeOffset HeldOutFrom,
    [property: Id(7)] DateTimeOffset HeldOutTo,
    [property: Id(8)] int HeldOutCalls,
    [property: Id(9)] Reliability Uncalibrated,
    [property: Id(10)] Reliability Calibrated);
