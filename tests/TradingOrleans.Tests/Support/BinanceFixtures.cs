namespace TradingOrleans.Tests.Support;

/// <summary>Binance's documented payloads (see Fixtures/binance/README.md), as combined-stream frames.</summary>
public static class BinanceFixtures
{
    public static string Raw(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "binance", $"{name}.json"));

    /// <summary>A raw payload inside the combined-stream envelope, as <c>/stream?streams=…</c> sends it.</summary>
    public static string Combined(string stream, string payload) => $$"""{"stream":"{{stream}}","data":{{payload}}}""";

    /// <summary>The documented trade payload for another symbol and trade id.</summary>
    public static string Trade(string symbol, long tradeId, string price = "0.001", DateTimeOffset? tradeTime = null) =>
        Raw("trade").Replace("\"BNBBTC\"", $"\"{symbol}\"").Replace("12345", tradeId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("\"0.001\"", $"\"{price}\"")
            .Replace("1672515782136", (tradeTime ?? DateTimeOffset.FromUnixTimeMilliseconds(1672515782136)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
}
