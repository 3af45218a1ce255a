using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>How orders from signals are worked, and where VWAP learns its volume profiles (section <c>Trading:Execution</c>).</summary>
public sealed class ExecutionOptions : IValidatableObject
{
    public const string SectionName = "Trading:Execution";

    /// <summary>Algorithm for orders whose intent names none (signal-driven orders): immediate, twap or vwap.</summary>
    [Required]
    public string DefaultAlgorithm { get; set; } = "immediate";

    /// <summary>Span the default TWAP/VWAP spreads an order over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DefaultDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Children of the default TWAP.</summary>
    [Range(1, 10_000)]
    public int DefaultSlices { get; set; } = 5;

    /// <summary>Largest VWAP child as a share of the last bar's volume (0 = no cap).</summary>
    [Range(0.0, 1.0)]
    public double DefaultParticipationCap { get; set; } = 0.1;

    /// <summary>What orders from signals are sent as: Market (default), or Limit with <see cref="DefaultLimitOffsetBps"/>.</summary>
    public OrderType DefaultOrderType { get; set; } = OrderType.Market;

    /// <summary>
    /// Limit orders from signals: the limit as basis points better than the close the order was decided on (a buy's
    /// below it, a sell's above it); negative for a limit past it.
    /// </summary>
    public decimal? DefaultLimitOffsetBps { get; set; }

    /// <summary>
    /// Limit orders from signals: Ioc (default) or Fok. Not Gtc: a signal's order is not cancelled when the target moves
    /// on, so a resting one would trade on a decision that no longer holds (GTC and limit makers are for manual orders).
    /// </summary>
    public TimeInForce? DefaultTimeInForce { get; set; }

    /// <summary>
    /// Orders from signals worked passively (with <see cref="DefaultAlgorithm"/> twap and market orders): each slice rests
    /// post-only at the touch until its deadline, then what is unfilled crosses at market. A passive child rests no longer
    /// than its slice, so it cannot outlive the decision it came from.
    /// </summary>
    public bool DefaultPassive { get; set; }

    /// <summary>Folder of historical kline files (<c>SYMBOL.csv[.gz]</c>) VWAP learns each symbol's volume profile from; uniform without one.</summary>
    public string VolumeProfileDirectory { get; set; } = "data/binance-usdt-2021-5m";

    /// <summary>
    /// Learn the profiles only from bars opening before this instant (UTC), so a replay or back-test of a later
    /// period does not trade on volumes it has not seen yet; null uses the whole files.
    /// </summary>
    public DateTimeOffset? VolumeProfileUntil { get; set; }

    /// <summary>Time-of-day bucket of the volume profiles (must divide a day).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan VolumeProfileBucket { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often an order whose state at the venue is not settled (outcome unknown, open, fills missing) is queried
    /// there — the fallback when the venue's user-data stream does not tell first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OpenOrderPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait between queries of a child that stays unsettled: its poll interval grows to a tenth of the
    /// time since it was sent, up to this (never below <see cref="OpenOrderPollInterval"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OpenOrderPollMaxInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a venue call (place, cancel, query) holds the symbol's execution grain. A venue that has not answered
    /// by then leaves its child awaiting the answer (sent, outcome unknown, counted whole in the schedule); the answer
    /// reaches the grain as a message when it comes, and polls ask the venue meanwhile. A venue that answers at once
    /// (paper) is never waited for.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan VenueAnswerWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The price collar, as a fraction: no child goes out while the last bar's close is further than this from the
    /// price its order was decided at (a new order is refused; a working parent waits). 0 turns it off.
    /// </summary>
    [Range(0.0, 1.0)]
    public decimal PriceCollar { get; set; } = 0.1m;

    public ExecutionInstruction DefaultInstruction => new(DefaultAlgorithm, DefaultDuration, DefaultSlices, 0, DefaultParticipationCap,
        OrderType: DefaultOrderType, LimitOffsetBps: DefaultLimitOffsetBps,
        TimeInForce: DefaultOrderType == OrderType.Limit ? DefaultTimeInForce ?? TimeInForce.Ioc : DefaultTimeInForce, Passive: DefaultPassive);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ExecutionInstruction.Algorithms.Contains(DefaultAlgorithm))
        {
            yield return new ValidationResult($"Must be one of {string.Join(", ", ExecutionInstruction.Algorithms)}; got '{DefaultAlgorithm}'.", [nameof(DefaultAlgorithm)]);
        }

        var orderTerms = new Dictionary<string, string>
        {
            ["orderType"] = nameof(DefaultOrderType), ["limitPrice"] = nameof(DefaultLimitOffsetBps),
            ["limitOffsetBps"] = nameof(DefaultLimitOffsetBps), ["timeInForce"] = nameof(DefaultTimeInForce), ["passive"] = nameof(DefaultPassive),
        };
        foreach (var (field, problem) in DefaultInstruction.Validate())
        {
            if (orderTerms.TryGetValue(field, out var setting))
            {
                yield return new ValidationResult(field == "limitPrice" ? $"A {DefaultOrderType} default needs {nameof(DefaultLimitOffsetBps)}." : problem, [setting]);
            }
        }

        if (DefaultOrderType != OrderType.Market && (DefaultOrderType == OrderType.LimitMaker || DefaultInstruction.TimeInForce == TimeInForce.Gtc))
        {
            yield return new ValidationResult(
                "Orders from signals may not rest (a signal's order is not cancelled when its target moves on): use a Limit with DefaultTimeInForce Ioc or Fok.",
                [DefaultOrderType == OrderType.LimitMaker ? nameof(DefaultOrderType) : nameof(DefaultTimeInForce)]);
        }

        if (TimeSpan.FromDays(1).Ticks % VolumeProfileBucket.Ticks != 0)
        {
            yield return new ValidationResult($"Must divide a day evenly; got {VolumeProfileBucket}.", [nameof(VolumeProfileBucket)]);
        }
    }
}
