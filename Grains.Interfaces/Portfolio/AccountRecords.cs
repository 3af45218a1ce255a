namespace TradingOrleans.Grains.Interfaces.Portfolio;

/// <summary>One asset of the venue account: what is free to trade, and what open orders lock.</summary>
[GenerateSerializer, Immutable]
public sealed record AssetBalance(
    [property: Id(0)] string Asset,
    [property: Id(1)] decimal Free,
    [property: Id(2)] decimal Locked)
{
    public decimal Total => Free + Locked;
}

/// <summary>The account as the venue answered a read of it (Binance: <c>GET /api/v3/account</c>).</summary>
/// <param name="Balances">Every asset with a balance (assets left out hold nothing).</param>
/// <param name="TakerFeeRate">The account's taker commission as a fraction of the value traded (0.001 = 0.1 %).</param>
/// <param name="UpdatedAt">The venue's time of the account's last change (<c>updateTime</c>).</param>
[GenerateSerializer, Immutable]
public sealed record AccountSnapshot(
    [property: Id(0)] IReadOnlyList<AssetBalance> Balances,
    [property: Id(1)] decimal TakerFeeRate,
    [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>
/// The balances of the assets an account change touched, as of the venue's time of that change (Binance's
/// <c>outboundAccountPosition</c>: <c>B</c> [{<c>a</c>, <c>f</c>, <c>l</c>}] as of <c>u</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountPositionUpdate(
    [property: Id(0)] IReadOnlyList<AssetBalance> Balances,
    [property: Id(1)] DateTimeOffset UpdatedAt);

/// <summary>
/// A deposit, a withdrawal (negative) or a transfer between the venue's accounts, cleared at <paramref name="ClearedAt"/>
/// (Binance's <c>balanceUpdate</c>: <c>a</c>, <c>d</c>, <c>T</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BalanceTransfer(
    [property: Id(0)] string Asset,
    [property: Id(1)] decimal Delta,
    [property: Id(2)] DateTimeOffset ClearedAt)
{
    /// <summary>What makes the same transfer, reported twice (one stream per silo), count once.</summary>
    public string TransferId => $"transfer-{Asset}-{ClearedAt.ToUnixTimeMilliseconds()}-{Delta.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A change of the book's holdings that is no trade: a deposit or withdrawal, or a drift adopted from the account. A
/// quote-asset transfer moves cash; a base-asset one moves the symbol's position without cash, valued at its mark.
/// </summary>
/// <param name="TransferId">Applied once per id.</param>
/// <param name="Symbol">The symbol whose position moves; null for cash (the quote asset).</param>
/// <param name="Quantity">Signed: positive brings the asset in.</param>
[GenerateSerializer, Immutable]
public sealed record HoldingTransfer(
    [property: Id(0)] string TransferId,
    [property: Id(1)] string? Symbol,
    [property: Id(2)] decimal Quantity);

/// <summary>The account's holdings the portfolio takes over when it is first funded from the account.</summary>
/// <param name="Cash">The quote asset's total balance (free and locked).</param>
/// <param name="Positions">Each traded symbol's base-asset total balance, where it is not zero.</param>
[GenerateSerializer, Immutable]
public sealed record AccountHoldings(
    [property: Id(0)] decimal Cash,
    [property: Id(1)] IReadOnlyDictionary<string, decimal> Positions);

/// <summary>The account's free balances and fee rate, pushed to the portfolio each time they change, for risk.</summary>
/// <param name="Revision">Grows with each push: a push overtaken on its way (one-way messages) cannot roll a newer one back.</param>
[GenerateSerializer, Immutable]
public sealed record FreeBalances(
    [property: Id(0)] IReadOnlyDictionary<string, decimal> Free,
    [property: Id(1)] decimal TakerFeeRate,
    [property: Id(2)] DateTimeOffset AsOf,
    [property: Id(3)] long Revision);

/// <summary>What risk checks a trade in one symbol against: the account's free quote and base balances.</summary>
/// <param name="AsOf">When the account last changed as far as is known; null while it has not been read (nothing can be bought or sold).</param>
[GenerateSerializer, Immutable]
public sealed record AvailableBalance(
    [property: Id(0)] string QuoteAsset,
    [property: Id(1)] decimal FreeQuote,
    [property: Id(2)] string BaseAsset,
    [property: Id(3)] decimal FreeBase,
    [property: Id(4)] decimal TakerFeeRate,
    [property: Id(5)] DateTimeOffset? AsOf);

/// <summary>What the account service does with drift that persists.</summary>
public enum DriftPolicy
{
    /// <summary>The portfolio adopts the account's figures: the drift is booked as a transfer in or out.</summary>
    Adopt,

    /// <summary>The drift is only reported (metric, log, audit, alert); the portfolio keeps its figures.</summary>
    Alert,
}

/// <summary>One asset compared at a reconciliation.</summary>
/// <param name="Symbol">The symbol whose position holds the asset; null for the quote asset (cash).</param>
/// <param name="Account">The account's total (free and locked).</param>
/// <param name="Portfolio">The portfolio's cash or position.</param>
/// <param name="Drift">Account minus portfolio.</param>
/// <param name="Value">The drift in the quote asset, at the symbol's mark (0 while the symbol has none).</param>
/// <param name="FractionOfEquity">|Value| / equity.</param>
/// <param name="Adopted">Whether this reconciliation booked the drift into the portfolio.</param>
[GenerateSerializer, Immutable]
public sealed record AssetDrift(
    [property: Id(0)] string Asset,
    [property: Id(1)] string? Symbol,
    [property: Id(2)] decimal Account,
    [property: Id(3)] decimal Portfolio,
    [property: Id(4)] decimal Drift,
    [property: Id(5)] decimal Value,
    [property: Id(6)] decimal FractionOfEquity,
    [property: Id(7)] bool OverTolerance,
    [property: Id(8)] bool Adopted = false);

/// <summary>How a reconciliation ended.</summary>
public enum ReconciliationOutcome
{
    /// <summary>Every asset within the tolerance.</summary>
    Agrees,

    /// <summary>Some asset drifted over the tolerance and was only reported (first seen, or the policy is Alert).</summary>
    Drift,

    /// <summary>A drift seen at two reconciliations in a row was booked into the portfolio.</summary>
    Adopted,

    /// <summary>The account could not be read.</summary>
    Failed,
}

/// <summary>The portfolio compared with the account read again from the venue.</summary>
/// <param name="Trigger">Why it ran: <c>start</c>, <c>scheduled</c>, <c>requested over the API</c>, <c>user-data stream reconnected</c>.</param>
/// <param name="Summary">One line: the outcome with the drifted assets' figures, or why the account could not be read.</param>
[GenerateSerializer, Immutable]
public sealed record AccountReconciliation(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Trigger,
    [property: Id(2)] ReconciliationOutcome Outcome,
    [property: Id(3)] IReadOnlyList<AssetDrift> Assets,
    [property: Id(4)] string Summary);

/// <summary>The venue account as the service follows it, and how it last compared with the portfolio.</summary>
/// <param name="Balances">Every asset the account holds, as the last read and the user-data stream since left it.</param>
/// <param name="UpdatedAt">The venue's time of the last account change known; null before the first read.</param>
/// <param name="DriftTolerance">The share of equity an asset may drift by before it counts (and is adopted or alerted).</param>
[GenerateSerializer, Immutable]
public sealed record AccountView(
    [property: Id(0)] string Venue,
    [property: Id(1)] string QuoteAsset,
    [property: Id(2)] IReadOnlyList<AssetBalance> Balances,
    [property: Id(3)] decimal TakerFeeRate,
    [property: Id(4)] DateTimeOffset? UpdatedAt,
    [property: Id(5)] AccountReconciliation? LastReconciliation,
    [property: Id(6)] DriftPolicy OnDrift,
    [property: Id(7)] decimal DriftTolerance,
    [property: Id(8)] TimeSpan ReconcileInterval);
