using System.Text.Json.Serialization;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>
/// Series to vet for cointegration: either inline <see cref="Series"/>, or <see cref="Symbols"/> of the loaded
/// historical data between <see cref="From"/> and <see cref="To"/>.
/// </summary>
/// <param name="MaxBars">For symbols: the newest aligned bars to test (default 2,000, at most 20,000).</param>
/// <param name="LogPrices">Test natural logs of the prices (default true).</param>
/// <param name="DetOrder">Deterministic terms: −1 none, 0 constant (default), 1 linear trend.</param>
/// <param name="LagDifferences">Lagged differences k in the VECM (default 1, 1–24).</param>
/// <param name="Confidence">0.90, 0.95 (default) or 0.99: the level of the rank decision.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CointegrationRequest(
    IReadOnlyList<NamedSeries>? Series,
    IReadOnlyList<string>? Symbols,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? MaxBars,
    bool? LogPrices,
    int? DetOrder,
    int? LagDifferences,
    double? Confidence)
{
    public const int DefaultMaxBars = 2_000;
    public const int MaxBarsLimit = 20_000;
    public const int MaxLagDifferences = 24;

    public bool UseLogPrices => LogPrices ?? true;

    public DeterministicTerm Term => (DeterministicTerm)(DetOrder ?? 0);

    public int Lags => LagDifferences ?? 1;

    public double Level => Confidence ?? 0.95;

    /// <summary>Problems with the request itself, keyed by JSON field; the data is checked once loaded.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var count = (Series?.Count ?? 0) + (Symbols?.Count ?? 0);
        if ((Series is null) == (Symbols is null))
        {
            errors["series"] = ["Give either series (inline prices) or symbols (loaded historical data), not both or neither."];
        }
        else if (count is < 2 or > CointegrationQuery.MaxSeries)
        {
            errors[Series is null ? "symbols" : "series"] = [$"Between 2 and {CointegrationQuery.MaxSeries} series; got {count}."];
        }
        else if (Series is not null)
        {
            ValidateSeries(errors);
        }
        else
        {
            ValidateSymbols(errors);
        }

        if (DetOrder is not (null or -1 or 0 or 1))
        {
            errors["detOrder"] = ["Must be -1 (none), 0 (constant) or 1 (linear trend)."];
        }

        if (LagDifferences is < 1 or > MaxLagDifferences)
        {
            errors["lagDifferences"] = [$"Must be between 1 and {MaxLagDifferences}."];
        }

        if (Confidence is { } confidence && !CriticalValues.Confidences.Contains(confidence))
        {
            errors["confidence"] = ["Critical values exist for 0.90, 0.95 and 0.99."];
        }

        return errors;
    }

    /// <summary>The test to run (call after <see cref="Validate"/> found nothing): symbols upper-cased, defaults filled in.</summary>
    public CointegrationQuery ToQuery() => Series is { } series
        ? new CointegrationQuery([.. series.Select(s => s!.Name!)], [.. series.Select(s => s!.Prices!.ToArray())], null, null, 0, UseLogPrices, Term, Lags, Level)
        : new CointegrationQuery([.. Symbols!.Select(s => s.ToUpperInvariant())], null, From, To, MaxBars ?? DefaultMaxBars, UseLogPrices, Term, Lags, Level);

    private void ValidateSeries(Dictionary<string, string[]> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Series!.Count; i++)
        {
            var series = Series[i];
            if (series is null || string.IsNullOrWhiteSpace(series.Name) || series.Name.Length > 64 || !names.Add(series.Name))
            {
                errors[$"series[{i}].name"] = ["Required: a unique name of 1–64 characters."];
            }

            var prices = series?.Prices;
            if (prices is null || prices.Count == 0)
            {
                errors[$"series[{i}].prices"] = ["Required: the prices, oldest first."];
            }
            else if (prices.Count != Series[0]?.Prices?.Count)
            {
                errors[$"series[{i}].prices"] = [$"Every series must have the same length; the first has {Series[0]?.Prices?.Count}, this one {prices.Count}."];
            }
            else if (prices.Any(p => !double.IsFinite(p) || (UseLogPrices && p <= 0)))
            {
                errors[$"series[{i}].prices"] = [UseLogPrices ? "Prices must be positive numbers (logs are taken; set logPrices false for other data)." : "Values must be finite numbers."];
            }
        }
    }

    private void ValidateSymbols(Dictionary<string, string[]> errors)
    {
        for (var i = 0; i < Symbols!.Count; i++)
        {
            if (!ExchangeSymbol.IsValid(Symbols[i]?.ToUpperInvariant()))
            {
                errors[$"symbols[{i}]"] = [$"'{Symbols[i]}' is not an exchange symbol: 5–20 letters or digits, e.g. BTCUSDT."];
            }
        }

        if (Symbols.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Symbols.Count)
        {
            errors["symbols"] = ["A symbol is listed twice."];
        }

        if (From is { } from && To is { } to && from >= to)
        {
            errors["to"] = ["Must be after from."];
        }

        if (MaxBars is < CointegrationQuery.MinObservations or > MaxBarsLimit)
        {
            errors["maxBars"] = [$"Must be between {CointegrationQuery.MinObservations} and {MaxBarsLimit}."];
        }
    }
}

/// <summary>One inline price series.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NamedSeries(string? Name, IReadOnlyList<double>? Prices);

/// <summary>The analysis, and for symbols the span of bars it covered.</summary>
public sealed record CointegrationResponse(DateTimeOffset? FirstBarOpen, DateTimeOffset? LastBarOpen, CointegrationReport Result);
