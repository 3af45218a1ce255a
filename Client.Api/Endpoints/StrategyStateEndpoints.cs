using Microsoft.AspNetCore.Http.HttpResults;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>What running strategies see and want: pair models (hedge ratio, z-score, Johansen test) and latest signals.</summary>
public static class StrategyStateEndpoints
{
    public static RouteGroupBuilder MapStrategyStateEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/strategies/{id}/state", async Task<Results<Ok<StrategyState>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            {
                var registry = grains.GetGrain<IStrategyRegistryGrain>(0);
                if (await registry.Get(id) is not { } config)
                {
                    return StrategyEndpoints.NotFound(id);
                }

                var pair = (await PairTypes(registry)).Contains(config.Type)
                    ? (await PairGrain(grains, config).GetState()).FirstOrDefault(s => s.StrategyId == config.Id)
                    : null;
                var perSymbol = await Task.WhenAll(config.Symbols.Select(s => grains.GetGrain<ISignalAggregatorGrain>(s).GetSignals()));
                IReadOnlyList<Signal> signals = [.. perSymbol.SelectMany(s => s.Latest).Where(s => s.StrategyId == config.Id)];
                var health = pair is null ? await Health(grains, config) : [];
                return TypedResults.Ok(new StrategyState(config, pair, signals, health));
            })
            .WithTags("Strategies")
            .WithSummary("A strategy's live state: its latest signal and health (failures, quarantine) per symbol and, for pairs, the spread model and last Johansen test");

        api.MapPost("/strategies/{id}/reinstate", async Task<Results<Ok<IReadOnlyList<StrategyHealth>>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            {
                if (await grains.GetGrain<IStrategyRegistryGrain>(0).Get(id) is not { } config)
                {
                    return StrategyEndpoints.NotFound(id);
                }

                var reinstated = await Task.WhenAll(config.Symbols.Select(s => grains.GetGrain<ISymbolGrain>(s).Reinstate(id)));
                if (!reinstated.Any(r => r))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Strategy not quarantined",
                        detail: $"Strategy '{id}' is not quarantined on any of its symbols.");
                }

                return TypedResults.Ok(await Health(grains, config));
            })
            .WithTags("Strategies")
            .RequireAuthorization(ApiPolicies.Trader)
            .RequireRateLimiting(ApiPolicies.MutationLimit)
            .WithSummary("Lift a strategy's quarantine on every symbol it is quarantined on: a fresh instance, warmed on recent bars, runs again (trader)");

        api.MapGet("/pairs", async (IGrainFactory grains) =>
            {
                var registry = grains.GetGrain<IStrategyRegistryGrain>(0);
                var (configs, pairTypes) = (await registry.List(), await PairTypes(registry));
                var pairGrains = configs
                    .Where(c => pairTypes.Contains(c.Type))
                    .Select(c => StrategyConfig.PairKey(c.Symbols[0], c.Symbols[1]))
                    .Distinct(StringComparer.Ordinal)
                    .Select(key => grains.GetGrain<IPairGrain>(key).GetState());
                var states = await Task.WhenAll(pairGrains);
                return TypedResults.Ok(states.SelectMany(s => s).OrderBy(s => s.StrategyId, StringComparer.Ordinal));
            })
            .WithTags("Strategies")
            .WithSummary("Every pair strategy's spread model: hedge ratio, z-score, position and last cointegration test");

        return api;
    }

    private static async Task<IReadOnlyList<StrategyHealth>> Health(IGrainFactory grains, StrategyConfig config)
    {
        var perSymbol = await Task.WhenAll(config.Symbols.Select(s => grains.GetGrain<ISymbolGrain>(s).GetStrategyHealth()));
        return [.. perSymbol.SelectMany(h => h).Where(h => h.StrategyId == config.Id)];
    }

    private static async Task<HashSet<string>> PairTypes(IStrategyRegistryGrain registry) =>
        [.. (await registry.GetTypes()).Where(d => d.IsPair).Select(d => d.Type)];

    private static IPairGrain PairGrain(IGrainFactory grains, StrategyConfig config) =>
        grains.GetGrain<IPairGrain>(StrategyConfig.PairKey(config.Symbols[0], config.Symbols[1]));
}

/// <summary>A strategy config with what it currently does.</summary>
/// <param name="Pair">The pair model's state (pair strategies only).</param>
/// <param name="Signals">Its latest signal on each of its symbols.</param>
/// <param name="Health">Its failures on each symbol and whether it is quarantined there (single-symbol strategies).</param>
public sealed record StrategyState(StrategyConfig Config, PairState? Pair, IReadOnlyList<Signal> Signals, IReadOnlyList<StrategyHealth> Health);
