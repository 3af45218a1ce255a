using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Strategies;

public sealed class PairSpreadModelTests
{
    private const double TrueHedgeRatio = 1.5;
    private const double TrueIntercept = 0.2;

    /// <summary>ln B is a random walk; ln A = α + β ln B + noise: a cointegrated pair with known β.</summary>
    private static List<(double A, double B)> CointegratedPrices(int count, int seed)
    {
        var random = new Random(seed);
        var logB = Math.Log(100);
        var prices = new List<(double, double)>(count);
        for (var i = 0; i < count; i++)
        {
            logB += 0.01 * Normal(random);
            var logA = TrueIntercept + TrueHedgeRatio * logB + 0.002 * Normal(random);
            prices.Add((Math.Exp(logA), Math.Exp(logB)));
        }

        return prices;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Hedge_ratio_converges_to_the_generating_beta()
    {
        var model = new PairSpreadModel(window: 300);
        PairSpreadUpdate? last = null;
        foreach (var (a, b) in CointegratedPrices(1_000, seed: 42))
        {
            last = model.Update(a, b, DateTimeOffset.UnixEpoch) ?? last;
        }

        Assert.NotNull(last);
        Assert.InRange(last.HedgeRatio, TrueHedgeRatio - 0.05, TrueHedgeRatio + 0.05);
    }

    [Fact]
    public void Not_ready_until_the_window_is_full()
    {
        var model = new PairSpreadModel(window: 50);
        var updates = CointegratedPrices(50, seed: 1).Select(p => model.Update(p.A, p.B, DateTimeOffset.UnixEpoch)).ToList();

        Assert.All(updates.Take(49), Assert.Null);
        Assert.NotNull(updates[49]);
    }

    [Fact]
    public void A_rich_leg_A_opens_a_short_spread_and_the_return_to_the_line_closes_it()
    {
        var model = new PairSpreadModel(window: 200, entryZ: 2.0, exitZ: 0.5);
        var prices = CointegratedPrices(300, seed: 3);
        foreach (var (a, b) in prices)
        {
            model.Update(a, b, DateTimeOffset.UnixEpoch);
        }

        var (_, lastB) = prices[^1];
        var fairA = Math.Exp(TrueIntercept + TrueHedgeRatio * Math.Log(lastB));

        // Leg A 3% above its fair value is ~15 noise standard deviations rich.
        var rich = model.Update(fairA * 1.03, lastB, DateTimeOffset.UnixEpoch)!;
        Assert.True(rich.ZScore > 2.0, $"z = {rich.ZScore}");
        Assert.Equal(SignalDirection.Short, rich.SpreadPosition);

        // Between the levels the position is held.
        var held = model.Update(fairA * Math.Exp(0.003 * 1.5), lastB, DateTimeOffset.UnixEpoch)!;
        Assert.InRange(held.ZScore, 0.5, 2.0);
        Assert.Equal(SignalDirection.Short, held.SpreadPosition);

        var back = model.Update(fairA, lastB, DateTimeOffset.UnixEpoch)!;
        Assert.True(Math.Abs(back.ZScore) < 0.5, $"z = {back.ZScore}");
        Assert.Equal(SignalDirection.Flat, back.SpreadPosition);

        var cheap = model.Update(fairA * 0.97, lastB, DateTimeOffset.UnixEpoch)!;
        Assert.Equal(SignalDirection.Long, cheap.SpreadPosition);
    }

    [Fact]
    public void Exit_level_must_be_below_entry()
    {
        Assert.Throws<ArgumentException>(() => new PairSpreadModel(100, entryZ: 1.0, exitZ: 1.0));
    }
}
