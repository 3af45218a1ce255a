using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Grains.Risk;

/// <summary>
/// Computes the risk figures of <c>GET /risk</c> from the portfolio's book and return model, away from the RiskGrain
/// that every order passes. One activation per silo, so concurrent pollers share one computation and its result.
/// </summary>
[StatelessWorker(1)]
public sealed class RiskMeasuresGrain(IOptions<RiskOptions> model, TimeProvider time) : Grain, IRiskMeasuresGrain
{
    private const int MonteCarloPaths = 20_000;

    // The Monte Carlo figure alone is milliseconds of CPU that the order path shares: a poller asking more often than
    // this gets the same figures.
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    private (DateTimeOffset At, PortfolioRiskMeasures Measures)? _last;

    async Task<PortfolioRiskMeasures> IRiskMeasuresGrain.Measure(IReadOnlyDictionary<string, PendingQuantity> pending)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.At < FreshFor)
        {
            return last.Measures;
        }

        var portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        var view = RiskBookView.Of(await portfolio.GetRiskBook(), "", pending);
        var returns = await portfolio.GetReturnModel(view.Symbols);
        var measures = RiskMeasures.Of(view, returns, model.Value, MonteCarloPaths);
        _last = (now, measures);
        return measures;
    }
}
