using System.Text;
using Accounts.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>Reads a queue straight from RabbitMQ, past MassTransit, to see exactly what went over the wire.</summary>
public static class RawQueueReader
{
    const ushort NotFound = 404;

    /// <summary>The next message on the queue, which MassTransit may declare only when the first message goes there (the error queue).</summary>
    public static async Task<BasicGetResult> NextAsync(IConnection connection, string queue) =>
        (await Eventually.UntilAsync($"a message on {queue}", () => TryGetAsync(connection, queue), result => result is not null))!;

    public static string Header(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out var value)
        ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), _ => value?.ToString() ?? string.Empty }
        : throw new Xunit.Sdk.XunitException($"No header {name}; headers: {string.Join(", ", headers.Keys)}");

    static async Task<BasicGetResult?> TryGetAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: true);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == NotFound)
        {
            return null;
        }
    }
}
