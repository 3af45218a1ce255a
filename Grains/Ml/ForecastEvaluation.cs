using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Grains.Ml;

/// <summary>Walk-forward evaluation: forecasts or positions made bar by bar over a test period that follows the training period.</summary>
public static class ForecastEvaluation
{
    private const int RandomRuns = 20;

    /// <param name="forecast">The next five one-bar log returns forecast at a bar, seeing only bars up to it.</param>
    public static ModelEvaluation Evaluate(CandleSeries series, int from, int to, Func<int, double[]> forecast, double feeBps, double thresholdBps, int seed)
    {
        var horizon = LstmForecaster.Horizon;
        var last = Math.Min(to, series.Count) - 1 - horizon;
        if (last < from)
        {
            throw new ArgumentException("The test period has no bar with five bars after it.");
        }

        var fee = feeBps / 10_000;
        var threshold = thresholdBps / 10_000;
        double squaredError = 0, zeroError = 0, lastValueError = 0;
        int counted = 0, rightDirection = 0, lastValueRight = 0;
        var positions = new List<int>();
        for (var t = from; t <= last; t++)
        {
            var predicted = forecast(t);
            var actual = series.ReturnsAfter(t, horizon);
            var lastReturn = series.Return(t);
            for (var k = 0; k < horizon; k++)
            {
                squaredError += Square(predicted[k] - actual[k]);
                zeroError += Square(actual[k]);
                lastValueError += Square(lastReturn - actual[k]);
            }

            var expected = predicted.Sum();
            var realised = actual.Sum();
            if (realised != 0)
            {
                counted++;
                rightDirection += Math.Sign(expected) == Math.Sign(realised) ? 1 : 0;
                lastValueRight += Math.Sign(lastReturn) == Math.Sign(realised) ? 1 : 0;
            }

            positions.Add(expected > threshold ? 1 : expected < -threshold ? -1 : 0);
        }

        var samples = last - from + 1;
        var (net, trades) = Trade(series, from, positions, fee);
        return new ModelEvaluation(
            series.Times[from], series.Times[last], samples,
            counted == 0 ? 0 : (double)rightDirection / counted,
            squaredError / (samples * horizon), zeroError / (samples * horizon), lastValueError / (samples * horizon),
            counted == 0 ? 0 : (double)lastValueRight / counted,
            net, BuyAndHold(series, from, samples, fee), RandomPolicy(series, from, samples, trades, fee, seed), trades, feeBps, thresholdBps);
    }

    /// <summary>
    /// A trading policy (the DQN) over the test period: <paramref name="position"/> gives its position (−1, 0, 1) after
    /// seeing bar t, held over bar t + 1. Direction: bars in a position whose next bar moved its way, against the
    /// last return's sign as a forecast of the next one.
    /// </summary>
    public static ModelEvaluation EvaluatePolicy(CandleSeries series, int from, int to, Func<int, int> position, double feeBps, int seed)
    {
        var last = Math.Min(to, series.Count) - 2;
        if (last < from)
        {
            throw new ArgumentException("The test period has no bar with a bar after it.");
        }

        var fee = feeBps / 10_000;
        var positions = new List<int>();
        int inPosition = 0, right = 0, counted = 0, lastValueRight = 0;
        for (var t = from; t <= last; t++)
        {
            var held = position(t);
            positions.Add(held);
            var next = series.Return(t + 1);
            if (next == 0)
            {
                continue;
            }

            counted++;
            lastValueRight += Math.Sign(series.Return(t)) == Math.Sign(next) ? 1 : 0;
            if (held != 0)
            {
                inPosition++;
                right += Math.Sign(held) == Math.Sign(next) ? 1 : 0;
            }
        }

        var samples = last - from + 1;
        var (net, trades) = Trade(series, from, positions, fee);
        return new ModelEvaluation(
            series.Times[from], series.Times[last], samples,
            inPosition == 0 ? 0 : (double)right / inPosition, null, null, null,
            counted == 0 ? 0 : (double)lastValueRight / counted,
            net, BuyAndHold(series, from, samples, fee), RandomPolicy(series, from, samples, trades, fee, seed), trades, feeBps, 0);
    }

    /// <summary>Net log return of holding positions[i] over bar from + i + 1, paying the fee on every change (from flat).</summary>
    private static (double Net, int Trades) Trade(CandleSeries series, int from, IReadOnlyList<int> positions, double fee)
    {
        double net = 0;
        int trades = 0, previous = 0;
        for (var i = 0; i < positions.Count; i++)
        {
            trades += positions[i] != previous ? 1 : 0;
            net += positions[i] * series.Return(from + i + 1) - fee * Math.Abs(positions[i] - previous);
            previous = positions[i];
        }

        return (net, trades);
    }

    private static double BuyAndHold(CandleSeries series, int from, int samples, double fee) =>
        Enumerable.Range(from + 1, samples).Sum(series.Return) - fee;

    /// <summary>Mean net return of random positions in {−1, 0, 1} that change at <paramref name="trades"/> random bars.</summary>
    private static double RandomPolicy(CandleSeries series, int from, int samples, int trades, double fee, int seed)
    {
        var random = new Random(seed);
        var total = 0.0;
        for (var run = 0; run < RandomRuns; run++)
        {
            var changes = new HashSet<int>(Enumerable.Range(0, samples).OrderBy(_ => random.Next()).Take(trades));
            int position = 0;
            for (var i = 0; i < samples; i++)
            {
                if (changes.Contains(i))
                {
                    var next = position;
                    while (next == position)
                    {
                        next = random.Next(-1, 2);
                    }

                    total -= fee * Math.Abs(next - position);
                    position = next;
                }

                total += position * series.Return(from + i + 1);
            }
        }

        return total / RandomRuns;
    }

    private static double Square(double x) => x * x;
}
