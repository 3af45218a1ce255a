using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>The Kafka-backed <c>market</c> stream (section <c>Trading:Streaming:Kafka</c>).</summary>
public sealed class KafkaStreamOptions
{
    public const string SectionName = "Trading:Streaming:Kafka";

    /// <summary>Comma-separated <c>host:port</c> list of brokers.</summary>
    [Required]
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>The topic market data flows through, keyed by symbol.</summary>
    [Required]
    public string Topic { get; set; } = "market_data";

    /// <summary>The topic the audit trail (orders, fills, risk decisions, config changes) is also written to.</summary>
    [Required]
    public string AuditTopic { get; set; } = "trades";

    /// <summary>
    /// Consumer group of the API's copy of <see cref="AuditTopic"/> in cluster mode (its committed offsets mark what
    /// the copy holds). Each API replica keeps a whole copy: give each its own group.
    /// </summary>
    [Required]
    public string AuditMirrorGroup { get; set; } = "trading-api-audit";

    /// <summary>Partitions of <see cref="Topic"/>: one Orleans queue (and pulling agent) reads each.</summary>
    [Range(1, 1024)]
    public int Partitions { get; set; } = 4;

    /// <summary>Consumer group whose committed offsets mark what has been delivered to grains.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "trading-orleans";

    /// <summary>
    /// How often the offsets of delivered records are committed, in librdkafka's background (its
    /// <c>auto.commit.interval.ms</c>), so a commit's round trip to the broker never holds a pulling agent. A crashed
    /// silo's successor is redelivered at most this much; the symbol grains drop trades and bars they already took.
    /// </summary>
    [Range(10, 60_000)]
    public int CommitIntervalMs { get; set; } = 1_000;

    /// <summary>Longest a broker holds a fetch waiting for data (Kafka's <c>fetch.wait.max.ms</c>); low for latency.</summary>
    [Range(0, 10_000)]
    public int FetchWaitMaxMs { get; set; } = 1;

    /// <summary>
    /// The pulling agent's timer: how soon it reads again after a read came back empty. Orleans' default of 100 ms
    /// would add up to that to the first record after a quiet spell.
    /// </summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Longest one agent read waits for the next record before it returns empty. A record arriving during the wait is
    /// handed over at once; the bound lets an idle agent get back to purging its cache and committing offsets.
    /// </summary>
    public TimeSpan MaxIdleWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// True (the default): a publish completes when the broker has acknowledged the record — one round trip per
    /// record, which caps a feed at roughly 1 / ack latency records per second. False: a publish completes once the
    /// record is queued in the producer, which sends it in order (idempotent producer: retries never duplicate or
    /// reorder) and reports a failed delivery in the log and <c>trading_kafka_produce_failures</c>; records still
    /// queued when the process dies are lost, so a feed resumes from its own position, not from the last publish.
    /// </summary>
    public bool AwaitDelivery { get; set; } = true;

    /// <summary>
    /// How long the producer holds a record to send it with the next ones (librdkafka's <c>linger.ms</c>). 0 sends at
    /// once, the lowest latency while records are sparse; at thousands of records a second per partition, a fraction
    /// of a millisecond lets the idempotent producer (at most 5 requests in flight) send batches instead of queueing
    /// behind its own requests.
    /// </summary>
    [Range(0, 1_000)]
    public double LingerMs { get; set; }

    /// <summary>Most records one poll hands to the pulling agent.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 1_000;
}
