namespace TradingOrleans.Grains.Strategies;

/// <summary>Which strategies a new installation starts with (section <c>Trading:Strategies</c>).</summary>
public sealed class StrategySeedOptions
{
    public const string SectionName = "Trading:Strategies";

    /// <summary>Store <see cref="DefaultStrategies"/> the first time the registry starts empty-handed.</summary>
    public bool SeedDefaults { get; set; } = true;

    /// <summary>Symbols the default single-symbol strategies run on.</summary>
    public List<string> DefaultSymbols { get; set; } = ["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"];
}
