using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Tests.MarketData;

public sealed class ExchangeSymbolTests
{
    [Theory]
    [InlineData("BTCUSDT", true)]
    [InlineData("1INCHUSDT", true)]
    [InlineData("ABCDE", true)]
    [InlineData("ABCDEFGHIJKLMNOPQRST", true)]
    [InlineData("ABCD", false)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU", false)]
    [InlineData("btcusdt", false)]
    [InlineData("BTC-USDT", false)]
    [InlineData(" BTCUSDT", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_symbol_is_5_to_20_upper_case_letters_or_digits_as_it_stands(string? text, bool valid) =>
        Assert.Equal(valid, ExchangeSymbol.IsValid(text));

    [Theory]
    [InlineData(" btcusdt ", "BTCUSDT")]
    [InlineData("EthUsdt", "ETHUSDT")]
    [InlineData(null, "")]
    public void A_typed_symbol_is_trimmed_and_upper_cased(string? typed, string normalized) =>
        Assert.Equal(normalized, ExchangeSymbol.Normalize(typed));
}
