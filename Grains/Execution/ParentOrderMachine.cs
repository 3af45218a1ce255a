using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Grains.Execution;

/// <summary>
/// The life of one symbol's parent orders, with no Orleans types and no I/O: each input — an intent, a bar, a timer
/// tick, a poll, a venue's answer or report, a cancel, an amend — changes the kept orders and returns the commands to
/// carry out in order: children to place, cancel or query, the orders to save, fills to book, orders closed, audit.
/// </summary>
/// <remarks>
/// A command with an answer (placing, cancelling or querying a child) has it fed back as the next input, so routing
/// stays sequential: a piece goes once the piece before it was answered, and a rejection stops the rest. Working
/// parents advance on the execution clock: the market time of the latest bar (so a replay slices the same way every
/// time) and, for parents that arrived live, also the wall clock. A venue that does not answer in time
/// (<see cref="ChildUnanswered"/>) leaves its child awaiting, counted whole in the schedule: routing goes on, and the
/// late answer comes back as a report. Child client order ids are <c>{parent}-{n}</c> and the orders are saved after
/// every child is sent (answered or not), so a machine rebuilt from its journal never sends a child again under a new
/// id; the same id is never sent twice either: the broker keeps that promise (Binance refuses a repeated id only while
/// its first order is open, so it cannot be relied on), and the machine only queries a child it kept.
/// </remarks>
/// <param name="maxSignalAge">A new intent whose market data was ingested longer ago than this is refused (risk's <c>MaxSignalAge</c>).</param>
public sealed class ParentOrderMachine(
    OrderBlotter orders, ExecutionAlgorithms algorithms, IInstrumentCatalog instruments, ExecutionOptions options, TimeSpan maxSignalAge)
{
    /// <summary>A parent counts as live (wall-clock driven) when it arrived within this of the wall clock.</summary>
    private static readonly TimeSpan LiveTolerance = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyList<ExecutionCommand> Nothing = [];

    private readonly ExecutionInstruction _defaultInstruction = options.DefaultInstruction;
    private readonly Dictionary<string, DateTimeOffset> _lastPolled = new(StringComparer.Ordinal);

    // Passive children whose withdrawal (cancel) was asked, and when: asked again only after a poll interval.
    private readonly Dictionary<string, DateTimeOffset> _withdrawing = new(StringComparer.Ordinal);
    private Candle? _lastBar;

    // The symbol's best bid and offer as the latest bar brought it, when it is as recent as that bar: the touch.
    private Quote? _lastQuote;
    private DateTimeOffset _marketNow = DateTimeOffset.MinValue;

    // Risk's trading state as last told (OnTradingState), and the position when reducing-only began.
    private TradingState _trading = TradingState.Active;
    private string? _tradingReason;
    private decimal _positionWhenReducing;

    // The advance under way, waiting for a child's answer; a new input drops one a failure left unfinished.
    private AdvancePass? _pass;

    /// <summary>The kept orders.</summary>
    public OrderBlotter Orders => orders;

    /// <summary>The grain's clock (a one-second timer, bars forwarded) is needed while a parent works or a child is unsettled.</summary>
    public bool NeedsClock => orders.HasWorkingOrders || orders.HasUnsettledChildren;

    /// <summary>
    /// A risk-approved intent. A known intent id changes nothing: a retried intent finds its order instead of trading
    /// twice, also while it is unsettled at its venue (queries settle it; a second send could duplicate it). With no
    /// venue available the order is refused (degraded mode: never guess); with one venue and no algorithm it takes the
    /// order path, one child for the whole intent; otherwise it becomes a working parent and advances at once.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> Execute(OrderIntent intent, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        _pass = null;
        if (orders.Find(intent.IntentId) is not null)
        {
            return Nothing;
        }

        var instruction = intent.Execution ?? _defaultInstruction;
        if (!AnyAvailable(venues))
        {
            return Refuse(intent, instruction, $"degraded mode: no venue is available ({string.Join(", ", venues.Select(v => v.Name))}); no order sent");
        }

        if (RefusalBeforeSending(intent, now) is { } refusal)
        {
            return Refuse(intent, instruction, refusal);
        }

        var limit = instruction.LimitFor(intent.Side, intent.ReferencePrice, instruments.For(intent.Symbol).PriceTick);
        if (instruction.Algorithm == "immediate" && instruction.MaxAdverseBps is null && venues.Count == 1)
        {
            var place = new PlaceChild(OrderBookkeeping.Immediate(intent, limit), venues[0].Name, OrderBookkeeping.WholeOrder(intent, limit));
            return CrossesOwnResting(place) is { } cross ? [cross, place] : [place];
        }

        orders.Put(OrderBookkeeping.Working(intent, instruction, limit));
        _marketNow = Max(_marketNow, intent.MarketTime);
        List<ExecutionCommand> commands = [SaveOrders.Now];
        StartPass(commands, venues, now);
        return commands;
    }

    /// <summary>
    /// A closed bar of the symbol, with the symbol's latest best bid and offer when there is one: moves the market clock,
    /// the latest price and the touch, and advances the working parents. A quote from before the bar began is ignored.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> OnBar(Candle bar, Quote? quote, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        _pass = null;
        _lastBar = bar;
        _lastQuote = quote is { BidPrice: > 0 } q && q.AskPrice >= q.BidPrice && q.IngestedAt >= bar.IngestedAt - bar.Interval ? q : null;
        _marketNow = Max(_marketNow, bar.CloseTime);
        return orders.HasWorkingOrders ? Advance(venues, now) : Nothing;
    }

    /// <summary>The wall clock moved (the grain's timer): advances the working parents, the live ones on the wall clock too.</summary>
    public IReadOnlyList<ExecutionCommand> OnTimer(IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now) => Advance(venues, now);

    /// <summary>
    /// Queries every child whose state at its venue is not settled, each at most once per poll interval — stretched for
    /// a child unsettled for long (<see cref="PollInterval"/>) — unless <paramref name="force"/> (start-up, stream
    /// reconnect): the fallback when the venue's stream does not tell first.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> Poll(DateTimeOffset now, bool force)
    {
        _pass = null;
        foreach (var clientOrderId in _lastPolled.Keys.Concat(_withdrawing.Keys).Where(id => !IsAwaited(id)).ToArray())
        {
            _lastPolled.Remove(clientOrderId);
            _withdrawing.Remove(clientOrderId);
        }

        var commands = new List<ExecutionCommand>();
        foreach (var parent in orders.Orders)
        {
            foreach (var child in parent.Children)
            {
                if (child.AwaitingVenue
                    && (force || !_lastPolled.TryGetValue(child.ClientOrderId, out var last) || now - last >= PollInterval(child, now)))
                {
                    _lastPolled[child.ClientOrderId] = now;
                    commands.Add(new QueryChild(parent.OrderId, child.Venue, ToRequest(parent, child)));
                }
            }
        }

        return commands;
    }

    /// <summary>Stops a working or open parent: no more children, open children cancelled at their venue; what was filled stands.</summary>
    public ChangeDecision Cancel(string orderId)
    {
        _pass = null;
        if (orders.Find(orderId) is not { } order)
        {
            return Unknown(orderId);
        }

        if (OrderBookkeeping.IsFinal(order.Status))
        {
            return new ChangeDecision(order, Nothing, ChangeRefusal.AlreadyFinal,
                $"Order {orderId} is {order.Status}: only a working or open order can be cancelled.");
        }

        var commands = new List<ExecutionCommand>();
        return new ChangeDecision(CancelParent(commands, order, "cancelled"), commands);
    }

    /// <summary>
    /// Cancels <paramref name="intent"/>'s order whether or not it reached this machine: a known order as
    /// <see cref="Cancel"/> does; an unknown one is recorded cancelled before it was placed, so that its placement,
    /// should it still arrive (a call the sender saw time out), finds it and sends nothing.
    /// </summary>
    public ChangeDecision Withdraw(OrderIntent intent)
    {
        if (orders.Find(intent.IntentId) is not null)
        {
            return Cancel(intent.IntentId);
        }

        _pass = null;
        var withdrawn = OrderBookkeeping.Working(intent, intent.Execution ?? _defaultInstruction) with
        {
            Status = OrderStatus.Cancelled,
            RejectReason = "withdrawn before it was placed",
        };
        var commands = new List<ExecutionCommand>();
        Finish(commands, withdrawn, placement: true);
        return new ChangeDecision(withdrawn, commands);
    }

    /// <summary>
    /// Risk's trading state moved (kill switch, drawdown stop, daily-loss stop). <see cref="TradingState.Halted"/>: every
    /// parent not final is cancelled, its open children cancelled at their venue, and no child goes out until trading
    /// resumes. <see cref="TradingState.Reducing"/>: parents that bring <paramref name="position"/> toward zero go on,
    /// oldest first, each cut so that together they at most close it; the others are cancelled likewise. Children already
    /// at a venue when reducing starts are left to it. Active: nothing changes (cancelled parents stay cancelled; the
    /// vote places new orders).
    /// </summary>
    public IReadOnlyList<ExecutionCommand> OnTradingState(TradingState state, string? reason, decimal position)
    {
        _pass = null;
        (_trading, _tradingReason, _positionWhenReducing) = (state, reason, position);
        if (state == TradingState.Active)
        {
            return Nothing;
        }

        var commands = new List<ExecutionCommand>();
        var closable = Math.Abs(position);
        foreach (var parent in orders.Orders.Where(o => !OrderBookkeeping.IsFinal(o.Status)).ToList())
        {
            if (state == TradingState.Halted || !Reduces(parent.Side, position))
            {
                CancelParent(commands, parent, $"{TradingStateNote()}: cancelled");
                continue;
            }

            var outstanding = parent.Quantity - parent.FilledQuantity;
            if (outstanding <= closable)
            {
                closable -= outstanding;
                continue;
            }

            // Cut to what still closes the position; what was sent stays (it is at a venue already).
            var cut = Math.Max(parent.SentQuantity, parent.FilledQuantity + instruments.For(parent.Symbol).RoundDown(closable));
            closable = 0;
            var note = $"{TradingStateNote()}: cut from {OrderBookkeeping.N(parent.Quantity)} to {OrderBookkeeping.N(cut)}, what closes the position";
            if (cut > parent.SentQuantity)
            {
                orders.Put(parent with { Quantity = cut, LastSliceReason = note });
                commands.Add(SaveOrders.Now);
            }
            else
            {
                Finish(commands, parent with
                {
                    Quantity = cut,
                    Status = parent.FilledQuantity >= cut ? OrderStatus.Filled : OrderStatus.Cancelled,
                    LastSliceReason = note,
                    Hold = ParentHold.None,
                });
            }
        }

        return commands;
    }

    /// <summary>Changes a working parent's total quantity (whole lots, not below what was sent); the schedule re-plans at once.</summary>
    public ChangeDecision Amend(string orderId, decimal quantity, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        _pass = null;
        if (orders.Find(orderId) is not { } order)
        {
            return Unknown(orderId);
        }

        var rounded = instruments.For(order.Symbol).RoundDown(quantity);
        if (order.Status != OrderStatus.Working)
        {
            return new ChangeDecision(order, Nothing, ChangeRefusal.NotWorking,
                $"Order {orderId} is {order.Status}: only a working order can be amended.");
        }

        if (rounded < order.SentQuantity || rounded <= 0)
        {
            return new ChangeDecision(order, Nothing, ChangeRefusal.BelowSent,
                $"The new quantity {rounded} is below the {order.SentQuantity} already sent.");
        }

        var amended = order with { Quantity = rounded, LastSliceReason = $"amended from {order.Quantity} to {rounded}", Hold = ParentHold.None };
        var commands = new List<ExecutionCommand>();
        if (rounded == order.SentQuantity)
        {
            Finish(commands, amended with { Status = amended.FilledQuantity >= rounded ? OrderStatus.Filled : OrderStatus.Cancelled });
        }
        else
        {
            orders.Put(amended);
            commands.Add(SaveOrders.Now);
            StartPass(commands, venues, now);
        }

        return new ChangeDecision(amended, commands);
    }

    /// <summary>A venue's report on a child (its user-data stream); null when no kept parent has that child.</summary>
    public IReadOnlyList<ExecutionCommand>? OnVenueReport(OrderAck report)
    {
        _pass = null;
        return orders.FindByChild(report.ClientOrderId) is { } parent ? Merge(parent, report) : null;
    }

    /// <summary>
    /// A venue's answer to a cancel or a query of a child. The answer to the advance's own withdrawal of a passive child
    /// goes on with that advance — the same parent's next move first (its replacement, or the cross) — and leaves the
    /// advance as it was otherwise: an answer to any other command never touches it.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> OnAnswer(ChildCommand asked, OrderAck answer)
    {
        var merged = orders.Find(asked.ParentId) is { } parent ? Merge(parent, answer) : Nothing;
        if (_pass is not { } pass || !ReferenceEquals(pass.Withdrawal, asked))
        {
            return merged;
        }

        pass.Withdrawal = null;
        pass.Again = asked.ParentId;
        var commands = new List<ExecutionCommand>(merged);
        Continue(pass, commands, pass.Venues, pass.Now);
        return commands;
    }

    /// <summary>
    /// A cancel or a query the venue did not answer in time, or could not be asked: the child stays as it was (polled,
    /// its answer merged as a report when it comes). An advance waiting on it — its withdrawal of a passive child — goes
    /// on to the next parent; that parent sends nothing new until the withdrawn child is final.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> Unanswered(ChildCommand asked)
    {
        if (_pass is not { } pass || !ReferenceEquals(pass.Withdrawal, asked))
        {
            return Nothing;
        }

        pass.Withdrawal = null;
        var commands = new List<ExecutionCommand>();
        Continue(pass, commands, pass.Venues, pass.Now);
        return commands;
    }

    /// <summary>
    /// A venue's first answer to a child. The order path's child is stamped when it was handed over
    /// (<paramref name="sentAt"/>), so its tick-to-order latency stops there; a routed child when answered. A routed
    /// slice then sends its next piece unless the venue rejected this one, and the advance goes on to the next parent.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> ChildPlaced(
        PlaceChild sent, OrderAck ack, DateTimeOffset sentAt, DateTimeOffset answeredAt, IReadOnlyList<VenueSnapshot> venues)
    {
        var commands = new List<ExecutionCommand>();
        if (sent.WholeOrder)
        {
            Placed(commands, OrderBookkeeping.AddChild(sent.Parent, sent.Request, ack, sentAt, sent.Venue, sliceReason: null), ack);
            return commands;
        }

        var pass = _pass ?? throw new InvalidOperationException($"{sent.Request.ClientOrderId} was answered outside an advance.");
        var route = pass.Route!;
        var reason = ack.Status == OrderStatus.Cancelled && ack.RejectReason is { } note ? $"{route.Slice.Reason}; {note}" : route.Slice.Reason;
        var parent = OrderBookkeeping.AddChild(orders.Find(sent.ParentId)!, sent.Request, ack, answeredAt, sent.Venue, reason, sent.Touch);
        if (venues.Count > 1)
        {
            parent = parent with { Routing = [.. parent.Routing ?? [], $"{sent.Request.ClientOrderId} → {route.Pieces[route.Answered].Reason}"] };
        }

        Placed(commands, parent, ack);
        route.Answered++;
        if (parent.Children[^1].Status == OrderStatus.Rejected)
        {
            // A rejection stops the parent: the rest of the slice stays unsent (nor is its remainder reported unrouted).
            pass.Route = null;
        }

        Continue(pass, commands, venues, answeredAt);
        return commands;
    }

    /// <summary>
    /// A child whose venue has not answered in time (the grain does not wait on a venue for long): it is kept as sent
    /// with its outcome unknown — status New, awaiting the venue, counted whole in the schedule — exactly as a venue's
    /// "outcome unknown" answer, and routing goes on. The answer, when it comes, is a report
    /// (<see cref="OnVenueReport"/>); until then polls query the child.
    /// </summary>
    public IReadOnlyList<ExecutionCommand> ChildUnanswered(PlaceChild sent, DateTimeOffset sentAt, DateTimeOffset now, IReadOnlyList<VenueSnapshot> venues) =>
        ChildPlaced(sent, OrderBookkeeping.Unanswered(sent.Request, sent.Venue, now), sentAt, now, venues);

    private IReadOnlyList<ExecutionCommand> Refuse(OrderIntent intent, ExecutionInstruction instruction, string reason)
    {
        var refused = OrderBookkeeping.Working(intent, instruction) with { Status = OrderStatus.Rejected, RejectReason = reason };
        var commands = new List<ExecutionCommand>();
        Finish(commands, refused, placement: true);
        return commands;
    }

    private List<ExecutionCommand> Advance(IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        var commands = new List<ExecutionCommand>();
        StartPass(commands, venues, now);
        return commands;
    }

    /// <summary>Asks every working parent, oldest first, for its due quantity and sends it.</summary>
    private void StartPass(List<ExecutionCommand> commands, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        var working = new Queue<string>();
        foreach (var order in orders.Orders)
        {
            if (order.Status == OrderStatus.Working)
            {
                working.Enqueue(order.OrderId);
            }
        }

        _pass = new AdvancePass(working, venues, now);
        Continue(_pass, commands, venues, now);
    }

    /// <summary>
    /// Sends the current slice's next piece, or goes on with the passive parent whose move was just answered, or to the
    /// next working parent; stops at a child to place or a withdrawal to be answered.
    /// </summary>
    private void Continue(AdvancePass pass, List<ExecutionCommand> commands, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        while (true)
        {
            if (pass.Route is { } route)
            {
                var parent = orders.Find(route.ParentId)!;
                if (route.Answered < route.Pieces.Count)
                {
                    var piece = route.Pieces[route.Answered];
                    var request = new OrderRequest(OrderBookkeeping.ChildClientOrderId(parent.OrderId, parent.Children.Count + 1),
                        parent.Symbol, parent.Side, piece.Quantity, route.ReferencePrice, route.Now, route.Limit);
                    var place = new PlaceChild(parent, piece.Venue.Name, request, route.Touch);
                    if (CrossesOwnResting(place) is { } cross)
                    {
                        commands.Add(cross);
                    }

                    commands.Add(place);
                    return;
                }

                pass.Route = null;
                if (route.Unrouted > 0)
                {
                    Finish(commands, parent with
                    {
                        Status = OrderStatus.Cancelled,
                        LastSliceReason = $"{route.Unrouted} could not be routed: no venue takes it (maximum quantity or minimum value)",
                        Hold = ParentHold.None,
                    });
                }
            }

            if (pass.Withdrawal is not null)
            {
                return;
            }

            if (pass.Again is { } again)
            {
                pass.Again = null;
                if (orders.Find(again) is { Status: OrderStatus.Working } passive)
                {
                    StepPassive(pass, passive, commands, venues, now);
                }

                continue;
            }

            if (!pass.Working.TryDequeue(out var orderId))
            {
                _pass = null;
                return;
            }

            Step(pass, orders.Find(orderId)!, commands, venues, now);
        }
    }

    /// <summary>One working parent's step: its algorithm's slice, routed across the available venues, or why it waits.</summary>
    private void Step(AdvancePass pass, ParentOrder parent, List<ExecutionCommand> commands, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        var instrument = instruments.For(parent.Symbol);
        var unsent = parent.Quantity - parent.SentQuantity;
        if (unsent > 0 && instrument.RoundDown(unsent) == 0)
        {
            // Less than one lot is left (a venue rounded a child down to its lot): no child can carry it. Once no child
            // is awaited — one may yet give part of its quantity back — everything that could be sent has filled.
            if (!parent.Children.Any(c => c.AwaitingVenue))
            {
                Finish(commands, parent with
                {
                    Status = OrderStatus.Filled,
                    LastSliceReason = $"{OrderBookkeeping.N(unsent)} left unsent: below one lot ({OrderBookkeeping.N(instrument.LotStep)})",
                    Hold = ParentHold.None,
                });
            }

            return;
        }

        if (parent.Execution is { Passive: true })
        {
            StepPassive(pass, parent, commands, venues, now);
            return;
        }

        var algorithm = algorithms.Build(parent.Execution!, parent.Symbol, parent.Side, StableSeed(parent.OrderId));
        var progress = new ParentProgress(parent.Quantity, parent.SentQuantity, parent.MarketTime, Clock(parent, now), parent.ArrivalPrice, _lastBar, instrument);
        var slice = algorithm.Next(progress);
        if (slice.Quantity <= 0)
        {
            Note(parent, slice.Reason, slice.Hold);
            return;
        }

        if (!IsHeld(parent, commands))
        {
            Route(pass, parent, slice, commands, venues, progress.Now, instrument, parent.Limit, touch: null);
        }
    }

    /// <summary>
    /// A passive parent's step (<see cref="PassiveExecution"/>): withdraw its resting child, cross what is past its
    /// deadline, rest the current slice at the touch, or wait. Each move is answered before the parent's next one in the
    /// same advance, so a withdrawn child is final — with the fills the venue confirmed — before its replacement or the
    /// cross goes; at most one cross and one child at the touch per parent and advance (one the venue ended at once waits
    /// for the next step), besides the retry a tick away from a refusal for taking.
    /// </summary>
    private void StepPassive(AdvancePass pass, ParentOrder parent, List<ExecutionCommand> commands, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        var instrument = instruments.For(parent.Symbol);
        var (schedule, protection) = algorithms.BuildPassive(parent.Execution!, parent.Side, StableSeed(parent.OrderId));
        var progress = new ParentProgress(parent.Quantity, parent.SentQuantity, parent.MarketTime, Clock(parent, now), parent.ArrivalPrice, _lastBar, instrument);
        if (protection?.Paused(progress) is { } paused)
        {
            Note(parent, paused.Reason, paused.Hold);
            return;
        }

        if (IsHeld(parent, commands))
        {
            return;
        }

        switch (PassiveExecution.Decide(parent, schedule.Targets(progress), Touch(parent), instrument))
        {
            case WithdrawResting { Child: var child } withdraw:
                if (_withdrawing.TryGetValue(child.ClientOrderId, out var asked) && now - asked < options.OpenOrderPollInterval)
                {
                    Note(parent, $"{withdraw.Reason}: awaiting the venue's answer", ParentHold.AwaitingSchedule);
                    return;
                }

                _withdrawing[child.ClientOrderId] = now;
                var noted = parent with { LastSliceReason = withdraw.Reason, Hold = ParentHold.None };
                orders.Put(noted);
                commands.Add(SaveOrders.Now);
                commands.Add(new AuditOrder(noted, []));
                pass.Withdrawal = new CancelChild(parent.OrderId, child.Venue, ToRequest(parent, child));
                commands.Add(pass.Withdrawal);
                return;
            case CrossRemainder cross when pass.Crossed.Add(parent.OrderId):
                if (Route(pass, parent, new Slice(cross.Quantity, cross.Reason), commands, venues, progress.Now, instrument, parent.Limit, touch: null))
                {
                    pass.Again = parent.OrderId;
                }

                return;
            case CrossRemainder cross:
                Note(parent, $"{cross.Reason} at the next step (it crossed once in this one)", ParentHold.AwaitingSchedule);
                return;
            case RestAtTouch rest when pass.Rested.Add(parent.OrderId) || parent.Children[^1].WouldTake:
                if (Route(pass, parent, new Slice(rest.Quantity, rest.Reason), commands, venues, progress.Now, instrument, rest.Limit, rest.Touch))
                {
                    pass.Again = parent.OrderId;
                }

                return;
            case RestAtTouch rest:
                // Its child of this advance ended at once (a venue that expires a post-only order): no loop of new ones.
                Note(parent, $"{rest.Reason} at the next step (its child ended at once in this one)", ParentHold.AwaitingSchedule);
                return;
            case KeepWaiting wait:
                Note(parent, wait.Reason, ParentHold.AwaitingSchedule);
                return;
        }
    }

    /// <summary>
    /// Routes a slice across the venues that take orders now, each piece to be sent with <paramref name="limit"/>. A
    /// passive child (<paramref name="touch"/> set) goes whole to the venue the router puts first, or what it can take
    /// there: one child rests at a time. With no venue available the parent waits out degraded mode (not cancelled), and
    /// the answer is false.
    /// </summary>
    private bool Route(AdvancePass pass, ParentOrder parent, Slice slice, List<ExecutionCommand> commands, IReadOnlyList<VenueSnapshot> venues,
        DateTimeOffset now, InstrumentRules instrument, LimitTerms? limit, decimal? touch)
    {
        IReadOnlyList<VenueSnapshot> available = [.. venues.Where(v => v.IsAvailable)];
        if (available.Count == 0)
        {
            if (parent.Hold != ParentHold.Degraded)
            {
                orders.Put(parent with { LastSliceReason = "degraded mode: no venue is available; waiting", Hold = ParentHold.Degraded });
                commands.Add(SaveOrders.Now);
            }

            return false;
        }

        var referencePrice = _lastBar?.Close ?? parent.ArrivalPrice;
        var (pieces, unrouted) = SmartOrderRouter.Route(parent.Side, slice.Quantity, referencePrice, available, instrument);
        if (touch is not null && pieces.Count > 1)
        {
            (pieces, unrouted) = ([pieces[0]], 0);
        }

        pass.Route = new RoutedSlice(parent.OrderId, slice, pieces, unrouted, referencePrice, now, limit, touch);
        return true;
    }

    /// <summary>
    /// Records why a working parent sends nothing now, saved with the next change (a reason alone is not worth a write);
    /// true when the reason is new.
    /// </summary>
    private bool Note(ParentOrder parent, string reason, ParentHold hold)
    {
        if (reason == parent.LastSliceReason)
        {
            return false;
        }

        orders.Put(parent with { LastSliceReason = reason, Hold = hold });
        return true;
    }

    /// <summary>Whether the trading state or the price collar holds the parent's next child now; the reason saved when it changed.</summary>
    private bool IsHeld(ParentOrder parent, List<ExecutionCommand> commands)
    {
        if (HoldBeforeSending(parent) is not { } hold)
        {
            return false;
        }

        // A hold's reason is saved at once, unlike a schedule's.
        if (Note(parent, hold.Reason, hold.Hold))
        {
            commands.Add(SaveOrders.Now);
        }

        return true;
    }

    /// <summary>
    /// Where a passive child rests: the best bid for a buy, the best ask for a sell, of the quote the latest bar brought;
    /// without one (bars only: a replay, the paper venues, a kline feed) the latest close; the arrival price until a bar
    /// newer than the parent has come.
    /// </summary>
    private decimal Touch(ParentOrder parent)
    {
        if (_lastBar is not { } bar || bar.CloseTime < parent.MarketTime)
        {
            return parent.ArrivalPrice;
        }

        return _lastQuote is { } quote ? (parent.Side == OrderSide.Buy ? quote.BidPrice : quote.AskPrice) : bar.Close;
    }

    /// <summary>
    /// The check of a new intent just before its first child: trading state (an intent risk approved before a halt or
    /// reducing-only reached it), the signal's age (it may have waited on a slow hop since risk checked it) and the
    /// price collar against the latest bar. Null when it may go. A working parent's later children are due later by
    /// design: they are checked for the state and the collar, not for the age.
    /// </summary>
    private string? RefusalBeforeSending(OrderIntent intent, DateTimeOffset now)
    {
        if (_trading == TradingState.Halted || (_trading == TradingState.Reducing && !Reduces(intent.Side, _positionWhenReducing)))
        {
            return $"{TradingStateNote()}: no order sent";
        }

        if (now - intent.TickIngestedAt > maxSignalAge)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"stale: the market data behind it was ingested {(now - intent.TickIngestedAt).TotalMilliseconds:0} ms ago, past the {maxSignalAge.TotalMilliseconds:0} ms limit (Trading:Risk:MaxSignalAge): no order sent");
        }

        return Collar(intent.ReferencePrice, intent.MarketTime) is { } collar ? $"{collar}: no order sent" : null;
    }

    /// <summary>The check of a working parent's next child: trading state and the price collar. Null when it may go.</summary>
    private (string Reason, ParentHold Hold)? HoldBeforeSending(ParentOrder parent)
    {
        if (_trading == TradingState.Halted)
        {
            return ($"{TradingStateNote()}: nothing sent", ParentHold.Halted);
        }

        return Collar(parent.ArrivalPrice, parent.MarketTime) is { } collar ? ($"{collar}: waiting", ParentHold.PriceCollar) : null;
    }

    /// <summary>
    /// Why the latest bar's price is too far from <paramref name="decidedAt"/> (the price the order was decided or
    /// arrived at) to send at: a move or a bad print larger than the collar; null within it, or without a bar as recent
    /// as the decision (bars reach this grain only while it works parents, so the last one kept may be old).
    /// </summary>
    private string? Collar(decimal decidedAt, DateTimeOffset decidedOn)
    {
        if (options.PriceCollar <= 0 || _lastBar is not { } bar || bar.CloseTime < decidedOn || decidedAt <= 0)
        {
            return null;
        }

        var moved = Math.Abs(bar.Close / decidedAt - 1);
        return moved > options.PriceCollar
            ? string.Create(CultureInfo.InvariantCulture, $"price collar: the last price {bar.Close} is {moved:P1} from {decidedAt}, more than the collar {options.PriceCollar:P1}")
            : null;
    }

    private string TradingStateNote() => _trading == TradingState.Halted
        ? $"trading halted ({_tradingReason ?? "kill switch"})"
        : $"reducing only ({_tradingReason ?? "daily loss stop"})";

    /// <summary>
    /// The surveillance flag for a child that could trade against one of this symbol's own resting limit orders on the
    /// other side: a market child always could; a limit child when its limit reaches the resting one's (a buy's at or
    /// above it, a sell's at or below it). Null when none is resting there (the common case costs one check).
    /// </summary>
    private SelfCross? CrossesOwnResting(PlaceChild place)
    {
        if (!orders.HasUnsettledChildren)
        {
            return null;
        }

        var (side, limit) = (place.Request.Side, place.Request.Limit);
        foreach (var other in orders.Orders)
        {
            if (other.OrderId == place.ParentId || other.Side == side || OrderBookkeeping.IsFinal(other.Status))
            {
                continue;
            }

            // Each resting child on its own terms: a passive child rests at its touch, not at a limit of its parent.
            foreach (var child in other.Children)
            {
                if (child.AwaitingVenue && (child.Limit ?? other.Limit) is { } resting
                    && (limit is null || (side == OrderSide.Buy ? limit.Price >= resting.Price : limit.Price <= resting.Price)))
                {
                    var price = limit is null ? "at market" : $"limit {OrderBookkeeping.N(limit.Price)}";
                    return new SelfCross(place.Request.Symbol, place.ParentId, other.OrderId,
                        $"{side} {OrderBookkeeping.N(place.Request.Quantity)} {price} could trade against our own resting {other.Side} {other.OrderId} at {OrderBookkeeping.N(resting.Price)}");
                }
            }
        }

        return null;
    }

    /// <summary>Whether an order on <paramref name="side"/> brings <paramref name="position"/> toward zero.</summary>
    private static bool Reduces(OrderSide side, decimal position) =>
        (side == OrderSide.Sell && position > 0) || (side == OrderSide.Buy && position < 0);

    /// <summary>Stops a parent: no more children, open children cancelled at their venue; what was filled stands.</summary>
    private ParentOrder CancelParent(List<ExecutionCommand> commands, ParentOrder order, string reason)
    {
        var cancelled = order with { Status = OrderStatus.Cancelled, LastSliceReason = reason, Hold = ParentHold.None };
        Finish(commands, cancelled);
        foreach (var child in cancelled.Children)
        {
            if (child.AwaitingVenue)
            {
                commands.Add(new CancelChild(order.OrderId, child.Venue, ToRequest(cancelled, child)));
            }
        }

        return cancelled;
    }

    /// <summary>
    /// Merges a venue's report into the parent (new fills, the child's status). A report that changes nothing is
    /// dropped; otherwise the parent is saved, and audited when its status moved or fills came.
    /// </summary>
    private IReadOnlyList<ExecutionCommand> Merge(ParentOrder parent, OrderAck report)
    {
        if (OrderBookkeeping.ApplyReport(parent, report) is not var (order, newFills))
        {
            return Nothing;
        }

        if (newFills.Count == 0 && order.Status == parent.Status && order.Children.SequenceEqual(parent.Children))
        {
            return Nothing;
        }

        orders.Put(order);
        List<ExecutionCommand> commands = [SaveOrders.Now];
        if (order.Status != parent.Status || newFills.Count > 0)
        {
            commands.Add(new AuditOrder(order, newFills));
        }

        Settle(commands, order, newFills);
        return commands;
    }

    private void Placed(List<ExecutionCommand> commands, ParentOrder parent, OrderAck ack)
    {
        orders.Put(parent);
        commands.Add(new AuditOrder(parent, ack.Fills, Placement: true));
        commands.Add(SaveOrders.Now);
        Settle(commands, parent, ack.Fills);
    }

    private void Finish(List<ExecutionCommand> commands, ParentOrder order, bool placement = false)
    {
        orders.Put(order);
        commands.Add(SaveOrders.Now);
        commands.Add(new AuditOrder(order, [], placement));
        Settle(commands, order, []);
    }

    private static void Settle(List<ExecutionCommand> commands, ParentOrder order, IReadOnlyList<Fill> fills)
    {
        var closed = OrderBookkeeping.IsFinal(order.Status) ? order : null;
        if (fills.Count > 0 || closed is not null)
        {
            commands.Add(new BookFills(fills, closed));
        }
    }

    /// <summary>
    /// How long an unsettled child is left between queries: the poll interval, stretched to a tenth of the time since it
    /// was sent (a child unsettled for ten minutes is asked once a minute) up to the longest poll interval, so children a
    /// venue is slow to settle do not use up its request weight.
    /// </summary>
    private TimeSpan PollInterval(ChildOrder child, DateTimeOffset now)
    {
        var stretched = child.PlacedAt is { } placed ? (now - placed) / 10 : TimeSpan.Zero;
        var capped = stretched < options.OpenOrderPollMaxInterval ? stretched : options.OpenOrderPollMaxInterval;
        return capped > options.OpenOrderPollInterval ? capped : options.OpenOrderPollInterval;
    }

    private bool IsAwaited(string clientOrderId) =>
        orders.FindByChild(clientOrderId) is { } parent && parent.Children.Any(c => c.ClientOrderId == clientOrderId && c.AwaitingVenue);

    /// <summary>Market time of the latest event; for a parent that arrived live, the wall clock too.</summary>
    private DateTimeOffset Clock(ParentOrder parent, DateTimeOffset now) =>
        (now - parent.MarketTime).Duration() < LiveTolerance ? Max(_marketNow, now) : _marketNow;

    private static ChangeDecision Unknown(string orderId) => new(null, Nothing, ChangeRefusal.UnknownOrder, $"No order {orderId}.");

    private static OrderRequest ToRequest(ParentOrder parent, ChildOrder child) =>
        new(child.ClientOrderId, parent.Symbol, parent.Side, child.Quantity, parent.ArrivalPrice, parent.MarketTime, child.Limit ?? parent.Limit);

    private static bool AnyAvailable(IReadOnlyList<VenueSnapshot> venues)
    {
        for (var i = 0; i < venues.Count; i++)
        {
            if (venues[i].IsAvailable)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>A seed that is the same for a parent id in every process (string.GetHashCode is randomised per process).</summary>
    private static int StableSeed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// One advance of the working parents, oldest first: the slice being routed piece by piece, or the passive child being
    /// withdrawn, each waiting for its venue's answer before the advance goes on.
    /// </summary>
    private sealed class AdvancePass(Queue<string> working, IReadOnlyList<VenueSnapshot> venues, DateTimeOffset now)
    {
        public Queue<string> Working { get; } = working;

        /// <summary>The venues and the wall clock the advance started with; a withdrawal's answer goes on with them.</summary>
        public IReadOnlyList<VenueSnapshot> Venues { get; } = venues;

        public DateTimeOffset Now { get; } = now;

        public RoutedSlice? Route { get; set; }

        /// <summary>The cancel of a passive parent's resting child whose answer the advance waits for.</summary>
        public CancelChild? Withdrawal { get; set; }

        /// <summary>A passive parent whose move was answered: it steps again before the next parent.</summary>
        public string? Again { get; set; }

        /// <summary>Passive parents that crossed in this advance: once each.</summary>
        public HashSet<string> Crossed { get; } = new(StringComparer.Ordinal);

        /// <summary>Passive parents that rested a child at the touch in this advance: again only a tick away from a refusal for taking.</summary>
        public HashSet<string> Rested { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A slice split across venues: the pieces, how many were answered, and what no venue could take; each piece sent
    /// with <paramref name="limit"/> (the parent's, or a passive child's own), priced from <paramref name="touch"/> when passive.
    /// </summary>
    private sealed class RoutedSlice(
        string parentId, Slice slice, IReadOnlyList<RoutedPiece> pieces, decimal unrouted, decimal referencePrice, DateTimeOffset now, LimitTerms? limit, decimal? touch = null)
    {
        public string ParentId { get; } = parentId;

        public Slice Slice { get; } = slice;

        public IReadOnlyList<RoutedPiece> Pieces { get; } = pieces;

        public decimal Unrouted { get; } = unrouted;

        public decimal ReferencePrice { get; } = referencePrice;

        /// <summary>The execution clock when the slice was decided: every piece's market time.</summary>
        public DateTimeOffset Now { get; } = now;

        public LimitTerms? Limit { get; } = limit;

        public decimal? Touch { get; } = touch;

        public int Answered { get; set; }
    }
}
