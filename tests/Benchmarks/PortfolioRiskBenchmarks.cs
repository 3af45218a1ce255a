using BenchmarkDotNet.Attributes;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// The pre-trade portfolio rules (gross, net, correlated group, parametric VaR after the trade) on a covariance
/// learned from real returns, for 4 held symbols and for 50; "binding" makes the VaR limit scale the order
/// (bisection), "within" lets it through.
/// </summary>
[MemoryDiagnoser]
public class PortfolioRiskBenchmarks
{
    private static readonly RiskOptions Options = new();
    private readonly Dictionary<int, PortfolioRiskView> _views = [];
    private OrderIntent _order = null!;

    [Params(4, 50)]
    public int Symbols { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 50 symbols: the four real series, each reused with a shifted start so the returns differ.
        var real = new[] { "BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT" }.Select(s => BenchmarkData.Bars(s, 3_000)).ToArray();
        var returns = new MarketReturns();
        var names = Enumerable.Range(0, Symbols).Select(i => $"SYM{i:00}USDT").ToArray();
        for (var t = 0; t < 2_000; t++)
        {
            for (var i = 0; i < Symbols; i++)
            {
                var bar = real[i % 4][t + 13 * (i / 4)];
                returns.Observe(names[i], (double)bar.Close, real[0][t].CloseTime);
            }
        }

        var quantities = names.Select((_, i) => i % 3 == 0 ? -1m : 1m).ToArray();
        var prices = names.Select(_ => 1_000m).ToArray();
        var (withTraded, variances, portfolioVariance) = RiskBookView.Terms(returns.Snapshot(), names, [.. quantities.Select(q => (double)q * 1_000)], Symbols - 1);
        _views[Symbols] = new PortfolioRiskView(
            new SymbolExposure(names[^1], quantities[^1], 100_000m, 0), names, quantities, prices,
            withTraded, returns.Observations, returns.BarInterval, variances, portfolioVariance);
        _order = new OrderIntent("bench-1", names[^1], OrderSide.Buy, 5m, 1_000m, "benchmark", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
    }

    [Benchmark(Description = "portfolio check, VaR within its limit")]
    public RiskDecision Within() => RiskEngine.Review(_order, Inputs(0.5m));

    [Benchmark(Description = "portfolio check, VaR binding (bisection)")]
    public RiskDecision Binding() => RiskEngine.Review(_order, Inputs(0.0001m));

    // The whole review of the order: the per-order rules (a few decimal operations) run before the portfolio rules.
    private RiskInputs Inputs(decimal varFraction) =>
        new(_views[Symbols], Limits(varFraction), Options, Lot, TradingState.Active, 0, 0, DateTimeOffset.UnixEpoch);

    private static readonly InstrumentRules Lot = new("bench", 0.00001m);

    private static RiskLimits Limits(decimal varFraction) =>
        new()
        {
            MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 1m, AllowShortSelling = true,
            DailyLossFraction = 0m, MaxDrawdownFraction = 0m, MaxGrossExposure = 1_000_000m, MaxNetExposure = 1_000_000m,
            MaxCorrelatedExposure = 1_000_000m, MaxValueAtRiskFraction = varFraction, MaxOrdersPerMinute = 0, MaxOpenOrders = 0,
        };
}
