namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>Binance error codes (errors.md) as reasons a trader can act on; the venue's own message is kept.</summary>
public static class BinanceErrors
{
    public const int Timeout = -1007;
    public const int NoSuchOrder = -2013;
    public const int NewOrderRejected = -2010;
    public const int InvalidMessage = -1013;
    public const int NoReferencePrice = -2043;

    /// <summary>
    /// Whether an order's rejection shows that our copy of the symbol's exchangeInfo is out of date: a filter failure
    /// (-1013 "Filter failure: …") or a symbol that stopped trading (-2010 "Market is closed.").
    /// </summary>
    public static bool ShowsRulesOutOfDate(int? code, string? message) =>
        (code == InvalidMessage && message?.StartsWith("Filter failure", StringComparison.Ordinal) == true)
        || (code == NewOrderRejected && message == "Market is closed.");
    public const int InvalidSymbol = -1121;

    /// <summary>
    /// Whether a new order was refused because, a LIMIT_MAKER, it would have traded at once and not been a pure maker
    /// order (-2010 "Order would immediately match and take.", errors.md).
    /// </summary>
    public static bool WouldTake(int? code, string? message) => code == NewOrderRejected && message == "Order would immediately match and take.";

    public static string Describe(int code, string? message)
    {
        var meaning = code switch
        {
            -1003 => "too many requests (rate limit)",
            -1007 => "Binance timed out: the order's status is unknown",
            -1013 => "rejected by a symbol filter",
            -1015 => "too many new orders (order rate limit)",
            -1021 => "timestamp outside recvWindow (clock drift or slow network)",
            -1022 => "invalid signature (check the secret key)",
            -1100 or -1101 or -1102 or -1106 or -1111 => "malformed request",
            -1121 => "unknown symbol",
            -2010 => "new order rejected by the matching engine",
            -2011 => "cancel rejected",
            -2013 => "no such order",
            -2014 => "API key format invalid",
            -2015 => "API key rejected (invalid key, IP or permissions)",
            -2043 => "no reference price for the symbol",
            _ => "Binance error",
        };
        return $"binance {code}: {meaning} ({message})";
    }
}
