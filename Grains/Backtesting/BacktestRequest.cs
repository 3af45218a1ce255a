using System.Text.Json;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A backtest as a client writes it (the REST body, or the CLI's <c>--config</c> file): every field optional here so
/// that a missing one is named in the errors instead of failing the parse. The CLI's file may also be a bare array of
/// strategy configs, as <c>POST /api/v1/strategies</c> takes them one by one.
/// </summary>
public sealed record BacktestRequest(
    IReadOnlyList<StrategyConfig>? Strategies,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<string>? Symbols = null,
    decimal? InitialCash = null,
    BacktestFills? Fills = null,
    IReadOnlyDictionary<string, string>? Settings = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a config file: a backtest object or a bare array of strategy configs; throws <see cref="JsonException"/> naming the problem.</summary>
    public static BacktestRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? new BacktestRequest(document.RootElement.Deserialize<List<StrategyConfig>>(Json))
            : document.RootElement.Deserialize<BacktestRequest>(Json) ?? throw new JsonException("The config is empty.");
    }

    /// <summary>The spec, or the fields that are missing (keyed like the spec's own errors).</summary>
    public (BacktestSpec? Spec, IReadOnlyDictionary<string, string[]> Missing) ToSpec()
    {
        var missing = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Strategies is null)
        {
            missing["strategies"] = ["Required: the strategy configs to backtest."];
        }

        if (From is null)
        {
            missing["from"] = ["Required: the first instant of the period (UTC), e.g. 2021-03-01."];
        }

        if (To is null)
        {
            missing["to"] = ["Required: the end of the period (UTC, exclusive), e.g. 2021-04-01."];
        }

        var nullStrategies = (Strategies ?? []).Select((s, i) => (s, i)).Where(p => p.s is null).Select(p => $"strategies[{p.i}]").ToList();
        nullStrategies.ForEach(field => missing[field] = ["A strategy config is required here."]);
        return missing.Count > 0
            ? (null, missing)
            : (new BacktestSpec(Strategies!, From!.Value, To!.Value, Symbols ?? [], InitialCash ?? 100_000m, Fills, Settings), missing);
    }
}
