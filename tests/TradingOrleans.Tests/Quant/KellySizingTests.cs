using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Tests.Quant;

public sealed class KellySizingTests
{
    [Theory]
    [InlineData(0.6, 1.0, 0.2)]     // 0.6 − 0.4 / 1
    [InlineData(0.55, 2.0, 0.325)]  // 0.55 − 0.45 / 2
    [InlineData(0.4, 1.0, -0.2)]    // no edge: negative
    public void Full_kelly_is_p_minus_q_over_b(double p, double b, double expected)
    {
        Assert.Equal(expected, KellySizing.FullKelly(p, b), 12);
    }

    [Fact]
    public void Fractional_kelly_is_scaled_capped_and_never_negative()
    {
        Assert.Equal(0.1625, KellySizing.Fractional(0.55, 2.0, fraction: 0.5, cap: 0.25), 12);
        Assert.Equal(0.25, KellySizing.Fractional(0.9, 5.0, fraction: 1.0, cap: 0.25), 12);
        Assert.Equal(0.0, KellySizing.Fractional(0.4, 1.0, fraction: 0.5, cap: 0.25), 12);
    }
}
