using System.Text.Json.Serialization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>A strategy config as clients send it; every field is optional here so validation can name each missing one.</summary>
/// <remarks>An unknown field is an error (400 naming it), so a misspelt setting is never silently ignored.</remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StrategyRequest(
    string? Id,
    string? Type,
    IReadOnlyList<string>? Symbols,
    IReadOnlyDictionary<string, double>? Parameters,
    double? Weight,
    bool? Enabled)
{
    /// <summary>The config this request describes, with symbols upper-cased and defaults filled in.</summary>
    public StrategyConfig ToConfig(string? idFromRoute = null) => new(
        idFromRoute ?? Id ?? "",
        Type ?? "",
        [.. (Symbols ?? []).Select(ExchangeSymbol.Normalize)],
        Parameters ?? new Dictionary<string, double>(),
        Weight ?? 1.0,
        Enabled ?? true);
}
