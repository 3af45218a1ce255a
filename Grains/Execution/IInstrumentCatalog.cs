using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>The one source of <see cref="InstrumentRules"/>: risk, execution, the router and the algorithms all ask it.</summary>
public interface IInstrumentCatalog
{
    /// <summary>The rules of <paramref name="symbol"/> as known now (the configured defaults for a symbol nothing else names).</summary>
    InstrumentRules For(string symbol);
}
