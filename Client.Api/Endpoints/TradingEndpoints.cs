using System.ComponentModel;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Read models of the trading pipeline: portfolio, orders, signals.</summary>
public static class TradingEndpoints
{
    private const int MaxOrders = 1_000;
    private const string SymbolRule = "An exchange symbol: 5–20 letters or digits, e.g. BTCUSDT.";

    public static RouteGroupBuilder MapTradingEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/portfolio", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IPortfolioGrain>(0).GetSnapshot()))
            .WithTags("Portfolio")
            .WithSummary("Cash, positions, realized and unrealized PnL, fees");

        api.MapGet("/orders", async (IGrainFactory grains, [Description("Only this symbol")] string? symbol, [Description("At most this many, newest first (1–1000)")] int? limit) =>
            {
                var take = limit ?? 100;
                if (take is < 1 or > MaxOrders)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be between 1 and {MaxOrders}."] });
                }

                if (symbol is not null && !ExchangeSymbol.IsValid(symbol.ToUpperInvariant()))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["symbol"] = [SymbolRule] });
                }

                var orders = await grains.GetGrain<IOrderEntryGrain>(0).GetOrders(symbol?.ToUpperInvariant(), take);
                return Results.Ok(orders.Select(OrderView.From));
            })
            .Produces<IEnumerable<OrderView>>()
            .ProducesValidationProblem()
            .WithTags("Orders")
            .WithSummary("Recent orders with fills and tick-to-order latency, newest first");

        // Symbols are checked before any grain is touched: a grain key from a URL must not be arbitrary text.
        api.MapGet("/signals/{symbol}", async (string symbol, IGrainFactory grains) =>
                ExchangeSymbol.IsValid(symbol.ToUpperInvariant())
                    ? Results.Ok(await grains.GetGrain<ISignalAggregatorGrain>(symbol.ToUpperInvariant()).GetSignals())
                    : Results.ValidationProblem(new Dictionary<string, string[]> { ["symbol"] = [SymbolRule] }))
            .Produces<SymbolSignals>()
            .ProducesValidationProblem()
            .WithTags("Signals")
            .WithSummary("Each strategy's latest signal on a symbol, their vote, and risk's last decision");

        return api;
    }
}

/// <summary>An order as the API shows it, with its latency in microseconds.</summary>
/// <param name="OrderType">What its children are sent as: Market, Limit or LimitMaker.</param>
/// <param name="LimitPrice">The limit every child carries (after rounding to the price tick); null for market orders.</param>
/// <param name="TimeInForce">A limit order's Gtc, Ioc or Fok; null for market orders.</param>
/// <param name="Passive">Its TWAP slices rest post-only at the touch and cross at their deadlines (each child shows its own limit and touch).</param>
public sealed record OrderView(
    string OrderId,
    string Symbol,
    OrderSide Side,
    decimal Quantity,
    OrderStatus Status,
    decimal FilledQuantity,
    decimal AverageFillPrice,
    decimal Fees,
    string Reason,
    string? RejectReason,
    DateTimeOffset MarketTime,
    DateTimeOffset TickIngestedAt,
    DateTimeOffset? PlacedAt,
    double? TickToOrderMicroseconds,
    IReadOnlyList<ChildOrder> Children,
    IReadOnlyList<Fill> Fills,
    string Algorithm,
    decimal SentQuantity,
    string? LastSliceReason,
    IReadOnlyList<string> Routing,
    OrderType OrderType,
    decimal? LimitPrice,
    TimeInForce? TimeInForce,
    bool Passive)
{
    public static OrderView From(ParentOrder o) => new(
        o.OrderId, o.Symbol, o.Side, o.Quantity, o.Status, o.FilledQuantity, o.AverageFillPrice, o.Fees, o.Reason, o.RejectReason,
        o.MarketTime, o.TickIngestedAt, o.PlacedAt, o.TickToOrderLatency?.TotalMicroseconds, o.Children, o.Fills,
        o.Execution?.Algorithm ?? "immediate", o.SentQuantity, o.LastSliceReason, o.Routing ?? [],
        o.Limit?.Type ?? OrderType.Market, o.Limit?.Price, o.Limit?.TimeInForce, o.Execution?.Passive ?? false);
}
