using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// The portfolio's position values with a share f ∈ [0, 1] of an order filled. Only the traded symbol's value moves
/// with f, so each exposure and VaR measure is a closed form in f — a convex one, so the largest share that keeps it
/// within a limit is found by bisection.
/// </summary>
public sealed class PortfolioAfterTrade
{
    private const int BisectionSteps = 40;

    public PortfolioAfterTrade(PortfolioRiskView view, string symbol, decimal quantity, decimal price, int side)
    {
        View = view;
        Traded = IndexOf(view, symbol);
        var n = view.Symbols.Count;
        Values = new double[n];
        for (var i = 0; i < n; i++)
        {
            Values[i] = (double)(view.Quantities[i] * (i == Traded ? price : view.Prices[i]));
        }

        TradeValue = (double)(quantity * price) * side;
        for (var i = 0; i < n; i++)
        {
            if (i != Traded)
            {
                OthersGross += Math.Abs(Values[i]);
                OthersNet += Values[i];
            }
        }
    }

    public PortfolioRiskView View { get; }

    /// <summary>The traded symbol's index in the view.</summary>
    public int Traded { get; }

    /// <summary>Signed position values before the trade, the traded symbol at the order's price.</summary>
    public double[] Values { get; }

    /// <summary>The signed value of the whole order.</summary>
    public double TradeValue { get; }

    /// <summary>Σ|value| of the symbols not traded.</summary>
    public double OthersGross { get; }

    /// <summary>Σ value of the symbols not traded.</summary>
    public double OthersNet { get; }

    /// <summary>The traded symbol's value with <paramref name="share"/> of the order filled.</summary>
    public double TradedValue(double share) => Values[Traded] + share * TradeValue;

    /// <summary>The return correlation of symbol <paramref name="i"/> with the traded one (0 when either never moved).</summary>
    public double CorrelationWithTraded(int i)
    {
        var scale = Math.Sqrt(View.Variances[i] * View.Variances[Traded]);
        return scale > 0 ? View.CovarianceWithTraded[i] / scale : 0;
    }

    /// <summary>The largest f in [0, 1] that fits, given that f = 0 fits and the fitting set is an interval.</summary>
    public static double LargestShare(Func<double, bool> fits)
    {
        if (fits(1))
        {
            return 1;
        }

        double low = 0, high = 1;
        for (var step = 0; step < BisectionSteps; step++)
        {
            var middle = (low + high) / 2;
            (low, high) = fits(middle) ? (middle, high) : (low, middle);
        }

        return low;
    }

    /// <summary>Where <paramref name="symbol"/> stands in the view's symbols.</summary>
    /// <exception cref="ArgumentException">The view has no such symbol.</exception>
    internal static int IndexOf(PortfolioRiskView view, string symbol)
    {
        for (var i = 0; i < view.Symbols.Count; i++)
        {
            if (view.Symbols[i] == symbol)
            {
                return i;
            }
        }

        throw new ArgumentException($"The risk view has no {symbol}.", nameof(view));
    }
}
