using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>TWAP, VWAP and limit protection as pure schedules, with every quantity worked out.</summary>
public sealed class ExecutionAlgorithmTests
{
    private static readonly DateTimeOffset Start = new(2021, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static Candle Bar(decimal close, decimal volume) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Start, close, close, close, close, volume, Start);

    /// <summary>Runs an algorithm minute by minute, sending whatever is due; returns (minute, quantity) of each child.</summary>
    private static List<(int Minute, decimal Quantity)> Run(IExecutionAlgorithm algorithm, decimal total, int minutes, Func<int, Candle?>? bar = null, decimal step = 0.001m)
    {
        var children = new List<(int, decimal)>();
        var sent = 0m;
        for (var minute = 0; minute <= minutes && sent < total; minute++)
        {
            var slice = algorithm.Next(new ParentProgress(total, sent, Start, Start.AddMinutes(minute), 100m, bar?.Invoke(minute), new InstrumentRules("BTCUSDT", step)));
            if (slice.Quantity > 0)
            {
                children.Add((minute, slice.Quantity));
                sent += slice.Quantity;
            }
        }

        return children;
    }

    [Fact]
    public void Twap_sends_equal_slices_at_equal_intervals_that_sum_to_the_parent()
    {
        var children = Run(new TwapExecution(slices: 4, TimeSpan.FromMinutes(20)), 1.0m, minutes: 30);

        Assert.Equal([(0, 0.25m), (5, 0.25m), (10, 0.25m), (15, 0.25m)], children);
    }

    [Fact]
    public void Twap_rounds_slices_down_to_the_lot_and_the_last_takes_the_rest()
    {
        // 1.0 in 3 slices at a 0.001 lot: 0.333, 0.333 (cumulative 0.666 of 0.6666…), then 0.334.
        var children = Run(new TwapExecution(slices: 3, TimeSpan.FromMinutes(15)), 1.0m, minutes: 30);

        Assert.Equal([(0, 0.333m), (5, 0.333m), (10, 0.334m)], children);
    }

    [Fact]
    public void Randomised_twap_is_reproducible_within_its_bounds_and_exact_in_total()
    {
        var first = Run(new TwapExecution(10, TimeSpan.FromMinutes(50), randomization: 0.5, seed: 42), 2.0m, minutes: 60);
        var again = Run(new TwapExecution(10, TimeSpan.FromMinutes(50), randomization: 0.5, seed: 42), 2.0m, minutes: 60);
        var other = Run(new TwapExecution(10, TimeSpan.FromMinutes(50), randomization: 0.5, seed: 7), 2.0m, minutes: 60);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(2.0m, first.Sum(c => c.Quantity));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 5 * i), first.Select(c => c.Minute));

        // Weights in [0.5, 1.5] renormalised over 10 slices: each slice is within [0.5/1.5, 1.5/0.5] × 0.2 of the plain one.
        Assert.All(first, c => Assert.InRange(c.Quantity, 0.2m / 3, 0.2m * 3));
    }

    [Fact]
    public void Volume_profile_learned_from_real_bars_matches_an_independent_average()
    {
        var bars = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(288 * 14).ToList();

        var profile = VolumeProfile.Learn(bars, TimeSpan.FromMinutes(5));

        var means = bars.GroupBy(b => b.OpenTime.UtcDateTime.TimeOfDay)
            .OrderBy(g => g.Key)
            .Select(g => g.Average(b => (double)b.Volume))
            .ToArray();
        var total = means.Sum();
        Assert.Equal(288, profile.Shares.Count);
        Assert.All(Enumerable.Range(0, 288), i => Assert.Equal(means[i] / total, profile.Shares[i], 12));
        Assert.Equal(1.0, profile.Share(Start, Start.AddDays(1)), 12);

        // Half a bucket counts half: 10:00–10:02:30 is half of the 10:00 bucket.
        Assert.Equal(profile.Shares[120] / 2, profile.Share(Start, Start.AddMinutes(2.5)), 12);
    }

    [Fact]
    public void Vwap_follows_the_profile_and_carries_what_the_participation_cap_holds_back()
    {
        // Profile: the 10:00 bucket trades three times the 10:05 one over the 10-minute span → 75 % then 25 %.
        var profile = VolumeProfile.Learn(
            [Bar(1, 0) with { OpenTime = Start, Volume = 3 }, Bar(1, 0) with { OpenTime = Start.AddMinutes(5), Volume = 1 }],
            TimeSpan.FromMinutes(5));
        Assert.Equal(0.75, profile.Shares[120], 12);

        var uncapped = Run(new VwapExecution(profile, TimeSpan.FromMinutes(10), participationCap: 0), 4.0m, minutes: 12);
        // Minute m of the first bucket has reached 0.75 × m/5 of the span: 0, 0.6, 1.2, 1.8, 2.4, then 3.0 at 10:05 ...
        Assert.Equal(4.0m, uncapped.Sum(c => c.Quantity));
        Assert.Equal((1, 0.6m), uncapped[0]);
        Assert.Equal(3.0m, uncapped.TakeWhile(c => c.Minute <= 5).Sum(c => c.Quantity));

        // Cap 10 % of a 5-lot bar = 0.5 per child: held back while the profile runs ahead (targets 0.6, 1.2, … 3.2),
        // the backlog then drains as the profile slows (3.4, 3.6, 3.8, 4.0).
        var capped = Run(new VwapExecution(profile, TimeSpan.FromMinutes(10), participationCap: 0.1), 4.0m, minutes: 20, _ => Bar(100, 5));
        Assert.Equal([(1, 0.5m), (2, 0.5m), (3, 0.5m), (4, 0.5m), (5, 0.5m), (6, 0.5m), (7, 0.4m), (8, 0.2m), (9, 0.2m), (10, 0.2m)], capped);

        // Cap 5 % = 0.25 per child: the 4.0 needs 16 children and runs past the 10-minute span.
        var tight = Run(new VwapExecution(profile, TimeSpan.FromMinutes(10), participationCap: 0.05), 4.0m, minutes: 30, _ => Bar(100, 5));
        Assert.All(tight, c => Assert.Equal(0.25m, c.Quantity));
        Assert.Equal((16, 16), (tight.Count, tight[^1].Minute));
    }

    [Fact]
    public void Limit_protection_pauses_while_the_price_is_beyond_the_band()
    {
        var buying = new LimitPriceProtection(new ImmediateExecution(), maxAdverseBps: 50, buying: true);
        ParentProgress At(decimal close) => new(1m, 0m, Start, Start, 100m, Bar(close, 10), new InstrumentRules("BTCUSDT", 0.001m));

        Assert.Equal(0m, buying.Next(At(101m)).Quantity); // +100 bps against a buyer
        Assert.Contains("paused", buying.Next(At(101m)).Reason);
        Assert.Equal(1m, buying.Next(At(100.4m)).Quantity); // +40 bps: within 50
        Assert.Equal(1m, buying.Next(At(95m)).Quantity); // a lower price only helps a buyer
        Assert.Equal(0m, new LimitPriceProtection(new ImmediateExecution(), 50, buying: false).Next(At(99m)).Quantity); // −100 bps against a seller
    }

    [Fact]
    public void Profiles_can_be_limited_to_bars_before_a_date()
    {
        var until = new DateTimeOffset(2021, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var options = Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { VolumeProfileUntil = until });
        var algorithm = (VwapExecution)new ExecutionAlgorithms(options).Build(
            new TradingOrleans.Grains.Interfaces.Execution.ExecutionInstruction("vwap", TimeSpan.FromMinutes(10)), "BTCUSDT",
            TradingOrleans.Grains.Interfaces.Execution.OrderSide.Buy, seed: 0);

        // The first two days only: the same profile as learned by hand from those bars.
        var twoDays = CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).TakeWhile(b => b.OpenTime < until);
        var expected = VolumeProfile.Learn(twoDays, TimeSpan.FromMinutes(5));
        var start = new DateTimeOffset(2021, 2, 1, 10, 0, 0, TimeSpan.Zero);
        var progress = new ParentProgress(1m, 0m, start, start.AddMinutes(5), 100m, null, new InstrumentRules("BTCUSDT", 0.000001m));
        var reached = expected.Share(start, start.AddMinutes(5)) / expected.Share(start, start.AddMinutes(10));
        Assert.Equal(Math.Floor((decimal)reached / 0.000001m) * 0.000001m, algorithm.Next(progress).Quantity);
    }
}
