using System.Security.Cryptography;
using System.Text;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// Binance's HMAC-SHA256 request signatures: lowercase hex of HMAC-SHA256(secret, payload). For REST the payload is
/// the percent-encoded query string followed directly by the body (no separator); for the WebSocket API it is every
/// parameter but the signature, sorted by name, joined as <c>k=v&amp;…</c> without percent-encoding.
/// </summary>
public static class BinanceSignature
{
    public static string Sign(string secretKey, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(payload)));

    /// <summary>A REST query string, values percent-encoded (UTF-8), in the given order.</summary>
    public static string QueryString(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>The WebSocket API's signing payload.</summary>
    public static string WebSocketApiPayload(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
