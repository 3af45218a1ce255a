using Orleans.Concurrency;
using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Grains.Ml;

/// <summary>Lists the model store of the silo it runs on: a stateless worker, local to its caller.</summary>
[StatelessWorker]
public sealed class ModelCatalogGrain(ModelStore models) : Grain, IModelCatalogGrain
{
    Task<IReadOnlyList<ModelSummary>> IModelCatalogGrain.List() => Task.FromResult(models.List());
}
