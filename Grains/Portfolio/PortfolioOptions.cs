using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>The paper account, its target allocation and its equity history (section <c>Trading:Portfolio</c>).</summary>
public sealed class PortfolioOptions : IValidatableObject
{
    public const string SectionName = "Trading:Portfolio";

    /// <summary>Cash deposited when the account is first created, in <see cref="QuoteAsset"/>.</summary>
    [Range(typeof(decimal), "1", "1000000000000")]
    public decimal InitialCash { get; set; } = 100_000m;

    /// <summary>The asset cash and PnL are counted in; every traded symbol must be quoted in it.</summary>
    [Required, RegularExpression("^[A-Z0-9]{2,10}$")]
    public string QuoteAsset { get; set; } = "USDT";

    /// <summary>
    /// Target share of equity per symbol (negative for a short), e.g. <c>{"BTCUSDT": 0.3, "ETHUSDT": 0.2}</c>;
    /// empty means no strategic allocation: nothing is rebalanced.
    /// </summary>
    public Dictionary<string, decimal> TargetWeights { get; set; } = [];

    /// <summary>Drift (current weight − target weight, in absolute share of equity) beyond which a symbol is rebalanced.</summary>
    [Range(typeof(decimal), "0.0001", "1")]
    public decimal RebalanceBand { get; set; } = 0.05m;

    /// <summary>How often the scheduled rebalance runs (an Orleans reminder; at least one minute); null disables the schedule.</summary>
    public TimeSpan? RebalanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Market time between two points of the equity curve.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan EquityCurveInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Points of the equity curve kept in memory (the newest).</summary>
    [Range(10, 1_000_000)]
    public int EquityCurvePoints { get; set; } = 5_000;

    /// <summary>
    /// How often the per-strategy shadow books are saved (and when the grain deactivates). A crash loses the books'
    /// trades since the last save: attribution and the vote weights drawn from it, never the account or an order.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShadowSaveInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (symbol, weight) in TargetWeights)
        {
            if (!ExchangeSymbol.IsValid(symbol) || !symbol.EndsWith(QuoteAsset, StringComparison.Ordinal))
            {
                yield return new ValidationResult($"'{symbol}' is not a symbol quoted in {QuoteAsset}.", [nameof(TargetWeights)]);
            }

            if (weight is < -1 or > 1)
            {
                yield return new ValidationResult($"The weight of {symbol} must be between -1 and 1; got {weight}.", [nameof(TargetWeights)]);
            }
        }

        if (TargetWeights.Values.Sum(Math.Abs) > 1)
        {
            yield return new ValidationResult($"The absolute target weights add up to {TargetWeights.Values.Sum(Math.Abs)}, more than 1 (all of equity).", [nameof(TargetWeights)]);
        }

        if (RebalanceInterval is { } interval && interval < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"At least one minute (Orleans reminders); got {interval}.", [nameof(RebalanceInterval)]);
        }
    }
}
