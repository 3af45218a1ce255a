using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>
/// When a simulated limit order fills on a bar, and at what price — the one rule both paper venues follow. A bar fills
/// a buy limit when its low trades below the limit (a sell's: its high above): a touch is not enough, since without
/// the book a paper venue cannot know the order's place in the queue at that price, so only trading through the limit
/// counts as certain. The fill is at the limit, or at the bar's open slipped when the bar opened through the limit
/// (a gap), never worse than the limit.
/// </summary>
public static class LimitCrossing
{
    /// <summary>The fill price on <paramref name="bar"/>, or null when the bar did not trade through the limit.</summary>
    public static decimal? FillPrice(LimitTerms limit, OrderSide side, Candle bar, decimal slippageBps)
    {
        var crossed = side == OrderSide.Buy ? bar.Low < limit.Price : bar.High > limit.Price;
        if (!crossed)
        {
            return null;
        }

        var openSlipped = Slipped(bar.Open, side, slippageBps);
        return limit.Allows(side, openSlipped) ? openSlipped : limit.Price;
    }

    /// <summary>A price moved against the trader by <paramref name="slippageBps"/> (a buy pays more, a sell gets less).</summary>
    public static decimal Slipped(decimal price, OrderSide side, decimal slippageBps)
    {
        var worse = slippageBps / 10_000m;
        return decimal.Round(price * (side == OrderSide.Buy ? 1 + worse : 1 - worse), 8);
    }
}
