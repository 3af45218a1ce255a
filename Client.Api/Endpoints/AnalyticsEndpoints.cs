using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Statistics a user runs before configuring a strategy.</summary>
public static class AnalyticsEndpoints
{
    public static RouteGroupBuilder MapAnalyticsEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/analytics/cointegration", async (HttpRequest request, HistoricalPrices history, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<CointegrationRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (body!.Validate() is { Count: > 0 } errors)
                {
                    return TypedResults.ValidationProblem(errors, title: "The cointegration request is not valid");
                }

                IReadOnlyList<string> names;
                IReadOnlyList<double[]> prices;
                DateTimeOffset? first = null, last = null;
                if (body.Series is { } series)
                {
                    names = [.. series.Select(s => s.Name!)];
                    prices = [.. series.Select(s => s.Prices!.ToArray())];
                }
                else
                {
                    names = [.. body.Symbols!.Select(s => s.ToUpperInvariant())];
                    var missing = names.Except(history.Symbols(), StringComparer.Ordinal).ToArray();
                    if (missing.Length > 0)
                    {
                        return TypedResults.ValidationProblem(
                            new Dictionary<string, string[]> { ["symbols"] = [$"No historical data for {string.Join(", ", missing)}. Loaded: {string.Join(", ", history.Symbols())}."] },
                            title: "The cointegration request is not valid");
                    }

                    var (times, closes) = history.Aligned(names, body.From, body.To, body.MaxBars ?? CointegrationRequest.DefaultMaxBars);
                    (prices, first, last) = (closes, times.Count > 0 ? times[0] : null, times.Count > 0 ? times[^1] : null);
                }

                if (body.CheckLength(prices[0].Length, prices.Count) is { } shortfall)
                {
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { [body.Series is null ? "symbols" : "series"] = [shortfall] },
                        title: "Not enough data for the test");
                }

                try
                {
                    var report = CointegrationAnalysis.Analyze(names, prices, body.UseLogPrices, body.Term, body.Lags, body.Level);
                    return Results.Ok(new CointegrationResponse(first, last, report));
                }
                catch (ArgumentException exception)
                {
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { [body.Series is null ? "symbols" : "series"] = [exception.Message] },
                        title: "The series cannot be tested");
                }
            })
            .Accepts<CointegrationRequest>("application/json")
            .Produces<CointegrationResponse>()
            .ProducesValidationProblem()
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithTags("Analytics")
            .WithSummary("Johansen (statistics, critical values, eigenvalues, vectors, rank) and Engle-Granger tests with the spread's half-life, on inline series or symbols of the loaded data");

        return api;
    }
}
