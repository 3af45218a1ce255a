using System.Text.Json;
using System.Text.Json.Serialization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A backtest as a client writes it (the REST body, or the CLI's <c>--config</c> file): every field optional here so
/// that a missing one is named in the errors instead of failing the parse. The CLI's file may also be a bare array of
/// strategy configs, as <c>POST /api/v1/strategies</c> takes them one by one. With <see cref="Sweep"/> the job sweeps
/// the one strategy's parameters instead (<see cref="BacktestSweep"/>).
/// </summary>
public sealed record BacktestRequest(
    IReadOnlyList<StrategyConfig>? Strategies,
    [property: JsonConverter(typeof(UtcInstantJsonConverter))] DateTimeOffset? From = null,
    [property: JsonConverter(typeof(UtcInstantJsonConverter))] DateTimeOffset? To = null,
    IReadOnlyList<string>? Symbols = null,
    decimal? InitialCash = null,
    BacktestFills? Fills = null,
    IReadOnlyDictionary<string, string>? Settings = null,
    BacktestSweepRequest? Sweep = null)
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
            : (new BacktestSpec([.. Strategies!.Select(Complete)], From!.Value, To!.Value, Symbols ?? [], InitialCash ?? 100_000m, Fills, Settings), missing);
    }

    /// <summary>
    /// A config as <c>POST /api/v1/strategies</c> would save it: symbols upper-cased, and no parameters when none are
    /// given (the type's defaults), where the JSON leaves them null.
    /// </summary>
    private static StrategyConfig Complete(StrategyConfig config) => config with
    {
        Symbols = [.. (config.Symbols ?? []).Select(ExchangeSymbol.Normalize)],
        Parameters = config.Parameters ?? new Dictionary<string, double>(),
    };
}

/// <summary>
/// An ISO 8601 instant where one written without an offset (<c>2021-03-01</c>) is UTC, as the period of a backtest is
/// documented; System.Text.Json would take it in the local time of whichever machine reads it.
/// </summary>
public sealed class UtcInstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var instant) || !reader.TryGetDateTime(out var written))
        {
            throw new JsonException("Expected an ISO 8601 instant, e.g. 2021-03-01 or 2021-03-01T00:00:00Z.");
        }

        // The date and time as written, read as UTC; an instant with its own offset is kept as it is.
        return written.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(instant.DateTime, TimeSpan.Zero) : instant;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
