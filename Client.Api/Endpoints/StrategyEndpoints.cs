using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>CRUD for strategy configs; a saved config takes effect on its symbols at once.</summary>
public static class StrategyEndpoints
{
    public static RouteGroupBuilder MapStrategyEndpoints(this RouteGroupBuilder api)
    {
        var strategies = api.MapGroup("/strategies").WithTags("Strategies");

        strategies.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(await Registry(grains).List()))
            .WithSummary("Every configured strategy");

        strategies.MapGet("/types", () => TypedResults.Ok(StrategyCatalog.Definitions.Values.OrderBy(d => d.Type, StringComparer.Ordinal)))
            .WithSummary("The strategy algorithms available, with their parameters, defaults and ranges");

        strategies.MapGet("/{id}", async Task<Results<Ok<StrategyConfig>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
                await Registry(grains).Get(id) is { } config ? TypedResults.Ok(config) : NotFound(id))
            .WithSummary("One strategy config");

        strategies.MapPost("/", async (HttpRequest request, IGrainFactory grains, IOptions<PortfolioOptions> portfolio, ModelStore models, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<StrategyRequest>(request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                var config = body!.ToConfig();
                if (Validate(config, portfolio.Value, models) is { } invalid)
                {
                    return invalid;
                }

                var registry = Registry(grains);
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

        strategies.MapPut("/{id}", async (string id, HttpRequest request, IGrainFactory grains, IOptions<PortfolioOptions> portfolio, ModelStore models, CancellationToken ct) =>
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
                if (Validate(config, portfolio.Value, models) is { } invalid)
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

    /// <summary>Every problem with a config, keyed by its JSON field; null when it is valid.</summary>
    internal static IResult? Validate(StrategyConfig config, PortfolioOptions portfolio, ModelStore models)
    {
        var errors = StrategyCatalog.Validate(config).ToDictionary(e => e.Key, e => e.Value);
        for (var i = 0; i < config.Symbols.Count; i++)
        {
            var symbol = config.Symbols[i];
            // Cash and PnL are kept in one quote asset, so every traded symbol must be quoted in it.
            if (!symbol.EndsWith(portfolio.QuoteAsset, StringComparison.Ordinal) || symbol.Length <= portfolio.QuoteAsset.Length)
            {
                var key = $"symbols[{i}]";
                var message = $"'{symbol}' is not quoted in the account's quote asset {portfolio.QuoteAsset}.";
                errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
            }
        }

        // A model-served type needs a trained model for each symbol before it can trade.
        if (errors.Count == 0 && StrategyCatalog.Definitions[config.Type].Model is { } kind)
        {
            var version = (int)StrategyCatalog.Parameter(config, "version");
            for (var i = 0; i < config.Symbols.Count; i++)
            {
                if (models.Load(kind, config.Symbols[i], version) is null)
                {
                    errors[$"symbols[{i}]"] = [$"No trained {kind} model{(version > 0 ? $" version {version}" : "")} for {config.Symbols[i]}: run `dotnet run -c Release --project Silo -- train {kind} --symbol {config.Symbols[i]}`."];
                }
            }
        }

        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The strategy config is not valid");
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Strategy not found", detail: $"No strategy has id '{id}'.");

    private static IStrategyRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IStrategyRegistryGrain>(0);
}
