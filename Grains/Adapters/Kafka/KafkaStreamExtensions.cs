using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Streams;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>Registers the Kafka persistent-stream provider on silos and clients, like Orleans' built-in providers.</summary>
public static class KafkaStreamExtensions
{
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder silo, string name, Action<KafkaStreamOptions> configure)
    {
        silo.Services.Configure(name, configure);
        silo.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, stream =>
        {
            // Implicit subscriptions only: no pub-sub grain state, and every SymbolGrain sees its symbol's records.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IServiceProvider>((o, services) =>
            {
                var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<KafkaStreamOptions>>().Get(name);
                o.GetQueueMsgsTimerPeriod = options.PollPeriod;
                o.BatchContainerBatchSize = 1;
            }));
        });
        return silo;
    }

    public static IClientBuilder AddKafkaStreams(this IClientBuilder client, string name, Action<KafkaStreamOptions> configure)
    {
        client.Services.Configure(name, configure);
        client.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
        return client;
    }
}
