using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Tests.Risk;

/// <summary>Limits for rule tests: every limit that 0 disables is off, so a test turns on only what it is about.</summary>
public static class TestLimits
{
    public static readonly RiskLimits Off = new()
    {
        DailyLossFraction = 0m,
        MaxDrawdownFraction = 0m,
        MaxGrossExposure = 0m,
        MaxNetExposure = 0m,
        MaxCorrelatedExposure = 0m,
        MaxValueAtRiskFraction = 0m,
        MaxOrdersPerMinute = 0,
        KellyFraction = 0m,
        MaxOpenOrders = 0,
    };
}
