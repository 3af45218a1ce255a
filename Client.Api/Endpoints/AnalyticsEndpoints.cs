using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Quant;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Statistics a user runs before configuring a strategy.</summary>
public static class AnalyticsEndpoints
{
    public static RouteGroupBuilder MapAnalyticsEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/analytics/cointegration", async (HttpRequest request, IGrainFactory grains, CancellationToken ct) =>
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

                var field = body.Series is null ? "symbols" : "series";
                return await grains.GetGrain<ICointegrationGrain>(0).Test(body.ToQuery()) switch
                {
                    { Report: { } report } outcome => Results.Ok(new CointegrationResponse(outcome.FirstBarOpen, outcome.LastBarOpen, report)),
                    { Refusal: CointegrationRefusal.NoHistoricalData } refused => Invalid("symbols", refused.Problem, "The cointegration request is not valid"),
                    { Refusal: CointegrationRefusal.TooFewObservations } refused => Invalid(field, refused.Problem, "Not enough data for the test"),
                    var refused => Invalid(field, refused.Problem, "The series cannot be tested"),
                };
            })
            .Accepts<CointegrationRequest>("application/json")
            .Produces<CointegrationResponse>()
            .ProducesValidationProblem()
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithTags("Analytics")
            .WithSummary("Johansen (statistics, critical values, eigenvalues, vectors, rank) and Engle-Granger tests with the spread's half-life, on inline series or symbols of the loaded data");

        return api;
    }

    private static IResult Invalid(string field, string? problem, string title) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem ?? ""] }, title: title);
}
