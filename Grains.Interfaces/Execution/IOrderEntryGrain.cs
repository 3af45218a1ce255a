using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;

namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>
/// The way into trading (key 0) for every order that is not a signal's — a rebalance, a trader's — and for the pair
/// strategies' baskets: reviewed by risk, then executed if approved, by the same route a symbol's aggregator sends its
/// signals through (<c>OrderRoute</c>); and an order is found, amended or cancelled by its id alone.
/// </summary>
public interface IOrderEntryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A pair strategy's spread target: risk sizes both legs in one decision, and both leg orders go out together; a leg
    /// refused or failed has the other unwound. A leg still working comes back <see cref="BasketStatus.Working"/>.
    /// </summary>
    Task<BasketOutcome> SubmitSpread(SpreadTarget target);

    /// <summary>
    /// Looks at a working basket's legs again: all filled completes it; a leg refused, or any leg not filled once
    /// <paramref name="legTimeOver"/>, cancels what is open and unwinds what filled.
    /// </summary>
    Task<BasketOutcome> SettleBasket(BasketOutcome basket, bool legTimeOver);

    /// <summary>An order its sender sized (a rebalance): risk reviews it, execution works it if approved.</summary>
    Task<ReviewedOrder> SubmitOrder(OrderIntent intent);

    /// <summary>
    /// An order placed by hand (validated by the caller): an order with its id is returned as it is; otherwise it is
    /// priced at the symbol's last bar, reviewed by risk and executed if approved.
    /// </summary>
    Task<ManualOrderResult> PlaceManualOrder(ManualOrder order);

    /// <summary>The order with this id, whichever symbol it trades; null when there is none.</summary>
    Task<ParentOrder?> FindOrder(string orderId);

    /// <summary>Cancels the order with this id (see <see cref="IExecutionGrain.Cancel"/>); no order: a change with none.</summary>
    Task<OrderChange> CancelOrder(string orderId);

    /// <summary>Amends the order with this id (see <see cref="IExecutionGrain.Amend"/>); no order: a change with none.</summary>
    Task<OrderChange> AmendOrder(string orderId, decimal quantity);

    /// <summary>The most recent orders of one symbol, or of every symbol that can have orders, newest first.</summary>
    Task<IReadOnlyList<ParentOrder>> GetOrders(string? symbol, int limit);
}

/// <summary>Risk's decision on an order and, when risk approved it, the order as execution has it.</summary>
/// <param name="Fault">Set when the order did not get through for a passing reason; the sender may send it again.</param>
[GenerateSerializer, Immutable]
public sealed record ReviewedOrder(
    [property: Id(0)] RiskDecision Decision,
    [property: Id(1)] ParentOrder? Order,
    [property: Id(2)] OrderPathFault? Fault = null);

/// <summary>A hop of the order path, each bounded by a timeout and a circuit breaker.</summary>
public enum OrderPathHop
{
    Risk,
    Portfolio,
    Execution,
    Venue,
}

/// <summary>
/// A passing failure of the order path (a hop that did not answer in time, whose circuit is open, or that threw; no venue
/// available), as against a risk refusal. Sending the same signal again is safe: its intent id is the same, and an intent
/// id execution knows changes nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderPathFault(
    [property: Id(0)] OrderPathHop Hop,
    [property: Id(1)] string Reason);

/// <summary>How a manual order entry ended.</summary>
public enum ManualOrderOutcome
{
    /// <summary>Risk approved it and execution has it (the order's status says how it went at the venue).</summary>
    Placed,

    /// <summary>An order with its id existed already: returned as it is, not reviewed or sent again.</summary>
    AlreadyPlaced,

    /// <summary>No bar of the symbol has arrived, so the order has no reference price.</summary>
    NoPrice,

    /// <summary>Risk refused it; the decision says why.</summary>
    Refused,
}

/// <summary>What became of a manual order: the order, or why there is none.</summary>
/// <param name="Order">Set when <see cref="ManualOrderOutcome.Placed"/> or <see cref="ManualOrderOutcome.AlreadyPlaced"/>.</param>
/// <param name="Decision">Risk's decision; null when risk was not asked (<see cref="ManualOrderOutcome.AlreadyPlaced"/>, <see cref="ManualOrderOutcome.NoPrice"/>).</param>
[GenerateSerializer, Immutable]
public sealed record ManualOrderResult(
    [property: Id(0)] ManualOrderOutcome Outcome,
    [property: Id(1)] ParentOrder? Order,
    [property: Id(2)] RiskDecision? Decision);

/// <summary>A parent order a trader placed by hand, with the algorithm that works it.</summary>
/// <param name="Symbol">An exchange symbol quoted in the account's quote asset.</param>
/// <param name="ClientOrderId">The trader's id for it, which makes a retry return the first order; null for a fresh one.</param>
[GenerateSerializer, Immutable]
public sealed record ManualOrder(
    [property: Id(0)] string Symbol,
    [property: Id(1)] OrderSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] ExecutionInstruction Instruction,
    [property: Id(4)] string? ClientOrderId);
