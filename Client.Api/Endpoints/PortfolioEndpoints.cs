using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The target allocation, rebalancing and the equity curve.</summary>
public static class PortfolioEndpoints
{
    public static RouteGroupBuilder MapPortfolioEndpoints(this RouteGroupBuilder api)
    {
        var portfolio = api.MapGroup("/portfolio").WithTags("Portfolio");

        portfolio.MapGet("/allocation", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IPortfolioGrain>(0).GetAllocation()))
            .WithSummary("Target weights against current weights: drift per symbol, whether it is outside the band, and the trade that closes it");

        portfolio.MapPost("/rebalance", async (IGrainFactory grains) =>
                TypedResults.Ok(await grains.GetGrain<IRebalancerGrain>(0).Rebalance("requested over the API")))
            .Produces<RebalanceOutcome>()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Rebalance now: one risk-checked order per symbol outside its band (trader)");

        portfolio.MapGet("/rebalance", async (IGrainFactory grains) =>
                await grains.GetGrain<IRebalancerGrain>(0).GetLastOutcome() is { } last
                    ? Results.Ok(last)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No rebalance has run yet"))
            .Produces<RebalanceOutcome>()
            .WithSummary("The last rebalance (scheduled or requested): the allocation before it and each order with risk's reason");

        portfolio.MapGet("/equity-curve", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IPortfolioGrain>(0).GetEquityCurve()))
            .WithSummary("Equity at each Trading:Portfolio:EquityCurveInterval of market time, oldest first");

        return api;
    }
}
