using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Grains.Strategies;

/// <summary>Persisted strategy configs, by id.</summary>
[GenerateSerializer]
public sealed class StrategyRegistryState
{
    [Id(0)] public Dictionary<string, StrategyConfig> Configs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Set once the defaults were stored, so deleting every strategy does not bring them back.</summary>
    [Id(1)] public bool Seeded { get; set; }
}

/// <summary>The single store of strategy configs; each change is pushed to the grains that run them.</summary>
public sealed class StrategyRegistryGrain(
    [PersistentState("strategies")] IPersistentState<StrategyRegistryState> state,
    IAuditSink audit,
    TimeProvider time,
    IOptions<PortfolioOptions> portfolio,
    ModelStore models) : Grain, IStrategyRegistryGrain
{
    private static readonly IReadOnlyList<StrategyDefinition> TypesByName =
        [.. StrategyCatalog.Definitions.Values.OrderBy(d => d.Type, StringComparer.Ordinal)];

    private Dictionary<string, StrategyConfig> Configs => state.State.Configs;

    Task<IReadOnlyList<StrategyConfig>> IStrategyRegistryGrain.List() =>
        Task.FromResult<IReadOnlyList<StrategyConfig>>([.. Configs.Values.OrderBy(c => c.Id, StringComparer.Ordinal)]);

    Task<StrategyConfig?> IStrategyRegistryGrain.Get(string id) => Task.FromResult(Configs.GetValueOrDefault(id));

    Task<IReadOnlyList<StrategyDefinition>> IStrategyRegistryGrain.GetTypes() => Task.FromResult(TypesByName);

    // Here, not in the API: the silo's account and model store are the ones the strategy will trade with.
    Task<IReadOnlyDictionary<string, string[]>> IStrategyRegistryGrain.Validate(StrategyConfig config) =>
        Task.FromResult(StrategyCatalog.Validate(config, portfolio.Value.QuoteAsset, models));

    async Task IStrategyRegistryGrain.Save(StrategyConfig config)
    {
        var previous = Configs.GetValueOrDefault(config.Id);
        Configs[config.Id] = config;
        await state.WriteStateAsync();
        audit.Write(AuditEvents.Config(previous, config, time.GetUtcNow(), AuditActor.Current));
        await Apply(previous, config);
    }

    async Task<bool> IStrategyRegistryGrain.Delete(string id)
    {
        if (!Configs.Remove(id, out var removed))
        {
            return false;
        }

        await state.WriteStateAsync();
        audit.Write(AuditEvents.Config(removed, null, time.GetUtcNow(), AuditActor.Current));
        await Apply(removed, null);
        return true;
    }

    async Task IStrategyRegistryGrain.EnsureSeeded(IReadOnlyList<StrategyConfig> defaults)
    {
        if (!state.State.Seeded)
        {
            foreach (var config in defaults)
            {
                Configs.TryAdd(config.Id, config);
            }

            state.State.Seeded = true;
            await state.WriteStateAsync();
        }

        foreach (var config in Configs.Values.ToArray())
        {
            await Apply(null, config);
        }
    }

    /// <summary>Reconfigures every symbol and pair that the old or the new version of a config touches.</summary>
    private async Task Apply(StrategyConfig? previous, StrategyConfig? current)
    {
        var any = current ?? previous!;
        if (StrategyCatalog.Definitions[any.Type].IsPair)
        {
            // Pair strategies vote through their PairGrain, which withdraws the votes of strategies it drops.
            foreach (var pairKey in PairKeysOf(previous).Union(PairKeysOf(current)))
            {
                var onPair = Configs.Values.Where(c => c.Enabled && PairKeysOf(c).Contains(pairKey)).OrderBy(c => c.Id, StringComparer.Ordinal);
                await GrainFactory.GetGrain<IPairGrain>(pairKey).Configure([.. onPair]);
            }
        }

        var touched = (previous?.Symbols ?? []).Union(current?.Symbols ?? [], StringComparer.Ordinal);
        foreach (var symbol in touched)
        {
            var plan = StrategyPlan.ForSymbol(symbol, Configs.Values);
            await GrainFactory.GetGrain<ISymbolGrain>(symbol).Configure(plan.SingleSymbol, plan.PairKeys);
            if (previous is not null && !StrategyCatalog.Definitions[previous.Type].IsPair && !plan.Runs(previous.Id))
            {
                await GrainFactory.GetGrain<ISignalAggregatorGrain>(symbol).Withdraw(previous.Id);
            }
        }
    }

    private static string[] PairKeysOf(StrategyConfig? config) =>
        config is not null && StrategyCatalog.Definitions[config.Type].IsPair
            ? [StrategyConfig.PairKey(config.Symbols[0], config.Symbols[1])]
            : [];
}
