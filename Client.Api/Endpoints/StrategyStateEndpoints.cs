using Microsoft.AspNetCore.Http.HttpResults;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
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

        api.MapGet("/strategies/{id}/performance", async Task<Results<Ok<StrategyPerformanceView>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            {
                if (await grains.GetGrain<IStrategyRegistryGrain>(0).Get(id) is not { } config)
                {
                    return StrategyEndpoints.NotFound(id);
                }

                // A pair strategy casts no vote and has no shadow book: its book is its own baskets (the spread PnL, a basket a trade).
                var report = await grains.GetGrain<IPortfolioGrain>(0).GetAttribution();
                var spreads = (await PairStates(grains)).Where(s => s.Holding is not null).ToDictionary(s => s.StrategyId, s => s.Holding!, StringComparer.Ordinal);
                var book = spreads.TryGetValue(id, out var spread) ? new ShadowBook(id, spread.NetPnl, spread.Fees, spread.Baskets)
                    : report.Books.FirstOrDefault(b => b.StrategyId == id) ?? new ShadowBook(id, 0m, 0m, 0);
                var attributed = report.Books.Sum(b => b.NetPnl) + spreads.Values.Sum(s => s.NetPnl);
                return TypedResults.Ok(new StrategyPerformanceView(id, config.Type, book.NetPnl, book.Fees, book.Trades, report.AccountNetPnl,
                    attributed, report.AccountNetPnl - attributed, report.AsOf));
            })
            .WithTags("Strategies")
            .WithSummary("A strategy's attributed PnL after fees: its shadow book (its weight share of every target its symbols' aggregators sent, " +
                "traded at the next bar's open with the paper venue's costs) or, for a pair strategy, its own baskets' fills, beside the account's PnL and the netting residual");

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
                TypedResults.Ok((await PairStates(grains)).OrderBy(s => s.StrategyId, StringComparer.Ordinal)))
            .WithTags("Strategies")
            .WithSummary("Every pair strategy's spread model (hedge ratio, z-score, position, last cointegration test) and holding (legs held, ratio held, spread PnL)");

        return api;
    }

    private static async Task<IReadOnlyList<StrategyHealth>> Health(IGrainFactory grains, StrategyConfig config)
    {
        var perSymbol = await Task.WhenAll(config.Symbols.Select(s => grains.GetGrain<ISymbolGrain>(s).GetStrategyHealth()));
        return [.. perSymbol.SelectMany(h => h).Where(h => h.StrategyId == config.Id)];
    }

    /// <summary>Every configured pair strategy's state, from the PairGrain of each pair.</summary>
    private static async Task<IEnumerable<PairState>> PairStates(IGrainFactory grains)
    {
        var registry = grains.GetGrain<IStrategyRegistryGrain>(0);
        var (configs, pairTypes) = (await registry.List(), await PairTypes(registry));
        var pairGrains = configs
            .Where(c => pairTypes.Contains(c.Type))
            .Select(c => StrategyConfig.PairKey(c.Symbols[0], c.Symbols[1]))
            .Distinct(StringComparer.Ordinal)
            .Select(key => grains.GetGrain<IPairGrain>(key).GetState());
        return (await Task.WhenAll(pairGrains)).SelectMany(s => s);
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

/// <summary>A strategy's share of the account's PnL (docs/backtesting.md, "Per-strategy attribution").</summary>
/// <param name="NetPnl">Its shadow book's PnL after fees at the latest marks, in the quote asset.</param>
/// <param name="Trades">Its shadow book's position changes.</param>
/// <param name="AccountNetPnl">The account's equity minus its initial cash.</param>
/// <param name="AttributedNetPnl">The sum of every strategy's book: the shadow books, and the pair strategies' baskets.</param>
/// <param name="NettingResidual">The account's net PnL minus that sum: what netting, sizing and the risk limits changed.</param>
/// <param name="AsOf">The market time of the latest mark.</param>
public sealed record StrategyPerformanceView(
    string StrategyId, string Type, decimal NetPnl, decimal Fees, int Trades, decimal AccountNetPnl, decimal AttributedNetPnl, decimal NettingResidual, DateTimeOffset? AsOf);
