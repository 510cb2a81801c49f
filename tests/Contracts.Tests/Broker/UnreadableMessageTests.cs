using System.Buffers.Binary;
using System.Text;
using Accounts.Contracts.Avro;
using Accounts.Contracts.MassTransit;
using Accounts.Testing;
using RabbitMQ.Client;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>A body nobody can read goes to the error queue at once, with the reason in its headers, and the queue keeps flowing.</summary>
[Collection(BrokerTests.Name)]
public class UnreadableMessageTests(RabbitMqFixture broker)
{
    const string RetryCountHeader = "MT-Fault-RetryCount";

    [Fact]
    public async Task Unreadable_messages_go_to_the_error_queue_at_once_with_the_reason_and_the_queue_keeps_flowing()
    {
        var prefix = RabbitMqFixture.UniqueName("unreadable");
        await using var service = await ServiceBus.StartAsync(broker.AmqpUrl, prefix, consumes: true);
        var queue = $"{prefix}-user-registered";

        var factory = new ConnectionFactory { Uri = new Uri(broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var good = Samples.Registered() with { UserId = Guid.NewGuid() };
        var encoded = AvroSingleObjectCodec.Latest.Encode(good);
        var unknownFingerprint = encoded.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(unknownFingerprint.AsSpan(2), 0x0123456789ABCDEF);
        byte[] corrupt = [.. encoded[..12], 0xFF, 0xFF];
        // The control case: readable, but its consumer fails, so it reaches the error queue only after the retries.
        var refused = AvroSingleObjectCodec.Latest.Encode(good with { UserId = Guid.NewGuid(), DisplayName = UserRegisteredConsumer.FailingDisplayName });

        await Send(channel, queue, corrupt, AvroMessageSerializer.MediaType);
        await Send(channel, queue, unknownFingerprint, AvroMessageSerializer.MediaType);
        await Send(channel, queue, """{"userId":"6f9619ff-8b86-d011-b42d-00c04fc964ff"}"""u8.ToArray(), "application/json");
        await Send(channel, queue, refused, AvroMessageSerializer.MediaType);
        await Send(channel, queue, encoded, AvroMessageSerializer.MediaType);

        Assert.Equal(good, await service.ConsumedFor(good.UserId));

        var faults = new List<IDictionary<string, object?>>();
        for (var i = 0; i < 4; i++)
            faults.Add((await RawQueueReader.NextAsync(connection, $"{queue}_error")).BasicProperties.Headers!);

        var unreadable = faults.Where(headers => !headers.ContainsKey(RetryCountHeader)).ToList();
        var retried = Assert.Single(faults, headers => headers.ContainsKey(RetryCountHeader));
        Assert.Equal($"{ServiceBus.RetryLimit}", RawQueueReader.Header(retried, RetryCountHeader));
        // No retry was spent on a body that cannot be read: only the control case carries a retry count.
        Assert.Equal(3, unreadable.Count);
        Assert.All(unreadable, headers =>
        {
            Assert.Equal("fault", RawQueueReader.Header(headers, "MT-Reason"));
            Assert.True(
                RawQueueReader.Header(headers, "MT-Fault-ExceptionType").Contains("SerializationException", StringComparison.Ordinal),
                $"{RawQueueReader.Header(headers, "MT-Fault-ExceptionType")}: {RawQueueReader.Header(headers, "MT-Fault-Message")}{Environment.NewLine}{RawQueueReader.Header(headers, "MT-Fault-StackTrace")}");
        });

        var reasons = unreadable.Select(headers => RawQueueReader.Header(headers, "MT-Fault-Message")).ToList();
        Assert.Contains(reasons, reason => reason.Contains("Corrupt Avro body", StringComparison.Ordinal));
        Assert.Contains(reasons, reason => reason.Contains("Unknown Avro schema fingerprint 0123456789ABCDEF", StringComparison.Ordinal));
        Assert.Contains(reasons, reason => reason.Contains("Unsupported content type application/json", StringComparison.Ordinal));
    }

    static async Task Send(IChannel channel, string queue, byte[] body, string contentType)
    {
        var properties = new BasicProperties
        {
            ContentType = contentType,
            Persistent = true,
            MessageId = Guid.NewGuid().ToString(),
            Headers = new Dictionary<string, object?> { ["MessageId"] = Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()) },
        };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body);
    }
}
