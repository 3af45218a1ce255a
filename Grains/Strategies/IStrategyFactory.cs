using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;

namespace TradingOrleans.Grains.Strategies;

/// <summary>Builds the strategy instances a symbol grain runs (the seam fault-injection tests replace).</summary>
public interface IStrategyFactory
{
    IStrategy CreateSingleSymbol(StrategyConfig config, string symbol);
}

/// <summary>The strategies of <see cref="StrategyCatalog"/>, model-served ones loaded from the model store.</summary>
public sealed class CatalogStrategyFactory(ModelStore models) : IStrategyFactory
{
    public IStrategy CreateSingleSymbol(StrategyConfig config, string symbol) => StrategyCatalog.CreateSingleSymbol(config, symbol, models);
}
