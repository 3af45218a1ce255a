using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// A full-pipeline backtest (its own silo, market clock, every bar through strategies, vote, risk, execution and the
/// next-bar-open paper venue) timed from its first bar to its last: the default strategies, or <c>--strategies N</c>
/// per symbol (alternating SMA crossovers and RSIs, as the tick load's), with the grain calls per bar when asked.
/// </summary>
public static class BacktestSpeed
{
    /// <param name="StageMicrosecondsPerBar">Time inside each stage's own code (the stage histogram), per bar: what is left of
    /// the bar's time went to grain messaging, scheduling and the replay itself.</param>
    public sealed record Result(
        int Symbols, int StrategiesPerSymbol, long Bars, int Fills, double Seconds, double BarsPerSecond, double MicrosecondsPerBar,
        IReadOnlyDictionary<string, double> StageMicrosecondsPerBar, double WallSecondsWithSiloStartAndStop, IReadOnlyDictionary<string, double>? GrainCallsPerBar);

    public static async Task<Result> RunAsync(string[] symbols, DateTimeOffset from, DateTimeOffset to, int strategiesPerSymbol, bool countCalls)
    {
        var strategies = strategiesPerSymbol > 0 ? TickLoad.Strategies(symbols, strategiesPerSymbol).ToList() : DefaultStrategies.For(symbols);
        var spec = new BacktestSpec(strategies, from, to, symbols);
        var data = new HistoricalData("data/binance-usdt-2021-5m");
        var errors = spec.Validate(data, "USDT", new Grains.Ml.ModelStore("models"));
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var counter = countCalls ? new GrainCallCounter() : null;
        var stages = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TradingMetrics.MeterName + BacktestMeterFactory.Suffix && instrument.Name == "trading.stage.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage" && tag.Value is string stage)
                {
                    stages.AddOrUpdate(stage, milliseconds, (_, sum) => sum + milliseconds);
                }
            }
        });
        listener.Start();
        var wall = Stopwatch.StartNew();
        var audit = Path.Combine(Path.GetTempPath(), "trading-orleans-bench", Guid.NewGuid().ToString("N"), "audit.jsonl");
        counter?.CountFrom(DateTimeOffset.MinValue);
        var run = await BacktestEngine.RunAsync(spec, new ConfigurationBuilder().Build(), data, audit, null, CancellationToken.None,
            services: counter is null ? null : s => s.AddSingleton<IIncomingGrainCallFilter>(counter));
        counter?.Stop();
        return new Result(symbols.Length, strategies.Count(s => s.Symbols.Contains(symbols[0])), run.Bars, run.Fills.Count, run.Elapsed.TotalSeconds,
            run.Bars / run.Elapsed.TotalSeconds, run.Elapsed.TotalMicroseconds / run.Bars,
            stages.OrderByDescending(s => s.Value).ToDictionary(s => s.Key, s => Math.Round(s.Value * 1_000 / run.Bars, 1)),
            wall.Elapsed.TotalSeconds, counter?.PerOrder((int)run.Bars));
    }
}
