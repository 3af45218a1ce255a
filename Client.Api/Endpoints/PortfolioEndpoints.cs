using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The target allocation, rebalancing, the equity curve, and the venue account the book follows in Testnet and Live.</summary>
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

        var account = api.MapGroup("/account").WithTags("Portfolio");

        account.MapGet("", async (IGrainFactory grains) =>
                await grains.GetGrain<IAccountGrain>(0).GetAccount() is { } view ? Results.Ok(view) : NoVenueAccount())
            .Produces<AccountView>()
            .WithSummary("The venue account (Testnet, Live): its balances as read and followed, and the last reconciliation with the portfolio and each asset's drift; 404 in Paper");

        account.MapPost("/reconcile", async (IGrainFactory grains) =>
                await grains.GetGrain<IAccountGrain>(0).Reconcile("requested over the API") is { } reconciliation ? Results.Ok(reconciliation) : NoVenueAccount())
            .Produces<AccountReconciliation>()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Read the account again now and compare it with the portfolio, as the scheduled reconciliation does (trader); 404 in Paper");

        return api;
    }

    private static IResult NoVenueAccount() => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "No venue account", detail: "In Paper mode the portfolio's cash is the configured Trading:Portfolio:InitialCash; a venue account is followed in Testnet and Live.");
}
