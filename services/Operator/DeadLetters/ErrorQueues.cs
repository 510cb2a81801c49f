using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Accounts.Operations.DeadLetters;

/// <summary>What an <c>_error</c> queue holds: how many messages, and why its first ones failed.</summary>
public sealed record DeadLetterSummary(string Queue, uint Count, IReadOnlyList<string> FirstReasons);

/// <summary>
/// MassTransit's <c>_error</c> queues on RabbitMQ: a consumer queue <c>q</c> moves what it cannot handle to <c>q_error</c> with
/// the reason in the <c>MT-Fault-Message</c> header. Summarises them and moves their messages back to the queue they failed on.
/// </summary>
public static class ErrorQueues
{
    public const string Suffix = "_error";
    public const string FaultMessageHeader = "MT-Fault-Message";
    private const ushort NotFound = 404;

    /// <summary>The source queue of an error queue: <c>query-users_error</c> came from <c>query-users</c>.</summary>
    public static string SourceOf(string errorQueue) =>
        errorQueue.EndsWith(Suffix, StringComparison.Ordinal) ? errorQueue[..^Suffix.Length]
            : throw new ArgumentException($"'{errorQueue}' is not an error queue (it does not end in {Suffix}).", nameof(errorQueue));

    /// <summary>The count and the reasons of the first <paramref name="peek"/> messages (null when the queue does not exist).</summary>
    public static async Task<DeadLetterSummary?> SummariseAsync(IConnection connection, string queue, int peek = 3, CancellationToken cancellationToken = default)
    {
        var count = await CountAsync(connection, queue, cancellationToken);
        if (count is null)
        {
            return null;
        }
        // Looked at without acknowledging, then handed back (nack, requeue) where they were; the passive declare after it on
        // the same channel returns only once the broker has processed the requeue, so a count read next includes them.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var reasons = new List<string>();
        ulong? last = null;
        while (reasons.Count < Math.Min(peek, count.Value) && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
        {
            reasons.Add(ReasonOf(message.BasicProperties));
            last = message.DeliveryTag;
        }
        if (last is { } tag)
        {
            await channel.BasicNackAsync(tag, multiple: true, requeue: true, cancellationToken);
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        return new DeadLetterSummary(queue, count.Value, reasons);
    }

    /// <summary>
    /// Moves every message the error queue holds now back to its source queue, one at a time: published (mandatory, so a
    /// missing queue refuses it) and confirmed by the broker, then acknowledged on the error queue. Killed midway, a message is
    /// at worst in both queues (consumers de-duplicate), never in neither. Messages that fail again while this runs come
    /// back behind the ones counted at the start and are left for the next run. Returns how many moved.
    /// </summary>
    public static async Task<int> RedriveAsync(IConnection connection, string errorQueue, Action<int>? moved = null, CancellationToken cancellationToken = default)
    {
        var source = SourceOf(errorQueue);
        var count = await CountAsync(connection, errorQueue, cancellationToken) ?? 0;
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var done = 0;
        while (done < count && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties) { Headers = WithoutFault(message.BasicProperties.Headers) };
            await channel.BasicPublishAsync(string.Empty, source, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            done++;
            moved?.Invoke(done);
        }
        return done;
    }

    public static async Task<uint?> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken = default)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }

    public static string ReasonOf(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(FaultMessageHeader, out var value) == true ? Text(value) : "(no reason recorded)";

    /// <summary>The headers without MassTransit's fault headers (MT-Fault-*, MT-Reason, MT-Host-*): a new failure writes its own.</summary>
    private static Dictionary<string, object?>? WithoutFault(IDictionary<string, object?>? headers) =>
        headers?.Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason" && !h.Key.StartsWith("MT-Host-", StringComparison.Ordinal))
            .ToDictionary(h => h.Key, h => h.Value);

    private static string Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => string.Empty,
        _ => value.ToString() ?? string.Empty,
    };
}
