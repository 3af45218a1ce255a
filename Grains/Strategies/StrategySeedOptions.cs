namespace TradingOrleans.Grains.Strategies;

/// <summary>Which strategies a new installation starts with (section <c>Trading:Strategies</c>).</summary>
public sealed class StrategySeedOptions
{
    public const string SectionName = "Trading:Strategies";

    /// <summary>Store <see cref="DefaultStrategies"/> the first time the registry starts empty-handed.</summary>
    public bool SeedDefaults { get; set; } = true;

    private static readonly string[] BuiltInSymbols = ["BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT"];

    /// <summary>Symbols the default single-symbol strategies run on: BTCUSDT, ETHUSDT, LTCUSDT, BNBUSDT unless set.</summary>
    public List<string> DefaultSymbols { get; set; } = [];

    /// <summary><see cref="DefaultSymbols"/>, or the built-in four when none are configured. A configured list replaces this default (the configuration binder would otherwise append to it).</summary>
    public IReadOnlyList<string> SeededSymbols => DefaultSymbols.Count > 0 ? DefaultSymbols : BuiltInSymbols;
}
