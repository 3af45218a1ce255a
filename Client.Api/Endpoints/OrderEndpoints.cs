using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Manual parent orders: place with an algorithm, read with children and fills, amend, cancel.</summary>
public static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", async (HttpRequest request, IGrainFactory grains, IOptions<PortfolioOptions> portfolio, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<ManualOrderRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (body!.Validate(portfolio.Value.QuoteAsset) is { Count: > 0 } errors)
                {
                    return TypedResults.ValidationProblem(errors, title: "The order is not valid");
                }

                var symbol = body.NormalizedSymbol;
                var execution = grains.GetGrain<IExecutionGrain>(symbol);
                var orderId = body.OrderId;
                if (await execution.GetOrder(orderId) is { } existing)
                {
                    return Results.Ok(OrderView.From(existing));
                }

                var lastBar = (await grains.GetGrain<ISymbolGrain>(symbol).GetRecentCandles(1)).FirstOrDefault();
                if (lastBar is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No price yet",
                        detail: $"No bar of {symbol} has arrived: an order needs a reference price.");
                }

                var intent = new OrderIntent(orderId, symbol, body.Side!.Value, body.Quantity!.Value, lastBar.Close,
                    $"manual {body.Instruction.Algorithm} order", lastBar.CloseTime, DateTimeOffset.UtcNow, body.Instruction);
                var decision = await grains.GetGrain<IRiskGrain>(0).Review(intent);
                if (decision.Intent is not { } approved)
                {
                    return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: $"Risk refused the order: {decision.Rejection}",
                        detail: decision.Explanation);
                }

                var order = await execution.Execute(approved);
                return Results.Created($"/api/v1/orders/{order.OrderId}", OrderView.From(order));
            })
            .Accepts<ManualOrderRequest>("application/json")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Place a parent order (immediate, TWAP or VWAP, optional limit protection); risk reviews it first (trader)");

        orders.MapGet("/{id}", async (string id, IGrainFactory grains) =>
                SymbolOf(id) is not { } symbol ? NotFound(id)
                : await grains.GetGrain<IExecutionGrain>(symbol).GetOrder(id) is { } order ? Results.Ok(OrderView.From(order))
                : NotFound(id))
            .Produces<OrderView>()
            .WithSummary("One parent order with its child orders, fills and the algorithm's last step");

        orders.MapDelete("/{id}", async (string id, IGrainFactory grains) =>
                SymbolOf(id) is not { } symbol ? NotFound(id) : Change(id, await grains.GetGrain<IExecutionGrain>(symbol).Cancel(id)))
            .Produces<OrderView>()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Cancel a working or open parent order: no more children, open children cancelled at their venue; fills stand (trader)");

        orders.MapPatch("/{id}", async (string id, HttpRequest request, IGrainFactory grains, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<AmendOrderRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (body!.Quantity is not (> 0 and <= 1_000_000_000))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Required: above 0 and at most 1,000,000,000."] });
                }

                return SymbolOf(id) is not { } symbol ? NotFound(id) : Change(id, await grains.GetGrain<IExecutionGrain>(symbol).Amend(id, body.Quantity.Value));
            })
            .Accepts<AmendOrderRequest>("application/json")
            .Produces<OrderView>()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Amend a working parent's total quantity (not below what was sent); the schedule re-plans (trader)");

        return api;
    }

    /// <summary>Every order id starts with its symbol (<c>BTCUSDT-…</c>); anything else names no order.</summary>
    private static string? SymbolOf(string id) =>
        id.Length <= 200 && id.Split('-')[0] is var prefix && StrategyCatalog.IsSymbol(prefix) ? prefix : null;

    private static IResult Change(string id, OrderChange change) => change switch
    {
        { Order: null } => NotFound(id),
        { Problem: { } refused } => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The order cannot be changed", detail: refused),
        _ => Results.Ok(OrderView.From(change.Order)),
    };

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"No order has id '{(id.Length > 64 ? id[..64] + "…" : id)}'.");
}

/// <summary>A new total quantity for a working parent order.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record AmendOrderRequest(decimal? Quantity);
