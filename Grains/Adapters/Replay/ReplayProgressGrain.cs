using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>Persisted replay position.</summary>
[GenerateSerializer]
public sealed class ReplayProgressState
{
    [Id(0)] public DateTimeOffset? LastPublished { get; set; }
}

/// <summary>Remembers the open time of the last bar a replay published.</summary>
public sealed class ReplayProgressGrain(
    [PersistentState("replay")] IPersistentState<ReplayProgressState> state) : Grain, IReplayProgressGrain
{
    Task<DateTimeOffset?> IReplayProgressGrain.GetLastPublished() => Task.FromResult(state.State.LastPublished);

    async Task IReplayProgressGrain.SetLastPublished(DateTimeOffset openTime)
    {
        state.State.LastPublished = openTime;
        await state.WriteStateAsync();
    }
}
