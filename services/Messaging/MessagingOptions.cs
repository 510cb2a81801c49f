using System.ComponentModel.DataAnnotations;
using MassTransit;

namespace Accounts.Messaging;

/// <summary>The <c>Messaging</c> configuration section. The broker itself is the connection string named <c>rabbitmq</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    // Dense at first: a message that arrived before its predecessor (a gap) usually needs only milliseconds, and a chain of
    // gaps (v6 waits for v5, which waits for v4) must not exhaust the later ones; then wider, about 20 s in all.
    static readonly TimeSpan[] DefaultRetryIntervals =
        [.. new[] { 20, 50, 100, 250, 500, 1000, 1000, 2000, 5000, 10_000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>
    /// Put in front of every queue and exchange name (joined with '-'), so several systems (or test processes) share one broker
    /// without sharing a queue or receiving each other's messages: "t1" gives t1-query-users, bound to t1-Accounts.Contracts:UserRenamed.
    /// Empty (the default): the plain names, e.g. query-users and Accounts.Contracts:UserRenamed.
    /// </summary>
    public string? Prefix { get; set; }

    /// <summary>Unacknowledged messages a consumer's queue may hand out at once; MassTransit's default (16) halves consume throughput.</summary>
    [Range(1, ushort.MaxValue)]
    public int PrefetchCount { get; set; } = 200;

    /// <summary>
    /// Partitions by user id per endpoint: one user's messages are handled one at a time, in order; at most this many at once.
    /// 64 keeps many messages in flight under a backlog (their store writes queue up together for the shared SQLite writer)
    /// while different users rarely share a partition; the prefetch (200) stays above it, so no partition starves.
    /// </summary>
    [Range(0, 4096)]
    public int Partitions { get; set; } = 64;

    /// <summary>How many messages one endpoint handles at once (null: as many as prefetched).</summary>
    [Range(1, int.MaxValue)]
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>In-process retries of a failing consumer, then (if configured) delayed redelivery, then the <c>_error</c> queue.</summary>
    public TimeSpan[]? RetryIntervals { get; set; }

    /// <summary>
    /// Redeliveries through the broker after the retries are spent, e.g. 00:00:30, 00:05:00. Off by default: on RabbitMQ it
    /// needs the delayed message exchange plugin, which Debian's rabbitmq-server lacks; the in-memory transport has it built in.
    /// </summary>
    public TimeSpan[]? RedeliveryIntervals { get; set; }

    /// <summary>
    /// The type of every service endpoint's queue and of its <c>_error</c> queue. <see cref="BrokerQueueType.Quorum"/> replicates
    /// each queue over the nodes of a RabbitMQ cluster (Raft, a majority confirms a publish), so a queue survives losing a
    /// minority of its nodes; <see cref="BrokerQueueType.Classic"/> (the default) keeps each queue on one node. The type is fixed
    /// when a queue is first declared: switching an existing system means new queues (or a migration of the old ones).
    /// </summary>
    public BrokerQueueType QueueType { get; set; } = BrokerQueueType.Classic;

    public IReadOnlyList<TimeSpan> EffectiveRetryIntervals => RetryIntervals ?? DefaultRetryIntervals;

    public IReadOnlyList<TimeSpan> EffectiveRedeliveryIntervals => RedeliveryIntervals ?? [];

    internal bool HasPrefix => !string.IsNullOrWhiteSpace(Prefix);

    /// <summary>The kebab-case formatter for endpoints behind <paramref name="name"/> (and the prefix, if any).</summary>
    public IEndpointNameFormatter EndpointNames(string name) =>
        new KebabCaseEndpointNameFormatter(HasPrefix ? $"{Prefix}-{name}" : name, includeNamespace: false);
}
