using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Strategies;

/// <summary>A strategy that throws or overruns its time budget hurts only itself, and is quarantined until reinstated.</summary>
public sealed class StrategyIsolationTests
{
    private static readonly StrategyIsolationOptions Isolation = new() { TimeBudget = TimeSpan.FromMilliseconds(100), FailuresBeforeQuarantine = 3, FailureWindowBars = 10 };

    private static readonly StrategyConfig FastSma = TestStrategies.FastSma;

    /// <summary>A strategy whose every bar the test scripts (bar numbers count from 1).</summary>
    private sealed class ScriptedStrategy(string id, string symbol, Func<int, Candle, Signal?> onBar) : IStrategy
    {
        private int _bars;

        public string StrategyId => id;

        public string Symbol => symbol;

        public bool IsReady => true;

        public Signal? OnCandle(Candle candle) => onBar(++_bars, candle);
    }

    /// <summary>The catalog's strategies, except that ids starting "faulty-" get the scripted behaviour.</summary>
    private sealed class FaultInjectingFactory(Func<int, Candle, Signal?> faulty) : IStrategyFactory
    {
        public IStrategy CreateSingleSymbol(StrategyConfig config, string symbol) =>
            config.Id.StartsWith("faulty-", StringComparison.Ordinal)
                ? new ScriptedStrategy(config.Id, symbol, faulty)
                : StrategyCatalog.CreateSingleSymbol(config, symbol, new ModelStore(Path.GetTempPath()));
    }

    private static Signal Long(string id, Candle candle) => new(id, candle.Symbol, SignalDirection.Long, 1, candle.Close, "scripted", candle.CloseTime, candle.IngestedAt);

    private static StrategyConfig Faulty(string id) => new(id, "sma-crossover", ["BTCUSDT"], new Dictionary<string, double>());

    [Fact]
    public async Task An_exception_is_caught_and_the_third_within_the_window_quarantines_naming_it()
    {
        var time = new FakeTimeProvider();
        var strategy = new IsolatedStrategy(Faulty("faulty-a"),
            new ScriptedStrategy("faulty-a", "BTCUSDT", (bar, _) => bar % 2 == 0 ? throw new InvalidOperationException($"bad bar {bar}") : null),
            Isolation, time, TestMetrics.Create());
        var bars = Bars.FromCloses("BTCUSDT", 1, 2, 3, 4, 5, 6);

        var quarantinedAt = new List<int>();
        for (var i = 0; i < bars.Count; i++)
        {
            var run = await strategy.Start(bars[i]);
            if (run.Failure is { } failure && strategy.RecordFailure(failure))
            {
                quarantinedAt.Add(i + 1);
            }
        }

        Assert.Equal([6], quarantinedAt);
        var health = strategy.Health("BTCUSDT");
        Assert.Equal((true, 3, 3L), (health.Quarantined, health.RecentFailures, health.TotalFailures));
        Assert.Contains("threw InvalidOperationException on the bar closing at 2021-01-01T00:30:00.0000000+00:00: bad bar 6", health.QuarantineReason);
        Assert.StartsWith("3 failures within 10 bars", health.QuarantineReason);
    }

    [Fact]
    public async Task Failures_further_apart_than_the_window_never_quarantine()
    {
        var strategy = new IsolatedStrategy(Faulty("faulty-a"),
            new ScriptedStrategy("faulty-a", "BTCUSDT", (bar, _) => bar % 5 == 0 ? throw new InvalidOperationException() : null),
            Isolation, new FakeTimeProvider(), TestMetrics.Create());

        var quarantined = false;
        foreach (var bar in Bars.FromCloses("BTCUSDT", [.. Enumerable.Range(1, 60).Select(i => (decimal)i)]))
        {
            quarantined |= (await strategy.Start(bar)).Failure is { } failure && strategy.RecordFailure(failure);
        }

        // A failure every 5th bar is 2 in any 10 bars: below the 3 that quarantine.
        Assert.False(quarantined);
        Assert.Equal((12L, 2), (strategy.TotalFailures, strategy.Health("BTCUSDT").RecentFailures));
    }

    [Fact]
    public async Task A_run_over_the_budget_on_the_turn_drops_its_signal_and_moves_the_strategy_off_the_turn()
    {
        var time = new FakeTimeProvider();
        var strategy = new IsolatedStrategy(Faulty("faulty-slow"),
            new ScriptedStrategy("faulty-slow", "BTCUSDT", (_, candle) =>
            {
                time.Advance(TimeSpan.FromMilliseconds(150));
                return Long("faulty-slow", candle);
            }),
            Isolation, time, TestMetrics.Create());
        Assert.False(strategy.RunsOffTurn);

        var run = await strategy.Start(Bars.FromCloses("BTCUSDT", 100)[0]);

        Assert.Null(run.Signal);
        Assert.Equal(IsolatedStrategy.OverBudgetFailure, run.Failure!.Kind);
        Assert.StartsWith("took 150 ms of its 100 ms budget", run.Failure.Problem);
        Assert.True(strategy.RunsOffTurn);
    }

    [Fact]
    public async Task A_strategy_that_throws_is_quarantined_and_its_vote_withdrawn_while_its_neighbour_trades_on()
    {
        var throwing = false;
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()),
            services: s => s.AddSingleton<IStrategyFactory>(new FaultInjectingFactory((_, candle) =>
                Volatile.Read(ref throwing) ? throw new InvalidOperationException("model file corrupt") : Long("faulty-boom", candle))));
        var symbol = cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT");
        await symbol.Configure([FastSma, Faulty("faulty-boom")], []);
        var bars = Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200, 30_300, 30_400, 30_500, 30_600, 30_700, 30_800);

        await Feed(cluster, bars.Take(2));
        var aggregator = cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT");
        Assert.Contains((await aggregator.GetSignals()).Latest, s => s.StrategyId == "faulty-boom");
        Volatile.Write(ref throwing, true);
        await Feed(cluster, bars.Skip(2).Take(6));

        var health = Assert.Single(await symbol.GetStrategyHealth(), h => h.StrategyId == "faulty-boom");
        Assert.True(health.Quarantined);
        Assert.Contains("model file corrupt", health.QuarantineReason);
        Assert.Equal(3L, health.TotalFailures); // quarantined after its third failure: it got no bars after that
        var latest = Assert.Single((await aggregator.GetSignals()).Latest);
        Assert.Equal(("sma-test", bars[7].CloseTime), (latest.StrategyId, latest.MarketTime));

        // Reinstated once fixed, a fresh instance votes again from the next bar.
        Volatile.Write(ref throwing, false);
        Assert.True(await symbol.Reinstate("faulty-boom"));
        Assert.False(Assert.Single(await symbol.GetStrategyHealth(), h => h.StrategyId == "faulty-boom").Quarantined);
        await Feed(cluster, bars.Skip(8));
        Assert.Contains((await aggregator.GetSignals()).Latest, s => s.StrategyId == "faulty-boom");
        Assert.False(await symbol.Reinstate("faulty-boom"));
    }

    [Fact]
    public async Task A_quarantine_survives_a_restart_of_the_silo()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        Action<IServiceCollection> faults = s => s.AddSingleton<IStrategyFactory>(new FaultInjectingFactory((_, _) => throw new InvalidOperationException("always")));
        await using (var cluster = await TradingTestCluster.StartAsync(settings, services: faults))
        {
            await cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT").Configure([Faulty("faulty-always")], []);
            await Feed(cluster, Bars.FromCloses("BTCUSDT", 1, 2, 3));
        }

        await using var restarted = await TradingTestCluster.StartAsync(settings, services: faults);
        var health = Assert.Single(await restarted.Client.GetGrain<ISymbolGrain>("BTCUSDT").GetStrategyHealth());
        Assert.True(health.Quarantined);
        Assert.Contains("threw InvalidOperationException", health.QuarantineReason);
    }

    [Fact]
    public async Task A_strategy_that_sleeps_costs_the_symbol_at_most_its_budget_and_is_quarantined()
    {
        var settings = TestSettings.Quiet(TestSettings.NewDatabasePath());
        // A budget well above what the SMA takes even on its first, JIT-compiled run in a busy test process (50 ms was not:
        // the whole suite once pushed it over), and a sleeper far above the budget.
        settings["Trading:Strategies:Isolation:TimeBudget"] = "00:00:00.200";
        var finishedRuns = 0;
        await using var cluster = await TradingTestCluster.StartAsync(settings,
            services: s => s.AddSingleton<IStrategyFactory>(new FaultInjectingFactory((_, candle) =>
            {
                Thread.Sleep(1_000);
                Interlocked.Increment(ref finishedRuns);
                return Long("faulty-sleeper", candle);
            })));
        var symbol = cluster.Client.GetGrain<ISymbolGrain>("BTCUSDT");
        await symbol.Configure([FastSma, Faulty("faulty-sleeper")], []);
        var bars = Bars.FromCloses("BTCUSDT", 30_000, 30_100, 30_200, 30_300, 30_400, 30_500);

        await Feed(cluster, bars);

        // Bar 1 ran on the turn and overran; bars 2 and 3 ran off it and were not waited for past the budget: the
        // symbol took all six bars before the sleeper finished its third (1 s each, one after the other).
        Assert.InRange(Volatile.Read(ref finishedRuns), 1, 2);
        var health = Assert.Single(await symbol.GetStrategyHealth(), h => h.StrategyId == "faulty-sleeper");
        Assert.True(health.Quarantined);
        Assert.True(health.RunsOffTurn);
        Assert.Contains("gave no signal within its 200 ms budget", health.QuarantineReason);
        var signals = (await cluster.Client.GetGrain<ISignalAggregatorGrain>("BTCUSDT").GetSignals()).Latest;
        var latest = Assert.Single(signals);
        Assert.Equal(("sma-test", bars[^1].CloseTime), (latest.StrategyId, latest.MarketTime));
    }

    [Fact]
    public async Task The_api_shows_a_quarantine_with_its_reason_and_a_trader_reinstates_the_strategy()
    {
        var throwing = true;
        await using var factory = new TradingApiFactory(TestSettings.Quiet(TestSettings.NewDatabasePath()));
        await using var withFaults = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStrategyFactory>(
            new FaultInjectingFactory((_, _) => Volatile.Read(ref throwing) ? throw new ArithmeticException("NaN weights") : null))));
        using var trader = CreateClient(withFaults, ApiRole.Trader);
        var created = await trader.PostAsJsonAsync("/api/v1/strategies", new { id = "faulty-nan", type = "sma-crossover", symbols = new[] { "BTCUSDT" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var grains = withFaults.Services.GetRequiredService<IGrainFactory>();

        await BarFeed.Feed(grains, Bars.FromCloses("BTCUSDT", 1, 2, 3));

        var state = await trader.GetFromJsonAsync<JsonElement>("/api/v1/strategies/faulty-nan/state");
        var health = Assert.Single(state.GetProperty("health").EnumerateArray());
        Assert.True(health.GetProperty("quarantined").GetBoolean());
        Assert.Contains("ArithmeticException", health.GetProperty("quarantineReason").GetString());
        using var admin = CreateClient(withFaults, ApiRole.Admin);
        var audit = await Eventually.Returns(() => admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?type=strategy-quarantine"),
            events => events.GetArrayLength() > 0, what: "the quarantine's audit event");
        Assert.StartsWith("quarantined: 3 failures", Assert.Single(audit.EnumerateArray()).GetProperty("summary").GetString());

        using var viewer = CreateClient(withFaults, ApiRole.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/strategies/faulty-nan/reinstate", null)).StatusCode);
        Volatile.Write(ref throwing, false);
        var reinstated = await trader.PostAsync("/api/v1/strategies/faulty-nan/reinstate", null);
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.False(Assert.Single((await reinstated.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()).GetProperty("quarantined").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await trader.PostAsync("/api/v1/strategies/faulty-nan/reinstate", null)).StatusCode);
    }

    private static HttpClient CreateClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, ApiRole role)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TradingApiFactory.KeyFor(role));
        return client;
    }

    private static Task Feed(TradingTestCluster cluster, IEnumerable<Candle> bars) => BarFeed.Feed(cluster.Client, bars);
}
