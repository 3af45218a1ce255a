using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>
/// Instrument rules from Binance's exchangeInfo (LOT_SIZE with MARKET_LOT_SIZE, NOTIONAL/MIN_NOTIONAL, PRICE_FILTER)
/// for <c>Trading:Broker:Binance:Symbols</c>, loaded when the silo starts, before any feed: with Binance among the
/// venues, risk sizes and execution slices in the exchange's own lots, as the broker last read them (its refreshes
/// reach sizing too). A symbol whose filters could not be read keeps the configured <c>Trading:Instruments</c>
/// rules, and the broker still applies the exchange's filters before sending.
/// </summary>
public sealed class BinanceInstruments(
    BinanceBroker broker, BinanceBrokerOptions options, ConfiguredInstruments configured, ILogger<BinanceInstruments> logger)
    : IInstrumentCatalog, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The configured symbols whose filters were loaded at start.</summary>
    private readonly ConcurrentDictionary<string, bool> _loaded = new(StringComparer.Ordinal);

    public InstrumentRules For(string symbol) =>
        _loaded.ContainsKey(symbol) && broker.KnownRules(symbol) is { } rules ? rules.Instrument : configured.For(symbol);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BinanceInstruments), ServiceLifecycleStage.Active, Load);

    /// <summary>Reads each configured symbol's filters (exchangeInfo); a failure leaves that symbol on the configured rules.</summary>
    public async Task Load(CancellationToken cancellationToken)
    {
        foreach (var symbol in options.TradedSymbols)
        {
            try
            {
                await broker.RulesFor(symbol, cancellationToken);
                _loaded[symbol] = true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Binance exchangeInfo for {Symbol} could not be read ({Error}): its orders are sized with the configured Trading:Instruments rules", symbol, e.Message);
            }
        }
    }
}
