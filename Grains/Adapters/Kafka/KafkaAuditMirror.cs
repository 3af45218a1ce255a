using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Adapters.Kafka;

/// <summary>
/// The API's copy of a cluster's audit trail. Every silo, and the API for its refusals, writes audit events to the
/// topic <see cref="KafkaStreamOptions.AuditTopic"/>; this service reads that topic into the process's own
/// <see cref="FileAuditTrail"/>, which answers the audit queries and the trade report as it does in embedded mode.
/// </summary>
/// <remarks>
/// The consumer group's offsets are committed only once the copied events are on disk, so a restart continues where
/// the copy ends, and a copy started from nothing begins at the oldest event the topic keeps. A crash between the write
/// and the commit copies the last events again: at least once, never missing. The copy holds the events in the order
/// it received them, which is the order written for each symbol (the topic's key). A message that is not an audit
/// event is counted, logged (the first ten) and skipped.
/// </remarks>
public sealed class KafkaAuditMirror(
    IOptionsMonitor<KafkaStreamOptions> options,
    FileAuditTrail trail,
    TradingMetrics metrics,
    ILogger<KafkaAuditMirror> logger) : BackgroundService
{
    // Events are committed at most this far apart while they keep coming, and at once when the topic goes quiet.
    private static readonly TimeSpan CommitEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PartitionCheckEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MetadataWait = TimeSpan.FromSeconds(5);
    private int _malformedLogged;
    private int _errorsLogged;

    // The consumer's calls block: the copy runs on a thread of its own, not on the host's start-up.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Copy(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task Copy(CancellationToken stop)
    {
        var settings = options.Get(MarketChannels.ProviderName);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            GroupId = settings.AuditMirrorGroup,
            EnableAutoCommit = false,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var assigned = new HashSet<TopicPartition>();
        var uncommitted = new Dictionary<TopicPartition, TopicPartitionOffset>();
        var since = Stopwatch.GetTimestamp();
        var partitionsChecked = long.MinValue;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (partitionsChecked == long.MinValue || Stopwatch.GetElapsedTime(partitionsChecked) >= PartitionCheckEvery)
                {
                    AssignNewPartitions(consumer, admin, settings.AuditTopic, assigned);
                    partitionsChecked = Stopwatch.GetTimestamp();
                }

                var record = Next(consumer, settings.AuditTopic);
                if (record?.Message is { } message)
                {
                    Write(message, record.TopicPartitionOffset);
                    uncommitted[record.TopicPartition] = new TopicPartitionOffset(record.TopicPartition, record.Offset + 1);
                }

                if (uncommitted.Count > 0 && (record is null || Stopwatch.GetElapsedTime(since) >= CommitEvery))
                {
                    await Commit(consumer, uncommitted);
                    since = Stopwatch.GetTimestamp();
                }
            }
        }
        finally
        {
            if (uncommitted.Count > 0)
            {
                await Commit(consumer, uncommitted);
            }

            consumer.Close();
        }
    }

    /// <summary>
    /// Reads every partition of the topic, each from the group's committed position or else from its oldest record.
    /// Partitions are assigned, not balanced by a group: the copy needs all of them, and joining a group would only
    /// delay the start. Partitions added to the topic later are picked up at the next check.
    /// </summary>
    private void AssignNewPartitions(IConsumer<string, byte[]> consumer, IAdminClient admin, string topic, HashSet<TopicPartition> assigned)
    {
        try
        {
            var partitions = admin.GetMetadata(topic, MetadataWait).Topics
                .Where(t => t.Topic == topic && !t.Error.IsError)
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)))
                .Where(p => !assigned.Contains(p))
                .ToList();
            if (partitions.Count == 0)
            {
                return;
            }

            var starts = consumer.Committed(partitions, MetadataWait)
                .Select(c => new TopicPartitionOffset(c.TopicPartition, c.Offset.IsSpecial ? Offset.Beginning : c.Offset))
                .ToList();
            consumer.IncrementalAssign(starts);
            assigned.UnionWith(partitions);
        }
        catch (KafkaException exception)
        {
            // Before any silo has written, the topic may not exist yet: the next check asks again.
            if (++_errorsLogged <= 10)
            {
                logger.LogWarning("The partitions of the audit topic {Topic} could not be read: {Reason}", topic, exception.Error.Reason);
            }
        }
    }

    /// <summary>The next record, or null after a quiet wait or a consumer error (logged, the first ten).</summary>
    private ConsumeResult<string, byte[]>? Next(IConsumer<string, byte[]> consumer, string topic)
    {
        try
        {
            return consumer.Consume(PollWait);
        }
        catch (ConsumeException exception)
        {
            if (++_errorsLogged <= 10)
            {
                logger.LogWarning("Reading the audit topic {Topic} failed: {Reason}", topic, exception.Error.Reason);
            }

            Thread.Sleep(PollWait);
            return null;
        }
    }

    private void Write(Message<string, byte[]> message, TopicPartitionOffset at)
    {
        AuditEvent? auditEvent = null;
        try
        {
            auditEvent = JsonSerializer.Deserialize<AuditEvent>(message.Value, FileAuditTrail.Json);
        }
        catch (JsonException)
        {
        }

        if (auditEvent is { Type: not null, Summary: not null })
        {
            trail.Write(auditEvent);
            metrics.AuditEventMirrored("copied");
            return;
        }

        metrics.AuditEventMirrored("malformed");
        if (++_malformedLogged <= 10)
        {
            logger.LogWarning("Skipped a message at {Position} of the audit topic: not an audit event", at);
        }
    }

    /// <summary>Commits what is on disk: the trail is flushed first, so a committed offset never runs ahead of the copy.</summary>
    private async Task Commit(IConsumer<string, byte[]> consumer, Dictionary<TopicPartition, TopicPartitionOffset> uncommitted)
    {
        await trail.FlushAsync();
        try
        {
            consumer.Commit(uncommitted.Values);
            uncommitted.Clear();
        }
        catch (KafkaException exception)
        {
            // Kept for the next commit; a restart before it copies these events again, which at-least-once allows.
            if (++_errorsLogged <= 10)
            {
                logger.LogWarning("Committing the audit copy's position failed: {Reason}", exception.Error.Reason);
            }
        }
    }
}
