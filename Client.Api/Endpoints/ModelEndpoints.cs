using TradingOrleans.Grains.Interfaces.Ml;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>The trained models in the model store, with how each did on its walk-forward test.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/models", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<IModelCatalogGrain>(0).List()))
            .WithTags("Models")
            .WithSummary("Every trained model (kind, symbol, version), its hyper-parameters, training period, epochs and walk-forward evaluation against the baselines");
        return api;
    }
}
