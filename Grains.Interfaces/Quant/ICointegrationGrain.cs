namespace TradingOrleans.Grains.Interfaces.Quant;

/// <summary>
/// Cointegration tests on request, run in a silo next to the historical data: a stateless worker, so it is local to
/// its caller and as many run at once as a silo has cores.
/// </summary>
public interface ICointegrationGrain : IGrainWithIntegerKey
{
    /// <summary>Johansen and Engle-Granger tests of the series, or why they cannot be run on them.</summary>
    Task<CointegrationOutcome> Test(CointegrationQuery query);
}

/// <summary>Series to test (checked by the caller): inline prices, or symbols whose historical closes are aligned and tested.</summary>
/// <param name="Names">The series' names, or the symbols to load.</param>
/// <param name="Prices">One array per name, oldest first; null to load the symbols' closes of bars opening in [From, To).</param>
/// <param name="MaxBars">For symbols: the newest aligned bars to test.</param>
/// <param name="LogPrices">Test natural logs of the prices.</param>
/// <param name="Confidence">One of <see cref="CriticalValues.Confidences"/>: the level of the rank decision.</param>
[GenerateSerializer, Immutable]
public sealed record CointegrationQuery(
    [property: Id(0)] IReadOnlyList<string> Names,
    [property: Id(1)] IReadOnlyList<double[]>? Prices,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] int MaxBars,
    [property: Id(5)] bool LogPrices,
    [property: Id(6)] DeterministicTerm Term,
    [property: Id(7)] int LagDifferences,
    [property: Id(8)] double Confidence)
{
    /// <summary>Fewest aligned observations a test runs on.</summary>
    public const int MinObservations = 50;

    /// <summary>Most series one test takes: the Johansen critical-value tables stop there.</summary>
    public const int MaxSeries = 12;
}

/// <summary>Why a cointegration test was not run.</summary>
public enum CointegrationRefusal
{
    /// <summary>A symbol has no historical data.</summary>
    NoHistoricalData,

    /// <summary>Too few aligned observations for the series and lags.</summary>
    TooFewObservations,

    /// <summary>The data cannot be tested (e.g. a constant or collinear series).</summary>
    Untestable,
}

/// <summary>The tests, or why there are none.</summary>
/// <param name="FirstBarOpen">For symbols: the open time of the first bar tested.</param>
/// <param name="LastBarOpen">For symbols: the open time of the last bar tested.</param>
/// <param name="Problem">The refusal in words, with its numbers.</param>
[GenerateSerializer, Immutable]
public sealed record CointegrationOutcome(
    [property: Id(0)] CointegrationReport? Report,
    [property: Id(1)] DateTimeOffset? FirstBarOpen,
    [property: Id(2)] DateTimeOffset? LastBarOpen,
    [property: Id(3)] CointegrationRefusal? Refusal = null,
    [property: Id(4)] string? Problem = null);
