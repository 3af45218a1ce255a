using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TradingOrleans.Grains.Adapters.Binance;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// The exchange's account, as Binance keeps it: free and locked balances per asset that every trade moves (the quote
/// paid or received, the base received or given, the commission), a resting limit order locking what it may spend, and
/// <c>GET /api/v3/account</c> answering them (signed, <c>omitZeroBalances</c>). After the execution reports of a change
/// comes one <c>outboundAccountPosition</c> with the assets it touched, as Binance sends it; a deposit is a
/// <c>balanceUpdate</c> and then that. Once an asset is funded (<see cref="Fund"/>), new orders are checked against the
/// free balances (-2010 "Account has insufficient balance for requested action."); before, balances still move but
/// nothing is refused, so tests that do not care about the account are not bound by it.
/// </summary>
public sealed partial class FakeBinanceExchange
{
    /// <summary>The commission the fake charges on every trade (0.1 %), which the account reports as its taker rate.</summary>
    private const decimal CommissionRate = 0.001m;

    private readonly Dictionary<string, (decimal Free, decimal Locked)> _balances = new(StringComparer.Ordinal);
    private bool _balancesChecked;
    private long _accountUpdateTime = Now;

    /// <summary>How many account reads (GET /api/v3/account) were answered.</summary>
    public int AccountReads { get; private set; }

    /// <summary>Sets an asset's free balance, unreported (the account as it was before the test); from then on orders are checked against the balances.</summary>
    public void Fund(string asset, decimal free)
    {
        lock (_gate)
        {
            _balances[asset] = (free, _balances.GetValueOrDefault(asset).Locked);
            _balancesChecked = true;
            _accountUpdateTime = Now;
        }
    }

    /// <summary>An asset's balance as the exchange holds it.</summary>
    public (decimal Free, decimal Locked) Balance(string asset)
    {
        lock (_gate)
        {
            return _balances.GetValueOrDefault(asset);
        }
    }

    /// <summary>Moves a free balance with no event, as a change the stream never reported (or another account's doing): what reconciliation must find.</summary>
    public void ChangeBalanceUnreported(string asset, decimal delta)
    {
        lock (_gate)
        {
            Credit(asset, delta);
        }
    }

    /// <summary>A deposit (or, negative, a withdrawal): <c>balanceUpdate</c>, then <c>outboundAccountPosition</c>, to the subscribers.</summary>
    public async Task DepositAsync(string asset, decimal delta)
    {
        long clearedAt;
        lock (_gate)
        {
            Credit(asset, delta);
            clearedAt = _accountUpdateTime;
        }

        var json = Fixture("balanceUpdate.wsapi");
        var e = json["event"]!;
        e["E"] = Now;
        e["a"] = asset;
        e["d"] = Text(delta);
        e["T"] = clearedAt;
        await PushAsync(json.ToJsonString());
        await PushBalancesAsync(asset);
    }

    private IResult Account(HttpContext context)
    {
        if (Verify(context) is { } refused)
        {
            return refused;
        }

        var omitZero = context.Request.Query["omitZeroBalances"] == "true";
        var json = Fixture("account");
        lock (_gate)
        {
            AccountReads++;
            json["commissionRates"]!["taker"] = Text(CommissionRate);
            json["commissionRates"]!["maker"] = Text(CommissionRate);
            json["updateTime"] = _accountUpdateTime;
            json["balances"] = new JsonArray([.. _balances.Where(b => !omitZero || b.Value.Free != 0 || b.Value.Locked != 0).OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b => (JsonNode)new JsonObject { ["asset"] = b.Key, ["free"] = Text(b.Value.Free), ["locked"] = Text(b.Value.Locked) })]);
        }

        return Results.Text(json.ToJsonString(), "application/json");
    }

    /// <summary>Binance's refusal of an order the free balance cannot pay for (a buy its quote and commission, a sell its base); null when it can, or balances are not checked.</summary>
    private IResult? InsufficientBalance(VenueOrder order)
    {
        if (!_balancesChecked)
        {
            return null;
        }

        var (needed, asset) = order.Side == "BUY"
            ? (order.Quantity * (order.LimitPrice ?? PriceOf(order.Symbol)) * (CommissionInBase ? 1 : 1 + CommissionRate), QuoteOf(order.Symbol))
            : (order.Quantity, BaseOf(order.Symbol));
        return _balances.GetValueOrDefault(asset).Free < needed
            ? Error(400, BinanceErrors.NewOrderRejected, "Account has insufficient balance for requested action.")
            : null;
    }

    /// <summary>A resting order locks what its open part may spend: a buy its quote at its limit, a sell its base.</summary>
    private void LockOpenPart(VenueOrder order)
    {
        if (order.Status is not ("NEW" or "PARTIALLY_FILLED") || order.LimitPrice is not { } limit)
        {
            return;
        }

        var open = order.Quantity - order.Executed;
        var (asset, amount) = order.Side == "BUY" ? (QuoteOf(order.Symbol), open * limit) : (BaseOf(order.Symbol), open);
        Move(asset, -amount, amount);
        order.Locked += amount;
    }

    /// <summary>An order that ended (cancelled, expired) gives back what it still locked.</summary>
    private void Unlock(VenueOrder order)
    {
        Move(order.Side == "BUY" ? QuoteOf(order.Symbol) : BaseOf(order.Symbol), order.Locked, -order.Locked);
        order.Locked = 0;
    }

    /// <summary>What a trade does to the balances: the part of the order's lock it used is released, then the quote, base and commission move.</summary>
    private void Settle(VenueOrder order, VenueTrade trade)
    {
        var (quote, asset) = (QuoteOf(order.Symbol), BaseOf(order.Symbol));
        var buying = order.Side == "BUY";
        if (order.Locked > 0)
        {
            var released = Math.Min(order.Locked, buying ? trade.Quantity * order.LimitPrice!.Value : trade.Quantity);
            Move(buying ? quote : asset, released, -released);
            order.Locked -= released;
        }

        var value = trade.Quantity * trade.Price;
        Credit(quote, (buying ? -value : value) - (trade.CommissionAsset == quote ? trade.Commission : 0));
        Credit(asset, (buying ? trade.Quantity : -trade.Quantity) - (trade.CommissionAsset == asset ? trade.Commission : 0));
    }

    /// <summary>The <c>outboundAccountPosition</c> of the symbol's two assets, after the execution reports of what changed them.</summary>
    private Task PushAccountPositionAsync(string symbol) => PushBalancesAsync(BaseOf(symbol), QuoteOf(symbol));

    /// <summary>An <c>outboundAccountPosition</c> of <paramref name="assets"/> as they are now.</summary>
    private async Task PushBalancesAsync(params string[] assets)
    {
        var json = Fixture("outboundAccountPosition.wsapi");
        var e = json["event"]!;
        lock (_gate)
        {
            e["E"] = Now;
            e["u"] = _accountUpdateTime;
            e["B"] = new JsonArray([.. assets.Distinct().Select(a => (JsonNode)new JsonObject
            {
                ["a"] = a, ["f"] = Text(_balances.GetValueOrDefault(a).Free), ["l"] = Text(_balances.GetValueOrDefault(a).Locked),
            })]);
        }

        await PushAsync(json.ToJsonString());
    }

    private void Credit(string asset, decimal delta) => Move(asset, delta, 0);

    private void Move(string asset, decimal free, decimal locked)
    {
        var held = _balances.GetValueOrDefault(asset);
        _balances[asset] = (held.Free + free, held.Locked + locked);
        _accountUpdateTime = Now;
    }

    // The fake's symbols are all quoted in a four-letter asset (USDT), as its exchangeInfo says.
    private static string BaseOf(string symbol) => symbol[..^4];

    private static string QuoteOf(string symbol) => symbol[^4..];
}
