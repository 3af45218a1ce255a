using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Mean reversion of a two-leg spread: a rolling OLS of ln A on ln B gives the hedge ratio; the latest residual,
/// in standard errors of that regression, is the z-score. Enter when |z| exceeds the entry level (sell the rich
/// leg, buy the cheap one), leave when |z| falls inside the exit level.
/// </summary>
public sealed class PairSpreadModel : IPairModel
{
    public static StrategyType Type { get; } = StrategyType.Pair(
        "pairs-ols", "Rolling OLS of ln A on ln B; trades the spread's z-score back to its mean (symbols: [A, B]).",
        [
            StrategyParameter.Whole("window", 100, 20, 5000, "Aligned bars in the regression window"),
            StrategyParameter.Number("entryZ", 2.0, 0.1, 10, "|z| above which a spread position opens"),
            StrategyParameter.Number("exitZ", 0.5, 0, 10, "|z| below which it closes; must be below entryZ"),
        ],
        p => new PairSpreadModel(p.Whole("window"), p["entryZ"], p["exitZ"]),
        ParameterRule.Below("exitZ", "entryZ"));

    private readonly RollingOls _regression;

    public PairSpreadModel(int window = 100, double entryZ = 2.0, double exitZ = 0.5)
    {
        if (!(exitZ >= 0 && exitZ < entryZ))
        {
            throw new ArgumentException($"Need 0 ≤ exitZ < entryZ, got exit {exitZ} and entry {entryZ}.");
        }

        _regression = new RollingOls(window);
        EntryZ = entryZ;
        ExitZ = exitZ;
    }

    public double EntryZ { get; }

    public double ExitZ { get; }

    public SignalDirection Position { get; private set; } = SignalDirection.Flat;

    /// <summary>Adds an aligned pair of closes; null until the window is full.</summary>
    public PairSpreadUpdate? Update(double priceA, double priceB, DateTimeOffset marketTime)
    {
        if (priceA <= 0 || priceB <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(priceA), "Prices must be positive.");
        }

        var (logA, logB) = (Math.Log(priceA), Math.Log(priceB));
        _regression.Add(logB, logA);
        if (!_regression.IsReady || !(_regression.ResidualStandardError > 0))
        {
            return null;
        }

        var spread = _regression.Residual(logB, logA);
        var z = spread / _regression.ResidualStandardError;
        Position = Next(Position, z);
        var reason = $"spread z {z:F2} (entry ±{EntryZ}, exit {ExitZ}), hedge ratio {_regression.Slope:F4}";
        return new PairSpreadUpdate(_regression.Slope, _regression.Intercept, spread, z, Position, Position == SignalDirection.Flat ? 0 : 1, reason);
    }

    private SignalDirection Next(SignalDirection position, double z) => position switch
    {
        _ when z > EntryZ => SignalDirection.Short,
        _ when z < -EntryZ => SignalDirection.Long,
        not SignalDirection.Flat when Math.Abs(z) < ExitZ => SignalDirection.Flat,
        _ => position,
    };
}
