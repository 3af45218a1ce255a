using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>The instrument's minimum quantity and value, checked on the quantity that would be sent.</summary>
public sealed class InstrumentMinimumRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly RiskLimits Limits = TestLimits.Off with
    {
        MaxPositionNotional = 1_000_000m, MaxOrderNotional = 1_000_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 1m,
    };

    private static RiskDecision Buy(decimal quantity, InstrumentRules instrument) =>
        RiskEngine.Review(new OrderIntent("BTCUSDT-manual-1", "BTCUSDT", OrderSide.Buy, quantity, 30_000m, "manual", Now, Now),
            TestInputs.Holding(new SymbolExposure("BTCUSDT", 0m, 100_000m, 0m), Limits, instrument, TradingState.Active, Now));

    [Fact]
    public void Below_the_minimum_quantity_or_value_an_order_is_refused_with_the_numbers()
    {
        // 0.0005 BTC < 0.001; 0.0005 × 30,000 = 15 < 20.
        var quantity = Buy(0.0005m, new InstrumentRules("BTCUSDT", 0.0001m, MinQuantity: 0.001m));
        var value = Buy(0.0005m, new InstrumentRules("BTCUSDT", 0.0001m, MinNotional: 20m));

        Assert.Equal((RiskRejectionReason.BelowInstrumentMinimum, RiskRejectionReason.BelowInstrumentMinimum), (quantity.Rejection, value.Rejection));
        Assert.EndsWith("; 0.0005 is below BTCUSDT's minimum quantity 0.001", quantity.Explanation);
        Assert.EndsWith("; 0.0005 × 30000 = 15 is below BTCUSDT's minimum order value 20", value.Explanation);
    }

    [Fact]
    public void At_the_minimums_or_without_any_the_order_passes()
    {
        // 0.001 × 30,000 = 30 ≥ 20.
        Assert.True(Buy(0.001m, new InstrumentRules("BTCUSDT", 0.0001m, MinQuantity: 0.001m, MinNotional: 20m)).Approved);
        Assert.True(Buy(0.0001m, new InstrumentRules("BTCUSDT", 0.0001m)).Approved);
    }
}
