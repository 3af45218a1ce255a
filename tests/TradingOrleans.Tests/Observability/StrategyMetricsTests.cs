using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Observability;

/// <summary>The strategy and pair metrics of a silo after two days of real bars, against what the grains report over their API.</summary>
public sealed class StrategyMetricsTests
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Fact]
    public async Task Strategy_weights_hit_rates_compute_times_and_pair_gauges_match_the_grains_after_a_replay()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: true, from: "2021-01-01T00:00:00Z", to: "2021-01-03T00:00:00Z", Symbols);
        await using var cluster = await TradingTestCluster.StartAsync(settings);
        using var readings = new MetricReadings(cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IMeterFactory>());

        await cluster.Replay.Completion.WaitAsync(TimeSpan.FromMinutes(3));
        await Task.WhenAll(Symbols.Select(s => cluster.Client.GetGrain<ISymbolGrain>(s).OrderPathSettled()));

        // Weight and hit rate: the aggregator's own figures for each voting strategy on each symbol.
        var weights = readings.Observe("trading.strategy.weight");
        var hitRates = readings.Observe("trading.strategy.hit_rate");
        foreach (var symbol in Symbols)
        {
            var performance = (await cluster.Client.GetGrain<ISignalAggregatorGrain>(symbol).GetSignals()).Performance!;
            // The two single-symbol strategies vote; the pair strategy holds baskets instead (no vote, no weight).
            Assert.Equal(["rsi-14", "sma-4h-1d"], performance.Select(p => p.StrategyId).Order());
            foreach (var strategy in performance)
            {
                Assert.Equal(strategy.EffectiveWeight, Single(weights, ("symbol", symbol), ("strategy", strategy.StrategyId)), 12);
                var hitRate = hitRates.Where(r => r.Tags["symbol"] == symbol && r.Tags["strategy"] == strategy.StrategyId).ToList();
                // No hit rate before a signal was judged.
                Assert.Equal(strategy.JudgedSignals > 0 ? [strategy.HitRate] : [], hitRate.Select(r => r.Value));
            }
        }

        // Runs and compute time: every strategy ran on every bar of its symbol (576 five-minute bars in two days), each
        // taking some time but far below a millisecond.
        var runs = readings.Observe("trading.strategy.runs");
        var compute = readings.Observe("trading.strategy.compute");
        foreach (var symbol in Symbols)
        {
            foreach (var strategy in new[] { "sma-4h-1d", "rsi-14" })
            {
                (string, string)[] tags = [("symbol", symbol), ("strategy", strategy)];
                Assert.Equal(576, Single(runs, tags));
                Assert.InRange(Single(compute, tags), 1e-7, 576 * 1e-3);
            }
        }

        // Pair gauges: the pair grain's own state for each pair strategy.
        var pairs = await cluster.Client.GetGrain<IPairGrain>("ETHUSDT|BTCUSDT").GetState();
        foreach (var pair in pairs)
        {
            (string, string)[] tags = [("pair", "ETHUSDT|BTCUSDT"), ("strategy", pair.StrategyId)];
            Assert.Equal(pair.HedgeRatio!.Value, Single(readings.Observe("trading.pair.hedge_ratio"), tags), 12);
            Assert.Equal(pair.SpreadZScore!.Value, Single(readings.Observe("trading.pair.zscore"), tags), 12);
            Assert.Equal((int)pair.SpreadPosition, Single(readings.Observe("trading.pair.spread_position"), tags));
        }

        var johansen = pairs.Single(p => p.StrategyId == "johansen-eth-btc").Cointegration!;
        (string, string)[] johansenTags = [("pair", "ETHUSDT|BTCUSDT"), ("strategy", "johansen-eth-btc")];
        Assert.Equal(johansen.TraceStatistic, Single(readings.Observe("trading.pair.trace_statistic"), johansenTags), 12);
        Assert.Equal(johansen.TraceCriticalValue, Single(readings.Observe("trading.pair.trace_critical_value"), johansenTags), 12);
        Assert.Equal(johansen.Cointegrated ? 1 : 0, Single(readings.Observe("trading.pair.cointegrated"), johansenTags));
        Assert.Equal(johansen.HalfLifeBars, readings.Observe("trading.pair.half_life_bars").SingleOrDefault(r => r.Tags["strategy"] == "johansen-eth-btc")?.Value);
    }

    private static double Single(IReadOnlyList<MetricReading> readings, params (string Key, string Value)[] tags) =>
        readings.Single(r => tags.All(t => r.Tags[t.Key] == t.Value)).Value;
}
