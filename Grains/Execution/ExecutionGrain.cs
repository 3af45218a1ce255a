using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Interfaces;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Execution;

/// <summary>Persisted part of an ExecutionGrain: the recent orders of its symbol, oldest first.</summary>
[GenerateSerializer]
public sealed class ExecutionGrainState
{
    [Id(0)] public List<ParentOrder> Orders { get; set; } = [];
}

/// <summary>Per symbol: places each intent as a market order through the broker and reports its fills.</summary>
public sealed class ExecutionGrain(
    [PersistentState("execution")] IPersistentState<ExecutionGrainState> state,
    IBroker broker,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain
{
    /// <summary>
    /// Older orders leave grain state (they stay in the audit trail and the trade report): the whole list is written
    /// after every order, so it must stay small.
    /// </summary>
    internal const int OrdersKept = 200;

    async Task<ParentOrder> IExecutionGrain.Execute(OrderIntent intent)
    {
        // The intent id is deterministic, so a retried intent finds its order instead of trading twice.
        var existing = state.State.Orders.FindLast(o => o.OrderId == intent.IntentId);
        if (existing is { Status: OrderStatus.Filled or OrderStatus.Rejected })
        {
            return existing;
        }

        var request = OrderBook.ToMarketOrder(intent);
        var placedAt = time.GetUtcNow();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var ack = await broker.PlaceOrderAsync(request, CancellationToken.None);
        metrics.StageCompleted("broker", started);
        var order = OrderBook.Record(intent, request, ack, placedAt, broker.Name);
        metrics.OrderPlaced(order);
        var now = time.GetUtcNow();
        audit.Write(AuditEvents.Order(order, now));
        foreach (var fill in ack.Fills)
        {
            audit.Write(AuditEvents.Fill(fill, now));
        }

        Store(order);
        await state.WriteStateAsync();

        if (ack.Fills.Count > 0)
        {
            await GrainFactory.GetGrain<IPortfolioGrain>(0).ApplyFills(ack.Fills);
        }

        if (order.Status is OrderStatus.Filled or OrderStatus.Rejected)
        {
            GrainFactory.GetGrain<IRiskGrain>(0).OrderClosed(order.OrderId).Ignore();
        }

        if (order.Status == OrderStatus.Rejected)
        {
            logger.LogWarning("{Symbol}: {Broker} rejected {OrderId}: {Reason}", intent.Symbol, broker.Name, order.OrderId, order.RejectReason);
        }

        return order;
    }

    Task<IReadOnlyList<ParentOrder>> IExecutionGrain.GetOrders(int limit)
    {
        var orders = state.State.Orders;
        IReadOnlyList<ParentOrder> newestFirst = [.. orders.Skip(Math.Max(0, orders.Count - limit)).Reverse()];
        return Task.FromResult(newestFirst);
    }

    private void Store(ParentOrder order)
    {
        var orders = state.State.Orders;
        var index = orders.FindLastIndex(o => o.OrderId == order.OrderId);
        if (index >= 0)
        {
            orders[index] = order;
            return;
        }

        orders.Add(order);
        if (orders.Count > OrdersKept)
        {
            orders.RemoveRange(0, orders.Count - OrdersKept);
        }
    }
}
