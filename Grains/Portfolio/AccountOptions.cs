using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>The venue account followed in <c>Testnet</c> and <c>Live</c> (section <c>Trading:Account</c>).</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Trading:Account";

    /// <summary>How often the account is read again and compared with the portfolio (it is also at start and after the user-data stream reconnects).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The share of equity an asset's drift (account minus portfolio, valued at its mark) may reach before it counts.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal DriftTolerance { get; set; } = 0.001m;

    /// <summary>What happens to drift over the tolerance seen at two reconciliations in a row.</summary>
    public DriftPolicy OnDrift { get; set; } = DriftPolicy.Adopt;
}
