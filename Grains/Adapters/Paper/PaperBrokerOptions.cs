using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Paper;

/// <summary>Costs the paper broker charges (section <c>Trading:Broker:Paper</c>).</summary>
public sealed class PaperBrokerOptions
{
    public const string SectionName = "Trading:Broker:Paper";

    /// <summary>Commission per fill, in basis points of the fill's notional (10 = Binance's 0.1% taker fee).</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal FeeBps { get; set; } = 10m;

    /// <summary>How much worse than the reference price a market order fills, in basis points.</summary>
    [Range(typeof(decimal), "0", "1000")]
    public decimal SlippageBps { get; set; } = 2m;
}
