using System.Globalization;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Risk.Rules;

/// <summary>
/// One order on its way through the rules — a signal's target, or an order asked for as it is (a rebalance, a manual
/// order) — as the rules have shaped it so far, with the notes that will explain the decision.
/// </summary>
public sealed class RiskCheck
{
    private PortfolioAfterTrade? _portfolio;

    private RiskCheck(RiskInputs inputs, string symbol, decimal price, CombinedSignal? signal, OrderIntent? asked)
    {
        Inputs = inputs;
        Symbol = symbol;
        Price = price;
        Signal = signal;
        Asked = asked;
    }

    /// <summary>A combined signal: <see cref="TargetSizingRule"/> turns it into a target position.</summary>
    public static RiskCheck ForSignal(CombinedSignal signal, RiskInputs inputs) => new(inputs, signal.Symbol, signal.Price, signal, null);

    /// <summary>An order that did not come from a signal: its target is the position it would leave; the rules only shrink it.</summary>
    public static RiskCheck ForOrder(OrderIntent intent, RiskInputs inputs) =>
        new(inputs, intent.Symbol, intent.ReferencePrice, null, intent)
        {
            Target = inputs.View.Exposure.PositionQuantity + (intent.Side == OrderSide.Buy ? 1 : -1) * intent.Quantity,
        };

    public RiskInputs Inputs { get; }

    public RiskLimits Limits => Inputs.Limits;

    public string Symbol { get; }

    /// <summary>The signal's price, or the order's reference price.</summary>
    public decimal Price { get; }

    public CombinedSignal? Signal { get; }

    /// <summary>The order as asked, when it did not come from a signal.</summary>
    public OrderIntent? Asked { get; }

    /// <summary>
    /// Whether the order comes from a signal. The two kinds are explained in their own words (a signal's sizing step
    /// by step, an asked order in one line), kept as they were when each had its own code.
    /// </summary>
    public bool FromSignal => Signal is not null;

    /// <summary>The position held now (approved orders not yet filled are not in it).</summary>
    public decimal Position => Inputs.View.Exposure.PositionQuantity;

    public decimal Equity => Inputs.View.Exposure.Equity;

    /// <summary>The signed position the order aims at.</summary>
    public decimal Target { get; set; }

    /// <summary>The signed order: positive buys.</summary>
    public decimal Delta { get; set; }

    /// <summary>The order's size in whole lots (before the portfolio limits scale it).</summary>
    public decimal Quantity { get; set; }

    public bool ShortBlocked { get; set; }

    public bool LimitedByPosition { get; set; }

    public bool ScaledToOrderLimit { get; set; }

    /// <summary>A signal's order cut to the order limit: the rest of its target follows on later bars.</summary>
    public bool MoreToFollow => FromSignal && ScaledToOrderLimit;

    /// <summary>How a signal was sized, one note a step.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The order's explanation before the portfolio limits: every later note and denial extends it.</summary>
    public string Explanation => Asked is { } asked
        ? Invariant($"{asked.Reason}: {asked.Side} {Quantity} of {asked.Quantity} asked (order limit {Limits.MaxOrderNotional}, position limit {Limits.MaxPositionNotional}, holding {Position})")
        : string.Join("; ", Notes);

    /// <summary>The share of <see cref="Quantity"/> the portfolio limits leave, in [0, 1].</summary>
    public double Share { get; private set; } = 1;

    /// <summary>The portfolio limit that set <see cref="Share"/>, if one scaled the order.</summary>
    public RiskRejectionReason BindingLimit { get; private set; }

    /// <summary>One note per portfolio limit checked: its measure after the order, its limit, the scaling.</summary>
    public List<string> PortfolioNotes { get; } = [];

    /// <summary>The quantity that is sent: <see cref="Quantity"/> scaled by the portfolio limits, in whole lots.</summary>
    public decimal FinalQuantity { get; set; }

    /// <summary>Whether enough return history exists for the covariance behind the correlation and VaR limits.</summary>
    public bool ReturnsTrusted =>
        Inputs.View.ReturnObservations >= Inputs.Model.MinimumReturnObservations && Inputs.View.BarInterval is not null;

    /// <summary>The portfolio as the order would leave it; built once, by the first portfolio limit that is on.</summary>
    public PortfolioAfterTrade Portfolio => _portfolio ??= new(Inputs.View, Symbol, Quantity, Price, Math.Sign(Delta));

    /// <summary>
    /// Scales the order to the largest filled share that keeps <paramref name="measure"/> within <paramref name="limit"/>
    /// (or no worse than before the trade, when the portfolio is over it already), and notes the measure.
    /// </summary>
    public void LimitShare(RiskRejectionReason reason, string name, decimal limit, Func<double, double> measure)
    {
        var allowed = Math.Max((double)limit, measure(0));
        var fits = PortfolioAfterTrade.LargestShare(f => measure(f) <= allowed * (1 + 1e-12));
        if (fits < Share)
        {
            Share = fits;
            BindingLimit = reason;
        }

        // A portfolio already over a limit (prices moved since the last order) may trade, but not add to the excess.
        var overBefore = allowed > (double)limit ? Invariant($", {allowed:0.##} before the order") : "";
        PortfolioNotes.Add(Invariant($"{name} after the order {measure(fits):0.##} (limit {limit:0.##}{overBefore}){(fits < 1 ? $": order scaled to {fits:P1}" : "")}"));
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
