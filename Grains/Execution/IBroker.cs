using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// A venue that takes orders. Implementations must be idempotent on <see cref="OrderRequest.ClientOrderId"/>:
/// sending the same request again returns the first answer and never creates a second order.
/// </summary>
public interface IBroker
{
    /// <summary>A short name for logs and routing, e.g. <c>paper</c> or <c>binance</c>.</summary>
    string Name { get; }

    Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken);
}
