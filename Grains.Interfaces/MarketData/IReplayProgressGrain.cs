namespace TradingOrleans.Grains.Interfaces.MarketData;

/// <summary>How far the replay of one data set has got (key: data folder name), so a restart resumes after it.</summary>
public interface IReplayProgressGrain : IGrainWithStringKey
{
    Task<DateTimeOffset?> GetLastPublished();

    Task SetLastPublished(DateTimeOffset openTime);
}
