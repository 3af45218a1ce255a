using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Execution;

/// <summary>
/// Carries out a parent-order machine's commands the way ExecutionGrain does, against scripted (or paper) venues and an
/// in-memory journal, and records what reached the portfolio, risk and the audit trail. A venue call that has not
/// completed when it returns counts as not answered within the grain's answer wait.
/// </summary>
internal sealed class MachineShell
{
    /// <summary>The wall clock starts a year after the market data, so no parent counts as live unless a test says so.</summary>
    public static readonly DateTimeOffset WallClock = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyList<IBroker> _venues;

    private MachineShell(InMemoryOrderJournal journal, OrderBlotter blotter, IReadOnlyList<IBroker> venues)
    {
        (Journal, _venues) = (journal, venues);
        var options = new ExecutionOptions();
        var instruments = new ConfiguredInstruments(Options.Create(new InstrumentOptions { LotStep = 0.001m, PriceTick = 0.01m }));
        Machine = new ParentOrderMachine(blotter, new ExecutionAlgorithms(Options.Create(options)), instruments, options, MaxSignalAge);
    }

    /// <summary>A four-slice TWAP over 20 minutes: a slice per five-minute bar.</summary>
    public static readonly ExecutionInstruction Twap4 = new("twap", TimeSpan.FromMinutes(20), Slices: 4);

    /// <summary>The <paramref name="index"/>-th five-minute BTCUSDT bar from <see cref="Bars.Start"/>, flat at <paramref name="close"/>.</summary>
    public static Candle Bar(int index, decimal close = 30_000m) =>
        new("BTCUSDT", TimeSpan.FromMinutes(5), Bars.Start.AddMinutes(5 * index), close, close, close, close, 10m, Bars.Start);

    /// <summary>An approved BTCUSDT intent at 30,000, decided at the first bar's close.</summary>
    public static OrderIntent Intent(string id, OrderSide side, decimal quantity, ExecutionInstruction? execution = null) =>
        new($"BTCUSDT-{id}", "BTCUSDT", side, quantity, 30_000m, "test", Bar(0).CloseTime, WallClock, execution);

    /// <summary>Risk's default: a new intent ingested longer ago than this is refused.</summary>
    public static readonly TimeSpan MaxSignalAge = TimeSpan.FromSeconds(30);

    public ParentOrderMachine Machine { get; }

    public InMemoryOrderJournal Journal { get; }

    public DateTimeOffset Now { get; set; } = WallClock;

    public List<Fill> Booked { get; } = [];

    public List<string> Closed { get; } = [];

    /// <summary>Each order record written to the audit trail, with its fills.</summary>
    public List<(ParentOrder Order, IReadOnlyList<Fill> Fills)> Audited { get; } = [];

    /// <summary>Orders counted as placed (a child sent, or the order refused).</summary>
    public int Placements { get; private set; }

    public List<string> Queried { get; } = [];

    /// <summary>The client order ids of the children the machine asked a venue to cancel, in order.</summary>
    public List<string> CancelsSent { get; } = [];

    /// <summary>A machine whose orders are read back from <paramref name="journal"/>, as an activation does.</summary>
    public static async Task<MachineShell> StartAsync(InMemoryOrderJournal journal, params IBroker[] venues) =>
        new(journal, await OrderBlotter.LoadAsync(journal), venues);

    public static Task<MachineShell> StartAsync(params IBroker[] venues) => StartAsync(new InMemoryOrderJournal(), venues);

    public ParentOrder? Order(string orderId) => Machine.Orders.Find(orderId);

    public async Task<ParentOrder> Execute(OrderIntent intent)
    {
        await Run(Machine.Execute(intent, Venues(), Now));
        return Order(intent.IntentId)!;
    }

    /// <summary>A bar, with the symbol's quote if given: as the grain, a simulated venue's resting orders fill on it first.</summary>
    public async Task Bar(Candle bar, Quote? quote = null)
    {
        foreach (var venue in _venues.OfType<IRestingOrderVenue>())
        {
            foreach (var report in venue.MatchRestingOrders(bar))
            {
                await Report(report);
            }
        }

        await Run(Machine.OnBar(bar, quote, Venues(), Now));
    }

    public Task Poll(bool force = false) => Run(Machine.Poll(Now, force));

    public async Task<bool> Report(OrderAck report)
    {
        if (Machine.OnVenueReport(report) is not { } commands)
        {
            return false;
        }

        await Run(commands);
        return true;
    }

    public async Task<ChangeDecision> Cancel(string orderId)
    {
        var decision = Machine.Cancel(orderId);
        await Run(decision.Commands);
        return decision;
    }

    public async Task<ChangeDecision> Amend(string orderId, decimal quantity)
    {
        var decision = Machine.Amend(orderId, quantity, Venues(), Now);
        await Run(decision.Commands);
        return decision;
    }

    public IReadOnlyList<VenueSnapshot> Venues() => [.. _venues.Select(VenueSnapshot.Of)];

    public async Task Run(IReadOnlyList<ExecutionCommand> commands)
    {
        foreach (var command in commands)
        {
            switch (command)
            {
                case PlaceChild place:
                    var placing = Venue(place.Venue).PlaceOrderAsync(place.Request, CancellationToken.None);
                    if (!placing.IsCompleted)
                    {
                        // As the grain after its answer wait: the child is kept awaiting; the test delivers the late answer.
                        await Run(Machine.ChildUnanswered(place, Now, Now, Venues()));
                        break;
                    }

                    await Run(Machine.ChildPlaced(place, await placing, Now, Now, Venues()));
                    break;
                case CancelChild cancel:
                    CancelsSent.Add(cancel.Request.ClientOrderId);
                    var cancelling = Venue(cancel.Venue).CancelOrderAsync(cancel.Request, CancellationToken.None);
                    if (cancelling.IsCompleted && await cancelling is { } cancelled)
                    {
                        await Run(Machine.OnAnswer(cancel, cancelled));
                    }
                    else
                    {
                        // Late (the test delivers it as a report) or unknown: the child stays as it was.
                        await Run(Machine.Unanswered(cancel));
                    }

                    break;
                case QueryChild query:
                    Queried.Add(query.Request.ClientOrderId);
                    if (await Venue(query.Venue).QueryOrderAsync(query.Request, CancellationToken.None) is { } state)
                    {
                        await Run(Machine.OnAnswer(query, state));
                    }

                    break;
                case SaveOrders:
                    await Machine.Orders.SaveAsync(Journal);
                    break;
                case BookFills book:
                    Booked.AddRange(book.Fills);
                    if (book.Closed is { } closed)
                    {
                        Closed.Add(closed.OrderId);
                    }

                    break;
                case AuditOrder audit:
                    Audited.Add((audit.Order, audit.Fills));
                    Placements += audit.Placement ? 1 : 0;
                    break;
            }
        }
    }

    private IBroker Venue(string name) => _venues.Single(v => v.Name == name);
}

/// <summary>
/// A venue whose answers a test scripts: by default it fills every order at once at its reference price. Like every
/// IBroker it answers a repeated client order id with its first answer, and never takes that order twice.
/// </summary>
internal sealed class ScriptedVenue(string name, decimal feeBps = 0, decimal maxOrderQuantity = 0, decimal minNotional = 0) : IBroker
{
    private readonly Dictionary<string, OrderAck> _orders = new(StringComparer.Ordinal);

    public string Name => name;

    public VenueTerms Terms { get; } = new(feeBps, 0, maxOrderQuantity, minNotional);

    public bool IsAvailable { get; set; } = true;

    /// <summary>The orders the venue took, one per client order id.</summary>
    public List<OrderRequest> Received { get; } = [];

    /// <summary>How the venue answers an order it takes.</summary>
    public Func<OrderRequest, OrderAck> Answer { get; set; } = Filled;

    /// <summary>While true, an order is taken but never answered (the answer is late): the test reports what became of it.</summary>
    public bool Silent { get; set; }

    /// <summary>While true, a cancel is never answered (its answer is late): the test reports what became of the order.</summary>
    public bool SilentCancels { get; set; }

    public static Fill Trade(string fillId, string clientOrderId, decimal quantity, decimal price = 30_000m) =>
        new(fillId, clientOrderId, "BTCUSDT", OrderSide.Buy, quantity, price, 0m, MachineShell.WallClock);

    public static OrderAck Filled(OrderRequest request) =>
        new(request.ClientOrderId, $"v-{request.ClientOrderId}", OrderStatus.Filled,
            [Trade($"t-{request.ClientOrderId}", request.ClientOrderId, request.Quantity, request.ReferencePrice)], null, MachineShell.WallClock);

    /// <summary>Taken, but with no answer in time: the outcome is unknown until the venue tells.</summary>
    public static OrderAck Unknown(OrderRequest request) =>
        new(request.ClientOrderId, "", OrderStatus.New, [], "outcome unknown", MachineShell.WallClock);

    public static OrderAck Rejected(OrderRequest request) =>
        new(request.ClientOrderId, "", OrderStatus.Rejected, [], "insufficient balance", MachineShell.WallClock);

    /// <summary>What the venue says about an order from now on (a trade, an expiry): a query or a cancel answers with it.</summary>
    public void Now(OrderAck state) => _orders[state.ClientOrderId] = state;

    public Task<OrderAck> PlaceOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (Silent)
        {
            Received.Add(request);
            return new TaskCompletionSource<OrderAck>().Task;
        }

        if (!_orders.TryGetValue(request.ClientOrderId, out var ack))
        {
            Received.Add(request);
            _orders[request.ClientOrderId] = ack = Answer(request);
        }

        return Task.FromResult(ack);
    }

    public Task<OrderAck?> QueryOrderAsync(OrderRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_orders.GetValueOrDefault(request.ClientOrderId));

    public Task<OrderAck?> CancelOrderAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        if (SilentCancels)
        {
            return new TaskCompletionSource<OrderAck?>().Task;
        }

        if (_orders.TryGetValue(request.ClientOrderId, out var state) && state.Status is OrderStatus.New or OrderStatus.PartiallyFilled)
        {
            _orders[request.ClientOrderId] = state = state with { Status = OrderStatus.Cancelled };
        }

        return Task.FromResult<OrderAck?>(state);
    }
}
