using System.Text.Json.Serialization;

namespace TradingOrleans.Grains.Interfaces.Execution;

public enum OrderSide
{
    Buy,
    Sell,
}

public enum OrderStatus
{
    New,
    PartiallyFilled,
    Filled,
    Rejected,

    /// <summary>A parent an algorithm is still slicing: more children will follow.</summary>
    Working,

    /// <summary>A parent stopped before its whole quantity was sent; its filled part stands.</summary>
    Cancelled,
}

/// <summary>Why a working parent sent nothing at its last step.</summary>
public enum ParentHold
{
    /// <summary>Nothing held: the parent sent a child at its last step, or is not working.</summary>
    None,

    /// <summary>Its algorithm has nothing due yet: the next slice's time has not come, or what is due is below one lot.</summary>
    AwaitingSchedule,

    /// <summary>Limit protection: the price is further from the arrival price than the instruction allows.</summary>
    PausedByLimitProtection,

    /// <summary>Degraded mode: no venue takes orders; the parent waits for one to return.</summary>
    Degraded,

    /// <summary>Trading is halted: nothing is sent (a halt cancels working parents; this holds one that arrived after).</summary>
    Halted,

    /// <summary>The price collar: the last price is further from the arrival price than the collar allows.</summary>
    PriceCollar,
}

/// <summary>What kind of order a venue is sent (Binance's order types of the same names).</summary>
public enum OrderType
{
    /// <summary>Fills at once at whatever the book offers.</summary>
    Market,

    /// <summary>Fills only at its limit price or better; what does not fill at once rests (GTC) or expires (IOC, FOK).</summary>
    Limit,

    /// <summary>A limit order that may only rest (post-only): the venue rejects it if it would fill at once.</summary>
    LimitMaker,
}

/// <summary>How long a limit order stays at the venue (Binance's <c>timeInForce</c>).</summary>
public enum TimeInForce
{
    /// <summary>Good till cancelled: what does not fill at once rests.</summary>
    Gtc,

    /// <summary>Immediate or cancel: fills what it can at once; the rest expires.</summary>
    Ioc,

    /// <summary>Fill or kill: fills all of it at once or none of it.</summary>
    Fok,
}

/// <summary>The price terms of a limit order, as every child of its parent carries them to the venue.</summary>
/// <param name="Type"><see cref="OrderType.Limit"/> or <see cref="OrderType.LimitMaker"/>.</param>
/// <param name="Price">The limit: the worst price a fill may have (a buy's highest, a sell's lowest).</param>
/// <param name="TimeInForce">For <see cref="OrderType.Limit"/>; a limit maker always rests (GTC).</param>
[GenerateSerializer, Immutable]
public sealed record LimitTerms(
    [property: Id(0)] OrderType Type,
    [property: Id(1)] decimal Price,
    [property: Id(2)] TimeInForce TimeInForce = TimeInForce.Gtc)
{
    /// <summary>Whether <paramref name="price"/> is at the limit or better for an order on <paramref name="side"/>.</summary>
    public bool Allows(OrderSide side, decimal price) => side == OrderSide.Buy ? price <= Price : price >= Price;
}

/// <summary>How execution works a parent order (null on an intent: the configured default, immediate unless changed).</summary>
/// <param name="Algorithm"><c>immediate</c>, <c>twap</c> or <c>vwap</c>.</param>
/// <param name="Duration">TWAP/VWAP: the span to spread the order over.</param>
/// <param name="Slices">TWAP: number of child orders.</param>
/// <param name="Randomization">TWAP: relative size noise per slice, in [0, 1).</param>
/// <param name="ParticipationCap">VWAP: largest child as a share of the last bar's volume; 0 for none.</param>
/// <param name="MaxAdverseBps">Limit protection: no child while the price is this many basis points worse than on arrival; null for none.</param>
/// <param name="OrderType">What every child is sent as: market orders (default), limit or limit-maker orders.</param>
/// <param name="LimitPrice">Limit orders: the limit, in the quote asset. Either this or <paramref name="LimitOffsetBps"/>.</param>
/// <param name="LimitOffsetBps">
/// Limit orders: the limit as basis points better than the reference price the order was sized on (a buy's below it,
/// a sell's above it); negative for a limit past it, which fills at once if the market is there.
/// </param>
/// <param name="TimeInForce">Limit orders: GTC (default), IOC or FOK; not for a limit maker, which always rests.</param>
/// <param name="Passive">
/// TWAP with market orders only: each slice rests post-only at the touch, is repriced when the touch moves away, and
/// what is unfilled at the slice's deadline crosses at market.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ExecutionInstruction(
    [property: Id(0)] string Algorithm,
    [property: Id(1)] TimeSpan Duration,
    [property: Id(2)] int Slices = 1,
    [property: Id(3)] double Randomization = 0,
    [property: Id(4)] double ParticipationCap = 0,
    [property: Id(5)] decimal? MaxAdverseBps = null,
    [property: Id(6)] OrderType OrderType = OrderType.Market,
    [property: Id(7)] decimal? LimitPrice = null,
    [property: Id(8)] decimal? LimitOffsetBps = null,
    [property: Id(9)] TimeInForce? TimeInForce = null,
    [property: Id(10)] bool Passive = false)
{
    /// <summary>The algorithms execution can run.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["immediate", "twap", "vwap"];

    /// <summary>Problems with the instruction, keyed by its field names; empty when it can be run.</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Algorithms.Contains(Algorithm))
        {
            errors["algorithm"] = $"Must be one of {string.Join(", ", Algorithms)}.";
            return errors;
        }

        if (Algorithm != "immediate" && (Duration < TimeSpan.FromSeconds(1) || Duration > TimeSpan.FromDays(7)))
        {
            errors["duration"] = "Must be between 00:00:01 and 7.00:00:00.";
        }

        if (Algorithm == "twap" && Slices is < 1 or > 10_000)
        {
            errors["slices"] = "Must be between 1 and 10000.";
        }

        if (Randomization is < 0 or >= 1)
        {
            errors["randomization"] = "Must be in [0, 1).";
        }

        if (ParticipationCap is < 0 or > 1)
        {
            errors["participationCap"] = "Must be in [0, 1].";
        }

        if (MaxAdverseBps is <= 0 or > 10_000)
        {
            errors["maxAdverseBps"] = "Must be above 0 and at most 10000.";
        }

        ValidateOrderType(errors);
        if (Passive && Algorithm != "twap")
        {
            errors["passive"] = "Only with algorithm twap: passive children work each slice until its deadline (vwap's target moves with every bar, immediate has no schedule).";
        }
        else if (Passive && OrderType != OrderType.Market)
        {
            errors["passive"] = "A passive order rests post-only at the touch and crosses at market at each slice's deadline: it takes orderType Market (no limit terms).";
        }

        return errors;
    }

    /// <summary>
    /// The limit terms the children carry, for an order on <paramref name="side"/> sized at <paramref name="referencePrice"/>,
    /// the limit rounded to <paramref name="priceTick"/> away from the market (down for a buy, up for a sell); null for
    /// market orders. Call on a valid instruction.
    /// </summary>
    public LimitTerms? LimitFor(OrderSide side, decimal referencePrice, decimal priceTick)
    {
        if (OrderType == OrderType.Market)
        {
            return null;
        }

        var price = LimitPrice ?? referencePrice * (1 + (side == OrderSide.Buy ? -1 : 1) * LimitOffsetBps!.Value / 10_000m);
        price = InstrumentRules.RoundLimitToTick(side, price, priceTick);
        return new LimitTerms(OrderType, decimal.Round(price, 8), TimeInForce.GetValueOrDefault()); // GTC unless told
    }

    private void ValidateOrderType(Dictionary<string, string> errors)
    {
        if (!Enum.IsDefined(OrderType))
        {
            errors["orderType"] = "Must be Market, Limit or LimitMaker.";
            return;
        }

        if (OrderType == OrderType.Market)
        {
            foreach (var (field, given) in new[] { ("limitPrice", LimitPrice is not null), ("limitOffsetBps", LimitOffsetBps is not null), ("timeInForce", TimeInForce is not null) })
            {
                if (given)
                {
                    errors[field] = "Only for a Limit or LimitMaker order type.";
                }
            }

            return;
        }

        if ((LimitPrice is null) == (LimitOffsetBps is null))
        {
            errors["limitPrice"] = $"A {OrderType} order needs a limitPrice or a limitOffsetBps (one of them).";
        }
        else if (LimitPrice is <= 0)
        {
            errors["limitPrice"] = "Must be above 0.";
        }
        else if (LimitOffsetBps is <= -1_000 or >= 10_000)
        {
            errors["limitOffsetBps"] = "Must be above -1000 and below 10000.";
        }

        if (OrderType == OrderType.LimitMaker && TimeInForce is not null)
        {
            errors["timeInForce"] = "A LimitMaker order always rests: it takes no timeInForce.";
        }
        else if (TimeInForce is { } tif && !Enum.IsDefined(tif))
        {
            errors["timeInForce"] = "Must be Gtc, Ioc or Fok.";
        }
    }
}

/// <summary>A sized, risk-approved wish to trade, before execution decides how.</summary>
/// <param name="IntentId">Deterministic id (symbol, bar, sequence): the same signal always yields the same id.</param>
/// <param name="ReferencePrice">The market price the size was computed on.</param>
/// <param name="Reason">Why this trade: the combined signal and any scaling risk applied.</param>
/// <param name="TickIngestedAt">Ingest time of the market data that caused it.</param>
[GenerateSerializer, Immutable]
public sealed record OrderIntent(
    [property: Id(0)] string IntentId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] OrderSide Side,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] decimal ReferencePrice,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset MarketTime,
    [property: Id(7)] DateTimeOffset TickIngestedAt,
    [property: Id(8)] ExecutionInstruction? Execution = null);

/// <summary>What execution sends to a broker: one order with an idempotent client order id.</summary>
/// <param name="Limit">The limit terms; null for a market order.</param>
[GenerateSerializer, Immutable]
public sealed record OrderRequest(
    [property: Id(0)] string ClientOrderId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] OrderSide Side,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] decimal ReferencePrice,
    [property: Id(5)] DateTimeOffset MarketTime,
    [property: Id(6)] LimitTerms? Limit = null);

/// <summary>One execution of (part of) an order.</summary>
/// <param name="FillId">Unique per fill (broker trade id); the portfolio applies each id once.</param>
/// <param name="Quantity">The quantity traded (what the venue counts as executed).</param>
/// <param name="Fee">Commission, valued in the quote asset (what fees paid report).</param>
/// <param name="FeeInBase">
/// The part of the commission the venue took in the base asset (Binance deducts a base-asset commission from the base
/// received, or adds it to the base given): the position moves by the quantity less this, and no quote is paid for it.
/// </param>
[GenerateSerializer, Immutable]
public sealed record Fill(
    [property: Id(0)] string FillId,
    [property: Id(1)] string ClientOrderId,
    [property: Id(2)] string Symbol,
    [property: Id(3)] OrderSide Side,
    [property: Id(4)] decimal Quantity,
    [property: Id(5)] decimal Price,
    [property: Id(6)] decimal Fee,
    [property: Id(7)] DateTimeOffset FilledAt,
    [property: Id(8)] decimal FeeInBase = 0);

/// <summary>
/// The broker's answer to an <see cref="OrderRequest"/>, or a later report on the same order (user-data stream, query).
/// <see cref="OrderStatus.New"/>: accepted (or its outcome not yet known) with no fill; <see cref="OrderStatus.PartiallyFilled"/>:
/// open with fills; <see cref="OrderStatus.Filled"/>; <see cref="OrderStatus.Cancelled"/>: ended at the venue (expired or
/// cancelled) with what it filled; <see cref="OrderStatus.Rejected"/>: never traded.
/// </summary>
/// <param name="RejectReason">Set when <see cref="Status"/> is <see cref="OrderStatus.Rejected"/>; otherwise a note, if any.</param>
/// <param name="VenueFilledQuantity">The venue's cumulative filled quantity when it states one; more than the fills known means some are still to fetch.</param>
/// <param name="OrderedQuantity">
/// The quantity the venue was sent, after its own rounding (Binance's lot step), when the broker states it: the child's
/// quantity from then on, so what the venue never got goes back to the schedule instead of being awaited for ever.
/// </param>
/// <param name="WouldTake">
/// A rejection of a post-only (limit maker) order because it would have traded at once (Binance -2010 "Order would
/// immediately match and take."): nothing traded, and the same quantity may rest at a price further from the market.
/// </param>
[GenerateSerializer, Immutable]
public sealed record OrderAck(
    [property: Id(0)] string ClientOrderId,
    [property: Id(1)] string BrokerOrderId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] IReadOnlyList<Fill> Fills,
    [property: Id(4)] string? RejectReason,
    [property: Id(5)] DateTimeOffset AcknowledgedAt,
    [property: Id(6)] decimal? VenueFilledQuantity = null,
    [property: Id(7)] decimal? OrderedQuantity = null,
    [property: Id(8)] bool WouldTake = false);

/// <summary>A child order: one slice of a parent order as sent to a broker.</summary>
/// <param name="Venue">The broker that took it (<c>IBroker.Name</c>, e.g. <c>paper</c>).</param>
/// <param name="AwaitingVenue">Its state at the venue is not settled here yet (outcome unknown, still open, or fills to fetch): execution polls it.</param>
/// <param name="Limit">The terms it was sent with when they are not its parent's: a passive parent's post-only child at the touch.</param>
/// <param name="Touch">A passive child's touch when it was priced (best bid for a buy, best ask for a sell, else the last close): it is repriced once the touch moves away from this.</param>
/// <param name="WouldTake">The venue refused it, post-only, because it would have traded at once (see <see cref="OrderAck.WouldTake"/>).</param>
[GenerateSerializer, Immutable]
public sealed record ChildOrder(
    [property: Id(0)] string ClientOrderId,
    [property: Id(1)] string? BrokerOrderId,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] OrderStatus Status,
    [property: Id(4)] decimal FilledQuantity,
    [property: Id(5)] DateTimeOffset? PlacedAt,
    [property: Id(6)] string Venue = "",
    [property: Id(7)] bool AwaitingVenue = false,
    [property: Id(8)] LimitTerms? Limit = null,
    [property: Id(9)] decimal? Touch = null,
    [property: Id(10)] bool WouldTake = false);

/// <summary>An order as execution tracks it: the intent, its child orders and every fill.</summary>
/// <param name="TickIngestedAt">Ingest time of the market data that caused the order.</param>
/// <param name="PlacedAt">When the first child order was handed to the broker.</param>
/// <param name="Execution">How the parent is worked (null: immediate).</param>
/// <param name="ArrivalPrice">The market price when the parent arrived.</param>
/// <param name="LastSliceReason">What the algorithm said at its last step (e.g. "TWAP slice 3 of 5", "paused: …").</param>
/// <param name="Routing">Each routing decision, in order: the venue chosen for a child and why (several venues only).</param>
/// <param name="Hold">Why a working parent sent nothing at its last step, as <paramref name="LastSliceReason"/> tells it in words; not in the API's JSON.</param>
/// <param name="Limit">The limit terms every child carries; null when its children are market orders.</param>
[GenerateSerializer, Immutable]
public sealed record ParentOrder(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] OrderSide Side,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] OrderStatus Status,
    [property: Id(5)] decimal FilledQuantity,
    [property: Id(6)] decimal AverageFillPrice,
    [property: Id(7)] decimal Fees,
    [property: Id(8)] IReadOnlyList<ChildOrder> Children,
    [property: Id(9)] IReadOnlyList<Fill> Fills,
    [property: Id(10)] string Reason,
    [property: Id(11)] string? RejectReason,
    [property: Id(12)] DateTimeOffset MarketTime,
    [property: Id(13)] DateTimeOffset TickIngestedAt,
    [property: Id(14)] DateTimeOffset? PlacedAt,
    [property: Id(15)] ExecutionInstruction? Execution = null,
    [property: Id(16)] decimal ArrivalPrice = 0,
    [property: Id(17)] string? LastSliceReason = null,
    [property: Id(18)] IReadOnlyList<string>? Routing = null,
    [property: Id(19), JsonIgnore] ParentHold Hold = ParentHold.None,
    [property: Id(20)] LimitTerms? Limit = null)
{
    /// <summary>
    /// Quantity handed to venues and not given back: a child that ended at the venue (expired, cancelled, rejected)
    /// counts with what it filled, so an algorithm sends the rest again. A child is final only once its fills add up to
    /// what the venue says it executed, so that is never less than the venue's executed quantity; until then the child
    /// counts whole, and nothing of it is sent again while its fills are awaited.
    /// </summary>
    public decimal SentQuantity => Children.Sum(c => c.Status is OrderStatus.Cancelled or OrderStatus.Rejected ? c.FilledQuantity : c.Quantity);

    /// <summary>From the ingest of the tick that caused the order to its hand-off to the broker.</summary>
    public TimeSpan? TickToOrderLatency => PlacedAt - TickIngestedAt;
}
