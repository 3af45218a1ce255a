using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>One Kafka record as Orleans delivers it: its stream, its event, and a sequence token made from its offset.</summary>
[GenerateSerializer]
public sealed class KafkaBatchContainer(StreamId streamId, object record, int partition, long offset) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public object Record { get; } = record;

    [Id(2)] public int Partition { get; } = partition;

    [Id(3)] public long Offset { get; } = offset;

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Offset);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Record is T typed ? [Tuple.Create(typed, SequenceToken)] : [];

    public bool ImportRequestContext() => false;
}
