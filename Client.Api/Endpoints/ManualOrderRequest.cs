using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>A parent order placed by hand, with the algorithm that works it.</summary>
/// <param name="ClientOrderId">Optional: 1–36 letters, digits, '-' or '_'; repeating a request with the same id returns the first order instead of trading twice.</param>
/// <param name="Algorithm"><c>immediate</c> (default), <c>twap</c> or <c>vwap</c>.</param>
/// <param name="Duration">TWAP/VWAP span, e.g. "00:10:00".</param>
/// <param name="OrderType"><c>Market</c> (default), <c>Limit</c> or <c>LimitMaker</c>: what every child is sent as.</param>
/// <param name="LimitPrice">A limit order's price; or give <paramref name="LimitOffsetBps"/> instead.</param>
/// <param name="LimitOffsetBps">A limit as basis points better than the last close (a buy's below it, a sell's above it).</param>
/// <param name="TimeInForce">A limit order's <c>Gtc</c> (default), <c>Ioc</c> or <c>Fok</c>.</param>
/// <param name="Passive">TWAP only: each slice rests post-only at the touch, repriced as it moves, and crosses at its deadline.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed partial record ManualOrderRequest(
    string? Symbol,
    OrderSide? Side,
    decimal? Quantity,
    string? Algorithm,
    TimeSpan? Duration,
    int? Slices,
    double? Randomization,
    double? ParticipationCap,
    decimal? MaxAdverseBps,
    string? ClientOrderId,
    OrderType? OrderType = null,
    decimal? LimitPrice = null,
    decimal? LimitOffsetBps = null,
    TimeInForce? TimeInForce = null,
    bool? Passive = null)
{
    public string NormalizedSymbol => ExchangeSymbol.Normalize(Symbol);

    public ExecutionInstruction Instruction => new(
        Algorithm ?? "immediate", Duration ?? TimeSpan.FromMinutes(10), Slices ?? 5, Randomization ?? 0, ParticipationCap ?? 0, MaxAdverseBps,
        OrderType ?? Grains.Interfaces.Execution.OrderType.Market, LimitPrice, LimitOffsetBps, TimeInForce, Passive ?? false);

    /// <summary>The order to place (call after <see cref="Validate"/> found nothing).</summary>
    public ManualOrder ToManualOrder() => new(NormalizedSymbol, Side!.Value, Quantity!.Value, Instruction, ClientOrderId);

    public Dictionary<string, string[]> Validate(string quoteAsset)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ExchangeSymbol.IsValid(NormalizedSymbol) || !NormalizedSymbol.EndsWith(quoteAsset, StringComparison.Ordinal))
        {
            errors["symbol"] = [$"Required: an exchange symbol quoted in {quoteAsset}, e.g. BTC{quoteAsset}."];
        }

        if (Side is null)
        {
            errors["side"] = ["Required: Buy or Sell."];
        }

        if (Quantity is not (> 0 and <= 1_000_000_000))
        {
            errors["quantity"] = ["Required: above 0 and at most 1,000,000,000 (base asset)."];
        }

        if (ClientOrderId is not null && !ClientIdPattern().IsMatch(ClientOrderId))
        {
            errors["clientOrderId"] = ["1–36 letters, digits, '-' or '_'."];
        }

        foreach (var (field, message) in Instruction.Validate())
        {
            errors[field] = [message];
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,36}$")]
    private static partial Regex ClientIdPattern();
}
