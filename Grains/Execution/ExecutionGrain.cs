using System.Collections.Concurrent;
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
/// venue answer, carries out the commands it returns — venues, the order journal, the portfolio (which tells risk), the
/// audit trail — and runs the clock (a one-second timer, bars forwarded by the symbol grain) while the machine needs it.
/// </summary>
/// <remarks>
/// A venue never holds the grain for long: a venue call not answered within <see cref="ExecutionOptions.VenueAnswerWait"/>
/// is left running off the grain's turn — a child being placed is kept as sent and awaiting the venue — and its answer
/// comes back as a message (<see cref="IExecutionGrain.OnVenueReport"/>), merged like a stream report. Calls queued
/// behind it (another order, the blotter, a cancel) go on meanwhile. A venue that answers at once (paper) costs nothing
/// more: its answer is taken as before.
/// </remarks>
public sealed class ExecutionGrain(
    [PersistentState("execution")] IPersistentState<ExecutionGrainState> state,
    IReadOnlyList<IBroker> venues,
    ExecutionAlgorithms algorithms,
    IOptions<ExecutionOptions> executionOptions,
    IOptions<Risk.RiskOptions> riskOptions,
    IInstrumentCatalog instruments,
    TimeProvider time,
    TradingMetrics metrics,
    IAuditSink audit,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain
{
    private readonly VenueBoard _venues = new(venues);
    private readonly IRestingOrderVenue[] _restingOrderVenues = [.. venues.OfType<IRestingOrderVenue>()];
    private ParentOrderMachine _machine = null!;
    private IOrderJournal _journal = null!;
    private IGrainTimer? _timer;

    // Children with a query still unanswered (left running after the answer wait): a poll does not ask again meanwhile,
    // so a slow venue is not sent a pile of queries. Written off the grain's turn when the answer comes.
    private readonly ConcurrentDictionary<string, byte> _queriesUnanswered = new(StringComparer.Ordinal);

    // Kept, not looked up per order: GrainFactory.GetGrain formats the interface's type name on every call.
    private IPortfolioGrain _portfolio = null!;
    private IOrderReadModelGrain _readModel = null!;

    // The revision of the last publication to the read model. Each activation starts at its clock's ticks, above any
    // revision an earlier activation could have reached (it would need ten million publications a second to catch up).
    private long _revision;

    // The shadow books' target of the order being placed in this turn: it rides on the turn's first fills to the
    // portfolio, one message fewer per order than sending it alone.
    private ShadowTarget? _targetToCarry;

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = GrainFactory.GetGrain<IPortfolioGrain>(0);
        _readModel = GrainFactory.GetGrain<IOrderReadModelGrain>(0);
        _revision = time.GetUtcNow().UtcTicks;
        _journal = new GrainOrderJournal(state, page => GrainFactory.GetGrain<IOrderHistoryPageGrain>($"{Symbol}/{page}"));
        _machine = new ParentOrderMachine(await OrderBlotter.LoadAsync(_journal), algorithms, instruments, executionOptions.Value, riskOptions.Value.MaxSignalAge);
        // What the journal holds is the truth now: after a crash the read model may show changes that were never saved.
        Publish([.. _machine.Orders.Orders]);
        // A halt or reducing-only that began while this grain was not active must hold its restored parents too.
        if (await GrainFactory.GetGrain<IRiskGrain>(0).GetTradingState() is { State: not TradingState.Active } trading)
        {
            await ((IExecutionGrain)this).OnTradingState(trading);
        }

        SyncClock();
    }

    async Task IExecutionGrain.OnTradingState(TradingStateChange change)
    {
        var position = change.State == TradingState.Reducing ? (await _portfolio.GetExposure(Symbol)).PositionQuantity : 0;
        await Feed(_machine.OnTradingState(change.State, change.Reason, position));
    }

    async Task<ParentOrder> IExecutionGrain.Execute(OrderIntent intent, ShadowTarget? target)
    {
        _targetToCarry = target;
        try
        {
            await Feed(_machine.Execute(intent, _venues.Now(), time.GetUtcNow()));
        }
        finally
        {
            // Nothing filled in this turn (an algorithm's order, a venue that fills later or not at all): sent alone.
            if (_targetToCarry is { } uncarried)
            {
                _targetToCarry = null;
                _portfolio.OnTarget(uncarried).Ignore();
            }
        }

        return _machine.Orders.Find(intent.IntentId)!;
    }

    async Task IExecutionGrain.OnBar(Candle candle, Quote? quote)
    {
        // A simulated venue's resting orders fill on the bar first: an algorithm stepping on it then sees what filled.
        foreach (var venue in _restingOrderVenues)
        {
            foreach (var report in venue.MatchRestingOrders(candle))
            {
                await Feed(_machine.OnVenueReport(report) ?? []);
            }
        }

        await Feed(_machine.OnBar(candle, quote, _venues.Now(), time.GetUtcNow()));
    }

    Task<OrderChange> IExecutionGrain.Cancel(string orderId) => Change(orderId, _machine.Cancel(orderId));

    Task<OrderChange> IExecutionGrain.Withdraw(OrderIntent intent) => Change(intent.IntentId, _machine.Withdraw(intent));

    Task<OrderChange> IExecutionGrain.Amend(string orderId, decimal quantity) =>
        Change(orderId, _machine.Amend(orderId, quantity, _venues.Now(), time.GetUtcNow()));

    Task<ParentOrder?> IExecutionGrain.GetOrder(string orderId) => Task.FromResult(_machine.Orders.Find(orderId));

    Task<IReadOnlyList<ParentOrder>> IExecutionGrain.GetOrders(int limit) => Task.FromResult(_machine.Orders.Newest(limit));

    // Not interleaved: it runs after whatever was queued before it.
    Task IExecutionGrain.CaughtUp() => Task.CompletedTask;

    Task<OrderRevision> IExecutionGrain.GetKeptOrders() => Task.FromResult(new OrderRevision(Symbol, _revision, [.. _machine.Orders.Orders]));

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

    /// <summary>
    /// Carries out an input's commands, then starts or stops the clock as the machine now needs, and publishes the
    /// orders that changed — after the venue calls, so the publication never delays an order, and even when a command
    /// failed, so readers see what this grain holds.
    /// </summary>
    private async Task Feed(IReadOnlyList<ExecutionCommand> commands)
    {
        try
        {
            await Run(commands);
            SyncClock();
        }
        finally
        {
            Publish(_machine.Orders.TakeChanged());
        }
    }

    /// <summary>A one-way message: the read model's turn never holds this grain's.</summary>
    private void Publish(IReadOnlyList<ParentOrder> changed)
    {
        if (changed.Count > 0)
        {
            _readModel.Publish(new OrderRevision(Symbol, ++_revision, changed)).Ignore();
        }
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
                    var placing = _venues.Find(place.Venue)!.PlaceOrderAsync(place.Request, CancellationToken.None);
                    var answered = await AnsweredInTime(placing);
                    if (place.WholeOrder)
                    {
                        metrics.StageCompleted("broker", started);
                    }

                    if (!answered)
                    {
                        ReportWhenAnswered(placing, place);
                        await Run(_machine.ChildUnanswered(place, sentAt, time.GetUtcNow(), _venues.Now()));
                        break;
                    }

                    await Run(_machine.ChildPlaced(place, await placing, sentAt, time.GetUtcNow(), _venues.Now()));
                    break;
                case CancelChild cancel when _venues.Find(cancel.Venue) is { } venue:
                    await TakeAnswer(venue.CancelOrderAsync(cancel.Request, CancellationToken.None), cancel);
                    break;
                case CancelChild cancel:
                    logger.LogWarning("{Symbol}: child {ClientOrderId} was sent to venue {Venue}, which is no longer configured", Symbol, cancel.Request.ClientOrderId, cancel.Venue);
                    await Run(_machine.Unanswered(cancel));
                    break;
                case QueryChild query when _queriesUnanswered.ContainsKey(query.Request.ClientOrderId):
                    logger.LogDebug("{Symbol}: child {ClientOrderId} not queried again: the last query is still unanswered", Symbol, query.Request.ClientOrderId);
                    break;
                case QueryChild query when _venues.Find(query.Venue) is { } venue:
                    await TakeAnswer(venue.QueryOrderAsync(query.Request, CancellationToken.None), query);
                    break;
                case QueryChild query:
                    logger.LogWarning("{Symbol}: child {ClientOrderId} was sent to venue {Venue}, which is no longer configured", Symbol, query.Request.ClientOrderId, query.Venue);
                    break;
                case SaveOrders:
                    await _machine.Orders.SaveAsync(_journal);
                    break;
                case BookFills book:
                    var target = _targetToCarry;
                    _targetToCarry = null;
                    await _portfolio.ApplyFills(book.Fills, book.Closed is { } closed ? [closed.OrderId] : [], target);
                    if (book.Closed is { RejectReason: not null } rejected)
                    {
                        logger.LogWarning("{Symbol}: {Venue} rejected {OrderId}, which ends {Status}: {Reason}", Symbol, rejected.Children.LastOrDefault()?.Venue, rejected.OrderId, rejected.Status, rejected.RejectReason);
                    }

                    break;
                case AuditOrder record:
                    Audit(record);
                    break;
                case SelfCross cross:
                    metrics.SurveillanceFlagged(cross.Symbol, "self-cross");
                    logger.LogWarning("{Symbol}: surveillance: {Detail}", Symbol, cross.Detail);
                    var flaggedAt = time.GetUtcNow();
                    audit.Write(() => AuditEvents.Surveillance(cross.Symbol, cross.OrderId, "self-cross", cross.Detail, flaggedAt));
                    break;
            }
        }
    }

    /// <summary>
    /// A cancel's or a query's answer: in time, it goes to the machine now; later, it comes back as a report (a cancel's
    /// final report with any fills), and meanwhile the child is still polled. Late or none (null), the machine is told
    /// so that an advance waiting on it goes on.
    /// </summary>
    private async Task TakeAnswer(Task<OrderAck?> call, ChildCommand asked)
    {
        if (!await AnsweredInTime(call))
        {
            ReportWhenAnswered(call, asked);
            await Run(_machine.Unanswered(asked));
        }
        else if (await call is { } answer)
        {
            await Run(_machine.OnAnswer(asked, answer));
        }
        else
        {
            await Run(_machine.Unanswered(asked));
        }
    }

    /// <summary>
    /// Waits for a venue call up to <see cref="ExecutionOptions.VenueAnswerWait"/>, on the grain's turn; true when it
    /// completed (its failure, if any, is then thrown by awaiting it, as before). A call that answered at once (paper)
    /// takes no timer.
    /// </summary>
    private ValueTask<bool> AnsweredInTime(Task call) => call.IsCompleted ? ValueTask.FromResult(true) : WaitForAnswer(call);

    private async ValueTask<bool> WaitForAnswer(Task call)
    {
        await call.WaitAsync(executionOptions.Value.VenueAnswerWait, time)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        return call.IsCompleted;
    }

    /// <summary>
    /// Lets a venue call that outlived the answer wait finish off the grain's turn, and sends its answer to this grain
    /// as a report: merged by client order id, its fills by fill id, so an answer that a query, a stream event or the
    /// cancel's own report already brought changes nothing. A failure is logged: the child is kept awaiting, and the
    /// polls settle it.
    /// </summary>
    private void ReportWhenAnswered<TAnswer>(Task<TAnswer> call, ChildCommand command)
    {
        var self = this.AsReference<IExecutionGrain>();
        var (symbol, clientOrderId, what) = (Symbol, command.Request.ClientOrderId, command.GetType().Name);
        if (command is QueryChild)
        {
            _queriesUnanswered[clientOrderId] = 0; // until its answer comes, below
        }

        logger.LogInformation("{Symbol}: {Venue} has not answered {Command} {ClientOrderId} within {Wait}; its answer will be merged when it comes",
            symbol, command.Venue, what, clientOrderId, executionOptions.Value.VenueAnswerWait);
        _ = Task.Run(async () =>
        {
            try
            {
                var answer = await call; // on the thread pool (Task.Run), not the grain's scheduler
                if (command is QueryChild)
                {
                    _queriesUnanswered.TryRemove(clientOrderId, out _);
                }

                if (answer is OrderAck report && !await self.OnVenueReport(report))
                {
                    logger.LogWarning("{Symbol}: the late answer to {Command} {ClientOrderId} matched no kept child", symbol, what, clientOrderId);
                }
            }
            catch (Exception e)
            {
                _queriesUnanswered.TryRemove(clientOrderId, out _);
                logger.LogWarning(e, "{Symbol}: the late answer to {Command} {ClientOrderId} was lost ({Error}); polls settle the child", symbol, what, clientOrderId, e.Message);
            }
        });
    }

    private void Audit(AuditOrder record)
    {
        if (record.Placement)
        {
            metrics.OrderPlaced(record.Order);
        }

        var now = time.GetUtcNow();
        var actor = AuditActor.Current;
        audit.Write(() => AuditEvents.Order(record.Order, now, actor));
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
