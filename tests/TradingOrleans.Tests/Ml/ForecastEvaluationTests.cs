using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Ml;

/// <summary>The walk-forward evaluation on price paths whose every figure can be worked out by hand.</summary>
public sealed class ForecastEvaluationTests
{
    private static CandleSeries Path(Func<int, double> close, int bars) => CandleSeries.From([.. Enumerable.Range(0, bars).Select(i =>
    {
        var c = (decimal)close(i);
        return new Candle("X", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * i), c, c, c, c, 1m, Bars.Start);
    })]);

    [Fact]
    public void A_steady_one_percent_climb_forecast_at_one_percent_a_bar()
    {
        // Every one-bar log return is r = ln 1.01; the model forecasts 0.01 for each of the next five bars.
        var series = Path(i => 100 * Math.Pow(1.01, i), 60);
        var r = Math.Log(1.01);

        var e = ForecastEvaluation.Evaluate(series, 10, 50, _ => [0.01, 0.01, 0.01, 0.01, 0.01], feeBps: 10, thresholdBps: 20, seed: 1);

        // Bars 10 … 44 have five bars after them within the first 50: 35 samples.
        Assert.Equal(35, e.Samples);
        Assert.Equal(1.0, e.DirectionalAccuracy);
        Assert.Equal(1.0, e.LastValueDirectionalAccuracy);
        Assert.Equal((0.01 - r) * (0.01 - r), e.Mse!.Value, 15);
        Assert.Equal(r * r, e.ZeroForecastMse!.Value, 15);
        Assert.Equal(0, e.LastValueMse!.Value, 15);

        // Long from the first bar (Σ 0.05 > 20 bps): 35 bars of r, one 10 bps entry — the same as buying and holding.
        Assert.Equal(1, e.Trades);
        Assert.Equal(35 * r - 0.001, e.NetReturn, 12);
        Assert.Equal(35 * r - 0.001, e.BuyAndHoldReturn, 12);
        Assert.Contains("does not beat the baselines", e.Verdict); // ties buy-and-hold and the last return
    }

    [Fact]
    public void A_forecast_below_the_threshold_stays_flat_and_pays_nothing()
    {
        var series = Path(i => 100 * Math.Pow(1.01, i), 60);

        var e = ForecastEvaluation.Evaluate(series, 10, 50, _ => [0.0003, 0.0003, 0.0003, 0.0003, 0.0003], feeBps: 10, thresholdBps: 20, seed: 1);

        // Σ = 15 bps < 20 bps: never a position, so no fee and no return; a random policy with no changes is flat too.
        Assert.Equal((0, 0.0, 0.0), (e.Trades, e.NetReturn, e.RandomPolicyReturn));
    }

    [Fact]
    public void A_zigzag_traded_with_perfect_foresight_beats_every_baseline()
    {
        // Closes 100, 110, 100, 110, …: returns alternate ±ln 1.1; the forecast knows the next five exactly.
        var series = Path(i => i % 2 == 0 ? 100 : 110, 80);
        var step = Math.Log(1.1);

        var e = ForecastEvaluation.Evaluate(series, 20, 70, t => series.ReturnsAfter(t, 5), feeBps: 10, thresholdBps: 0, seed: 3);

        // The five-bar sum is ±ln 1.1 (three of one sign, two of the other); its sign is the next bar's sign, so the
        // policy flips every bar and earns ln 1.1 each bar, paying 10 bps on the first entry and 20 bps on every flip.
        Assert.Equal(45, e.Samples);
        Assert.Equal(1.0, e.DirectionalAccuracy);
        Assert.Equal(0.0, e.LastValueDirectionalAccuracy);
        Assert.Equal(0, e.Mse!.Value, 15);
        Assert.Equal(45, e.Trades);
        Assert.Equal(45 * step - 0.001 - 44 * 0.002, e.NetReturn, 12);
        Assert.Equal(step - 0.001, e.BuyAndHoldReturn, 12); // 23 up bars, 22 down
        Assert.Equal("beats the baselines on direction, error and net PnL", e.Verdict);
    }
}
