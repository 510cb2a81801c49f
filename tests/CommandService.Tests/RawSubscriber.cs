using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CommandService.Tests;

/// <summary>
/// A plain RabbitMQ.Client consumer on its own exclusive queue, bound to the exchanges MassTransit publishes the given
/// message types to: it sees exactly the bytes and properties on the wire.
/// </summary>
public sealed class RawSubscriber : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    public ConcurrentQueue<BasicDeliverEventArgs> Received { get; } = new();

    private RawSubscriber(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public static Task<RawSubscriber> StartAsync(string amqpUrl, params Type[] messageTypes) =>
        StartAsync(amqpUrl, RabbitMqFixture.MessagingPrefix, messageTypes);

    /// <summary>Subscribes behind another messaging prefix: a system of its own, which no other test class publishes to.</summary>
    public static async Task<RawSubscriber> StartAsync(string amqpUrl, string prefix, params Type[] messageTypes)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUrl) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var type in messageTypes)
        {
            // MassTransit's exchange for a message type: "Namespace:Name" behind the test process's prefix, fanout, durable.
            var exchange = $"{prefix}-{type.Namespace}:{type.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        var subscriber = new RawSubscriber(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            subscriber.Received.Enqueue(new BasicDeliverEventArgs(
                delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey,
                delivery.BasicProperties, delivery.Body.ToArray()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return subscriber;
    }

    /// <summary>Waits until what arrived so far satisfies <paramref name="condition"/>; <paramref name="what"/> names it.</summary>
    public Task WaitForAsync(string what, Func<IReadOnlyCollection<BasicDeliverEventArgs>, bool> condition, TimeSpan deadline) =>
        Eventually.UntilAsync(what, () => Task.FromResult<IReadOnlyCollection<BasicDeliverEventArgs>>(Received), condition, deadline);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
