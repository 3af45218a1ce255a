using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Persisted part of a PairGrain: the pair strategies it runs and each one's spread book (baskets, held legs, fills).
/// Spread models are rebuilt from the feed.
/// </summary>
[GenerateSerializer]
public sealed class PairGrainState
{
    [Id(0)] public List<StrategyConfig> Strategies { get; set; } = [];

    [Id(1)] public Dictionary<string, SpreadBookState> Spreads { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The latest aligned closes of both legs: the marks of the held legs, and the prices a removed strategy's spread closes at.</summary>
    [Id(2)] public Candle? LastBarA { get; set; }

    [Id(3)] public Candle? LastBarB { get; set; }
}

/// <summary>
/// A pair of instruments (key <c>A|B</c>): aligns both legs once and trades each strategy's spread as one basket of
/// both legs in its hedge ratio (sized and checked by risk in one decision, placed by the order entry together); a
/// basket with a leg still working is settled again until its legs fill or the leg-alone time is over. Each strategy's
/// latest spread and cointegration test are exported as the pair metrics.
/// </summary>
public sealed class PairGrain(
    [PersistentState("pair")] IPersistentState<PairGrainState> state,
    IOptions<PairOptions> options,
    TimeProvider time,
    TradingMetrics metrics,
    ILogger<PairGrain> logger) : Grain, IPairGrain
{
    private readonly Dictionary<string, PairSpreadUpdate> _lastUpdates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpreadBook> _books = new(StringComparer.Ordinal);
    private LegAligner _aligner = null!;
    private List<(StrategyConfig Config, IPairModel Model)> _models = [];
    private IOrderEntryGrain _entry = null!;
    private IGrainTimer? _settleTimer;

    private string Pair => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var legs = this.GetPrimaryKeyString().Split('|');
        _aligner = new LegAligner(legs[0], legs[1]);
        _entry = GrainFactory.GetGrain<IOrderEntryGrain>(0);
        Rebuild();
        ArmSettleTimer();
        return Task.CompletedTask;
    }

    async Task IPairGrain.OnLegClose(Candle candle)
    {
        if (_models.Count == 0 || _aligner.Add(candle) is not var (barA, barB))
        {
            return;
        }

        // A basket still working is looked at first: where legs fill at a later bar's open (a backtest's venue), they have
        // filled by now, so this bar's targets are decided on settled legs whenever the timer last looked.
        await SettleWorking();
        var targets = new List<SpreadTarget>(_models.Count);
        var ingestedAt = barA.IngestedAt > barB.IngestedAt ? barA.IngestedAt : barB.IngestedAt;
        (state.State.LastBarA, state.State.LastBarB) = (barA, barB);
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
            if (Book(config.Id).Next(config.Id, update, barA, barB, ingestedAt, options.Value.MinimumHedgeRatioChange) is { } target)
            {
                targets.Add(target);
            }
        }

        // Each strategy's basket is its own: they go out together, and each is settled on its own.
        var outcomes = await Task.WhenAll(targets.Select(Submit));
        if (outcomes.Length > 0)
        {
            await state.WriteStateAsync();
            ArmSettleTimer();
        }
    }

    /// <summary>Sends a spread target; an order entry that fails is a passing fault, and the target is owed.</summary>
    private async Task<BasketOutcome> Submit(SpreadTarget target)
    {
        BasketOutcome outcome;
        try
        {
            outcome = await _entry.SubmitSpread(target);
        }
        catch (Exception e)
        {
            logger.LogWarning("Pair {Pair}: the basket of {StrategyId} did not get through ({Error}); sent again on the next bar", Pair, target.StrategyId, e.Message);
            outcome = new BasketOutcome(new SpreadDecision(target.StrategyId, target.Sequence, 0, 0, [], Interfaces.Risk.RiskRejectionReason.OrderPathDegraded,
                e.Message, time.GetUtcNow(), TargetReached: false), BasketStatus.Faulted, [], time.GetUtcNow(), e.Message);
        }

        Record(target.StrategyId, outcome);
        return outcome;
    }

    private void Record(string strategyId, BasketOutcome outcome)
    {
        Book(strategyId).Settled(outcome);
        if (outcome.Status == BasketStatus.Unwound)
        {
            logger.LogWarning("Pair {Pair}: the basket of {StrategyId} was unwound: {Note}", Pair, strategyId, outcome.Note);
        }
    }

    /// <summary>
    /// While a basket has a leg working, its legs are looked at again every quarter of the leg-alone time, or every second
    /// if that is sooner (and at each aligned bar); once that time is over the order entry cancels and unwinds what did
    /// not complete.
    /// </summary>
    private void ArmSettleTimer()
    {
        var working = state.State.Spreads.Any(s => s.Value.Working is not null);
        if (working && _settleTimer is null)
        {
            var period = TimeSpan.FromTicks(Math.Min(options.Value.MaxLegAloneTime.Ticks / 4, TimeSpan.TicksPerSecond));
            _settleTimer = this.RegisterGrainTimer(_ => SettleWorking(), period, period);
        }
        else if (!working)
        {
            _settleTimer?.Dispose();
            _settleTimer = null;
        }
    }

    private async Task SettleWorking()
    {
        var working = state.State.Spreads.Where(s => s.Value.Working is not null).ToArray();
        if (working.Length == 0)
        {
            return;
        }

        foreach (var (strategyId, spread) in working)
        {
            var basket = spread.Working!;
            var legTimeOver = time.GetUtcNow() - basket.SentAt >= options.Value.MaxLegAloneTime;
            try
            {
                Record(strategyId, await _entry.SettleBasket(basket, legTimeOver));
            }
            catch (Exception e)
            {
                // Still working: the next tick looks again (and unwinds, once the leg-alone time is over).
                logger.LogWarning("Pair {Pair}: the working basket of {StrategyId} could not be settled: {Error}", Pair, strategyId, e.Message);
            }
        }

        await state.WriteStateAsync();
        ArmSettleTimer();
    }

    private SpreadBook Book(string strategyId)
    {
        if (!_books.TryGetValue(strategyId, out var book))
        {
            if (!state.State.Spreads.TryGetValue(strategyId, out var spread))
            {
                state.State.Spreads[strategyId] = spread = new SpreadBookState();
            }

            _books[strategyId] = book = new SpreadBook(spread, _aligner.Legs[0], _aligner.Legs[1]);
        }

        return book;
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
            // A strategy that goes takes its spread with it: its legs are closed as one basket at the latest closes.
            if (state.State is { LastBarA: { } barA, LastBarB: { } barB } && state.State.Spreads.ContainsKey(strategyId)
                && Book(strategyId).Close(strategyId, barA, barB, time.GetUtcNow()) is { } close)
            {
                await Submit(close);
            }

            if (state.State.Spreads.GetValueOrDefault(strategyId) is not { Working: not null })
            {
                state.State.Spreads.Remove(strategyId);
                _books.Remove(strategyId);
            }
        }

        await state.WriteStateAsync();
        ArmSettleTimer();
    }

    Task<IReadOnlyList<PairState>> IPairGrain.GetState()
    {
        IReadOnlyList<PairState> states = [.. _models.Select(m =>
        {
            var update = _lastUpdates.GetValueOrDefault(m.Config.Id);
            var holding = state.State is { LastBarA: { } barA, LastBarB: { } barB } && state.State.Spreads.ContainsKey(m.Config.Id)
                ? Book(m.Config.Id).Holding(barA.Close, barB.Close)
                : null;
            return new PairState(m.Config.Id, _aligner.Legs[0], _aligner.Legs[1], update?.HedgeRatio, update?.ZScore,
                _aligner.AlignedBars, update?.SpreadPosition ?? SignalDirection.Flat, m.Config.Type,
                update?.Strength ?? 0, update?.Reason, update?.Cointegration, holding);
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
