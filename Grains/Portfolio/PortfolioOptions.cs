using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>The paper account (section <c>Trading:Portfolio</c>).</summary>
public sealed class PortfolioOptions
{
    public const string SectionName = "Trading:Portfolio";

    /// <summary>Cash deposited when the account is first created, in <see cref="QuoteAsset"/>.</summary>
    [Range(typeof(decimal), "1", "1000000000000")]
    public decimal InitialCash { get; set; } = 100_000m;

    /// <summary>The asset cash and PnL are counted in; every traded symbol must be quoted in it.</summary>
    [Required, RegularExpression("^[A-Z0-9]{2,10}$")]
    public string QuoteAsset { get; set; } = "USDT";
}
