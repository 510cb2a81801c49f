using System.Buffers.Binary;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Accounts.Benchmark;

/// <summary>What the raw client does on this broker: messages per second publish→consume, and that latency.</summary>
public sealed record BaselineResult(long Messages, double Seconds, double MessagesPerSecond, double PublishedPerSecond, Percentiles Latency, string BrokerVersion);

/// <summary>
/// The ceiling of the broker on this machine, measured in the same run: raw RabbitMQ.Client 7 publishers with confirms
/// (confirmation tracking on, so each publish awaits its own confirm; <c>inFlight</c> publishes outstanding at once) of
/// ~200-byte persistent messages into one durable queue, while a consumer with manual acks (prefetch <c>prefetch</c>)
/// drains it on its own connection. Each body starts with the publish time, so latency is publish start → delivery.
/// </summary>
public static class Baseline
{
    public const int BodySize = 200;

    public static async Task<BaselineResult> RunAsync(
        string amqpUrl, TimeSpan duration, int inFlight, ushort prefetch, BenchProgress progress, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUrl), ClientProvidedName = "bench-baseline" };
        await using var publisherConnection = await factory.CreateConnectionAsync(cancellationToken);
        await using var consumerConnection = await factory.CreateConnectionAsync(cancellationToken);
        var brokerVersion = publisherConnection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes
            ? System.Text.Encoding.UTF8.GetString(bytes) : "?";
        var queue = $"bench-baseline-{Guid.NewGuid():N}";

        await using var consumerChannel = await consumerConnection.CreateChannelAsync(cancellationToken: cancellationToken);
        await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await consumerChannel.BasicQosAsync(0, prefetch, global: false, cancellationToken);

        var latency = new Latencies();
        long published = 0, consumed = 0, lastConsumed = 0;
        var publishersDone = 0;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var sent = BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span);
            latency.AddSince(sent);
            progress.AddDone();
            var count = Interlocked.Increment(ref consumed);
            Volatile.Write(ref lastConsumed, Stopwatch.GetTimestamp());
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Volatile.Read(ref publishersDone) == 1 && count == Interlocked.Read(ref published))
            {
                drained.TrySetResult();
            }
        };
        var consumerTag = await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);

        // Tracking on: BasicPublishAsync returns once the broker confirmed that message. The library's own limiter of
        // outstanding confirms is off; the number of publishing tasks is the limit.
        var channelOptions = new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null);
        await using var publisherChannel = await publisherConnection.CreateChannelAsync(channelOptions, cancellationToken);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };

        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var publishers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            var body = new byte[BodySize];
            Random.Shared.NextBytes(body);
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref published);
                progress.AddSent();
                await publisherChannel.BasicPublishAsync("", queue, mandatory: false, properties, body, cancellationToken);
            }
        }).ToList();
        await Task.WhenAll(publishers);
        var publishSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Volatile.Write(ref publishersDone, 1);
        if (Interlocked.Read(ref consumed) == Interlocked.Read(ref published))
        {
            drained.TrySetResult();
        }
        await drained.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        await consumerChannel.BasicCancelAsync(consumerTag, cancellationToken: CancellationToken.None);
        await consumerChannel.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None);
        var seconds = (Volatile.Read(ref lastConsumed) - started) / (double)Stopwatch.Frequency;
        var total = Interlocked.Read(ref consumed);
        return new BaselineResult(total, seconds, total / seconds, Interlocked.Read(ref published) / publishSeconds, latency.Summarize(), brokerVersion);
    }
}
