using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Interfaces.Execution;

/// <summary>Per symbol: turns order intents into broker orders and tracks them to their final state.</summary>
public interface IExecutionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Works an approved order. <paramref name="target"/>, the shadow books' target of the signal the order comes from
    /// (null for an order that is not a signal's), reaches the portfolio before this returns: with the order's first
    /// fills, or alone when nothing filled.
    /// </summary>
    Task<ParentOrder> Execute(OrderIntent intent, ShadowTarget? target);

    /// <summary>
    /// A closed bar of the symbol, with the symbol's latest best bid and offer when its feed has them (the touch passive
    /// children rest at): advances the execution clock and the working parents' algorithms.
    /// </summary>
    [OneWay]
    Task OnBar(Candle candle, Quote? quote);

    /// <summary>Stops a working or open parent: no more children, open children cancelled at their venue; what was filled stands.</summary>
    Task<OrderChange> Cancel(string orderId);

    /// <summary>
    /// Cancels the order of <paramref name="intent"/> whether or not it was placed here: a known order as
    /// <see cref="Cancel"/>; an unknown one is recorded cancelled, so a placement of it still on its way sends nothing.
    /// </summary>
    Task<OrderChange> Withdraw(OrderIntent intent);

    /// <summary>Changes a working parent's total quantity (not below what was already sent); the schedule re-plans.</summary>
    Task<OrderChange> Amend(string orderId, decimal quantity);

    Task<ParentOrder?> GetOrder(string orderId);

    /// <summary>
    /// A venue's report on one of this symbol's child orders (user-data stream): new fills and status are merged,
    /// fills already known are ignored. Returns false when no child here has that client order id.
    /// </summary>
    Task<bool> OnVenueReport(OrderAck report);

    /// <summary>
    /// Risk's trading state moved: halted cancels every working parent and its open children at their venue; reducing
    /// lets on only parents that shrink the symbol's position, cut to what closes it; either way no child goes out that
    /// the state forbids, until trading is active again.
    /// </summary>
    Task OnTradingState(TradingStateChange change);

    /// <summary>Asks the venues now about every child whose state is not settled (start-up, stream reconnect).</summary>
    Task Reconcile();

    /// <summary>The most recent orders, newest first.</summary>
    Task<IReadOnlyList<ParentOrder>> GetOrders(int limit);

    /// <summary>
    /// Completes once every call and timer tick queued here before it has run: a backtest waits on it for the ticks its
    /// market clock fired before it fills orders on the next bar.
    /// </summary>
    Task CaughtUp();

    /// <summary>Every order kept, at the revision last published to the <see cref="IOrderReadModelGrain"/>.</summary>
    Task<OrderRevision> GetKeptOrders();
}
