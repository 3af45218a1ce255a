using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// A venue that takes orders. Idempotency on <see cref="OrderRequest.ClientOrderId"/> is the implementation's promise,
/// not the venue's (Binance refuses a repeated id only while its first order is open): a request for an id it sent
/// before never creates a second order — its answer is that order as the venue has it now, or an unknown outcome for
/// queries to settle. A call may take long (lookups, waits); execution does not wait for it beyond
/// <see cref="ExecutionOptions.VenueAnswerWait"/> and merges its answer when it comes.
/// </summary>
public interface IBroker
{
    /// <summary>A short name for logs and routing, e.g. <c>paper</c> or <c>binance</c>.</summary>
    string Name { get; }

    /// <summary>What the router needs to compare this venue with others.</summary>
    VenueTerms Terms { get; }

    /// <summary>
    /// False while the venue must not be sent new orders (circuit open, rate-limit ban): the router leaves it out, and
    /// with no venue left execution refuses new orders (degraded mode) rather than guess.
    /// </summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Sends an order, or finds the one an earlier attempt with the same client order id created. When the outcome
    /// cannot be known (timeouts, 5xx) the answer is <see cref="OrderStatus.New"/> with a note; execution then polls
    /// <see cref="QueryOrderAsync"/> until the venue tells.
    /// </summary>
    Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The venue's current state of an order and all its fills; null when it is not known yet (a placement of that id is
    /// still under way, or its request may still arrive) or the venue cannot be asked right now. An order the venue does
    /// not have and can no longer receive is answered <see cref="OrderStatus.Rejected"/> (never placed).
    /// </summary>
    Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels what is still open of an order; the answer is its final state with every fill. Null when the venue
    /// could not be asked (execution keeps querying the order).
    /// </summary>
    Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// A simulated venue whose resting limit orders fill on their symbol's bars: the execution grain hands it each bar it
/// sees while it has children resting there, and merges the reports it returns (a live venue reports on its own stream).
/// </summary>
public interface IRestingOrderVenue
{
    /// <summary>Fills what <paramref name="bar"/> traded through; the report of every order that changed.</summary>
    IReadOnlyList<OrderAck> MatchRestingOrders(Interfaces.MarketData.Candle bar);
}

/// <summary>A venue's costs and filters as the smart order router sees them.</summary>
/// <param name="FeeBps">Commission in basis points of notional.</param>
/// <param name="SlippageBps">Expected fill price worse than the reference, in basis points.</param>
/// <param name="MaxOrderQuantity">Largest quantity one order may have there (0 = no limit).</param>
/// <param name="MinNotional">Smallest order value it accepts (0 = no minimum).</param>
public sealed record VenueTerms(decimal FeeBps, decimal SlippageBps, decimal MaxOrderQuantity, decimal MinNotional);

/// <summary>A venue as execution sees it at one step: its name, its terms for routing, and whether it takes new orders now.</summary>
public readonly record struct VenueSnapshot(string Name, VenueTerms Terms, bool IsAvailable)
{
    public static VenueSnapshot Of(IBroker venue) => new(venue.Name, venue.Terms, venue.IsAvailable);
}
