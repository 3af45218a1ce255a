using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Quant;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Strategies;

public sealed class JohansenPairModelTests
{
    private static readonly DateTimeOffset Start = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>ln B is a random walk; ln A = 0.2 + 1.5 ln B + AR(1) noise (φ = 0.5): cointegrated with β = 1.5.</summary>
    private static List<(double A, double B)> CointegratedPrices(int count, int seed)
    {
        var random = new Random(seed);
        var (logB, noise) = (Math.Log(100), 0.0);
        var prices = new List<(double, double)>(count);
        for (var i = 0; i < count; i++)
        {
            logB += 0.01 * Normal(random);
            noise = 0.5 * noise + 0.002 * Normal(random);
            prices.Add((Math.Exp(0.2 + 1.5 * logB + noise), Math.Exp(logB)));
        }

        return prices;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static (JohansenPairModel Model, PairSpreadUpdate Last, double LastB) Warm(List<(double A, double B)> prices, int window = 300, int retestEvery = 1000)
    {
        var model = new JohansenPairModel(window, retestEvery, entryZ: 2, exitZ: 0.5, stopZ: 4);
        PairSpreadUpdate? last = null;
        for (var i = 0; i < prices.Count; i++)
        {
            last = model.Update(prices[i].A, prices[i].B, Start.AddMinutes(5 * i)) ?? last;
        }

        return (model, last!, prices[^1].B);
    }

    [Fact]
    public void Cointegrated_pair_is_detected_with_the_generating_hedge_ratio()
    {
        var (model, last, _) = Warm(CointegratedPrices(300, seed: 3));

        var test = model.LastTest!;
        Assert.True(test.Cointegrated);
        Assert.Equal(300, test.WindowBars);
        Assert.Equal(Start.AddMinutes(5 * 299), test.TestedAt);
        Assert.InRange(test.HedgeRatio, 1.45, 1.55);
        Assert.True(test.TraceStatistic > test.TraceCriticalValue);
        Assert.Equal(15.4943, test.TraceCriticalValue);
        Assert.InRange(test.HalfLifeBars!.Value, 0.5, 3); // AR(1) with φ = 0.5 has a half-life of 1 bar.
        Assert.Equal(test.HedgeRatio, last.HedgeRatio);
    }

    [Fact]
    public void Hedge_ratio_is_the_first_johansen_vector_of_the_window()
    {
        var prices = CointegratedPrices(300, seed: 5);
        var (model, _, _) = Warm(prices);

        var direct = JohansenTest.Run(
            [prices.Select(p => Math.Log(p.A)).ToArray(), prices.Select(p => Math.Log(p.B)).ToArray()], DeterministicTerm.Constant, 1);

        Assert.Equal(-direct.Eigenvectors[0][1] / direct.Eigenvectors[0][0], model.LastTest!.HedgeRatio, 12);
        Assert.Equal(direct.Tests[0].TraceStatistic, model.LastTest.TraceStatistic, 12);
    }

    [Fact]
    public void Spread_entry_strength_exit_and_stop_follow_the_z_score()
    {
        var prices = CointegratedPrices(300, seed: 3);
        var (model, _, lastB) = Warm(prices);
        var test = model.LastTest!;
        double PriceAAtZ(double z) => Math.Exp(test.SpreadMean + z * test.SpreadStandardDeviation + test.HedgeRatio * Math.Log(lastB));
        var time = Start.AddDays(10);

        var rich = model.Update(PriceAAtZ(3), lastB, time)!;
        Assert.Equal(SignalDirection.Short, rich.SpreadPosition);
        Assert.Equal(3, rich.ZScore, 6);
        Assert.Equal(0.75, rich.Strength, 6); // |z| / stop = 3 / 4
        Assert.Contains("short spread", rich.Reason);

        var converging = model.Update(PriceAAtZ(1), lastB, time)!;
        Assert.Equal(SignalDirection.Short, converging.SpreadPosition);
        Assert.Equal(0.25, converging.Strength, 6);

        Assert.Equal(SignalDirection.Flat, model.Update(PriceAAtZ(0.2), lastB, time)!.SpreadPosition);
        Assert.Equal(SignalDirection.Long, model.Update(PriceAAtZ(-2.5), lastB, time)!.SpreadPosition);

        var stopped = model.Update(PriceAAtZ(-4.5), lastB, time)!;
        Assert.Equal(SignalDirection.Flat, stopped.SpreadPosition);
        Assert.Contains("stop", stopped.Reason);
        Assert.Equal(SignalDirection.Flat, model.Update(PriceAAtZ(-3), lastB, time)!.SpreadPosition); // no re-entry yet
        Assert.Equal(SignalDirection.Flat, model.Update(PriceAAtZ(-1), lastB, time)!.SpreadPosition); // back inside entry
        Assert.Equal(SignalDirection.Long, model.Update(PriceAAtZ(-2.5), lastB, time)!.SpreadPosition); // may enter again
    }

    [Fact]
    public void Independent_random_walks_are_not_traded()
    {
        var random = new Random(9);
        var (logA, logB) = (Math.Log(50), Math.Log(100));
        var model = new JohansenPairModel(window: 300, retestEvery: 25);
        var positions = new List<SignalDirection>();
        var tests = new HashSet<DateTimeOffset>();
        for (var i = 0; i < 1_000; i++)
        {
            logA += 0.01 * Normal(random);
            logB += 0.01 * Normal(random);
            if (model.Update(Math.Exp(logA), Math.Exp(logB), Start.AddMinutes(5 * i)) is { } update)
            {
                positions.Add(update.SpreadPosition);
                tests.Add(update.Cointegration!.TestedAt);
            }
        }

        Assert.Equal(701, positions.Count);
        Assert.Equal(29, tests.Count); // at the first full window, then every 25 bars: 1 + 700 / 25
        Assert.True(positions.Count(p => p == SignalDirection.Flat) > 650);
    }

    [Fact]
    public void Invalid_thresholds_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new JohansenPairModel(entryZ: 2, exitZ: 0.5, stopZ: 1.5));
        Assert.Throws<ArgumentException>(() => new JohansenPairModel(entryZ: 2, exitZ: 2.5, stopZ: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JohansenPairModel(window: 10));
    }
}
