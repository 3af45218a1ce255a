using System.Diagnostics;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// Replay throughput through the strategy code alone (no grains): the historical bars of each symbol, loaded into
/// memory first, run through a set of strategies per symbol, symbols in parallel (one per core at a time).
/// </summary>
public static class StrategyReplay
{
    /// <param name="StrategyTypes">The strategy types each symbol ran (all with their defaults).</param>
    public sealed record Result(
        IReadOnlyList<string> Symbols, IReadOnlyList<string> StrategyTypes, long Candles, double Seconds, double CandlesPerSecond,
        double StrategyUpdatesPerSecond, long Signals);

    /// <param name="types">Strategy types to run per symbol; empty for every single-symbol type of the library.</param>
    public static Result Run(IReadOnlyList<string> symbols, IReadOnlyList<string> types, int maxCandles)
    {
        var folder = PathResolver.FindExisting("data/binance-usdt-2021-5m") ?? throw new DirectoryNotFoundException("data/binance-usdt-2021-5m");
        var chosen = types.Count > 0 ? types : [.. StrategyCatalog.Definitions.Values.Where(d => d is { IsPair: false, Model: null }).Select(d => d.Type)];
        var bars = symbols.ToDictionary(
            s => s,
            s => CandleCsvReader.Read(Path.Combine(folder, $"{s}.csv.gz"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(maxCandles).ToArray());

        long signals = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.ForEach(symbols, symbol =>
        {
            var strategies = chosen
                .Select(type => StrategyCatalog.CreateSingleSymbol(new StrategyConfig($"bench-{type}", type, [symbol], new Dictionary<string, double>()), symbol))
                .ToArray();
            long emitted = 0;
            foreach (var candle in bars[symbol])
            {
                foreach (var strategy in strategies)
                {
                    if (strategy.OnCandle(candle) is not null)
                    {
                        emitted++;
                    }
                }
            }

            Interlocked.Add(ref signals, emitted);
        });
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var candles = bars.Values.Sum(b => (long)b.Length);
        return new Result(symbols, chosen, candles, seconds, candles / seconds, candles * chosen.Count / seconds, signals);
    }
}
