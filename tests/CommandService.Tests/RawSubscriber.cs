using System.Collections.Concurrent;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CommandService.Tests;

/// <summary>
/// A plain RabbitMQ.Client consumer on its own exclusive queue, bound to the exchange MassTransit publishes the relay's
/// batches to: it sees exactly the bytes and properties on the wire, and each message of each batch.
/// </summary>
public sealed class RawSubscriber : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    /// <summary>The broker messages: one per batch.</summary>
    public ConcurrentQueue<BasicDeliverEventArgs> Deliveries { get; } = new();

    /// <summary>Every message of every batch, in arrival order, with the delivery that carried it.</summary>
    public ConcurrentQueue<Published> Received { get; } = new();

    private RawSubscriber(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public static Task<RawSubscriber> StartAsync(string amqpUrl) => StartAsync(amqpUrl, RabbitMqFixture.MessagingPrefix);

    /// <summary>Subscribes behind another messaging prefix: a system of its own, which no other test class publishes to.</summary>
    public static async Task<RawSubscriber> StartAsync(string amqpUrl, string prefix)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUrl) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        // MassTransit's exchange for a message type: "Namespace:Name" behind the prefix, fanout, durable.
        var exchange = $"{prefix}-{typeof(UserMessageBatch).Namespace}:{nameof(UserMessageBatch)}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(queue, exchange, "");
        var subscriber = new RawSubscriber(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var copy = new BasicDeliverEventArgs(
                delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey,
                delivery.BasicProperties, delivery.Body.ToArray());
            foreach (var message in ((UserMessageBatch)AvroSingleObjectCodec.Latest.Decode(copy.Body)).Messages)
                subscriber.Received.Enqueue(new Published(message, copy));
            subscriber.Deliveries.Enqueue(copy);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return subscriber;
    }

    /// <summary>Waits until what arrived so far satisfies <paramref name="condition"/>; <paramref name="what"/> names it.</summary>
    public Task WaitForAsync(string what, Func<IReadOnlyCollection<Published>, bool> condition, TimeSpan deadline) =>
        Eventually.UntilAsync(what, () => Task.FromResult<IReadOnlyCollection<Published>>(Received), condition, deadline);

    /// <summary>True once the message with this id arrived.</summary>
    public bool Has(Guid messageId) => Received.Any(m => m.Message.MessageId == messageId);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>One message of a batch and the broker message that carried the batch.</summary>
public sealed record Published(BatchedUserMessage Message, BasicDeliverEventArgs Delivery)
{
    public Guid MessageId => Message.MessageId;

    public object Decoded => AvroSingleObjectCodec.Latest.Decode(Message.Body);
}
