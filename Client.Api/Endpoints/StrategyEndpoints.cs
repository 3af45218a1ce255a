using Microsoft.AspNetCore.Http.HttpResults;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>CRUD for strategy configs; a saved config takes effect on its symbols at once.</summary>
public static class StrategyEndpoints
{
    public static RouteGroupBuilder MapStrategyEndpoints(this RouteGroupBuilder api)
    {
        var strategies = api.MapGroup("/strategies").WithTags("Strategies");

        strategies.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(await Registry(grains).List()))
            .WithSummary("Every configured strategy");

        strategies.MapGet("/types", async (IGrainFactory grains) => TypedResults.Ok(await Registry(grains).GetTypes()))
            .WithSummary("The strategy algorithms available, with their parameters, defaults and ranges");

        strategies.MapGet("/{id}", async Task<Results<Ok<StrategyConfig>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
                await Registry(grains).Get(id) is { } config ? TypedResults.Ok(config) : NotFound(id))
            .WithSummary("One strategy config");

        strategies.MapPost("/", async (HttpRequest request, IGrainFactory grains, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<StrategyRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                var config = body!.ToConfig();
                var registry = Registry(grains);
                if (await Validate(registry, config) is { } invalid)
                {
                    return invalid;
                }

                if (await registry.Get(config.Id) is not null)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Strategy already exists",
                        detail: $"A strategy with id '{config.Id}' exists; PUT /api/v1/strategies/{config.Id} replaces it.");
                }

                await registry.Save(config);
                return TypedResults.Created($"/api/v1/strategies/{config.Id}", config);
            })
            .Accepts<StrategyRequest>("application/json")
            .Produces<StrategyConfig>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Create a strategy config (trader)");

        strategies.MapPut("/{id}", async (string id, HttpRequest request, IGrainFactory grains, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<StrategyRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                if (body!.Id is { } bodyId && bodyId != id)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["id"] = [$"The body's id '{bodyId}' differs from the id in the URL '{id}'."],
                    });
                }

                var registry = Registry(grains);
                if (await registry.Get(id) is null)
                {
                    return NotFound(id);
                }

                var config = body.ToConfig(id);
                if (await Validate(registry, config) is { } invalid)
                {
                    return invalid;
                }

                await registry.Save(config);
                return TypedResults.Ok(config);
            })
            .Accepts<StrategyRequest>("application/json")
            .Produces<StrategyConfig>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Replace a strategy config (trader)");

        strategies.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, IGrainFactory grains) =>
                await Registry(grains).Delete(id) ? TypedResults.NoContent() : NotFound(id))
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Delete a strategy config; its votes are withdrawn (trader)");

        return api;
    }

    /// <summary>A 400 naming every problem the registry finds with a config; null when it is valid.</summary>
    private static async Task<IResult?> Validate(IStrategyRegistryGrain registry, StrategyConfig config) =>
        await registry.Validate(config) is { Count: > 0 } errors
            ? TypedResults.ValidationProblem(errors.ToDictionary(), title: "The strategy config is not valid")
            : null;

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Strategy not found", detail: $"No strategy has id '{id}'.");

    private static IStrategyRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IStrategyRegistryGrain>(0);
}
