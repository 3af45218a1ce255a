using Orleans.Concurrency;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Quant;
using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Vets series as a cointegrated basket before a pair strategy is configured on them: inline prices, or the aligned
/// closes of symbols from the historical kline files, tested by <see cref="CointegrationAnalysis"/>.
/// </summary>
/// <remarks>A stateless worker: the tests are pure computation on the caller's silo, next to the data files.</remarks>
[StatelessWorker]
public sealed class CointegrationGrain(HistoricalPrices history) : Grain, ICointegrationGrain
{
    Task<CointegrationOutcome> ICointegrationGrain.Test(CointegrationQuery query) => Task.FromResult(Test(query));

    private CointegrationOutcome Test(CointegrationQuery query)
    {
        IReadOnlyList<double[]> prices;
        DateTimeOffset? first = null, last = null;
        if (query.Prices is { } inline)
        {
            prices = inline;
        }
        else
        {
            var loaded = history.Symbols();
            var missing = query.Names.Except(loaded, StringComparer.Ordinal).ToArray();
            if (missing.Length > 0)
            {
                return Refused(CointegrationRefusal.NoHistoricalData, $"No historical data for {string.Join(", ", missing)}. Loaded: {string.Join(", ", loaded)}.");
            }

            var (times, closes) = history.Aligned(query.Names, query.From, query.To, query.MaxBars);
            (prices, first, last) = (closes, times.Count > 0 ? times[0] : null, times.Count > 0 ? times[^1] : null);
        }

        var needed = Math.Max(CointegrationQuery.MinObservations, prices.Count * (query.LagDifferences + 1) + query.LagDifferences + 4);
        if (prices[0].Length < needed)
        {
            return Refused(CointegrationRefusal.TooFewObservations, $"{prices[0].Length} aligned observations; the test needs at least {needed}.");
        }

        try
        {
            return new CointegrationOutcome(
                CointegrationAnalysis.Analyze(query.Names, prices, query.LogPrices, query.Term, query.LagDifferences, query.Confidence), first, last);
        }
        catch (ArgumentException exception)
        {
            return Refused(CointegrationRefusal.Untestable, exception.Message);
        }
    }

    private static CointegrationOutcome Refused(CointegrationRefusal refusal, string problem) => new(null, null, null, refusal, problem);
}
