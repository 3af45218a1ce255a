using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>What the RiskGrain gathers for one decision: the portfolio, the limits, the instrument, its own state.</summary>
/// <param name="View">Positions (approved orders not yet final counted as held), marks, equity and covariance terms.</param>
/// <param name="Model">How correlation and VaR are estimated.</param>
/// <param name="OpenOrders">Approved orders not yet filled or rejected.</param>
/// <param name="ApprovalsLastMinute">Orders approved in the 60 seconds before <paramref name="Now"/>.</param>
/// <param name="SpreadQuantity">The pair strategies' sub-positions on the symbol, added to a signal's target.</param>
/// <param name="Committed">What approved orders not yet final may still spend of the account's free balances.</param>
public sealed record RiskInputs(
    PortfolioRiskView View,
    RiskLimits Limits,
    RiskOptions Model,
    InstrumentRules Instrument,
    TradingState State,
    int OpenOrders,
    int ApprovalsLastMinute,
    DateTimeOffset Now,
    decimal SpreadQuantity = 0,
    OpenCommitments Committed = default);

/// <summary>
/// What the open approved orders may still spend: every open buy's value in the quote asset (one quote pays for every
/// symbol) and the open sells' quantity of the traded symbol.
/// </summary>
public readonly record struct OpenCommitments(decimal BuyValue, decimal SellQuantity);
