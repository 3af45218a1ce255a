using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Tests.Support;

/// <summary>The accounting identities every run must keep: cash and positions are exactly what the fills made them.</summary>
public static class Reconciliation
{
    public static void AssertPortfolioMatchesFills(PortfolioSnapshot portfolio, IReadOnlyList<Fill> fills, IEnumerable<string> symbols)
    {
        Assert.Equal(fills.Count, portfolio.FillCount);
        var expectedCash = portfolio.InitialCash
            - fills.Where(f => f.Side == OrderSide.Buy).Sum(f => f.Quantity * f.Price)
            + fills.Where(f => f.Side == OrderSide.Sell).Sum(f => f.Quantity * f.Price)
            - fills.Where(f => f.FeeInBase == 0).Sum(f => f.Fee);
        Assert.Equal(expectedCash, portfolio.Cash);
        Assert.Equal(fills.Sum(f => f.Fee), portfolio.FeesPaid);
        foreach (var symbol in symbols)
        {
            var expected = fills.Where(f => f.Symbol == symbol).Sum(f => (f.Side == OrderSide.Buy ? f.Quantity : -f.Quantity) - f.FeeInBase);
            Assert.Equal(expected, portfolio.Positions.SingleOrDefault(p => p.Symbol == symbol)?.Quantity ?? 0m);
        }
    }
}
