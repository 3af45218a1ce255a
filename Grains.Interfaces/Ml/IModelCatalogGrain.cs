namespace TradingOrleans.Grains.Interfaces.Ml;

/// <summary>The trained models the silos' model store holds, the ones model-served strategies load.</summary>
public interface IModelCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every model by kind, symbol and newest version first.</summary>
    Task<IReadOnlyList<ModelSummary>> List();
}
