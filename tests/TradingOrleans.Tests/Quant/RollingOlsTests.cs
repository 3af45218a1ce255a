using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Tests.Quant;

public sealed class RollingOlsTests
{
    [Fact]
    public void Fit_matches_the_closed_form_on_a_hand_computed_set()
    {
        var ols = new RollingOls(5);
        foreach (var (x, y) in new[] { (1.0, 2.0), (2, 4), (3, 5), (4, 4), (5, 5) })
        {
            ols.Add(x, y);
        }

        // x̄ = 3, ȳ = 4, Sxy = 4 + 0 + 0 + 0 + 2 = 6, Sxx = 10 → β = 0.6, α = 4 − 0.6·3 = 2.2.
        // Residuals −0.8, 0.6, 1.0, −0.6, −0.2 → SSR = 2.4 → standard error √(2.4 / 3) = √0.8.
        Assert.True(ols.IsReady);
        Assert.Equal(0.6, ols.Slope, 12);
        Assert.Equal(2.2, ols.Intercept, 12);
        Assert.Equal(Math.Sqrt(0.8), ols.ResidualStandardError, 12);
        Assert.Equal(-0.8, ols.Residual(1, 2), 12);
    }

    [Fact]
    public void Oldest_point_leaves_the_window()
    {
        var ols = new RollingOls(5);
        foreach (var (x, y) in new[] { (1.0, 2.0), (2, 4), (3, 5), (4, 4), (5, 5), (6, 7) })
        {
            ols.Add(x, y);
        }

        // Window (2,4) … (6,7): x̄ = 4, ȳ = 5, Sxy = 2 + 0 + 0 + 0 + 4 = 6, Sxx = 10 → β = 0.6, α = 5 − 2.4 = 2.6.
        Assert.Equal(0.6, ols.Slope, 12);
        Assert.Equal(2.6, ols.Intercept, 12);
    }
}
