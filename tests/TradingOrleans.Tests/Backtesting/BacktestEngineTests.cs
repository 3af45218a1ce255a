using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

public sealed class BacktestEngineTests
{
    private static readonly DateTimeOffset March1 = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IConfiguration Installation = new ConfigurationBuilder().Build();

    private static HistoricalData RepoData => new("data/binance-usdt-2021-5m");

    /// <summary>The default strategies (SMA crossover, RSI, the Johansen pair) on BTC and ETH over three days of March 2021.</summary>
    private static BacktestSpec ThreeDays() => new(DefaultStrategies.For(["BTCUSDT", "ETHUSDT"]), March1, March1.AddDays(3), []);

    private static Task<BacktestRecording> Run(BacktestSpec spec, Action<IServiceCollection>? services = null) =>
        BacktestEngine.RunAsync(spec, Installation, RepoData, AuditPath(), progress: null, CancellationToken.None, services: services);

    private static string AuditPath() => Path.Combine(Path.GetDirectoryName(TestSettings.NewDatabasePath())!, "audit.jsonl");

    [Fact]
    public async Task A_backtest_trades_the_strategies_on_history_filling_each_order_at_the_next_bars_open()
    {
        var spec = ThreeDays();
        Assert.Empty(spec.Validate(RepoData, "USDT", new ModelStore("models")));

        var run = await Run(spec);

        Assert.Equal(2 * 3 * 288, run.Bars);
        Assert.Equal(3 * 288, run.Equity.Count);
        Assert.Equal(March1.AddMinutes(5), run.Equity[0].Time);
        Assert.True(run.Fills.Count > 20, $"only {run.Fills.Count} fills");
        var opens = new[] { "BTCUSDT", "ETHUSDT" }
            .SelectMany(s => CandleCsvReader.Read(RepoData.File(s)!, TimeSpan.FromMinutes(5), (_, _) => { }))
            .ToDictionary(c => (c.Symbol, c.OpenTime), c => c.Open);
        Assert.All(run.Fills, fill =>
        {
            // The open of the bar the fill is stamped at, 2 bps worse: never the close of the bar whose signal sent it.
            var open = opens[(fill.Symbol, fill.Time)];
            Assert.Equal(decimal.Round(open * (fill.Side == OrderSide.Buy ? 1.0002m : 0.9998m), 8), fill.Price);
        });
        // Every target a strategy voted for is attributed to one; a pair strategy is attributed its own baskets (both
        // legs, one trade each), whose fills are among the run's.
        Assert.Equal(spec.Strategies.Select(s => s.Id), run.Attribution.Select(a => a.StrategyId));
        var pairs = run.Attribution.Single(a => a.StrategyId == "johansen-eth-btc");
        Assert.True(pairs.Trades > 0);
        var pairFills = run.Fills.Where(f => f.OrderId.StartsWith("johansen-eth-btc-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["BTCUSDT", "ETHUSDT"], pairFills.Select(f => f.Symbol).Distinct().Order());
        Assert.Equal(pairFills.Sum(f => f.Fee), pairs.Fees);
    }

    [Fact]
    public async Task With_ioc_limit_orders_a_backtest_fills_only_on_bars_that_trade_through_the_limit_and_never_worse_than_it()
    {
        // Each order's limit: 5 bps better than the close it was decided on (a buy's below it), valid for the next bar only.
        var spec = ThreeDays() with
        {
            Settings = new Dictionary<string, string>
            {
                ["Trading:Execution:DefaultOrderType"] = "Limit",
                ["Trading:Execution:DefaultLimitOffsetBps"] = "5",
                ["Trading:Execution:DefaultTimeInForce"] = "Ioc",
            },
        };

        var run = await Run(spec);

        var bars = new[] { "BTCUSDT", "ETHUSDT" }
            .SelectMany(s => CandleCsvReader.Read(RepoData.File(s)!, TimeSpan.FromMinutes(5), (_, _) => { }))
            .ToDictionary(c => (c.Symbol, c.OpenTime));
        Assert.True(run.Fills.Count > 10, $"only {run.Fills.Count} fills");
        var atTheLimit = 0;
        // A pair basket's legs are immediate market orders whatever the default (the spread needs both legs filled):
        // they fill at the slipped open like any market order.
        var (basketFills, limitFills) = (run.Fills.Where(IsBasket).ToList(), run.Fills.Where(f => !IsBasket(f)).ToList());
        Assert.NotEmpty(basketFills);
        Assert.All(basketFills, fill => Assert.Equal(
            decimal.Round(bars[(fill.Symbol, fill.Time)].Open * (fill.Side == OrderSide.Buy ? 1.0002m : 0.9998m), 8), fill.Price));
        Assert.All(limitFills, fill =>
        {
            var decided = bars[(fill.Symbol, fill.Time - TimeSpan.FromMinutes(5))].Close;
            var bar = bars[(fill.Symbol, fill.Time)];
            var buying = fill.Side == OrderSide.Buy;
            var limit = decimal.Round(decided * (buying ? 0.9995m : 1.0005m), 8);
            var openSlipped = decimal.Round(bar.Open * (buying ? 1.0002m : 0.9998m), 8);
            Assert.True(buying ? bar.Low < limit : bar.High > limit, $"{fill.Symbol} {fill.Side} at {fill.Time}: the bar never traded through {limit}");
            Assert.Equal(buying ? Math.Min(openSlipped, limit) : Math.Max(openSlipped, limit), fill.Price);
            atTheLimit += fill.Price == limit ? 1 : 0;
        });
        // Most bars open near the close before them, above a buy's limit: those that dipped through it fill at the limit.
        Assert.True(atTheLimit > limitFills.Count / 2, $"{atTheLimit} of {limitFills.Count} fills at their limit");

        static bool IsBasket(BacktestFill fill) => fill.OrderId.StartsWith("johansen-eth-btc-", StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_passive_twap_a_backtest_rests_slices_at_the_close_and_fills_them_only_on_bars_that_trade_through()
    {
        // Each order from a signal in three slices of five minutes, each resting post-only at the last close until a bar
        // trades through it or its deadline, when what is left crosses at market (the next bar's open, 2 bps worse).
        var spec = ThreeDays() with
        {
            Settings = new Dictionary<string, string>
            {
                ["Trading:Execution:DefaultAlgorithm"] = "twap",
                ["Trading:Execution:DefaultSlices"] = "3",
                ["Trading:Execution:DefaultDuration"] = "00:15:00",
                ["Trading:Execution:DefaultPassive"] = "true",
            },
        };
        Assert.Empty(spec.Validate(RepoData, "USDT", new ModelStore("models")));

        var run = await Run(spec);

        var bars = new[] { "BTCUSDT", "ETHUSDT" }
            .SelectMany(s => CandleCsvReader.Read(RepoData.File(s)!, TimeSpan.FromMinutes(5), (_, _) => { }))
            .ToDictionary(c => (c.Symbol, c.OpenTime));
        Assert.True(run.Fills.Count > 20, $"only {run.Fills.Count} fills");
        var rested = 0;
        Assert.All(run.Fills, fill =>
        {
            var bar = bars[(fill.Symbol, fill.Time)];
            var buying = fill.Side == OrderSide.Buy;
            if (fill.Price != decimal.Round(bar.Open * (buying ? 1.0002m : 0.9998m), 8))
            {
                // Not at the open slipped: a resting child, filled at its limit on a bar that traded through it.
                Assert.True(buying ? bar.Low < fill.Price : bar.High > fill.Price, $"{fill.Symbol} {fill.Side} at {fill.Time}: the bar never traded through {fill.Price}");
                rested++;
            }
        });
        Assert.True(rested > run.Fills.Count / 4, $"{rested} of {run.Fills.Count} fills rested");
    }

    [Fact]
    public async Task The_same_backtest_twice_gives_byte_identical_trades_equity_and_summary()
    {
        var first = BacktestResult.Of(await Run(ThreeDays()));
        var second = BacktestResult.Of(await Run(ThreeDays()));

        Assert.Equal(first.TradesCsv(), second.TradesCsv());
        Assert.Equal(first.EquityCsv(), second.EquityCsv());
        Assert.Equal(first.SummaryJson(), second.SummaryJson());
    }

    [Fact]
    public async Task A_slow_machine_gives_the_same_trades_as_a_fast_one()
    {
        var spec = new BacktestSpec([new("sma", "sma-crossover", ["BTCUSDT", "ETHUSDT"], new Dictionary<string, double> { ["fast"] = 6, ["slow"] = 24 })],
            March1, March1.AddDays(1), []);
        var fast = await Run(spec);

        // Every fifth bar of every strategy takes 40 ms of wall time: 60 times longer than the whole bar takes otherwise,
        // and more than the order path's timeouts would allow on the wall clock.
        var slow = await Run(spec, services => services.AddSingleton<IStrategyFactory>(sp =>
            new SlowStrategies(new CatalogStrategyFactory(sp.GetRequiredService<ModelStore>()), every: 5, TimeSpan.FromMilliseconds(40))));

        // 2 symbols × 57 slow bars × 40 ms, one after the other (a replay settles one symbol at a time): at least 4.5 s.
        Assert.True(slow.Elapsed > TimeSpan.FromSeconds(4), $"slow {slow.Elapsed}, fast {fast.Elapsed}");
        Assert.NotEmpty(fast.Fills);
        Assert.Equal(fast.Fills, slow.Fills);
        Assert.Equal(fast.Equity, slow.Equity);
    }

    [Fact]
    public async Task A_backtest_beside_live_trading_leaves_the_live_state_and_instruments_alone()
    {
        await using var live = await TradingTestCluster.StartAsync(TestSettings.For(TestSettings.NewDatabasePath(), replay: false, symbols: ["BTCUSDT"]));
        var registry = live.Client.GetGrain<IStrategyRegistryGrain>(0);
        var liveConfigs = (await registry.List()).Select(c => c.Id).ToList();
        var livePortfolio = await live.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot();
        // What a trading pipeline records per bar and order: the live silo, fed nothing, records none of it unless the
        // backtest's land there. Counted by the meter's factory (other tests' silos may be measuring in parallel) and
        // by instrument (the live silo's own start-up may still record a little).
        string[] pipelineInstruments = ["trading.candles.processed", "trading.orders", "trading.stage.duration"];
        var liveMeters = live.Cluster.GetSiloServiceProvider(live.Cluster.Silos[0].SiloAddress).GetRequiredService<IMeterFactory>();
        int liveMeasurements = 0, backtestMeasurements = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (pipelineInstruments.Contains(instrument.Name)
                && (instrument.Meter.Scope == liveMeters || instrument.Meter.Name == TradingMetrics.MeterName + BacktestMeterFactory.Suffix))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Count(Instrument instrument) => Interlocked.Increment(ref instrument.Meter.Scope == liveMeters ? ref liveMeasurements : ref backtestMeasurements);
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => Count(instrument));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Count(instrument));
        listener.Start();

        var run = await Run(ThreeDays());

        listener.Dispose();
        Assert.NotEmpty(run.Fills);
        Assert.Equal(0, liveMeasurements);
        Assert.True(backtestMeasurements > 0, "the backtest's own instruments recorded nothing");
        Assert.Equal(liveConfigs, (await registry.List()).Select(c => c.Id));
        var after = await live.Client.GetGrain<IPortfolioGrain>(0).GetSnapshot();
        Assert.Equal((livePortfolio.Equity, livePortfolio.FillCount), (after.Equity, after.FillCount));
        Assert.Empty(await live.Client.GetGrain<IExecutionGrain>("BTCUSDT").GetOrders(10));
    }

    /// <summary>Strategies that spend wall time on some bars, as on a loaded machine.</summary>
    private sealed class SlowStrategies(IStrategyFactory inner, int every, TimeSpan pause) : IStrategyFactory
    {
        public IStrategy CreateSingleSymbol(StrategyConfig config, string symbol) => new Slow(inner.CreateSingleSymbol(config, symbol), every, pause);

        private sealed class Slow(IStrategy inner, int every, TimeSpan pause) : IStrategy
        {
            private int _bars;

            public string StrategyId => inner.StrategyId;

            public string Symbol => inner.Symbol;

            public bool IsReady => inner.IsReady;

            public Signal? OnCandle(Candle candle)
            {
                if (++_bars % every == 0)
                {
                    Thread.Sleep(pause);
                }

                return inner.OnCandle(candle);
            }
        }
    }
}
