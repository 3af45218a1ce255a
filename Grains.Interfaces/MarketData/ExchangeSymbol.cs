using System.Text.RegularExpressions;

namespace TradingOrleans.Grains.Interfaces.MarketData;

/// <summary>What an exchange symbol is: 5–20 upper-case letters or digits, base then quote asset (BTCUSDT).</summary>
/// <remarks>Checked before a symbol becomes a grain key or a setting: a key from a client must not be arbitrary text.</remarks>
public static partial class ExchangeSymbol
{
    /// <summary>Whether <paramref name="text"/> is an exchange symbol as it stands (no trimming or case folding).</summary>
    public static bool IsValid(string? text) => text is not null && Pattern().IsMatch(text);

    /// <summary>What a client is told when <paramref name="text"/> is not an exchange symbol.</summary>
    public static string Refusal(string? text) => $"'{text}' is not an exchange symbol: 5–20 upper-case letters or digits, e.g. BTCUSDT.";

    /// <summary>A symbol as a client typed it, trimmed and upper-cased (then checked with <see cref="IsValid"/>).</summary>
    public static string Normalize(string? text) => (text ?? "").Trim().ToUpperInvariant();

    [GeneratedRegex("^[A-Z0-9]{5,20}$")]
    private static partial Regex Pattern();
}
