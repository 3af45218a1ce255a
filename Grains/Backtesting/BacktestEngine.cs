using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>How far a backtest is.</summary>
public sealed record BacktestProgress(long BarsDone, long BarsTotal, TimeSpan Elapsed)
{
    public double BarsPerSecond => Elapsed > TimeSpan.Zero ? BarsDone / Elapsed.TotalSeconds : 0;

    public TimeSpan? Remaining => BarsPerSecond > 0 ? TimeSpan.FromSeconds((BarsTotal - BarsDone) / BarsPerSecond) : null;
}

/// <summary>What a backtest recorded, before any figure is computed from it.</summary>
/// <param name="Equity">The account after each market time's bars settled.</param>
/// <param name="Fills">Every fill, in the order the venue made them.</param>
/// <param name="Prices">Each symbol's closes.</param>
/// <param name="Bars">Bars replayed.</param>
/// <param name="Attribution">Each strategy's shadow book (<see cref="Portfolio.ShadowLedger"/>), in the spec's order.</param>
/// <param name="Elapsed">Wall time of the replay (not of the silo's start and stop).</param>
public sealed record BacktestRecording(
    BacktestSpec Spec,
    IReadOnlyList<EquitySample> Equity,
    IReadOnlyList<BacktestFill> Fills,
    IReadOnlyDictionary<string, IReadOnlyList<PriceSample>> Prices,
    IReadOnlyList<StrategyAttribution> Attribution,
    long Bars,
    TimeSpan Elapsed);

/// <summary>
/// Runs a backtest through the same grains, risk, execution and paper venue as live trading, in a silo of its own:
/// its own cluster id and ports, grain state in memory, a <see cref="MarketClock"/> as its time, the paper venue filling
/// on the next bar (<see cref="BarFillVenue"/>), and the replay feed driving it market time by market time. Nothing it
/// does reaches the installation's state, and two backtests never share a grain (docs/backtesting.md says why a silo
/// per job rather than a book id in every grain key).
/// </summary>
public static class BacktestEngine
{
    /// <summary>
    /// The sections a backtest inherits from the installation's configuration (its risk limits, signal and execution
    /// settings, instruments, models); everything else is set for the backtest's silo.
    /// </summary>
    private static readonly string[] InheritedSections =
        ["Trading:Risk", "Trading:Signals", "Trading:Execution", "Trading:Portfolio", "Trading:Strategies:Isolation", "Trading:Instruments", "Trading:Models", "Trading:MarketData"];

    /// <summary>
    /// Orleans' own machinery keeps the wall clock: membership, messaging and directory timeouts are not market events.
    /// So do reminders: the one reminder (the scheduled rebalance) is not run in backtests, and on the market clock the
    /// reminder service would re-read its table at every bar.
    /// </summary>
    private static readonly string[] WallClockAreas =
    [
        Orleans.Runtime.TimeProviderNames.Messaging, Orleans.Runtime.TimeProviderNames.SystemTimers, Orleans.Runtime.TimeProviderNames.Membership,
        Orleans.Runtime.TimeProviderNames.ActivationManagement, Orleans.Runtime.TimeProviderNames.GrainDirectory, Orleans.Reminders.ReminderTimeProviderNames.Reminders,
    ];

    /// <param name="installation">The installation's configuration, for the sections a backtest inherits.</param>
    /// <param name="data">The kline files; the spec must have been validated against them.</param>
    /// <param name="auditPath">Where the backtest's own audit trail goes.</param>
    /// <param name="services">Replaces silo services after the trading ones are added (tests inject faults and delays).</param>
    public static async Task<BacktestRecording> RunAsync(
        BacktestSpec spec,
        IConfiguration installation,
        HistoricalData data,
        string auditPath,
        IProgress<BacktestProgress>? progress,
        CancellationToken cancellationToken,
        ILoggerFactory? loggerFactory = null,
        Action<IServiceCollection>? services = null)
    {
        var symbols = spec.EffectiveSymbols;
        var interval = symbols.Select(s => data.Range(s)!.Interval).Min();
        var clock = new MarketClock(spec.From);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Settings(spec, installation, data, interval, auditPath));
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddSingleton<TimeProvider>(clock);
        foreach (var area in WallClockAreas)
        {
            builder.Services.AddKeyedSingleton(area, TimeProvider.System);
        }

        builder.UseOrleans(silo =>
        {
            silo.AddTradingSilo(builder.Configuration);
            silo.Services.AddSingleton<IMeterFactory, BacktestMeterFactory>();
            services?.Invoke(silo.Services);
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var registry = grains.GetGrain<IStrategyRegistryGrain>(0);
            foreach (var strategy in spec.Strategies)
            {
                await registry.Save(strategy);
            }

            var total = symbols.Sum(s => BarsWithin(data.Range(s)!, spec.From, spec.To));
            var recorder = new Recorder(spec, symbols, grains, host.Services.GetRequiredService<IReadOnlyList<IBroker>>(), clock, total, progress);
            var options = new ReplayOptions
            {
                DataDirectory = data.Directory, CandleInterval = interval, From = spec.From, To = spec.To, SpeedMultiplier = 0, ResumeAfterRestart = false, StopOnFailure = true,
            };
            var started = Stopwatch.GetTimestamp();
            await host.Services.GetRequiredService<ReplayFeed>().RunAsync(
                [.. symbols.Select(s => data.File(s)!)], options, null, _ => Task.CompletedTask, recorder, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return await recorder.FinishAsync(Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            clock.Release();
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static long BarsWithin(DataRange range, DateTimeOffset from, DateTimeOffset to)
    {
        var first = from > range.First ? from : range.First;
        var end = to < range.Last + range.Interval ? to : range.Last + range.Interval;
        return end > first ? (long)Math.Ceiling((end - first) / range.Interval) : 0;
    }

    private static Dictionary<string, string?> Settings(BacktestSpec spec, IConfiguration installation, HistoricalData data, TimeSpan interval, string auditPath)
    {
        var settings = installation.AsEnumerable()
            .Where(pair => pair.Value is not null && InheritedSections.Any(section => pair.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)))
            // A strategic allocation's scheduled rebalance runs on Orleans reminders, which a backtest does not replay yet.
            .Where(pair => !pair.Key.StartsWith("Trading:Portfolio:TargetWeights", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
        var fills = spec.EffectiveFills;
        var id = $"backtest-{Guid.NewGuid():N}";
        string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        var forced = new Dictionary<string, string?>
        {
            ["Trading:Mode"] = "Paper",
            ["Trading:Cluster:Mode"] = "Embedded",
            ["Trading:Silo:ClusterId"] = id,
            ["Trading:Silo:ServiceId"] = id,
            ["Trading:Silo:SiloPort"] = Text(FreePort()),
            ["Trading:Silo:GatewayPort"] = Text(FreePort()),
            ["Trading:Silo:Dashboard"] = "false",
            ["Trading:Storage:InMemory"] = "true",
            ["Trading:Streaming:Provider"] = "Broadcast",
            ["Trading:MarketData:Source"] = "Replay",
            ["Trading:MarketData:CandleInterval"] = interval.ToString("c", CultureInfo.InvariantCulture),
            ["Trading:Replay:Enabled"] = "false",
            ["Trading:Replay:DataDirectory"] = data.Directory,
            ["Trading:Strategies:SeedDefaults"] = "false",
            ["Trading:Broker:Binance:Enabled"] = "false",
            ["Trading:Broker:Paper:Enabled"] = "true",
            ["Trading:Broker:Paper:FeeBps"] = Text(fills.FeeBps),
            ["Trading:Broker:Paper:SlippageBps"] = Text(fills.SlippageBps),
            ["Trading:Broker:Paper:Fills:Model"] = nameof(PaperFillModel.NextBarOpen),
            ["Trading:Broker:Paper:Fills:ParticipationCap"] = Text(fills.ParticipationCap),
            ["Trading:Broker:Paper:Fills:LatencyBars"] = Text(fills.LatencyBars),
            // Orders fill at the open of the bar LatencyBars after the next: a pair basket's legs are alone until then by
            // design, and the market clock jumps a bar at a time, so the leg-alone time is one bar more (at most a day).
            ["Trading:Pairs:MaxLegAloneTime"] = TimeSpan.FromTicks(Math.Min(interval.Ticks * (fills.LatencyBars + 2), TimeSpan.TicksPerDay))
                .ToString("c", CultureInfo.InvariantCulture),
            ["Trading:Portfolio:InitialCash"] = Text(spec.InitialCash),
            ["Trading:Audit:Path"] = auditPath,
        };
        foreach (var (key, value) in forced.Concat((spec.Settings ?? new Dictionary<string, string>()).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The backtest's replay step: the live path's, recording fills, closes and the account after each market time.</summary>
    private sealed class Recorder : IReplayStep
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        private readonly MarketReplayStep _step;
        private readonly IPortfolioGrain _portfolio;
        private readonly IGrainFactory _grains;
        private readonly BacktestSpec _spec;
        private readonly IReadOnlyList<string> _symbols;
        private readonly IProgress<BacktestProgress>? _progress;
        private readonly long _total;
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly List<EquitySample> _equity = [];
        private readonly List<BacktestFill> _fills = [];
        private readonly Dictionary<string, List<PriceSample>> _prices = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _firstClose = new(StringComparer.Ordinal);
        private readonly Dictionary<string, decimal> _lastClose = new(StringComparer.Ordinal);
        private DateTimeOffset? _marketTimeClosed;
        private long _bars;
        private long _lastReported;

        public Recorder(BacktestSpec spec, IReadOnlyList<string> symbols, IGrainFactory grains, IReadOnlyList<IBroker> venues, MarketClock clock, long total,
            IProgress<BacktestProgress>? progress)
        {
            (_spec, _symbols, _total, _progress, _grains) = (spec, symbols, total, progress, grains);
            _portfolio = grains.GetGrain<IPortfolioGrain>(0);
            _step = new MarketReplayStep(grains, venues, clock, fill => _fills.Add(new BacktestFill(
                fill.FilledAt, fill.Symbol, fill.Side, fill.Quantity, fill.Price, fill.Fee, fill.ClientOrderId)));
            foreach (var symbol in symbols)
            {
                _prices[symbol] = [];
            }
        }

        public async Task OpenAsync(IReadOnlyList<Candle> bars, CancellationToken cancellationToken)
        {
            await SampleAccount();
            _marketTimeClosed = bars.Max(b => b.CloseTime);
            await _step.OpenAsync(bars, cancellationToken);
        }

        public async Task SettleAsync(Candle bar, CancellationToken cancellationToken)
        {
            await _step.SettleAsync(bar, cancellationToken);
            _prices[bar.Symbol].Add(new PriceSample(bar.CloseTime, bar.Close));
            _firstClose.TryAdd(bar.Symbol, bar.Close);
            _lastClose[bar.Symbol] = bar.Close;
            _bars++;
            var now = Stopwatch.GetTimestamp();
            if (_progress is not null && Stopwatch.GetElapsedTime(_lastReported, now) >= ProgressInterval)
            {
                _lastReported = now;
                _progress.Report(new BacktestProgress(_bars, _total, Stopwatch.GetElapsedTime(_started, now)));
            }
        }

        public async Task<BacktestRecording> FinishAsync(TimeSpan elapsed)
        {
            await SampleAccount();
            _progress?.Report(new BacktestProgress(_bars, _bars, elapsed));
            // The portfolio's shadow books, as live trading keeps them; a strategy that never voted has an empty one. A pair
            // strategy casts no vote: its own baskets' fills are its book (the spread PnL, a basket a trade).
            var books = (await _portfolio.GetAttribution()).Books.ToDictionary(b => b.StrategyId, StringComparer.Ordinal);
            var spreads = await SpreadHoldings();
            IReadOnlyList<StrategyAttribution> attribution = [.. _spec.Strategies.Select(s =>
                spreads.TryGetValue(s.Id, out var spread) ? new StrategyAttribution(s.Id, s.Type, spread.NetPnl, spread.Fees, spread.Baskets)
                : books.TryGetValue(s.Id, out var book) ? new StrategyAttribution(s.Id, s.Type, book.NetPnl, book.Fees, book.Trades)
                : new StrategyAttribution(s.Id, s.Type, 0m, 0m, 0))];
            // By time, then symbol and order id: a pair basket's legs go out at once, so the venue may hold either first.
            List<BacktestFill> fills = [.. _fills.OrderBy(f => f.Time).ThenBy(f => f.Symbol, StringComparer.Ordinal).ThenBy(f => f.OrderId, StringComparer.Ordinal)];
            return new BacktestRecording(_spec, _equity, fills, _prices.ToDictionary(p => p.Key, p => (IReadOnlyList<PriceSample>)p.Value, StringComparer.Ordinal),
                attribution, _bars, elapsed);
        }

        /// <summary>Each pair strategy's held legs and spread PnL, by strategy id (none before its model first spoke).</summary>
        private async Task<Dictionary<string, SpreadHolding>> SpreadHoldings()
        {
            var pairKeys = _spec.Strategies
                .Where(s => StrategyCatalog.Definitions.TryGetValue(s.Type, out var definition) && definition.IsPair)
                .Select(s => StrategyConfig.PairKey(s.Symbols[0], s.Symbols[1]))
                .Distinct(StringComparer.Ordinal);
            var states = await Task.WhenAll(pairKeys.Select(key => _grains.GetGrain<IPairGrain>(key).GetState()));
            return states.SelectMany(s => s).Where(s => s.Holding is not null).ToDictionary(s => s.StrategyId, s => s.Holding!, StringComparer.Ordinal);
        }

        /// <summary>The account once the market time last opened has settled (sampled when the next one opens, or at the end).</summary>
        private async Task SampleAccount()
        {
            if (_marketTimeClosed is { } closed)
            {
                var account = await _portfolio.GetSnapshot();
                _equity.Add(new EquitySample(closed, account.Equity, BuyAndHold(), account.Positions.Sum(p => Math.Abs(p.MarketValue))));
                _marketTimeClosed = null;
            }
        }

        /// <summary>The starting cash split equally over the symbols at their first close and held; a symbol not yet traded holds its share as cash.</summary>
        private decimal BuyAndHold()
        {
            var share = _spec.InitialCash / _symbols.Count;
            return _symbols.Sum(s => _firstClose.TryGetValue(s, out var first) ? share / first * _lastClose[s] : share);
        }
    }
}
