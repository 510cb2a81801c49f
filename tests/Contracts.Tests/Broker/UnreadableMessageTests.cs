using System.Buffers.Binary;
using System.Diagnostics;
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
    [Fact]
    public async Task should_move_unreadable_messages_to_the_error_queue_with_the_reason_and_keep_consuming()
    {
        var prefix = RabbitMqFixture.UniqueName("unreadable");
        await using var service = await ServiceBus.StartAsync(broker.AmqpUrl, prefix, consumes: true);
        var queue = $"{prefix}-user-registered";

        var factory = new ConnectionFactory { Uri = new Uri(broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        var good = AvroSingleObjectCodec.Latest.Encode(Samples.Registered() with { UserId = Guid.NewGuid() });
        var unknownFingerprint = good.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(unknownFingerprint.AsSpan(2), 0x0123456789ABCDEF);
        byte[] corrupt = [.. good[..12], 0xFF, 0xFF];

        var started = Stopwatch.StartNew();
        await Send(channel, queue, corrupt, AvroMessageSerializer.MediaType);
        await Send(channel, queue, unknownFingerprint, AvroMessageSerializer.MediaType);
        await Send(channel, queue, """{"userId":"6f9619ff-8b86-d011-b42d-00c04fc964ff"}"""u8.ToArray(), "application/json");
        await Send(channel, queue, good, AvroMessageSerializer.MediaType);

        var consumed = await service.Received.NextAsync();
        Assert.Equal(AvroSingleObjectCodec.Latest.Decode(good), consumed.Message);

        var reasons = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var failed = await EvolutionOverBrokerTests.GetAsync(connection, $"{queue}_error");
            var headers = failed.BasicProperties.Headers!;
            Assert.Equal("fault", EvolutionOverBrokerTests.Header(headers, "MT-Reason"));
            Assert.True(
                EvolutionOverBrokerTests.Header(headers, "MT-Fault-ExceptionType").Contains("SerializationException", StringComparison.Ordinal),
                $"{EvolutionOverBrokerTests.Header(headers, "MT-Fault-ExceptionType")}: {EvolutionOverBrokerTests.Header(headers, "MT-Fault-Message")}{Environment.NewLine}{EvolutionOverBrokerTests.Header(headers, "MT-Fault-StackTrace")}");
            reasons.Add(EvolutionOverBrokerTests.Header(headers, "MT-Fault-Message"));
        }

        // Three retries of 1 s were configured: none was spent on a body that cannot be read.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
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
