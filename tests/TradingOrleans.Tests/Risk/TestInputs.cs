using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>Inputs of one risk decision for rule tests: a portfolio of one symbol unless a test builds its own view.</summary>
public static class TestInputs
{
    public static readonly RiskOptions Model = new();

    /// <summary>Only <paramref name="exposure"/>'s symbol in the portfolio, no return history.</summary>
    public static RiskInputs Holding(
        SymbolExposure exposure, RiskLimits limits, InstrumentRules instrument, TradingState state, DateTimeOffset now, int openOrders = 0, int approvalsLastMinute = 0) =>
        new(new PortfolioRiskView(exposure, [exposure.Symbol], [exposure.PositionQuantity], [0m], [0.0], 0, null, [0.0], 0),
            limits, Model, instrument, state, openOrders, approvalsLastMinute, now);
}
