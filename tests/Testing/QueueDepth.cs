using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Accounts.Testing;

/// <summary>How many messages wait on a queue, straight from RabbitMQ; 0 for a queue not declared (MassTransit declares an <c>_error</c> queue on its first message).</summary>
public static class QueueDepth
{
    const ushort NotFound = 404;

    public static async Task<uint> CountAsync(string amqpUrl, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqpUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            return 0;
        }
    }
}
