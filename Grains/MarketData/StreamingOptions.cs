namespace TradingOrleans.Grains.MarketData;

/// <summary>Which transport carries market data to the SymbolGrains.</summary>
public enum StreamingProvider
{
    /// <summary>Orleans broadcast channel: in-process push, microseconds; the embedded default.</summary>
    Broadcast,

    /// <summary>Kafka topic through our Orleans persistent-stream provider: durable, shared by several silos.</summary>
    Kafka,
}

/// <summary>The market-data transport (section <c>Trading:Streaming</c>).</summary>
public sealed class StreamingOptions
{
    public const string SectionName = "Trading:Streaming";

    public StreamingProvider Provider { get; set; } = StreamingProvider.Broadcast;
}
