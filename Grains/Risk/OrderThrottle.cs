using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Risk;

/// <summary>The approvals the RiskGrain keeps for the throttles: those of the last minute, and those not yet final.</summary>
/// <remarks>
/// In memory, so a restart forgets in-flight orders (they finish within seconds unless an algorithm keeps them
/// working). The portfolio-wide limits count the open ones as held: order paths of different symbols run at once,
/// and a second approval must not be judged on a portfolio the first order's fill has not reached yet.
/// </remarks>
public sealed class OrderThrottle
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _approvals = new();
    private readonly Dictionary<string, (string Symbol, decimal Quantity, decimal Price, long Approval)> _open = new(StringComparer.Ordinal);
    private long _lastApprovalNumber;

    /// <summary>Approved orders not yet reported final (filled or rejected) by execution.</summary>
    public int OpenOrders => _open.Count;

    /// <summary>Approvals in the 60 seconds before <paramref name="now"/>.</summary>
    public int ApprovalsWithinAMinute(DateTimeOffset now)
    {
        while (_approvals.Count > 0 && now - _approvals.Peek() >= Window)
        {
            _approvals.Dequeue();
        }

        return _approvals.Count;
    }

    public void Approved(OrderIntent intent, DateTimeOffset at)
    {
        _approvals.Enqueue(at);
        _open[intent.IntentId] = (intent.Symbol, (intent.Side == OrderSide.Buy ? 1 : -1) * intent.Quantity, intent.ReferencePrice, ++_lastApprovalNumber);
    }

    public void Closed(string intentId) => _open.Remove(intentId);

    /// <summary>
    /// The open orders' signed quantities by symbol (a fill may count twice until its order closes: the safe side) with
    /// the newest one's reference price, but for <paramref name="except"/>: an order judged again is not counted against
    /// itself.
    /// </summary>
    public Dictionary<string, PendingQuantity> PendingQuantities(string? except = null)
    {
        var pending = new Dictionary<string, (PendingQuantity Open, long Newest)>(StringComparer.Ordinal);
        foreach (var (intentId, (symbol, quantity, price, approval)) in _open)
        {
            if (intentId != except)
            {
                // The dictionary's order is not the approvals' once an order has closed: the newest is found by number.
                var (open, newest) = pending.GetValueOrDefault(symbol);
                pending[symbol] = (new PendingQuantity(open.Quantity + quantity, approval > newest ? price : open.ReferencePrice), Math.Max(approval, newest));
            }
        }

        return pending.ToDictionary(p => p.Key, p => p.Value.Open, StringComparer.Ordinal);
    }

    /// <summary>
    /// What the open orders may still spend of the account, valued at their reference prices, but for
    /// <paramref name="except"/>: like <see cref="PendingQuantities"/>, on the safe side while a fill is in the balances
    /// and its order not yet closed.
    /// </summary>
    public OpenCommitments Commitments(string symbol, string? except = null)
    {
        var (buyValue, sellQuantity) = (0m, 0m);
        foreach (var (intentId, (openSymbol, quantity, price, _)) in _open)
        {
            if (intentId == except)
            {
                continue;
            }

            if (quantity > 0)
            {
                buyValue += quantity * price;
            }
            else if (openSymbol == symbol)
            {
                sellQuantity -= quantity;
            }
        }

        return new OpenCommitments(buyValue, sellQuantity);
    }
}
