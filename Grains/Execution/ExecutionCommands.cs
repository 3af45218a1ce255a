using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Something the parent-order machine asks its grain to carry out; a step's commands are carried out in order.</summary>
public abstract record ExecutionCommand;

/// <summary>A command to a venue about one child order; the venue's answer goes back to the machine.</summary>
public abstract record ChildCommand(string ParentId, string Venue, OrderRequest Request) : ExecutionCommand;

/// <summary>Send a child order; the venue's first answer goes back through <see cref="ParentOrderMachine.ChildPlaced"/>.</summary>
/// <param name="Parent">The parent as it stood when the child was decided.</param>
/// <param name="Touch">A passive child's touch, kept on the child (see <see cref="ChildOrder.Touch"/>).</param>
public sealed record PlaceChild(ParentOrder Parent, string Venue, OrderRequest Request, decimal? Touch = null) : ChildCommand(Parent.OrderId, Venue, Request)
{
    /// <summary>The order path: a whole intent in one child, no algorithm. Its broker call is the order path's "broker" stage.</summary>
    public bool WholeOrder => Parent.Execution is null;
}

/// <summary>
/// Cancel what is open of a child at its venue; the final report goes back through <see cref="ParentOrderMachine.OnAnswer"/>,
/// or, when the venue does not answer in time or cannot be asked, <see cref="ParentOrderMachine.Unanswered"/>.
/// </summary>
public sealed record CancelChild(string ParentId, string Venue, OrderRequest Request) : ChildCommand(ParentId, Venue, Request);

/// <summary>Ask a venue for a child's state and fills; its report goes back through <see cref="ParentOrderMachine.OnAnswer"/>.</summary>
public sealed record QueryChild(string ParentId, string Venue, OrderRequest Request) : ChildCommand(ParentId, Venue, Request);

/// <summary>Write the kept orders through the order journal, sealing a history page when one is due.</summary>
public sealed record SaveOrders : ExecutionCommand
{
    public static readonly SaveOrders Now = new();

    private SaveOrders()
    {
    }
}

/// <summary>
/// Apply fills to the portfolio, before the next command: a position is never behind the orders saved. A parent that is
/// now final (<paramref name="Closed"/>) closes at risk with them, through the portfolio's book (maybe with no fill: a
/// rejected order).
/// </summary>
public sealed record BookFills(IReadOnlyList<Fill> Fills, ParentOrder? Closed) : ExecutionCommand;

/// <summary>
/// The audit trail's record of an order as it now stands, followed by <paramref name="Fills"/>; a placement (a child
/// sent, or the order refused) also counts in the order metrics.
/// </summary>
public sealed record AuditOrder(ParentOrder Order, IReadOnlyList<Fill> Fills, bool Placement = false) : ExecutionCommand;

/// <summary>
/// Surveillance: a child about to go out on one side could trade against this symbol's own resting limit order on the
/// other (a self-trade, a wash trade at the venue). Counted, logged and audited; the child still goes, and a venue's
/// self-trade prevention (Binance's) decides which of the two it expires.
/// </summary>
public sealed record SelfCross(string Symbol, string OrderId, string RestingOrderId, string Detail) : ExecutionCommand;

/// <summary>Why a cancel or an amend was refused.</summary>
public enum ChangeRefusal
{
    /// <summary>No kept order has that id.</summary>
    UnknownOrder,

    /// <summary>A cancel of an order already filled, rejected or cancelled.</summary>
    AlreadyFinal,

    /// <summary>An amend of an order no algorithm is slicing.</summary>
    NotWorking,

    /// <summary>An amend to less than was already sent (or to nothing).</summary>
    BelowSent,
}

/// <summary>The machine's answer to a cancel or an amend: the order and the commands that carry the change out, or why it was refused.</summary>
/// <param name="Problem">The refusal in words, as the API shows it.</param>
public sealed record ChangeDecision(
    ParentOrder? Order, IReadOnlyList<ExecutionCommand> Commands, ChangeRefusal? Refusal = null, string? Problem = null);
