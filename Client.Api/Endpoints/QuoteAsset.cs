namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The asset the account keeps cash and PnL in (<c>Trading:Portfolio:QuoteAsset</c>): orders trade symbols quoted in it.</summary>
public sealed record QuoteAsset(string Name);
