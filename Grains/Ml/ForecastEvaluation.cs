namespace TradingOrleans.Grains.Ml;

/// <summary>
/// How a forecaster did on bars it never trained on, against naive baselines (all returns are log returns).
/// </summary>
/// <param name="DirectionalAccuracy">Share of bars where the sign of the forecast five-bar return matched the realised one (bars with a zero realised return left out).</param>
/// <param name="Mse">Mean squared error of the five one-bar forecasts.</param>
/// <param name="ZeroForecastMse">The same for the forecast "every return is zero".</param>
/// <param name="LastValueMse">The same for "every next return equals the last one".</param>
/// <param name="LastValueDirectionalAccuracy">Directional accuracy of the last one-bar return's sign.</param>
/// <param name="NetReturn">Trading the forecast — long above the threshold, short below its negative, flat between, one bar at a time — after fees on every position change.</param>
/// <param name="BuyAndHoldReturn">Holding the symbol over the same bars, after one entry fee.</param>
/// <param name="RandomPolicyReturn">Mean over seeded runs of random positions changing as often as the model's.</param>
/// <param name="Trades">Position changes the model's policy made.</param>
public sealed record ModelEvaluation(
    DateTimeOffset From,
    DateTimeOffset To,
    int Samples,
    double DirectionalAccuracy,
    double Mse,
    double ZeroForecastMse,
    double LastValueMse,
    double LastValueDirectionalAccuracy,
    double NetReturn,
    double BuyAndHoldReturn,
    double RandomPolicyReturn,
    int Trades,
    double FeeBps,
    double ThresholdBps)
{
    /// <summary>Said plainly: does the model beat every naive baseline on this period?</summary>
    public string Verdict =>
        (DirectionalAccuracy > LastValueDirectionalAccuracy && DirectionalAccuracy > 0.5, Mse < ZeroForecastMse, NetReturn > Math.Max(BuyAndHoldReturn, RandomPolicyReturn)) switch
        {
            (true, true, true) => "beats the baselines on direction, error and net PnL",
            var (direction, error, pnl) => "does not beat the baselines: " + string.Join(", ", new[]
            {
                direction ? null : "direction no better than chance or the last return",
                error ? null : "error no lower than forecasting zero",
                pnl ? null : "net PnL below buy-and-hold or random trading",
            }.Where(s => s is not null)),
        };
}

/// <summary>Walk-forward evaluation: forecasts made bar by bar over a test period that follows the training period.</summary>
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
        double squaredError = 0, zeroError = 0, lastValueError = 0, net = 0;
        int counted = 0, rightDirection = 0, lastValueRight = 0, trades = 0, position = 0;
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

            var target = expected > threshold ? 1 : expected < -threshold ? -1 : 0;
            trades += target != position ? 1 : 0;
            net += target * actual[0] - fee * Math.Abs(target - position);
            position = target;
            positions.Add(position);
        }

        var samples = last - from + 1;
        var buyAndHold = Enumerable.Range(from + 1, samples).Sum(series.Return) - fee;
        return new ModelEvaluation(
            series.Times[from], series.Times[last], samples,
            counted == 0 ? 0 : (double)rightDirection / counted,
            squaredError / (samples * horizon), zeroError / (samples * horizon), lastValueError / (samples * horizon),
            counted == 0 ? 0 : (double)lastValueRight / counted,
            net, buyAndHold, RandomPolicy(series, from, samples, trades, fee, seed), trades, feeBps, thresholdBps);
    }

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
