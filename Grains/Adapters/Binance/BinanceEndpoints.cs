namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>Which Binance network a URL reaches.</summary>
public enum BinanceNetwork
{
    /// <summary>The real exchange: real money and market prices.</summary>
    Live,

    /// <summary>The spot testnet: test funds and its own, thin order book.</summary>
    Testnet,

    /// <summary>This machine (a Binance-speaking simulator, as in the tests): allowed in every trading mode.</summary>
    Local,

    /// <summary>Any other host (a proxy, another exchange): it cannot be told live from testnet.</summary>
    Unknown,
}

/// <summary>The spot endpoints of one Binance network, as Binance publishes them (binance-spot-api-docs).</summary>
public sealed record BinanceEndpoints(string RestBaseUrl, string WebSocketApiUrl, string MarketStreamUrl)
{
    public static readonly BinanceEndpoints Live = new(
        "https://api.binance.com", "wss://ws-api.binance.com:443/ws-api/v3", "wss://stream.binance.com:9443");

    public static readonly BinanceEndpoints Testnet = new(
        "https://testnet.binance.vision", "wss://ws-api.testnet.binance.vision/ws-api/v3", "wss://stream.testnet.binance.vision");

    /// <summary>
    /// The network a URL reaches, by host: <c>*.testnet.binance.vision</c> is the testnet; <c>*.binance.com</c> and the
    /// market-data-only <c>data-stream.binance.vision</c> / <c>data-api.binance.vision</c> are live; loopback is local.
    /// </summary>
    public static BinanceNetwork Classify(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return BinanceNetwork.Unknown;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (uri.IsLoopback)
        {
            return BinanceNetwork.Local;
        }

        if (host == "testnet.binance.vision" || host.EndsWith(".testnet.binance.vision", StringComparison.Ordinal))
        {
            return BinanceNetwork.Testnet;
        }

        return host == "binance.com" || host.EndsWith(".binance.com", StringComparison.Ordinal) || host.EndsWith(".binance.vision", StringComparison.Ordinal)
            ? BinanceNetwork.Live
            : BinanceNetwork.Unknown;
    }
}
