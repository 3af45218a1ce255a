using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Strategies;

/// <summary>Persisted part of a PairGrain: the pair strategies it runs. Spread models are rebuilt from the feed.</summary>
[GenerateSerializer]
public sealed class PairGrainState
{
    [Id(0)] public List<StrategyConfig> Strategies { get; set; } = [];
}

/// <summary>
/// A pair of instruments (key <c>A|B</c>): aligns both legs once and trades each strategy's spread z-score; each
/// strategy's latest spread and cointegration test are exported as the pair metrics.
/// </summary>
public sealed class PairGrain(
    [PersistentState("pair")] IPersistentState<PairGrainState> state,
    TradingMetrics metrics,
    ILogger<PairGrain> logger) : Grain, IPairGrain
{
    private readonly Dictionary<string, PairSpreadUpdate> _lastUpdates = new(StringComparer.Ordinal);
    private LegAligner _aligner = null!;
    private List<(StrategyConfig Config, IPairModel Model)> _models = [];

    private string Pair => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var legs = this.GetPrimaryKeyString().Split('|');
        _aligner = new LegAligner(legs[0], legs[1]);
        Rebuild();
        return Task.CompletedTask;
    }

    async Task IPairGrain.OnLegClose(Candle candle)
    {
        if (_models.Count == 0 || _aligner.Add(candle) is not var (barA, barB))
        {
            return;
        }

        var signalsA = new List<Signal>(_models.Count);
        var signalsB = new List<Signal>(_models.Count);
        var ingestedAt = barA.IngestedAt > barB.IngestedAt ? barA.IngestedAt : barB.IngestedAt;
        foreach (var (config, model) in _models)
        {
            if (model.Update((double)barA.Close, (double)barB.Close, barA.CloseTime) is not { } update)
            {
                continue;
            }

            if (_lastUpdates.GetValueOrDefault(config.Id) is { SpreadPosition: not SignalDirection.Flat, Cointegration.Cointegrated: true } held
                && update.Cointegration is { Cointegrated: false } test)
            {
                // The strategy goes flat on this bar, but the spread it held was traded on a relation that no longer holds.
                metrics.PairCointegrationLost(Pair, config.Id);
                logger.LogWarning("Pair {Pair}: strategy {StrategyId} lost cointegration (trace {Trace:F2} ≤ {Critical:F2}) holding a {Position} spread: it goes flat",
                    Pair, config.Id, test.TraceStatistic, test.TraceCriticalValue, held.SpreadPosition);
            }

            _lastUpdates[config.Id] = update;
            metrics.PairUpdated(Pair, config.Id, update);
            // Long spread = long leg A and short leg B; each leg votes on its own symbol's aggregator.
            var (direction, strength, reason) = (update.SpreadPosition, update.Strength, update.Reason);
            signalsA.Add(new Signal(config.Id, barA.Symbol, direction, strength, barA.Close, reason, barA.CloseTime, ingestedAt, config.Weight));
            signalsB.Add(new Signal(config.Id, barB.Symbol, (SignalDirection)(-(int)direction), strength, barB.Close, reason, barB.CloseTime, ingestedAt, config.Weight));
        }

        if (signalsA.Count > 0)
        {
            await Task.WhenAll(
                GrainFactory.GetGrain<ISignalAggregatorGrain>(barA.Symbol).Submit(signalsA),
                GrainFactory.GetGrain<ISignalAggregatorGrain>(barB.Symbol).Submit(signalsB));
        }
    }

    async Task IPairGrain.Configure(IReadOnlyList<StrategyConfig> strategies)
    {
        var removed = state.State.Strategies.Where(old => !strategies.Any(s => s.Id == old.Id)).Select(old => old.Id).ToArray();
        state.State.Strategies = [.. strategies];
        await state.WriteStateAsync();
        Rebuild();
        logger.LogInformation("Pair {Pair}: {Count} strategies", Pair, strategies.Count);

        foreach (var strategyId in removed)
        {
            _lastUpdates.Remove(strategyId);
            metrics.PairUpdated(Pair, strategyId, null);
            await Task.WhenAll(_aligner.Legs.Select(symbol =>
                GrainFactory.GetGrain<ISignalAggregatorGrain>(symbol).Withdraw(strategyId)));
        }
    }

    Task<IReadOnlyList<PairState>> IPairGrain.GetState()
    {
        IReadOnlyList<PairState> states = [.. _models.Select(m =>
        {
            var update = _lastUpdates.GetValueOrDefault(m.Config.Id);
            return new PairState(m.Config.Id, _aligner.Legs[0], _aligner.Legs[1], update?.HedgeRatio, update?.ZScore,
                _aligner.AlignedBars, update?.SpreadPosition ?? SignalDirection.Flat, m.Config.Type,
                update?.Strength ?? 0, update?.Reason, update?.Cointegration);
        })];
        return Task.FromResult(states);
    }

    private void Rebuild()
    {
        // A changed config restarts only its own model; unchanged ones keep their warm windows.
        var previous = _models.ToDictionary(m => m.Config.Id, StringComparer.Ordinal);
        _models = [.. state.State.Strategies
            .Where(c => c.Enabled)
            .Select(c => previous.TryGetValue(c.Id, out var kept) && kept.Config.HasSameSettings(c)
                ? kept
                : (c, StrategyCatalog.CreatePairModel(c)))];
    }
}
