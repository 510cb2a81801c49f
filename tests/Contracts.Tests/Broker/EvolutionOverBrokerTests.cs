using System.Buffers.Binary;
using System.Diagnostics;
using Accounts.Contracts.Avro;
using Accounts.Contracts.MassTransit;
using Accounts.Testing;
using MassTransit;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>Services built against different versions of UserRegistered talk through a real RabbitMQ.</summary>
[Collection(BrokerTests.Name)]
public class EvolutionOverBrokerTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    static readonly ContractVersionPins V1 = new ContractVersionPins().Pin<UserRegistered>(1);

    [Fact]
    public async Task V2_messages_reach_a_v1_consumer()
    {
        await using var reader = await ServiceBus.StartAsync(broker.AmqpUrl, RabbitMqFixture.UniqueName("v1-reader"), consumes: true, V1);
        await using var writer = await ServiceBus.StartAsync(broker.AmqpUrl, RabbitMqFixture.UniqueName("v2-writer"), consumes: false);

        var sent = Samples.Registered(preferredLanguage: "de-CH") with { UserId = Guid.NewGuid() };
        await writer.Bus.Publish(sent);

        Assert.Equal(sent with { PreferredLanguage = null }, await reader.ConsumedFor(sent.UserId));
    }

    [Fact]
    public async Task V1_messages_reach_a_v2_consumer()
    {
        await using var reader = await ServiceBus.StartAsync(broker.AmqpUrl, RabbitMqFixture.UniqueName("v2-reader"), consumes: true);
        await using var writer = await ServiceBus.StartAsync(broker.AmqpUrl, RabbitMqFixture.UniqueName("v1-writer"), consumes: false, V1);

        var sent = Samples.Registered(preferredLanguage: "de-CH") with { UserId = Guid.NewGuid() };
        await writer.Bus.Publish(sent);

        Assert.Equal(sent with { PreferredLanguage = null }, await reader.ConsumedFor(sent.UserId));
    }

    [Fact]
    public async Task The_body_is_only_the_single_object_encoded_message_and_the_ids_travel_in_headers()
    {
        await using var writer = await ServiceBus.StartAsync(broker.AmqpUrl, RabbitMqFixture.UniqueName("wire-writer"), consumes: false);
        await writer.Bus.Publish(Samples.Registered());   // declares the message type's exchange

        var factory = new ConnectionFactory { Uri = new Uri(broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = RabbitMqFixture.UniqueName("wire-tap");
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue, "Accounts.Contracts:UserRegistered", routingKey: string.Empty);

        using var listener = ListenToAllActivities();
        using var activity = new ActivitySource("tests").StartActivity("register");
        var sent = Samples.Registered() with { UserId = Guid.NewGuid() };
        var messageId = Guid.NewGuid();
        await writer.Bus.Publish(sent, context => context.MessageId = messageId);

        var delivery = await RawQueueReader.NextAsync(connection, queue);
        output.WriteLine($"Broker: {broker.Description}");
        var body = delivery.Body.ToArray();
        var headers = delivery.BasicProperties.Headers!;

        Assert.Equal(AvroMessageSerializer.MediaType, delivery.BasicProperties.ContentType);
        Assert.Equal([0xC3, 0x01], body[..2]);
        Assert.Equal(AvroContracts.Default.Latest(typeof(UserRegistered)).Fingerprint, BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(2, 8)));
        Assert.Equal(sent, AvroSingleObjectCodec.Latest.Decode(body));
        Assert.Equal(messageId.ToString(), RawQueueReader.Header(headers, "MessageId"));
        Assert.Contains("urn:message:Accounts.Contracts:UserRegistered", RawQueueReader.Header(headers, "MT-MessageType"), StringComparison.Ordinal);
        Assert.Contains(activity!.TraceId.ToString(), RawQueueReader.Header(headers, "traceparent"), StringComparison.Ordinal);
    }

    static ActivityListener ListenToAllActivities()
    {
        var listener = new ActivityListener { ShouldListenTo = _ => true, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
