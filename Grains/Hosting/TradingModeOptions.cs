namespace TradingOrleans.Grains.Hosting;

/// <summary>What the process trades against: one switch for the market-data feed and the venues together.</summary>
public enum TradingMode
{
    /// <summary>Replayed or live market data, paper venues only; the default.</summary>
    Paper,

    /// <summary>Binance's spot testnet: its market data and its venue, with test funds.</summary>
    Testnet,

    /// <summary>Binance live: its market data and its venue, with real money; needs <c>Trading:ConfirmLive</c>.</summary>
    Live,
}

/// <summary>The trading mode (settings <c>Trading:Mode</c>, <c>Trading:ConfirmLive</c>, <c>Trading:AllowModeConflicts</c>), resolved by <see cref="TradingModePlan"/>.</summary>
public sealed class TradingModeOptions
{
    public const string SectionName = "Trading";

    public TradingMode Mode { get; set; } = TradingMode.Paper;

    /// <summary>Must be true for <see cref="TradingMode.Live"/>: real money is never traded on one setting alone.</summary>
    public bool ConfirmLive { get; set; }

    /// <summary>Start even when explicit settings contradict the mode (each is logged as a warning); it never waives <see cref="ConfirmLive"/>.</summary>
    public bool AllowModeConflicts { get; set; }
}
