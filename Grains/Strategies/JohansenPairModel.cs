using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Pairs trading on the Johansen test: every <c>retestEvery</c> bars the last <c>window</c> aligned log prices are
/// tested for cointegration; while the trace test finds a relation at the configured confidence, the first
/// cointegrating vector gives the hedge ratio β and the spread ln A − β ln B is traded on its z-score against the
/// window's mean and standard deviation (estimated at the test, applied until the next one).
/// </summary>
/// <remarks>
/// Enter short the spread when z &gt; entry, long when z &lt; −entry; leave when |z| &lt; exit. Beyond the stop
/// level the position is closed and not reopened until |z| has come back inside the entry level. Losing
/// cointegration at a retest closes the position. Signal strength is min(1, |z| / stop): it grows as the spread
/// stretches and shrinks as it converges.
/// </remarks>
public sealed class JohansenPairModel : IPairModel
{
    public static StrategyType Type { get; } = StrategyType.Pair(
        "pairs-johansen",
        "Johansen test on a rolling window of ln A, ln B; while cointegrated, trades the spread ln A − β ln B (β from the first cointegrating vector) on its z-score (symbols: [A, B]).",
        [
            StrategyParameter.Whole("window", 500, 50, 5000, "Aligned bars in the tested window"),
            StrategyParameter.Whole("retestEvery", 50, 1, 5000, "Bars between two cointegration tests"),
            StrategyParameter.Whole("lagDifferences", 1, 1, 12, "Lagged differences k in the VECM (k_ar_diff)"),
            StrategyParameter.Whole("detOrder", 0, -1, 1, "Deterministic terms: -1 none, 0 constant, 1 linear trend"),
            StrategyParameter.Number("confidence", 0.95, 0.90, 0.99, "Trace-test confidence required to trade: 0.90, 0.95 or 0.99"),
            StrategyParameter.Number("entryZ", 2.0, 0.1, 10, "|z| above which a spread position opens"),
            StrategyParameter.Number("exitZ", 0.5, 0, 10, "|z| below which it closes; must be below entryZ"),
            StrategyParameter.Number("stopZ", 4.0, 0.2, 20, "|z| beyond which the position is stopped out; must exceed entryZ"),
        ],
        p => new JohansenPairModel(
            p.Whole("window"), p.Whole("retestEvery"), p.Whole("lagDifferences"), (DeterministicTerm)p.Whole("detOrder"),
            p["confidence"], p["entryZ"], p["exitZ"], p["stopZ"]),
        ParameterRule.Below("exitZ", "entryZ"),
        new ParameterRule("stopZ", p => p["stopZ"] > p["entryZ"], p => $"Must exceed entryZ ({p["entryZ"]}); got {p["stopZ"]}."),
        new ParameterRule("confidence", p => CriticalValues.Confidences.Contains(p["confidence"]),
            p => $"Critical values exist for 0.90, 0.95 and 0.99; got {p["confidence"]}."),
        new ParameterRule("window", p => p["window"] >= 20 * (p["lagDifferences"] + 1),
            p => $"Must be at least 20 × (lagDifferences + 1) = {20 * (p["lagDifferences"] + 1)} bars; got {p["window"]}."));

    private readonly double[] _logA;
    private readonly double[] _logB;
    private readonly int _retestEvery;
    private readonly int _lagDifferences;
    private readonly DeterministicTerm _term;
    private readonly double _confidence;
    private readonly double _entryZ;
    private readonly double _exitZ;
    private readonly double _stopZ;
    private int _count;
    private int _barsSinceTest;
    private bool _stoppedOut;
    private string? _testFailure;

    public JohansenPairModel(
        int window = 500, int retestEvery = 50, int lagDifferences = 1, DeterministicTerm term = DeterministicTerm.Constant,
        double confidence = 0.95, double entryZ = 2.0, double exitZ = 0.5, double stopZ = 4.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 50);
        ArgumentOutOfRangeException.ThrowIfLessThan(retestEvery, 1);
        if (!(0 <= exitZ && exitZ < entryZ && entryZ < stopZ))
        {
            throw new ArgumentException($"Need 0 ≤ exitZ < entryZ < stopZ; got {exitZ}, {entryZ}, {stopZ}.");
        }

        _logA = new double[window];
        _logB = new double[window];
        _retestEvery = retestEvery;
        _lagDifferences = lagDifferences;
        _term = term;
        _confidence = confidence;
        (_entryZ, _exitZ, _stopZ) = (entryZ, exitZ, stopZ);
    }

    public SignalDirection Position { get; private set; } = SignalDirection.Flat;

    /// <summary>The latest successful test; null before the window first fills.</summary>
    public PairCointegration? LastTest { get; private set; }

    public PairSpreadUpdate? Update(double priceA, double priceB, DateTimeOffset marketTime)
    {
        if (!(priceA > 0 && priceB > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(priceA), "Prices must be positive.");
        }

        var window = _logA.Length;
        _logA[_count % window] = Math.Log(priceA);
        _logB[_count % window] = Math.Log(priceB);
        _count++;
        if (_count < window)
        {
            return null;
        }

        if (LastTest is null || ++_barsSinceTest >= _retestEvery)
        {
            Retest(marketTime);
            _barsSinceTest = 0;
        }

        if (LastTest is not { } test)
        {
            Position = SignalDirection.Flat;
            return null;
        }

        var spread = Math.Log(priceA) - test.HedgeRatio * Math.Log(priceB);
        var z = (spread - test.SpreadMean) / test.SpreadStandardDeviation;
        var reason = Decide(test, z);
        var strength = Position == SignalDirection.Flat ? 0 : Math.Min(1, Math.Abs(z) / _stopZ);
        return new PairSpreadUpdate(test.HedgeRatio, test.SpreadMean, spread, z, Position, strength, reason, test);
    }

    private string Decide(PairCointegration test, double z)
    {
        var level = $"{_confidence:P0}";
        if (_testFailure is not null || !test.Cointegrated)
        {
            Position = SignalDirection.Flat;
            return _testFailure is not null
                ? $"flat: the cointegration test failed ({_testFailure})"
                : $"flat: not cointegrated at {level} (trace {test.TraceStatistic:F2} ≤ {test.TraceCriticalValue:F2})";
        }

        var absolute = Math.Abs(z);
        if (absolute > _stopZ)
        {
            Position = SignalDirection.Flat;
            _stoppedOut = true;
            return $"flat: stop, |z| {absolute:F2} beyond {_stopZ}";
        }

        if (_stoppedOut && absolute < _entryZ)
        {
            _stoppedOut = false;
        }

        Position = Position switch
        {
            _ when !_stoppedOut && z > _entryZ => SignalDirection.Short,
            _ when !_stoppedOut && z < -_entryZ => SignalDirection.Long,
            not SignalDirection.Flat when absolute < _exitZ => SignalDirection.Flat,
            var held => held,
        };
        var cointegration = $"cointegrated at {level} (trace {test.TraceStatistic:F2} > {test.TraceCriticalValue:F2}), β {test.HedgeRatio:F4}";
        return Position switch
        {
            SignalDirection.Short => $"short spread: z {z:F2} (entry {_entryZ}, exit {_exitZ}); {cointegration}",
            SignalDirection.Long => $"long spread: z {z:F2} (entry −{_entryZ}, exit {_exitZ}); {cointegration}",
            _ => $"flat: z {z:F2} inside ±{_entryZ}{(_stoppedOut ? " (stopped out, waiting to return inside entry)" : "")}; {cointegration}",
        };
    }

    private void Retest(DateTimeOffset marketTime)
    {
        var window = _logA.Length;
        var start = _count % window;
        var a = new double[window];
        var b = new double[window];
        for (var i = 0; i < window; i++)
        {
            a[i] = _logA[(start + i) % window];
            b[i] = _logB[(start + i) % window];
        }

        JohansenResult johansen;
        try
        {
            johansen = JohansenTest.Run([a, b], _term, _lagDifferences);
            _testFailure = null;
        }
        catch (ArgumentException exception)
        {
            // A degenerate window (e.g. a leg that never moved) has no covariance to decompose.
            _testFailure = exception.Message;
            return;
        }

        var hedgeRatio = -johansen.NormalizedFirstVector[1];
        var spread = a.Select((logA, i) => logA - hedgeRatio * b[i]).ToArray();
        var mean = spread.Average();
        var deviation = Math.Sqrt(spread.Sum(s => (s - mean) * (s - mean)) / (window - 1));
        if (!(deviation > 0))
        {
            _testFailure = "the spread has no variance";
            return;
        }

        var rank = johansen.TraceRank.At(_confidence);
        LastTest = new PairCointegration(
            marketTime, window, _confidence, rank >= 1,
            johansen.Tests[0].TraceStatistic, johansen.Tests[0].TraceCriticalValues.At(_confidence),
            hedgeRatio, mean, deviation, EngleGranger.HalfLife(spread).HalfLifeBars, johansen);
    }
}
