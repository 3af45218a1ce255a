using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// Per symbol: the shell of a <see cref="ParentOrderMachine"/>. It feeds the machine each call, bar, timer tick and
/// venue answer, carries out the commands it returns — venues, the order journal, the portfolio, risk, the audit
/// trail — and runs the clock (a one-second timer, bars forwarded by the symbol grain) while the machine needs it.
/// </summary>
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
    private readonly VenueBoard _venues = new(venues);
    private ParentOrderMachine _machine = null!;
    private IOrderJournal _journal = null!;
    private IGrainTimer? _timer;

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;
    private IRiskGrain _risk = null!;

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        _risk = GrainFactory.GetGrain<IRiskGrain>(0);
        _journal = new GrainOrderJournal(state, page => GrainFactory.GetGrain<IOrderHistoryPageGrain>($"{Symbol}/{page}"));
        _machine = new ParentOrderMachine(await OrderBlotter.LoadAsync(_journal), algorithms, instruments, executionOptions.Value);
        SyncClock();
    }

    async Task<ParentOrder> IExecutionGrain.Execute(OrderIntent intent)
    {
        await Feed(_machine.Execute(intent, _venues.Now(), time.GetUtcNow()));
        return _machine.Orders.Find(intent.IntentId)!;
    }

    Task IExecutionGrain.OnBar(Candle candle) => Feed(_machine.OnBar(candle, _venues.Now(), time.GetUtcNow()));

    Task<OrderChange> IExecutionGrain.Cancel(string orderId) => Change(orderId, _machine.Cancel(orderId));

    Task<OrderChange> IExecutionGrain.Amend(string orderId, decimal quantity) =>
        Change(orderId, _machine.Amend(orderId, quantity, _venues.Now(), time.GetUtcNow()));

    Task<ParentOrder?> IExecutionGrain.GetOrder(string orderId) => Task.FromResult(_machine.Orders.Find(orderId));

    Task<IReadOnlyList<ParentOrder>> IExecutionGrain.GetOrders(int limit) => Task.FromResult(_machine.Orders.Newest(limit));

    async Task<bool> IExecutionGrain.OnVenueReport(OrderAck report)
    {
        var commands = _machine.OnVenueReport(report);
        await Feed(commands ?? []);
        return commands is not null;
    }

    Task IExecutionGrain.Reconcile() => Feed(_machine.Poll(time.GetUtcNow(), force: true));

    private async Task Tick(CancellationToken cancellationToken)
    {
        await Run(_machine.OnTimer(_venues.Now(), time.GetUtcNow()));
        await Feed(_machine.Poll(time.GetUtcNow(), force: false));
    }

    private async Task<OrderChange> Change(string orderId, ChangeDecision decision)
    {
        if (decision.Refusal is not null)
        {
            return new OrderChange(decision.Order, decision.Problem);
        }

        await Feed(decision.Commands);
        return new OrderChange(_machine.Orders.Find(orderId), null);
    }

    /// <summary>Carries out an input's commands, then starts or stops the clock as the machine now needs.</summary>
    private async Task Feed(IReadOnlyList<ExecutionCommand> commands)
    {
        await Run(commands);
        SyncClock();
    }

    /// <summary>Carries out commands in order; a venue's answer goes back to the machine, whose commands run next.</summary>
    private async Task Run(IReadOnlyList<ExecutionCommand> commands)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            switch (commands[i])
            {
                case PlaceChild place:
                    var sentAt = time.GetUtcNow();
                    var started = Stopwatch.GetTimestamp();
                    var ack = await _venues.Find(place.Venue)!.PlaceOrderAsync(place.Request, CancellationToken.None);
                    if (place.WholeOrder)
                    {
                        metrics.StageCompleted("broker", started);
                    }

                    await Run(_machine.ChildPlaced(place, ack, sentAt, time.GetUtcNow(), _venues.Now()));
                    break;
                case CancelChild cancel when _venues.Find(cancel.Venue) is { } venue:
                    if (await venue.CancelOrderAsync(cancel.Request, CancellationToken.None) is { } cancelled)
                    {
                        await Run(_machine.OnAnswer(cancel, cancelled));
                    }

                    break;
                case QueryChild query when _venues.Find(query.Venue) is { } venue:
                    if (await venue.QueryOrderAsync(query.Request, CancellationToken.None) is { } report)
                    {
                        await Run(_machine.OnAnswer(query, report));
                    }

                    break;
                case QueryChild query:
                    logger.LogWarning("{Symbol}: child {ClientOrderId} was sent to venue {Venue}, which is no longer configured", Symbol, query.Request.ClientOrderId, query.Venue);
                    break;
                case SaveOrders:
                    await _machine.Orders.SaveAsync(_journal);
                    break;
                case BookFills book:
                    await _portfolio.ApplyFills(book.Fills);
                    break;
                case OrderClosed { Order: var order }:
                    _risk.OrderClosed(order.OrderId).Ignore();
                    if (order.RejectReason is not null)
                    {
                        logger.LogWarning("{Symbol}: {Venue} rejected {OrderId}, which ends {Status}: {Reason}", Symbol, order.Children.LastOrDefault()?.Venue, order.OrderId, order.Status, order.RejectReason);
                    }

                    break;
                case AuditOrder record:
                    Audit(record);
                    break;
            }
        }
    }

    private void Audit(AuditOrder record)
    {
        if (record.Placement)
        {
            metrics.OrderPlaced(record.Order);
        }

        var now = time.GetUtcNow();
        audit.Write(() => AuditEvents.Order(record.Order, now));
        foreach (var fill in record.Fills)
        {
            audit.Write(() => AuditEvents.Fill(fill, now));
        }
    }

    /// <summary>The clock runs while the machine needs it: a one-second timer, and bars forwarded by the symbol grain.</summary>
    private void SyncClock()
    {
        if (_machine.NeedsClock == _timer is not null)
        {
            return;
        }

        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(Tick, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
        else
        {
            _timer.Dispose();
            _timer = null;
        }

        GrainFactory.GetGrain<ISymbolGrain>(Symbol).ForwardBarsToExecution(_timer is not null).Ignore();
    }
}
