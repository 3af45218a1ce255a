using Microsoft.Extensions.Logging;

namespace TradingOrleans.Grains.Adapters.Binance;

/// <summary>Runs the Binance feed while the silo is active.</summary>
public sealed class BinanceFeedService(BinanceMarketDataFeed feed, ILogger<BinanceFeedService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BinanceFeedService), ServiceLifecycleStage.Active + 1, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _running = Task.Run(async () =>
        {
            try
            {
                await feed.RunAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                logger.LogInformation("Binance feed stopped");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken);
    }
}
