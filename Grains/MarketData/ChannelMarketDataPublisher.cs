using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.BroadcastChannel;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.MarketData;

/// <summary>
/// Publishes market data on the Orleans broadcast channel, keyed by symbol (push delivery, microseconds). Bars and
/// quotes are delivered before the publish completes. Trades go through a lane per symbol (<see cref="TradeLane"/>):
/// the publish completes once the trade is queued, so a feed never waits on one symbol's grain while the others'
/// trades pile up behind it.
/// </summary>
public sealed class ChannelMarketDataPublisher(IClusterClient client, TradingMetrics metrics, ILogger<ChannelMarketDataPublisher> logger)
    : IMarketDataPublisher, IDisposable
{
    private readonly IBroadcastChannelProvider _provider = client.GetBroadcastChannelProvider(MarketChannels.ProviderName);
    private readonly ConcurrentDictionary<string, IBroadcastChannelWriter<object>> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TradeLane> _lanes = new(StringComparer.Ordinal);
    private readonly TradingMetrics _metrics = metrics;
    private readonly ILogger _logger = logger;

    public Task PublishAsync(Candle candle) => Writer(candle.Symbol).Publish(candle);

    public Task PublishAsync(Quote quote) => Writer(quote.Symbol).Publish(quote);

    public Task PublishAsync(MarketTick tick) =>
        _lanes.GetOrAdd(tick.Symbol, static (symbol, publisher) => new TradeLane(symbol, publisher.Writer(symbol), publisher._metrics, publisher._logger), this).Post(tick);

    /// <summary>Completes once every trade queued so far has reached its grain.</summary>
    public Task DrainAsync() => Task.WhenAll(_lanes.Values.Select(lane => lane.DrainAsync()));

    public void Dispose()
    {
        foreach (var lane in _lanes.Values)
        {
            lane.Complete();
        }
    }

    // A static factory with the provider as state: a capturing lambda would allocate a delegate on every publish.
    private IBroadcastChannelWriter<object> Writer(string symbol) =>
        _writers.GetOrAdd(symbol, static (s, provider) => provider.GetChannelWriter<object>(ChannelId.Create(MarketChannels.Namespace, s)), _provider);

    /// <summary>
    /// One symbol's trades on their way to its grain: one delivery in flight at a time, in exchange order, and what
    /// arrives meanwhile goes together in the next one (<see cref="MarketTickBatch"/>). A quiet symbol's trade goes
    /// alone and at once; a busy one's cost one message per batch instead of one per trade. A feed only waits when a
    /// lane's backlog is full.
    /// </summary>
    private sealed class TradeLane
    {
        private const int Backlog = 10_000;
        private const int MaxBatch = 500;
        private readonly string _symbol;
        private readonly IBroadcastChannelWriter<object> _writer;
        private readonly TradingMetrics _metrics;
        private readonly ILogger _logger;
        private readonly Channel<MarketTick> _queued = Channel.CreateBounded<MarketTick>(
            new BoundedChannelOptions(Backlog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        private int _started;
        private long _posted;
        private long _delivered;
        private TaskCompletionSource? _drained;

        public TradeLane(string symbol, IBroadcastChannelWriter<object> writer, TradingMetrics metrics, ILogger logger)
        {
            (_symbol, _writer, _metrics, _logger) = (symbol, writer, metrics, logger);
        }

        public Task Post(MarketTick tick)
        {
            // Started by the first trade, not the constructor: a lane that lost a race in the publisher's GetOrAdd is
            // never posted to, and must not leave a pump waiting forever. The pump runs until the lane is completed and
            // catches what a delivery throws, so nothing goes unobserved.
            if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
            {
                _ = Task.Run(Pump);
            }

            Interlocked.Increment(ref _posted);
            return _queued.Writer.TryWrite(tick) ? Task.CompletedTask : _queued.Writer.WriteAsync(tick).AsTask();
        }

        public Task DrainAsync()
        {
            lock (_queued)
            {
                if (Interlocked.Read(ref _delivered) >= Interlocked.Read(ref _posted))
                {
                    return Task.CompletedTask;
                }

                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _drained.Task;
            }
        }

        public void Complete() => _queued.Writer.TryComplete();

        private async Task Pump()
        {
            var batch = new List<MarketTick>();
            while (await _queued.Reader.WaitToReadAsync())
            {
                while (batch.Count < MaxBatch && _queued.Reader.TryRead(out var tick))
                {
                    batch.Add(tick);
                }

                try
                {
                    await _writer.Publish(batch.Count == 1 ? batch[0] : new MarketTickBatch(_symbol, [.. batch]));
                }
                catch (Exception exception)
                {
                    // Nobody awaits the delivery: count and log what the grain never got, and carry on with the next.
                    _metrics.MarketDataUndelivered(_symbol, batch.Count);
                    _logger.LogError(exception, "{Symbol}: {Trades} trades could not be delivered to the symbol's grain", _symbol, batch.Count);
                }

                Delivered(batch.Count);
                batch.Clear();
            }
        }

        private void Delivered(int trades)
        {
            lock (_queued)
            {
                if (Interlocked.Add(ref _delivered, trades) >= Interlocked.Read(ref _posted) && _drained is { } drained)
                {
                    _drained = null;
                    drained.SetResult();
                }
            }
        }
    }
}
