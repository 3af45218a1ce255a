using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Tests.Ml;

public sealed class RealisedCallErrorTests
{
    [Fact]
    public void Each_call_is_judged_by_the_return_over_its_horizon_and_flat_calls_and_flat_returns_are_not_judged()
    {
        var error = new RealisedCallError(horizonBars: 2, window: 3);
        // Bar:        0    1    2    3    4    5    6
        // Close:    100  100  110  100  100  120   90
        // Call:      +1   -1    0   +1   +1   -1   (none)
        // Judged at bar 2 (100→110: +1 right), bar 3 (100→100: not judged), bar 5 (100→120: +1 right), bar 6 (100→90: +1 wrong).
        double[] closes = [100, 100, 110, 100, 100, 120, 90];
        int?[] calls = [1, -1, 0, 1, 1, -1, null];
        var rates = new List<double?>();
        for (var t = 0; t < closes.Length; t++)
        {
            error.Bar(closes[t]);
            if (calls[t] is { } call)
            {
                error.Call(call);
            }

            rates.Add(error.Rate);
        }

        Assert.Equal(3, error.Judged);
        Assert.Equal([null, null, null, null, null, null, 1.0 / 3], rates);
    }

    [Fact]
    public void The_rate_is_over_the_latest_window_of_judged_calls()
    {
        var error = new RealisedCallError(horizonBars: 1, window: 4);
        // Always long; the price goes up four bars, then down twice: the last four judged are 2 right, 2 wrong.
        foreach (var close in new double[] { 1, 2, 3, 4, 5, 4, 3 })
        {
            error.Bar(close);
            error.Call(1);
        }

        Assert.Equal((6L, 0.5), (error.Judged, error.Rate));
    }
}
