using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Manual parent orders: place with an algorithm, read with children and fills, amend, cancel.</summary>
public static class OrderEndpoints
{
    /// <summary>Longer ids name no order: they are answered without a lookup.</summary>
    private const int MaxIdLength = 200;

    public static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", async (HttpRequest request, IGrainFactory grains, QuoteAsset quote, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<ManualOrderRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (body!.Validate(quote.Name) is { Count: > 0 } errors)
                {
                    return TypedResults.ValidationProblem(errors, title: "The order is not valid");
                }

                var result = await Entry(grains).PlaceManualOrder(body.ToManualOrder());
                return result.Outcome switch
                {
                    ManualOrderOutcome.AlreadyPlaced => Results.Ok(OrderView.From(result.Order!)),
                    ManualOrderOutcome.NoPrice => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No price yet",
                        detail: $"No bar of {body.NormalizedSymbol} has arrived: an order needs a reference price."),
                    ManualOrderOutcome.Refused => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: $"Risk refused the order: {result.Decision!.Rejection}", detail: result.Decision.Explanation),
                    _ => Results.Created($"/api/v1/orders/{result.Order!.OrderId}", OrderView.From(result.Order)),
                };
            })
            .Accepts<ManualOrderRequest>("application/json")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Place a parent order (immediate, TWAP or VWAP, optional limit protection); risk reviews it first (trader)");

        orders.MapGet("/{id}", async (string id, IGrainFactory grains) =>
                id.Length <= MaxIdLength && await Entry(grains).FindOrder(id) is { } order ? Results.Ok(OrderView.From(order)) : NotFound(id))
            .Produces<OrderView>()
            .WithSummary("One parent order with its child orders, fills and the algorithm's last step");

        orders.MapDelete("/{id}", async (string id, IGrainFactory grains) =>
                id.Length > MaxIdLength ? NotFound(id) : Change(id, await Entry(grains).CancelOrder(id)))
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

                return id.Length > MaxIdLength ? NotFound(id) : Change(id, await Entry(grains).AmendOrder(id, body.Quantity.Value));
            })
            .Accepts<AmendOrderRequest>("application/json")
            .Produces<OrderView>()
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Amend a working parent's total quantity (not below what was sent); the schedule re-plans (trader)");

        return api;
    }

    /// <summary>The order entry: places manual orders and finds any order by its id.</summary>
    private static IOrderEntryGrain Entry(IGrainFactory grains) => grains.GetGrain<IOrderEntryGrain>(0);

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
