using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.MarketData;

/// <summary>Where market data comes from.</summary>
public enum MarketDataSource
{
    /// <summary>Historical kline files (<c>Trading:Replay</c>); the embedded default.</summary>
    Replay,

    /// <summary>Binance's WebSocket streams (<c>Trading:MarketData:Binance</c>), live or the testnet's by <c>Trading:Mode</c>.</summary>
    Binance,
}

/// <summary>The market-data source and how SymbolGrains keep bars (section <c>Trading:MarketData</c>).</summary>
public sealed class MarketDataOptions
{
    public const string SectionName = "Trading:MarketData";

    public MarketDataSource Source { get; set; } = MarketDataSource.Replay;

    /// <summary>Bar length used when the feed sends trades rather than bars.</summary>
    public TimeSpan CandleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Collect gen 0 a tenth of a bar (at most 100 ms) before each bar closes by the wall clock, so the bar-close burst
    /// is not paused by a collection (<see cref="BarCloseCollector"/>).
    /// </summary>
    public bool CollectBeforeBarClose { get; set; } = true;

    /// <summary>How many closed bars each symbol keeps in memory (warm-up for strategies added later).</summary>
    [Range(10, 100_000)]
    public int CandleHistory { get; set; } = 500;
}
