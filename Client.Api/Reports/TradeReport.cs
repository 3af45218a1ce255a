using System.Globalization;
using System.Text;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Client.Api.Reports;

/// <summary>One line of the trade-lifecycle report: an order, one of its child orders, and one fill of that child.</summary>
public sealed record TradeReportRow(
    string OrderId,
    string Symbol,
    OrderSide Side,
    decimal OrderQuantity,
    OrderStatus OrderStatus,
    string DecisionReason,
    string? RejectReason,
    DateTimeOffset MarketTime,
    DateTimeOffset TickIngestedAt,
    DateTimeOffset? PlacedAt,
    double? TickToOrderMicroseconds,
    string? ClientOrderId,
    string? BrokerOrderId,
    string? Venue,
    string? FillId,
    decimal? FillQuantity,
    decimal? FillPrice,
    decimal? Fee,
    DateTimeOffset? FilledAt);

/// <summary>The complete lifecycle of orders as rows (one per fill; an order without fills keeps one row) and as CSV.</summary>
public static class TradeReport
{
    public static IReadOnlyList<TradeReportRow> Rows(IEnumerable<ParentOrder> orders) =>
    [
        .. orders.SelectMany(order =>
        {
            var child = order.Children.FirstOrDefault();
            TradeReportRow Row(Fill? fill) => new(
                order.OrderId, order.Symbol, order.Side, order.Quantity, order.Status, order.Reason, order.RejectReason,
                order.MarketTime, order.TickIngestedAt, order.PlacedAt, order.TickToOrderLatency?.TotalMicroseconds,
                (fill is null ? child : order.Children.FirstOrDefault(c => c.ClientOrderId == fill.ClientOrderId))?.ClientOrderId,
                (fill is null ? child : order.Children.FirstOrDefault(c => c.ClientOrderId == fill.ClientOrderId))?.BrokerOrderId,
                (fill is null ? child : order.Children.FirstOrDefault(c => c.ClientOrderId == fill.ClientOrderId))?.Venue,
                fill?.FillId, fill?.Quantity, fill?.Price, fill?.Fee, fill?.FilledAt);
            return order.Fills.Count == 0 ? [Row(null)] : order.Fills.Select(Row);
        }),
    ];

    private static readonly string[] Header =
    [
        "order_id", "symbol", "side", "order_quantity", "order_status", "decision_reason", "reject_reason", "market_time",
        "tick_ingested_at", "placed_at", "tick_to_order_us", "client_order_id", "broker_order_id", "venue", "fill_id",
        "fill_quantity", "fill_price", "fee", "filled_at",
    ];

    /// <summary>RFC 4180 CSV with a header line; timestamps in ISO 8601, numbers in invariant culture.</summary>
    public static string Csv(IEnumerable<TradeReportRow> rows)
    {
        var csv = new StringBuilder().AppendJoin(',', Header).Append("\r\n");
        foreach (var r in rows)
        {
            object?[] fields =
            [
                r.OrderId, r.Symbol, r.Side, r.OrderQuantity, r.OrderStatus, r.DecisionReason, r.RejectReason, r.MarketTime,
                r.TickIngestedAt, r.PlacedAt, r.TickToOrderMicroseconds, r.ClientOrderId, r.BrokerOrderId, r.Venue, r.FillId,
                r.FillQuantity, r.FillPrice, r.Fee, r.FilledAt,
            ];
            csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
