using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Per symbol: places each intent through the broker — at once, or sliced by an algorithm (TWAP, VWAP, limit
/// protection) into child orders — and reports fills to the portfolio and final states to risk.
/// </summary>
/// <remarks>
/// A child's state at the venue can lag its first answer (outcome unknown after a timeout, open, fills still to
/// come): reports from the venue's user-data stream are merged as they arrive, and every such child is also queried
/// on a timer, so a dropped stream loses nothing. Fill ids are the venue's, so a fill reported twice counts once.
/// Working parents advance on the execution clock: the market time of the latest bar (so a replay slices the
/// same way every time) and, for parents that arrived live, also the wall clock of the injected TimeProvider on a
/// one-second grain timer. Child client order ids are <c>{parent}-{n}</c> and the parent is saved after every
/// child, so a restarted grain never sends a child twice: the broker answers a repeated id with its first answer.
/// </remarks>
public sealed class ExecutionGrain(
    [PersistentState("execution")] IPersistentState<ExecutionGrainState> state,
    IReadOnlyList<IBroker> venues,
    ExecutionAlgorithms algorithms,
    IOptions<ExecutionOptions> executionOptions,
    IInstrumentCatalog instruments,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain
{
    /// <summary>
    /// Orders kept at hand (for <see cref="IExecutionGrain.GetOrders"/> and retried intents); older ones stay in the
    /// audit trail and the trade report.
    /// </summary>
    internal const int OrdersKept = 200;

    /// <summary>
    /// Finished orders per sealed history page. The grain's own state, written after every change, holds only the
    /// orders not yet sealed — the live ones and fewer than a page of finished ones — so a write does not grow with the
    /// orders kept. Ten, not more: the state is serialized on the order path's grain turn, and a page of 25 kept the
    /// written state at 18–37 KB.
    /// </summary>
    internal const int PageSize = 10;

    private const int PagesKept = OrdersKept / PageSize;

    /// <summary>A parent counts as live (wall-clock driven) when it arrived within this of the wall clock.</summary>
    private static readonly TimeSpan LiveTolerance = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, DateTimeOffset> _lastPolled = new(StringComparer.Ordinal);

    // Every order kept, oldest first: the loaded history pages, then the grain state's own orders.
    private readonly List<ParentOrder> _orders = [];

    // Ids of the kept orders whose current version is in a sealed page (an order changed after sealing leaves it).
    private readonly HashSet<string> _sealed = new(StringComparer.Ordinal);
    private Candle? _lastBar;
    private DateTimeOffset _marketNow = DateTimeOffset.MinValue;
    private IGrainTimer? _timer;

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;
    private IRiskGrain _risk = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        _risk = GrainFactory.GetGrain<IRiskGrain>(0);
        var firstPage = Math.Max(0, state.State.SealedPages - PagesKept);
        var pages = await Task.WhenAll(Enumerable.Range(firstPage, state.State.SealedPages - firstPage).Select(page => Page(page).Read()));
        foreach (var order in pages.SelectMany(page => page))
        {
            _orders.Add(order);
            _sealed.Add(order.OrderId);
        }

        // The grain state is written after a page, so an order in both (a restart between the two writes, or an order
        // changed after sealing) counts in its state version.
        foreach (var order in state.State.Orders)
        {
            if (_sealed.Remove(order.OrderId))
            {
                _orders.RemoveAll(o => o.OrderId == order.OrderId);
            }

            _orders.Add(order);
        }

        KeepNewest();
        EnsureTimer();
    }

    private string Symbol => this.GetPrimaryKeyString();

    async Task<ParentOrder> IExecutionGrain.Execute(OrderIntent intent)
    {
        // The intent id is deterministic, so a retried intent finds its order instead of trading twice — also
        // while the order is unsettled at its venue: queries settle it, a second send could duplicate it.
        if (_orders.FindLast(o => o.OrderId == intent.IntentId) is { } existing)
        {
            return existing;
        }

        if (!venues.Any(v => v.IsAvailable))
        {
            return await RefuseDegraded(intent);
        }

        var instruction = intent.Execution ?? executionOptions.Value.DefaultInstruction;
        if (instruction.Algorithm == "immediate" && instruction.MaxAdverseBps is null && venues.Count == 1)
        {
            return await ExecuteImmediately(intent);
        }

        Store(OrderBook.Working(intent, instruction));
        _marketNow = Max(_marketNow, intent.MarketTime);
        await Save();
        await Advance();
        EnsureTimer();
        return _orders.FindLast(o => o.OrderId == intent.IntentId)!;
    }

    Task IExecutionGrain.OnBar(Candle candle)
    {
        _lastBar = candle;
        _marketNow = Max(_marketNow, candle.CloseTime);
        return HasWorkingOrders ? Advance() : Task.CompletedTask;
    }

    async Task<OrderChange> IExecutionGrain.Cancel(string orderId)
    {
        if (_orders.FindLast(o => o.OrderId == orderId) is not { } order)
        {
            return new OrderChange(null, $"No order {orderId}.");
        }

        if (OrderBook.IsFinal(order.Status))
        {
            return new OrderChange(order, $"Order {orderId} is {order.Status}: only a working or open order can be cancelled.");
        }

        var cancelled = order with { Status = OrderStatus.Cancelled, LastSliceReason = "cancelled" };
        await Finish(cancelled);
        await CancelOpenChildren(cancelled);
        return new OrderChange(_orders.FindLast(o => o.OrderId == orderId), null);
    }

    async Task<OrderChange> IExecutionGrain.Amend(string orderId, decimal quantity)
    {
        if (_orders.FindLast(o => o.OrderId == orderId) is not { } order)
        {
            return new OrderChange(null, $"No order {orderId}.");
        }

        var rounded = instruments.For(Symbol).RoundDown(quantity);
        if (order.Status != OrderStatus.Working)
        {
            return new OrderChange(order, $"Order {orderId} is {order.Status}: only a working order can be amended.");
        }

        if (rounded < order.SentQuantity || rounded <= 0)
        {
            return new OrderChange(order, $"The new quantity {rounded} is below the {order.SentQuantity} already sent.");
        }

        var amended = order with { Quantity = rounded, LastSliceReason = $"amended from {order.Quantity} to {rounded}" };
        if (rounded == order.SentQuantity)
        {
            await Finish(amended with { Status = amended.FilledQuantity >= rounded ? OrderStatus.Filled : OrderStatus.Cancelled });
        }
        else
        {
            Store(amended);
            await Save();
            await Advance();
        }

        return new OrderChange(_orders.FindLast(o => o.OrderId == orderId), null);
    }

    Task<ParentOrder?> IExecutionGrain.GetOrder(string orderId) => Task.FromResult(_orders.FindLast(o => o.OrderId == orderId));

    Task<IReadOnlyList<ParentOrder>> IExecutionGrain.GetOrders(int limit)
    {
        var orders = _orders;
        IReadOnlyList<ParentOrder> newestFirst = [.. orders.Skip(Math.Max(0, orders.Count - limit)).Reverse()];
        return Task.FromResult(newestFirst);
    }

    async Task<bool> IExecutionGrain.OnVenueReport(OrderAck report)
    {
        var parent = _orders.FindLast(o => o.Children.Any(c => c.ClientOrderId == report.ClientOrderId));
        if (parent is null)
        {
            return false;
        }

        await Merge(parent, report);
        return true;
    }

    Task IExecutionGrain.Reconcile() => PollUnsettled(force: true);

    private bool HasWorkingOrders => _orders.Exists(o => o.Status == OrderStatus.Working);

    private bool HasUnsettledChildren => _orders.Exists(o => o.Children.Any(c => c.AwaitingVenue));

    /// <summary>Degraded mode: every venue refuses new orders (circuit open, rate-limit ban) — refuse, never guess.</summary>
    private async Task<ParentOrder> RefuseDegraded(OrderIntent intent)
    {
        var refused = OrderBook.Working(intent, intent.Execution ?? executionOptions.Value.DefaultInstruction) with
        {
            Status = OrderStatus.Rejected,
            RejectReason = $"degraded mode: no venue is available ({string.Join(", ", venues.Select(v => v.Name))}); no order sent",
        };
        metrics.OrderPlaced(refused);
        await Finish(refused);
        return refused;
    }

    private async Task Merge(ParentOrder parent, OrderAck report)
    {
        if (OrderBook.ApplyReport(parent, report) is not { } merged)
        {
            return;
        }

        var (order, newFills) = merged;
        if (newFills.Count == 0 && order.Status == parent.Status && order.Children.SequenceEqual(parent.Children))
        {
            return;
        }

        Store(order);
        await Save();
        var now = time.GetUtcNow();
        if (order.Status != parent.Status || newFills.Count > 0)
        {
            audit.Write(() => AuditEvents.Order(order, now));
        }

        foreach (var fill in newFills)
        {
            audit.Write(() => AuditEvents.Fill(fill, now));
        }

        await Settle(order, newFills);
    }

    /// <summary>Asks each venue to cancel what is still open of the parent's children; their final states and fills are merged.</summary>
    private async Task CancelOpenChildren(ParentOrder parent)
    {
        foreach (var child in parent.Children.Where(c => c.AwaitingVenue))
        {
            if (venues.FirstOrDefault(v => v.Name == child.Venue) is { } venue
                && await venue.CancelOrderAsync(ToRequest(parent, child), CancellationToken.None) is { } report)
            {
                await Merge(_orders.FindLast(o => o.OrderId == parent.OrderId)!, report);
            }
        }
    }

    private static OrderRequest ToRequest(ParentOrder parent, ChildOrder child) =>
        new(child.ClientOrderId, parent.Symbol, parent.Side, child.Quantity, parent.ArrivalPrice, parent.MarketTime);

    /// <summary>Queries the venue about each child not settled there, at most once per poll interval unless forced.</summary>
    private async Task PollUnsettled(bool force)
    {
        var now = time.GetUtcNow();
        var due = _orders
            .SelectMany(o => o.Children.Where(c => c.AwaitingVenue).Select(c => (Parent: o, Child: c)))
            .Where(x => force || !_lastPolled.TryGetValue(x.Child.ClientOrderId, out var last) || now - last >= executionOptions.Value.OpenOrderPollInterval)
            .ToArray();
        foreach (var (parent, child) in due)
        {
            _lastPolled[child.ClientOrderId] = now;
            if (venues.FirstOrDefault(v => v.Name == child.Venue) is not { } venue)
            {
                logger.LogWarning("{Symbol}: child {ClientOrderId} was sent to venue {Venue}, which is no longer configured", Symbol, child.ClientOrderId, child.Venue);
                continue;
            }

            if (await venue.QueryOrderAsync(ToRequest(parent, child), CancellationToken.None) is { } report)
            {
                await Merge(_orders.FindLast(o => o.OrderId == parent.OrderId)!, report);
            }
        }

        foreach (var settled in _lastPolled.Keys.Where(id => !_orders.Any(o => o.Children.Any(c => c.ClientOrderId == id && c.AwaitingVenue))).ToArray())
        {
            _lastPolled.Remove(settled);
        }

        StopWhenIdle();
    }

    /// <summary>The hot path with a single venue: one market child for the whole intent.</summary>
    private async Task<ParentOrder> ExecuteImmediately(OrderIntent intent)
    {
        var broker = venues[0];
        var request = OrderBook.ToMarketOrder(intent);
        var placedAt = time.GetUtcNow();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var ack = await broker.PlaceOrderAsync(request, CancellationToken.None);
        metrics.StageCompleted("broker", started);
        var order = OrderBook.AddChild(OrderBook.Immediate(intent), request, ack, placedAt, broker.Name, sliceReason: null);
        metrics.OrderPlaced(order);
        Report(order, ack);
        Store(order);
        await Save();
        await Settle(order, ack.Fills);
        if (order.Children[0].AwaitingVenue)
        {
            EnsureTimer();
        }

        return order;
    }

    /// <summary>Asks every working parent's algorithm for its due quantity and sends it as the next child.</summary>
    private async Task Advance()
    {
        foreach (var orderId in _orders.Where(o => o.Status == OrderStatus.Working).Select(o => o.OrderId).ToArray())
        {
            var parent = _orders.FindLast(o => o.OrderId == orderId)!;
            var algorithm = algorithms.Build(parent.Execution!, parent.Symbol, parent.Side, StableSeed(parent.OrderId));
            var progress = new ParentProgress(parent.Quantity, parent.SentQuantity, parent.MarketTime, Clock(parent),
                parent.ArrivalPrice, _lastBar, instruments.For(parent.Symbol));
            var slice = algorithm.Next(progress);
            if (slice.Quantity <= 0)
            {
                if (slice.Reason != parent.LastSliceReason)
                {
                    Store(parent with { LastSliceReason = slice.Reason });
                }

                continue;
            }

            await SendRouted(parent, slice, _lastBar?.Close ?? parent.ArrivalPrice, progress.Now);
        }
    }

    /// <summary>
    /// Routes a slice across the venues and sends each piece as a child (<c>{parent}-{n}</c>), saving the parent
    /// after each; a remainder no venue can take ends the parent (cancelled, with the reason).
    /// </summary>
    private async Task SendRouted(ParentOrder parent, Slice slice, decimal referencePrice, DateTimeOffset now)
    {
        IReadOnlyList<VenueSnapshot> available = [.. venues.Where(v => v.IsAvailable).Select(VenueSnapshot.Of)];
        if (available.Count == 0)
        {
            if (parent.LastSliceReason?.StartsWith("degraded", StringComparison.Ordinal) != true)
            {
                // Working parents wait out degraded mode (they are not cancelled): the next step retries.
                Store(parent with { LastSliceReason = "degraded mode: no venue is available; waiting" });
                await Save();
            }

            return;
        }

        var (pieces, unrouted) = SmartOrderRouter.Route(parent.Side, slice.Quantity, referencePrice, available, instruments.For(parent.Symbol));
        foreach (var piece in pieces)
        {
            var request = new OrderRequest(
                OrderBook.ChildClientOrderId(parent.OrderId, parent.Children.Count + 1), parent.Symbol, parent.Side, piece.Quantity, referencePrice, now);
            var ack = await venues.First(v => v.Name == piece.Venue.Name).PlaceOrderAsync(request, CancellationToken.None);
            parent = OrderBook.AddChild(parent, request, ack, time.GetUtcNow(), piece.Venue.Name, ack.Status == OrderStatus.Cancelled && ack.RejectReason is { } note ? $"{slice.Reason}; {note}" : slice.Reason);
            if (venues.Count > 1)
            {
                parent = parent with { Routing = [.. parent.Routing ?? [], $"{request.ClientOrderId} → {piece.Reason}"] };
            }

            metrics.OrderPlaced(parent);
            Report(parent, ack);
            Store(parent);
            await Save();
            await Settle(parent, ack.Fills);
            if (parent.Status == OrderStatus.Rejected)
            {
                return;
            }
        }

        if (unrouted > 0)
        {
            await Finish(parent with
            {
                Status = OrderStatus.Cancelled,
                LastSliceReason = $"{unrouted} could not be routed: no venue takes it (maximum quantity or minimum value)",
            });
        }
    }

    /// <summary>Market time of the latest event; for a parent that arrived live, the wall clock too.</summary>
    private DateTimeOffset Clock(ParentOrder parent)
    {
        var wall = time.GetUtcNow();
        return (wall - parent.MarketTime).Duration() < LiveTolerance ? Max(_marketNow, wall) : _marketNow;
    }

    private async Task Finish(ParentOrder order)
    {
        Store(order);
        await Save();
        var finishedAt = time.GetUtcNow();
        audit.Write(() => AuditEvents.Order(order, finishedAt));
        await Settle(order, []);
    }

    private async Task Settle(ParentOrder order, IReadOnlyList<Fill> fills)
    {
        if (fills.Count > 0)
        {
            await _portfolio.ApplyFills(fills);
        }

        if (OrderBook.IsFinal(order.Status))
        {
            _risk.OrderClosed(order.OrderId).Ignore();
            StopWhenIdle();
        }

        if (order.Status == OrderStatus.Rejected)
        {
            logger.LogWarning("{Symbol}: {Venue} rejected {OrderId}: {Reason}", order.Symbol, order.Children.LastOrDefault()?.Venue, order.OrderId, order.RejectReason);
        }
    }

    private void Report(ParentOrder order, OrderAck ack)
    {
        var now = time.GetUtcNow();
        audit.Write(() => AuditEvents.Order(order, now));
        foreach (var fill in ack.Fills)
        {
            audit.Write(() => AuditEvents.Fill(fill, now));
        }
    }

    /// <summary>While parents are working or children unsettled: a one-second timer, and bars forwarded by the symbol grain.</summary>
    private void EnsureTimer()
    {
        if (_timer is null && (HasWorkingOrders || HasUnsettledChildren))
        {
            _timer = this.RegisterGrainTimer(Tick, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            GrainFactory.GetGrain<ISymbolGrain>(Symbol).ForwardBarsToExecution(true).Ignore();
        }
    }

    private async Task Tick(CancellationToken cancellationToken)
    {
        await Advance();
        await PollUnsettled(force: false);
    }

    /// <summary>Once no parent is working and no child unsettled, the timer stops and the symbol grain stops forwarding bars.</summary>
    private void StopWhenIdle()
    {
        if (_timer is not null && !HasWorkingOrders && !HasUnsettledChildren)
        {
            _timer.Dispose();
            _timer = null;
            GrainFactory.GetGrain<ISymbolGrain>(Symbol).ForwardBarsToExecution(false).Ignore();
        }
    }

    private void Store(ParentOrder order)
    {
        var index = _orders.FindLastIndex(o => o.OrderId == order.OrderId);
        if (index >= 0)
        {
            _orders[index] = order;
            _sealed.Remove(order.OrderId);
            return;
        }

        _orders.Add(order);
        KeepNewest();
    }

    /// <summary>Drops the oldest orders past <see cref="OrdersKept"/>; only sealed ones leave (finished, and in their page).</summary>
    private void KeepNewest()
    {
        while (_orders.Count > OrdersKept && _orders.FindIndex(o => _sealed.Contains(o.OrderId)) is var oldest and >= 0)
        {
            _sealed.Remove(_orders[oldest].OrderId);
            _orders.RemoveAt(oldest);
        }
    }

    /// <summary>
    /// Writes the grain state: the orders not sealed. Once a page's worth of them are settled (final, nothing awaited
    /// from a venue), they are sealed first — written to their page — so the state stays small.
    /// </summary>
    private async Task Save()
    {
        var settled = _orders.Where(o => !_sealed.Contains(o.OrderId) && IsSettled(o)).ToList();
        if (settled.Count >= PageSize)
        {
            var page = settled.GetRange(0, PageSize);
            await Page(state.State.SealedPages).Write(page);
            _sealed.UnionWith(page.Select(o => o.OrderId));
            state.State.SealedPages++;
            if (state.State.SealedPages > PagesKept)
            {
                // A page nobody reads again: its orders are in the audit trail.
                await Page(state.State.SealedPages - PagesKept - 1).Clear();
            }
        }

        state.State.Orders = [.. _orders.Where(o => !_sealed.Contains(o.OrderId))];
        await state.WriteStateAsync();
    }

    private static bool IsSettled(ParentOrder order) => OrderBook.IsFinal(order.Status) && !order.Children.Any(c => c.AwaitingVenue);

    private IOrderHistoryPageGrain Page(int page) => GrainFactory.GetGrain<IOrderHistoryPageGrain>($"{Symbol}/{page}");

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>A seed that is the same for a parent id in every process (string.GetHashCode is randomised per process).</summary>
    private static int StableSeed(string text) =>
        BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
