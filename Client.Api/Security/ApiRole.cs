namespace TradingOrleans.Client.Api.Security;

/// <summary>What an API key may do; each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Read-only: portfolio, orders, signals, strategies, risk state.</summary>
    Viewer,

    /// <summary>Also changes strategy configs (and, as they arrive, manual orders and rebalancing).</summary>
    Trader,

    /// <summary>Also the kill switch, risk limits, audit and reports.</summary>
    Admin,
}
